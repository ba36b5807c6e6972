"""Declared boundaries: the services a team has agreed on, and how ``seams check`` enforces them.

Patterns name modules (``shop.orders``, ``shop.*.models``) or top-level symbols
(``shop.models:Order*``). A pattern without wildcards names a module and everything below it; a
pattern with ``*``, ``?`` or ``[...]`` matches whole names shell-style (``*`` also crosses dots).
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model.violations import RULES, Severity

SHARED = "shared"
DEFAULT_BASELINE = ".seams-baseline.json"
DEFAULT_TOLERANCE: tuple[tuple[str, float], ...] = (("data_purity", 0.02), ("icp", 0.02))
DEFAULT_DEPENDENCY_KINDS: tuple[str, ...] = ("import", "call", "inheritance")


@dataclass(frozen=True, slots=True)
class Boundary:
    """One declared service: the code it holds, whom it may depend on, the tables it owns.

    ``depends_on`` is ``None`` when undeclared: every cross-service dependency is then tracked
    by the baseline. When declared, a dependency on any other service is a violation.
    """

    name: str
    modules: tuple[str, ...]
    depends_on: tuple[str, ...] | None = None
    tables: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Boundaries:
    """Everything ``seams check`` needs from the configuration."""

    services: tuple[Boundary, ...]
    shared: tuple[str, ...] = ()
    rules: tuple[tuple[str, Severity], ...] = ()
    baseline: str = DEFAULT_BASELINE
    tolerance: tuple[tuple[str, float], ...] = DEFAULT_TOLERANCE
    dependency_kinds: tuple[str, ...] = DEFAULT_DEPENDENCY_KINDS

    def severity(self, rule: str) -> Severity:
        declared = dict(self.rules)
        if rule in declared:
            return declared[rule]
        return RULES[rule].default if rule in RULES else "off"

    def service(self, name: str) -> Boundary | None:
        return next((s for s in self.services if s.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.services)
