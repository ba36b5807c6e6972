"""steering: apply what the user said about their code base to the clustering.

Each pinned service, each ``together`` group and each pattern of an ``apart`` group becomes one
*unit*: its nodes are contracted into a single node before clustering (so they cannot be
separated) and expanded afterwards. Units of one ``apart`` group, and differently named pins,
must end in different services. Pinned units name the service they land in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

import networkx as nx

from analyzer.model.coupling import is_table, module_of
from analyzer.model.steering import Steering

_PREFIX = "steer:"


@dataclass(frozen=True, slots=True)
class Plan:
    """Units (super node -> members), pinned names, groups of units kept apart, and notes."""

    units: Mapping[str, frozenset[str]] = field(default_factory=dict)
    pins: Mapping[str, str] = field(default_factory=dict)
    apart: tuple[frozenset[str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def members(self) -> frozenset[str]:
        return frozenset(n for group in self.units.values() for n in group)


def matches(node: str, pattern: str) -> bool:
    """``a.b.*`` matches modules and the symbols in them; ``a.b:Name*`` matches symbols."""
    if is_table(node):
        return False
    target = node if ":" in pattern else module_of(node)
    return fnmatchcase(target, pattern)


def _select(nodes: Sequence[str], patterns: Iterable[str], taken: set[str]) -> frozenset[str]:
    found = {n for n in nodes for p in patterns if n not in taken and matches(n, p)}
    taken |= found
    return frozenset(found)


def make_plan(nodes: Iterable[str], steering: Steering) -> Plan:
    ordered = sorted(nodes)
    taken: set[str] = set()
    units: dict[str, frozenset[str]] = {}
    pins: dict[str, str] = {}
    notes: list[str] = []

    def add(unit: str, patterns: Iterable[str], label: str) -> str | None:
        found = _select(ordered, patterns, taken)
        if not found:
            notes.append(f"{label}: no code matches {', '.join(patterns)}")
            return None
        units[unit] = found
        notes.append(f"{label}: {len(found)} node(s)")
        return unit

    for name, patterns in steering.pin:
        if add(f"{_PREFIX}pin:{name}", patterns, f"pinned to {name}"):
            pins[f"{_PREFIX}pin:{name}"] = name
    for i, group in enumerate(steering.together):
        add(f"{_PREFIX}together:{i}", group, f"kept together ({', '.join(group)})")
    apart = [frozenset(pins)] if len(pins) > 1 else []
    for i, group in enumerate(steering.apart):
        members = set()
        for j, pattern in enumerate(group):
            existing = sorted(u for u, m in units.items() if any(matches(n, pattern) for n in m))
            if existing and not any(matches(n, pattern) for n in ordered if n not in taken):
                members.add(existing[0])
                notes.append(f"kept apart ({pattern}): with the code it is steered with already")
                continue
            unit = add(f"{_PREFIX}apart:{i}:{j}", [pattern], f"kept apart ({pattern})")
            if unit:
                members.add(unit)
        if len(members) > 1:
            apart.append(frozenset(members))
    return Plan(units, pins, tuple(apart), tuple(notes))


def contract(graph: nx.Graph, plan: Plan, drop: AbstractSet[str] = frozenset()) -> nx.Graph:
    """``graph`` without the nodes in ``drop`` and with every unit's nodes replaced by the unit
    (weights and their ``read`` shares summed, ``owns`` and ``defines`` kept if any edge had
    them, nodes sorted; the units marked ``steered``)."""
    owner = {n: unit for unit, members in plan.units.items() for n in members if n in graph}
    result = nx.Graph()
    loc: dict[str, int] = {}
    for node, data in graph.nodes(data=True):
        if node in drop:
            continue
        key = owner.get(node, node)
        loc[key] = loc.get(key, 0) + int(data.get("loc", 0))
    for node in sorted(loc):
        if node in plan.units:
            result.add_node(node, loc=loc[node], steered=True)
        else:
            result.add_node(node, loc=loc[node])
    # Summed in a dict first (in the order edges first appear, as networkx would keep them),
    # then added at once: per-edge add_edge calls cost more than the clustering itself.
    weights: dict[tuple[str, str], float] = {}
    reads: dict[tuple[str, str], float] = {}
    owns: set[tuple[str, str]] = set()
    defines: set[tuple[str, str]] = set()
    for u, v, data in graph.edges(data=True):
        if drop and (u in drop or v in drop):
            continue
        a, b = owner.get(u, u), owner.get(v, v)
        if a == b:
            continue
        key = (b, a) if (b, a) in weights else (a, b)
        weights[key] = weights.get(key, 0.0) + float(data.get("weight", 1.0))
        if data.get("read"):
            reads[key] = reads.get(key, 0.0) + float(data["read"])
        if data.get("owns"):
            owns.add(key)
        if data.get("defines"):
            defines.add(key)
    result.add_edges_from(
        (
            a,
            b,
            {
                "weight": w,
                "read": reads.get((a, b), 0.0),
                "owns": (a, b) in owns,
                "defines": (a, b) in defines,
            },
        )
        for (a, b), w in weights.items()
    )
    return result


def expand(clusters: Iterable[frozenset[str]], plan: Plan) -> list[frozenset[str]]:
    out = []
    for cluster in clusters:
        members: set[str] = set()
        for node in cluster:
            members |= plan.units.get(node, {node})
        out.append(frozenset(members))
    return out


def pinned_names(clusters: Sequence[frozenset[str]], plan: Plan) -> dict[int, str]:
    """Index of a cluster (contracted form) holding a pinned unit -> the pinned name."""
    return {
        i: plan.pins[u]
        for i, cluster in enumerate(clusters)
        for u in sorted(cluster)
        if u in plan.pins
    }
