"""Stability: how much of each proposed service stays together when clustering is rerun.

Louvain's result depends on its seed. Rerunning it with ``RUNS`` other seeds and measuring, for
each service, the largest share of its code (lines) that one service of the rerun holds, then
averaging, says how firm each boundary is: 1.0 means every rerun kept the service whole; 0.5
means reruns cut it in half. A low figure is a boundary to look at twice, not a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import networkx as nx

RUNS = 4

Clusterer = Callable[[int], list[frozenset[str]]]


def _held(service: frozenset[str], other: Sequence[frozenset[str]], loc: dict[str, int]) -> float:
    total = sum(loc[n] + 1 for n in service)
    best = max((sum(loc[n] + 1 for n in service & part) for part in other), default=0)
    return best / total if total else 1.0


def stability(
    graph: nx.Graph,
    services: Sequence[frozenset[str]],
    rerun: Clusterer,
    seed: int,
    runs: int = RUNS,
) -> list[float]:
    """One figure per service, in the same order; ``rerun(seed)`` clusters again with that seed."""
    return held(graph, services, reruns(rerun, seed, runs)) if services else []


def reruns(rerun: Clusterer, seed: int, runs: int = RUNS) -> list[list[frozenset[str]]]:
    """The clusterings ``stability`` compares with: one per seed after ``seed``."""
    return [rerun(seed + i + 1) for i in range(runs)]


def held(
    graph: nx.Graph,
    services: Sequence[frozenset[str]],
    partitions: Sequence[Sequence[frozenset[str]]],
) -> list[float]:
    """Each service's average share held together by one part of each of ``partitions``."""
    loc = {n: int(graph.nodes[n].get("loc", 0)) for n in graph}
    runs = len(partitions)
    return [
        round(sum(_held(service, other, loc) for other in partitions) / runs, 3) if runs else 1.0
        for service in services
    ]
