"""The proposal: named services over the graph's nodes, and how modules map onto them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from analyzer.design.cluster import cluster
from analyzer.design.graph import CodeGraph, GraphNode
from analyzer.design.naming import name_services
from analyzer.design.shared import SharedCode, find_shared
from analyzer.design.stability import stability

ServiceKind = Literal["service", "shared-library"]


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    kind: ServiceKind
    nodes: frozenset[str]
    loc: int


@dataclass(frozen=True, slots=True)
class Proposal:
    """Services in display order, and the service of every graph node (owned tables too)."""

    services: tuple[Service, ...]
    assignment: Mapping[str, str]
    shared_reasons: Mapping[str, str] = field(default_factory=dict)
    stability: Mapping[str, float] = field(default_factory=dict)

    @property
    def shared(self) -> frozenset[str]:
        return frozenset(n for s in self.services if s.kind == "shared-library" for n in s.nodes)

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)


def make_proposal(
    graph: CodeGraph,
    clusters: Sequence[frozenset[str]],
    names: Sequence[str],
    kinds: Sequence[ServiceKind] | None = None,
    shared: SharedCode | None = None,
) -> Proposal:
    nodes = {n.id: n for n in graph.nodes}
    services = tuple(
        Service(
            name,
            (kinds[i] if kinds else "service"),
            members,
            sum(nodes[m].loc for m in sorted(members) if m in nodes),
        )
        for i, (name, members) in enumerate(zip(names, clusters, strict=True))
    )
    assignment = {node: s.name for s in services for node in sorted(s.nodes)}
    return Proposal(services, assignment, dict(shared.reasons) if shared else {})


SHARED_NAME = "shared"


def propose(graph: CodeGraph, services: int | None, seed: int, hint: Mapping[str, str]) -> Proposal:
    """Cluster, set the shared library aside, cluster the rest, and name everything."""
    whole = graph.undirected()
    shared = find_shared(graph, cluster(whole, None, seed, hint))
    rest = whole.copy()
    rest.remove_nodes_from(shared.nodes)
    clusters = cluster(rest, services, seed, hint)
    steadiness = stability(rest, clusters, lambda s: cluster(rest, services, s, hint), seed)
    nodes = {n.id: n for n in graph.nodes}
    names = name_services(clusters, nodes, taken=[SHARED_NAME])
    kinds: list[ServiceKind] = ["service"] * len(clusters)
    if shared.nodes:
        clusters = [*clusters, shared.nodes]
        names = [*names, SHARED_NAME]
        kinds = [*kinds, "shared-library"]
    proposal = make_proposal(graph, clusters, names, kinds, shared)
    return replace(proposal, stability=dict(zip(names, steadiness, strict=False)))


def module_services(
    graph: CodeGraph, assignment: Mapping[str, str], order: Sequence[str]
) -> dict[str, str]:
    """Each module's service: the one holding most of its lines (its own code breaks a tie)."""
    rank = {name: i for i, name in enumerate(order)}
    loc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node in graph.nodes:
        if node.kind == "table" or node.id not in assignment:
            continue
        loc[node.module][assignment[node.id]] += node.loc
    result = {}
    for module, shares in loc.items():
        own = assignment.get(module)
        result[module] = max(
            sorted(shares, key=lambda s: rank.get(s, len(rank))),
            key=lambda s: (shares[s], s == own),
        )
    return dict(sorted(result.items()))


def split_modules(
    graph: CodeGraph, assignment: Mapping[str, str]
) -> dict[str, dict[str, list[str]]]:
    """Modules whose symbols land in more than one service: service -> symbol names."""
    by_module: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for node in graph.nodes:
        if node.kind in ("class", "function") and node.id in assignment:
            by_module[node.module][assignment[node.id]].append(node.id.split(":", 1)[1])
    return {
        module: {service: sorted(names) for service, names in sorted(shares.items())}
        for module, shares in sorted(by_module.items())
        if len(shares) > 1
    }


def symbol_services(
    graph: CodeGraph, assignment: Mapping[str, str], symbols: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Every top-level symbol (``module:Name``) -> its service, whatever the granularity."""
    result = {}
    for module, names in symbols.items():
        for name in names:
            node = graph.node_of.get(f"{module}:{name}") or graph.node_of.get(module)
            if node is not None and node in assignment:
                result[f"{module}:{name}"] = assignment[node]
    return dict(sorted(result.items()))


def node_map(nodes: Sequence[GraphNode]) -> dict[str, GraphNode]:
    return {n.id: n for n in nodes}
