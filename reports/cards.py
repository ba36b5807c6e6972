"""Service cards: everything about one service on one card, and the files to split."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reports.api_surface import ApiSymbol
from reports.kinds import is_kind
from reports.ownership import TableRow, by_service
from reports.plan import Dependency, dependencies_of

API_SHOWN = 25


@dataclass(frozen=True, slots=True)
class ModuleEntry:
    name: str
    loc: int | None
    split: bool


@dataclass(frozen=True, slots=True)
class Split:
    """One split file: which of its symbols go to which service (``here`` first on a card)."""

    module: str
    parts: tuple[tuple[str, tuple[str, ...]], ...]

    def describe(self, home: str | None = None) -> str:
        """``A, B -> orders; C -> payments`` (with ``home`` written as "stay here")."""
        pieces = []
        for service, names in self.parts:
            where = "stay here" if service == home else f"\u2192 {service}"
            pieces.append(f"{_names(names)} {where}")
        return "; ".join(pieces)


def _names(names: Sequence[str], shown: int = 6) -> str:
    head = ", ".join(names[:shown])
    return head + (f" and {len(names) - shown} more" if len(names) > shown else "")


@dataclass(frozen=True, slots=True)
class Card:
    index: int
    name: str
    kind: str
    colour: str
    loc: int
    symbols: int
    stability: float | None
    modules: tuple[ModuleEntry, ...]
    splits: tuple[Split, ...]
    owned: tuple[str, ...]
    foreign_writes: tuple[TableRow, ...]
    foreign_reads: tuple[TableRow, ...]
    inbound: tuple[Dependency, ...]
    outbound: tuple[Dependency, ...]
    api: tuple[ApiSymbol, ...]
    api_total: int


def splits(document: Mapping[str, Any], services: Sequence[str]) -> list[Split]:
    rank = {s: i for i, s in enumerate(services)}
    result = []
    for module, parts in sorted((document.get("split_modules") or {}).items()):
        ordered = sorted(parts.items(), key=lambda p: (-len(p[1]), rank.get(p[0], len(rank)), p[0]))
        result.append(Split(module, tuple((s, tuple(sorted(n))) for s, n in ordered)))
    return result


def module_loc(document: Mapping[str, Any]) -> dict[tuple[str, str], int]:
    """Lines of each (module, service) piece, from the graph when there is one."""
    loc: dict[tuple[str, str], int] = defaultdict(int)
    for node in (document.get("graph") or {}).get("nodes") or []:
        if node.get("kind") != "table" and node.get("service"):
            loc[(str(node.get("module")), str(node["service"]))] += int(node.get("loc") or 0)
    return dict(loc)


def service_cards(
    document: Mapping[str, Any],
    colours: Sequence[str],
    api: Mapping[str, Sequence[ApiSymbol]],
    tables: Sequence[TableRow],
) -> list[Card]:
    names = [str(s["name"]) for s in document.get("services", [])]
    all_splits = splits(document, names)
    loc = module_loc(document)
    cards = []
    for index, service in enumerate(document.get("services", [])):
        name = names[index]
        mine = [s for s in all_splits if any(p[0] == name for p in s.parts)]
        split_names = {s.module for s in mine}
        inbound, outbound = dependencies_of(document, name)
        own_tables = by_service(tables, name)
        stability = service.get("stability")
        symbols = service.get("symbols") or []
        entries = tuple(
            ModuleEntry(str(m), loc.get((str(m), name)), str(m) in split_names)
            for m in service.get("modules", [])
        )
        used = tuple(api.get(name, ()))
        cards.append(
            Card(
                index=index,
                name=name,
                kind=str(service.get("kind", "service")),
                colour=colours[index],
                loc=int(service.get("loc", 0)),
                symbols=len(symbols),
                stability=float(stability) if isinstance(stability, int | float) else None,
                modules=entries,
                splits=tuple(mine),
                owned=tuple(
                    sorted(
                        {*service.get("tables_owned", []), *(r.name for r in own_tables["owned"])}
                    )
                ),
                foreign_writes=tuple(own_tables["foreign_writes"]),
                foreign_reads=tuple(own_tables["foreign_reads"]),
                inbound=inbound,
                outbound=outbound,
                api=used[:API_SHOWN],
                api_total=len(used),
            )
        )
    return cards


@dataclass(frozen=True, slots=True)
class MatrixCell:
    weight: float
    kinds: tuple[tuple[str, int], ...]
    shade: float  # 0..1, log scale of weight against the heaviest cell


def dependency_matrix(
    document: Mapping[str, Any], services: Sequence[str]
) -> list[list[MatrixCell | None]]:
    """Row = depending service, column = service depended on."""
    index = {s: i for i, s in enumerate(services)}
    cells: list[list[MatrixCell | None]] = [[None] * len(services) for _ in services]
    deps = [
        d
        for d in document.get("dependencies", [])
        if d.get("from") in index and d.get("to") in index and d["from"] != d["to"]
    ]
    top = max((float(d.get("weight", 0)) for d in deps), default=1.0) or 1.0
    for dep in deps:
        weight = float(dep.get("weight", 0))
        cells[index[dep["from"]]][index[dep["to"]]] = MatrixCell(
            round(weight, 1),
            tuple((k, int(v)) for k, v in (dep.get("kinds") or {}).items() if is_kind(k)),
            round(math.log1p(weight) / math.log1p(top), 3),
        )
    return cells
