"""Tables seen from the services: who owns, writes and reads each one, and where the conflicts are.

Reads the document's ``tables`` key; documents without it (or with an empty one) give no rows.
A shared-write table is one written by more than one service (the shared library counts: a write
from shared code still has to land somewhere).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Site:
    file: str
    line: int
    mode: str
    service: str
    symbol: str


@dataclass(frozen=True, slots=True)
class TableRow:
    """A table; ``owner_reason`` and the rest say why its owner owns it (the document's
    ``tables[*]``; older documents leave them empty)."""

    name: str
    owner: str | None
    writers: tuple[str, ...]
    readers: tuple[str, ...]
    models: tuple[str, ...]
    sites: tuple[Site, ...]
    owner_reason: str = ""
    model_service: str | None = None
    writing_units: tuple[tuple[str, int], ...] = ()

    @property
    def moved(self) -> bool:
        """Owned by the service writing it most rather than by the one holding its model."""
        return self.owner_reason == "writes" and self.model_service is not None

    def units(self, service: str | None) -> int:
        return dict(self.writing_units).get(service or "", 0)

    @property
    def shared_write(self) -> bool:
        return len(self.writers) > 1

    def access(self, service: str) -> str:
        """ "RW", "W", "R" or "" for ``service``."""
        return ("R" if service in self.readers else "") + ("W" if service in self.writers else "")


def table_rows(document: Mapping[str, Any]) -> list[TableRow]:
    """Shared-write tables first, then by name."""
    rows = []
    for name, info in (document.get("tables") or {}).items():
        if not isinstance(info, Mapping):
            continue
        rows.append(
            TableRow(
                str(name),
                info.get("owner") or None,
                tuple(sorted(str(s) for s in info.get("writers") or [])),
                tuple(sorted(str(s) for s in info.get("readers") or [])),
                tuple(str(m) for m in info.get("models") or []),
                tuple(_site(s) for s in info.get("sites") or [] if isinstance(s, Mapping)),
                str(info.get("owner_reason") or ""),
                info.get("model_service") or None,
                tuple(sorted(_units(info.get("writing_units")).items())),
            )
        )
    return sorted(rows, key=lambda r: (not r.shared_write, r.name))


def _units(value: object) -> dict[str, int]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): int(v) for k, v in value.items() if isinstance(v, int)}


def _site(site: Mapping[str, Any]) -> Site:
    return Site(
        str(site.get("file", "")),
        int(site.get("line") or 0),
        str(site.get("mode", "")),
        str(site.get("service") or ""),
        str(site.get("symbol") or ""),
    )


def by_service(rows: Sequence[TableRow], service: str) -> dict[str, list[TableRow]]:
    """The tables a service owns, writes without owning, reads without owning, and the
    shared-write tables it takes part in."""
    return {
        "owned": [r for r in rows if r.owner == service],
        "foreign_writes": [r for r in rows if service in r.writers and r.owner != service],
        "foreign_reads": [
            r
            for r in rows
            if service in r.readers and r.owner != service and service not in r.writers
        ],
        "shared_writes": [r for r in rows if r.shared_write and service in r.writers],
    }
