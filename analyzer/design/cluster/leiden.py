"""Leiden (igraph), seeded, on a level of the work graph or on a part of it.

Leiden is Louvain's successor: its communities are always connected, and on a 5,000-node
symbol graph it ran 5x faster than networkx's Louvain with a higher modularity (0.674 against
0.653 on netbox). The engine uses it for candidate starts and to propose splits; what is kept
is decided by the objective, not by Leiden's own modularity.
"""

from __future__ import annotations

import contextlib
import random
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any, cast

import networkx as nx

from analyzer.design.cluster.work import Level


def _igraph() -> ModuleType:
    """igraph, loaded on first use (`seams check` never clusters) and without its plotting
    backend: when matplotlib is installed, igraph imports ``matplotlib.pyplot`` as it loads
    (~0.5 s), and Seams never plots. Hiding matplotlib for that one import makes igraph fall
    back to its placeholder; matplotlib stays importable afterwards."""
    loaded = sys.modules.get("igraph")
    if loaded is not None:
        return loaded
    with _hidden("matplotlib"):
        import igraph  # noqa: PLC0415 - loaded on first use, see above
    return cast(ModuleType, igraph)


@contextlib.contextmanager
def _hidden(name: str) -> Iterator[None]:
    """Importing the module ``name`` raises ImportError inside the block, unless it is loaded
    already; it stays importable afterwards."""
    hide = name not in sys.modules
    if hide:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        if hide and sys.modules.get(name, 0) is None:
            del sys.modules[name]


def _graph(igraph: ModuleType, n: int, edges: list[tuple[int, int]], weights: list[float]) -> Any:
    """igraph's graph of ``n`` nodes and weighted ``edges``. igraph's constructor imports numpy
    (~0.1 s) only to ask whether the edges are a numpy array; these are lists, so numpy stays
    hidden while it runs."""
    with _hidden("numpy"):
        return igraph.Graph(n=n, edges=edges, edge_attrs={"weight": weights})


def leiden(
    level: Level,
    resolution: float,
    seed: int,
    nodes: Sequence[int] | None = None,
    initial: Sequence[int] | None = None,
) -> list[int]:
    """A community label for each of ``nodes`` (default: every node of ``level``), by Leiden's
    modularity at ``resolution`` on the graph they induce (self-loops kept), starting from the
    ``initial`` labels when given. Labels are renumbered by first appearance."""
    igraph = _igraph()
    whole = nodes is None
    chosen = list(range(len(level))) if whole else list(nodes or ())
    if not chosen:
        return []
    graph: Any = (
        level.igraph if whole and level.igraph is not None else _induced(igraph, level, chosen)
    )
    if whole:
        level.igraph = graph  # the same graph is clustered from many starts
    membership = _membership(igraph, graph, resolution, seed, initial)
    renumber: dict[int, int] = {}
    return [renumber.setdefault(m, len(renumber)) for m in membership]


def _membership(
    igraph: ModuleType,
    graph: Any,
    resolution: float,
    seed: int,
    initial: Sequence[int] | None = None,
) -> list[int]:
    """igraph's Leiden (modularity at ``resolution``, ``weight`` edges) on ``graph``, seeded."""
    igraph.set_random_number_generator(random.Random(seed))
    try:
        options: dict[str, object] = {
            "objective_function": "modularity",
            "weights": "weight",
            "resolution": resolution,
            # Bounded: from some initial memberships Leiden can alternate between two
            # partitions forever when asked to run until nothing changes. Five iterations
            # agree with the truths of the quality benchmark's dev split as ten did (generated
            # 0.901 / 0.856 against 0.899 / 0.856, corpora 0.676 / 0.723 against 0.670 /
            # 0.723), in half of Leiden's time.
            "n_iterations": 5,
        }
        if initial is not None:
            options["initial_membership"] = list(initial)
        return list(graph.community_leiden(**options).membership)
    finally:
        igraph.set_random_number_generator(random)


def _induced(igraph: ModuleType, level: Level, chosen: Sequence[int]) -> object:
    """The igraph graph ``chosen`` induce in ``level`` (self-loops kept)."""
    index = {j: i for i, j in enumerate(chosen)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for i, j in enumerate(chosen):
        if level.loop[j] > 0:
            edges.append((i, i))
            weights.append(level.loop[j])
        for k, w in level.adj[j].items():
            other = index.get(k)
            if other is not None and other > i:
                edges.append((i, other))
                weights.append(w)
    return _graph(igraph, len(chosen), edges, weights)


def leiden_parts(graph: nx.Graph, seed: int, resolution: float = 1.0) -> list[frozenset[str]]:
    """Leiden's communities of a networkx graph (``weight`` edge attribute, modularity at
    ``resolution``), in a fixed order: nodes are numbered in sorted order, parts are listed
    by their smallest member."""
    igraph = _igraph()
    names = sorted(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    edges = sorted((min(index[a], index[b]), max(index[a], index[b])) for a, b in graph.edges)
    weights = [float(graph[names[a]][names[b]].get("weight", 1.0)) for a, b in edges]
    built = _graph(igraph, len(names), edges, weights)
    membership = _membership(igraph, built, resolution, seed)
    parts: dict[int, set[str]] = {}
    for name, part in zip(names, membership, strict=True):
        parts.setdefault(part, set()).add(name)
    return sorted((frozenset(p) for p in parts.values()), key=min)
