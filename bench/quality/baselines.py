"""Import-graph Louvain: the baseline any decomposition tool should beat.

networkx's Louvain (seeded) on the module import graph alone, read from a decomposition
document's ``graph`` section (import couplings between modules, weighted by how many there are).
Modules without imports go with their package: the community holding most modules of the
nearest enclosing package that has any, else a community of their own.

With a target count the communities are merged down by the greatest modularity gain (ties: the
smallest combined size, then name order); when Louvain finds fewer, the resolution is doubled
(up to 64) until it finds enough. In automatic mode Louvain's own count stands.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx


def import_graph(document: dict[str, Any]) -> nx.Graph:
    """Undirected module graph of the document's import couplings (every module a node)."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(document["modules"]))
    module_of = {n["id"]: n["module"] for n in document["graph"]["nodes"]}
    for edge in document["graph"]["edges"]:
        count = edge["kinds"].get("import", 0)
        a, b = module_of.get(edge["source"]), module_of.get(edge["target"])
        if not count or a is None or b is None or a == b:
            continue
        if a in graph and b in graph:
            weight = graph[a][b]["weight"] if graph.has_edge(a, b) else 0
            graph.add_edge(a, b, weight=weight + count)
    return graph


def _place_isolated(graph: nx.Graph, communities: list[set[str]]) -> list[set[str]]:
    label = {m: i for i, c in enumerate(communities) for m in c}
    by_package: dict[str, Counter[int]] = defaultdict(Counter)
    for module, i in label.items():
        parts = module.split(".")
        for depth in range(1, len(parts)):
            by_package[".".join(parts[:depth])][i] += 1
    out = [set(c) for c in communities]
    for module in sorted(m for m in graph if m not in label):
        parts = module.split(".")
        home = None
        for depth in range(len(parts) - 1, 0, -1):
            counts = by_package.get(".".join(parts[:depth]))
            if counts:
                home = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                break
        if home is None:
            out.append({module})
            label[module] = len(out) - 1
        else:
            out[home].add(module)
    return [c for c in out if c]


def _louvain(graph: nx.Graph, seed: int, resolution: float) -> list[set[str]]:
    connected = graph.subgraph([m for m in graph if graph.degree(m)])
    found = nx.community.louvain_communities(
        connected, weight="weight", seed=seed, resolution=resolution
    )
    return _place_isolated(graph, sorted((set(c) for c in found), key=min))


def merge_down(graph: nx.Graph, communities: list[set[str]], count: int) -> list[set[str]]:
    """Merge the pair with the greatest modularity gain until ``count`` communities remain."""
    parts = [set(c) for c in communities]
    total = graph.size(weight="weight") or 1.0
    label = {m: i for i, c in enumerate(parts) for m in c}
    degree = [sum(d for _, d in graph.degree(c, weight="weight")) for c in parts]
    between: dict[tuple[int, int], float] = defaultdict(float)
    for a, b, w in graph.edges(data="weight"):
        i, j = sorted((label[a], label[b]))
        if i != j:
            between[(i, j)] += w
    alive = set(range(len(parts)))
    while len(alive) > max(count, 1):
        best: tuple[float, int, int, int] | None = None
        # Of the pairs without an edge between them the best gains least: -a_i·a_j/(2m²) is
        # highest for the two lowest-degree communities, so that pair stands for them all.
        ordered = sorted(alive, key=lambda i: (degree[i], len(parts[i]), i))
        candidates = [*between, (min(ordered[:2]), max(ordered[:2]))]
        for i, j in candidates:
            gain = between.get((i, j), 0.0) / total - degree[i] * degree[j] / (2 * total * total)
            key = (-gain, len(parts[i]) + len(parts[j]), i, j)
            if best is None or key < best:
                best = key
        assert best is not None
        _, _, i, j = best
        parts[i] |= parts[j]
        degree[i] += degree[j]
        alive.discard(j)
        merged: dict[tuple[int, int], float] = defaultdict(float)
        for (a, b), w in between.items():
            x, y = (i if a == j else a), (i if b == j else b)
            if x != y:
                merged[(min(x, y), max(x, y))] += w
        between = merged
    return [parts[i] for i in sorted(alive)]


def import_louvain(document: dict[str, Any], count: int | None, seed: int = 0) -> dict[str, str]:
    """Module -> community label; ``count`` None for Louvain's own count."""
    graph = import_graph(document)
    resolution = 1.0
    communities = _louvain(graph, seed, resolution)
    while count is not None and len(communities) < count and resolution < 64:
        resolution *= 2
        communities = _louvain(graph, seed, resolution)
    if count is not None:
        communities = merge_down(graph, communities, count)
    return {m: f"import-{i}" for i, c in enumerate(communities) for m in sorted(c)}
