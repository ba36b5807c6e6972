"""The extraction plan: services in the order they are easiest to take out of the monolith.

Easiest first means: no write conflicts over tables (a table written by several services, or
written by a service that does not own it, must be settled before the code can move); then the
fewest ties to cut, a tie being another service that calls into it (its calls become API calls)
or another service's table it reads or writes (each becomes a call to the owner); then the least
code elsewhere depending on it (inbound coupling weight); then the fewest services it calls. The
shared library is a package every service keeps, not a service: using it, or being used by it,
is no tie. For each step: the API to introduce (what other services use today), the tables to
migrate, the conflicts to resolve first, and what it needs from the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reports.api_surface import ApiSymbol
from reports.ownership import TableRow, by_service


@dataclass(frozen=True, slots=True)
class Dependency:
    other: str
    weight: float
    kinds: tuple[tuple[str, int], ...]
    examples: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class PlanStep:
    service: str
    inbound: tuple[Dependency, ...]
    outbound: tuple[Dependency, ...]
    api: tuple[ApiSymbol, ...]
    owned: tuple[str, ...]
    shared_writes: tuple[TableRow, ...]
    foreign_writes: tuple[TableRow, ...]
    foreign_reads: tuple[TableRow, ...]
    library: tuple[Dependency, ...] = ()  # what it uses of the shared library: not a call
    library_users: tuple[Dependency, ...] = ()  # shared-library code that uses it

    @property
    def conflicts(self) -> int:
        return len({r.name for r in (*self.shared_writes, *self.foreign_writes)})

    @property
    def foreign_tables(self) -> tuple[str, ...]:
        """Other services' tables it reads or writes."""
        names = {r.name for r in (*self.foreign_reads, *self.foreign_writes, *self.shared_writes)}
        return tuple(sorted(names - set(self.owned)))

    @property
    def ties(self) -> int:
        """Services calling into it plus other services' tables it touches: what must become an
        API call before it can run on its own."""
        return len(self.inbound) + len(self.foreign_tables)

    @property
    def inbound_weight(self) -> float:
        return round(sum(d.weight for d in self.inbound), 2)

    @property
    def outbound_weight(self) -> float:
        return round(sum(d.weight for d in self.outbound), 2)


def dependencies_of(
    document: Mapping[str, Any], service: str
) -> tuple[tuple[Dependency, ...], tuple[Dependency, ...]]:
    """(inbound, outbound) dependencies of ``service``, heaviest first."""
    inbound, outbound = [], []
    for dep in document.get("dependencies", []):
        kinds = tuple((str(k), int(v)) for k, v in (dep.get("kinds") or {}).items())
        examples = tuple(dep.get("examples") or ())
        weight = float(dep.get("weight", 0))
        if dep.get("to") == service and dep.get("from") != service:
            inbound.append(Dependency(str(dep["from"]), weight, kinds, examples))
        elif dep.get("from") == service and dep.get("to") != service:
            outbound.append(Dependency(str(dep["to"]), weight, kinds, examples))
    key = lambda d: (-d.weight, d.other)  # noqa: E731
    return tuple(sorted(inbound, key=key)), tuple(sorted(outbound, key=key))


def extraction_plan(
    document: Mapping[str, Any],
    api: Mapping[str, Sequence[ApiSymbol]],
    tables: Sequence[TableRow],
) -> list[PlanStep]:
    libraries = {
        str(s["name"]) for s in document.get("services", []) if s.get("kind") == "shared-library"
    }
    steps = []
    for service in document.get("services", []):
        if service.get("kind", "service") != "service":
            continue
        name = str(service["name"])
        used_by, uses = dependencies_of(document, name)
        inbound = tuple(d for d in used_by if d.other not in libraries)
        outbound = tuple(d for d in uses if d.other not in libraries)
        mine = by_service(tables, name)
        owned = sorted({*(r.name for r in mine["owned"]), *service.get("tables_owned", [])})
        steps.append(
            PlanStep(
                name,
                inbound,
                outbound,
                tuple(api.get(name, ())),
                tuple(owned),
                tuple(mine["shared_writes"]),
                tuple(r for r in mine["foreign_writes"] if not r.shared_write),
                tuple(mine["foreign_reads"]),
                tuple(d for d in uses if d.other in libraries),
                tuple(d for d in used_by if d.other in libraries),
            )
        )
    return sorted(
        steps,
        key=lambda s: (s.conflicts, s.ties, s.inbound_weight, len(s.outbound), s.service),
    )
