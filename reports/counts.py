"""How big the proposal is, counted one way for every output (docs/metrics.md#counting).

Services are the document's ``services`` of kind ``service``; every entry of kind
``shared-library`` makes up the shared library, which is never counted as a service. Modules are
the keys of ``modules`` (a file split between services counts once); lines are the non-blank lines
of the analyzed code, summed over every service and the shared library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Counts:
    services: int
    modules: int
    lines: int
    library: tuple[str, ...]  # names of the shared-library entries (usually one)
    library_modules: int
    library_lines: int

    @property
    def service_lines(self) -> int:
        return self.lines - self.library_lines


def count(document: Mapping[str, Any]) -> Counts:
    services = [s for s in document.get("services") or [] if isinstance(s, Mapping)]
    real = [s for s in services if s.get("kind", "service") == "service"]
    shared = [s for s in services if s.get("kind") == "shared-library"]
    return Counts(
        services=len(real),
        modules=len(document.get("modules") or {}),
        lines=sum(_int(s.get("loc")) for s in services),
        library=tuple(str(s.get("name", "")) for s in shared),
        library_modules=sum(len(s.get("modules") or []) for s in shared),
        library_lines=sum(_int(s.get("loc")) for s in shared),
    )


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def proposal_phrase(counts: Counts) -> str:
    """``9 services plus a shared library of 13 modules / 555 lines``."""
    phrase = _plural(counts.services, "service")
    if counts.library:
        phrase += (
            f" plus a shared library of {_plural(counts.library_modules, 'module')}"
            f" / {_plural(counts.library_lines, 'line')}"
        )
    return phrase


def scope_phrase(counts: Counts) -> str:
    """``76 modules, 3,872 lines``: everything analyzed, the shared library included."""
    return f"{_plural(counts.modules, 'module')}, {_plural(counts.lines, 'line')}"


def headline(counts: Counts) -> str:
    """The one sentence every output opens with."""
    return f"{proposal_phrase(counts)} ({scope_phrase(counts)} of code analyzed)"
