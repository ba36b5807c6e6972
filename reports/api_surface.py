"""What each service's public API would be: its symbols that code in other services uses.

Read from the document's ``graph`` (every cross-service edge into a class, function or module of
the service); documents without a graph fall back to ``cuts``, the heaviest crossing edges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TABLE_PREFIX = "table::"


@dataclass(frozen=True, slots=True)
class ApiSymbol:
    """``symbol`` of ``service``, used by ``users`` (other services) through ``edges`` edges of
    total ``weight``; ``kinds`` names how (call, import, inheritance, ...)."""

    symbol: str
    service: str
    users: tuple[str, ...]
    edges: int
    weight: float
    kinds: tuple[str, ...]


def public_api(document: Mapping[str, Any]) -> dict[str, list[ApiSymbol]]:
    """Per service, its used-from-outside symbols, most used first."""
    graph = document.get("graph") or {}
    owner = {str(n["id"]): n.get("service") for n in graph.get("nodes") or []}
    crossings: list[tuple[str, str, float, Mapping[str, int]]]
    if owner:
        crossings = [
            (str(e["source"]), str(e["target"]), float(e.get("weight", 0)), e.get("kinds", {}))
            for e in graph.get("edges") or []
        ]
    else:
        crossings = [
            (str(c["source"]), str(c["target"]), float(c.get("weight", 0)), c.get("kinds", {}))
            for c in document.get("cuts") or []
        ]
        for c in document.get("cuts") or []:
            owner.setdefault(str(c["source"]), c.get("from"))
            owner.setdefault(str(c["target"]), c.get("to"))
    return _collect(crossings, owner, _shared(document))


def _shared(document: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(
        str(s["name"]) for s in document.get("services", []) if s.get("kind") == "shared-library"
    )


def _collect(
    crossings: Sequence[tuple[str, str, float, Mapping[str, int]]],
    owner: Mapping[str, Any],
    shared: frozenset[str],
) -> dict[str, list[ApiSymbol]]:
    users: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    weight: dict[str, float] = defaultdict(float)
    kinds: dict[str, set[str]] = defaultdict(set)
    for source, target, w, edge_kinds in crossings:
        a, b = owner.get(source), owner.get(target)
        if not a or not b or a == b or target.startswith(TABLE_PREFIX) or a in shared:
            continue
        users[target].add(str(a))
        count[target] += 1
        weight[target] += w
        kinds[target].update(k for k, v in edge_kinds.items() if v)
    result: dict[str, list[ApiSymbol]] = defaultdict(list)
    for symbol, using in users.items():
        service = str(owner[symbol])
        result[service].append(
            ApiSymbol(
                symbol,
                service,
                tuple(sorted(using)),
                count[symbol],
                round(weight[symbol], 2),
                tuple(sorted(kinds[symbol])),
            )
        )
    for entries in result.values():
        entries.sort(key=lambda a: (-len(a.users), -a.weight, a.symbol))
    return dict(result)
