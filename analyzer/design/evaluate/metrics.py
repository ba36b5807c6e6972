"""evaluate: the published decomposition metrics (docs/metrics.md), for any partition.

Every metric is computed on the code graph at the analyzed granularity; nodes in ``exclude``
(the shared library) are left out, so a proposal and the as-is layout compare on equal terms.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx

from analyzer.design.evaluate.purity import data_purity
from analyzer.design.signals.graph import CodeGraph, GraphNode
from analyzer.model.coupling import is_table

Metrics = dict[str, float | int | None]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6) + 0.0


def evaluate(
    graph: CodeGraph, assignment: Mapping[str, str], exclude: Iterable[str] = ()
) -> Metrics:
    """Metrics of ``assignment`` (code node -> service name) on ``graph``."""
    nodes, members = _selection(graph, assignment, exclude)
    k = len(members)
    undirected = graph.undirected(
        tables=False, exclude=[n.id for n in graph.nodes if n.id not in nodes]
    )
    return {
        "modularity": _round(_modularity(undirected, members)),
        "sm": _round(_structural_modularity(undirected, assignment, members)),
        "icp": _round(_icp(graph, assignment, nodes)),
        "ifn": _round(_ifn(graph, assignment, nodes, k)),
        "ned": _round(_ned(nodes, assignment, members)),
        "data_purity": _round(_data_purity(graph, assignment, nodes, k)),
        "shared_write_tables": _shared_write_tables(graph, assignment, nodes),
        "cross_service_edges": sum(
            1
            for e in graph.edges
            if e.source in nodes
            and e.target in nodes
            and assignment[e.source] != assignment[e.target]
        ),
        "cross_service_weight": _round(
            sum(
                e.weight
                for e in graph.edges
                if e.source in nodes
                and e.target in nodes
                and assignment[e.source] != assignment[e.target]
            )
        ),
        "services": k,
    }


def ratchet_metrics(
    graph: CodeGraph, assignment: Mapping[str, str], exclude: Iterable[str] = ()
) -> Metrics:
    """Only ICP and data purity, the two metrics `seams check` ratchets, as ``evaluate`` has
    them; skipping the others (modularity needs a networkx graph) keeps the check fast."""
    nodes, members = _selection(graph, assignment, exclude)
    k = len(members)
    return {
        "icp": _round(_icp(graph, assignment, nodes)),
        "data_purity": _round(_data_purity(graph, assignment, nodes, k)),
    }


def _selection(
    graph: CodeGraph, assignment: Mapping[str, str], exclude: Iterable[str]
) -> tuple[dict[str, GraphNode], dict[str, set[str]]]:
    """The code nodes measured (assigned, not excluded) and the members of each service."""
    excluded = set(exclude)
    nodes = {
        n.id: n
        for n in graph.nodes
        if n.kind != "table" and n.id not in excluded and n.id in assignment
    }
    members: dict[str, set[str]] = defaultdict(set)
    for node_id in nodes:
        members[assignment[node_id]].add(node_id)
    return nodes, members


def _modularity(graph: nx.Graph, members: Mapping[str, set[str]]) -> float | None:
    if graph.number_of_edges() == 0 or not members:
        return None
    return float(
        nx.community.modularity(
            graph, [sorted(members[s]) for s in sorted(members)], weight="weight"
        )
    )


def _structural_modularity(
    graph: nx.Graph, assignment: Mapping[str, str], members: Mapping[str, set[str]]
) -> float | None:
    k = len(members)
    if k == 0:
        return None
    inside: Counter[str] = Counter()
    between: Counter[tuple[str, str]] = Counter()
    for u, v in graph.edges():
        a, b = assignment[u], assignment[v]
        if a == b:
            inside[a] += 1
        else:
            between[(min(a, b), max(a, b))] += 1
    cohesion = sum(inside[s] / len(members[s]) ** 2 for s in members) / k
    if k == 1:
        return cohesion
    coupling = sum(
        count / (2 * len(members[a]) * len(members[b])) for (a, b), count in between.items()
    )
    return cohesion - 2 * coupling / (k * (k - 1))


def _icp(
    graph: CodeGraph, assignment: Mapping[str, str], nodes: Mapping[str, object]
) -> float | None:
    crossing = total = 0.0
    for edge in graph.edges:
        calls = edge.count("call")
        if not calls or edge.source not in nodes or edge.target not in nodes:
            continue
        value = math.log(calls) + 1
        total += value
        if assignment[edge.source] != assignment[edge.target]:
            crossing += value
    return crossing / total if total else None


def _ifn(
    graph: CodeGraph, assignment: Mapping[str, str], nodes: Mapping[str, object], k: int
) -> float | None:
    if k == 0:
        return None
    published: dict[str, set[str]] = defaultdict(set)
    for c in graph.couplings:
        if c.kind not in ("call", "inheritance"):
            continue
        source, target = graph.node_of.get(c.source, ""), graph.node_of.get(c.target, "")
        if source in nodes and target in nodes and assignment[source] != assignment[target]:
            published[assignment[target]].add(c.target)
    return sum(len(v) for v in published.values()) / k


def _ned(
    nodes: Mapping[str, object], assignment: Mapping[str, str], members: Mapping[str, set[str]]
) -> float | None:
    sizes = [sum(getattr(nodes[n], "loc", 0) for n in members[s]) for s in sorted(members)]
    total = sum(sizes)
    if not sizes or total == 0:
        return None
    mean = total / len(sizes)
    normal = sum(s for s in sizes if mean / 4 <= s <= 4 * mean)
    return 1 - normal / total


def _table_access(graph: CodeGraph, nodes: Mapping[str, object]) -> dict[str, dict[str, set[str]]]:
    """table node -> {"read": code nodes, "write": code nodes}. A model defining its table
    (mode ``model``) and foreign keys (``fk``) are not accesses."""
    access: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"read": set(), "write": set()})
    for c in graph.couplings:
        if c.kind != "data" or not is_table(c.target) or c.mode not in ("read", "write"):
            continue
        source = graph.node_of.get(c.source, "")
        if source in nodes:
            access[c.target][c.mode].add(source)
    return access


def _data_purity(
    graph: CodeGraph, assignment: Mapping[str, str], nodes: Mapping[str, object], k: int
) -> float | None:
    return data_purity(_table_access(graph, nodes), assignment, k)


def _shared_write_tables(
    graph: CodeGraph, assignment: Mapping[str, str], nodes: Mapping[str, object]
) -> int:
    access = _table_access(graph, nodes)
    return sum(1 for t in access.values() if len({assignment[u] for u in t["write"]}) > 1)
