"""Stability: how much of each proposed service stays together when clustering is rerun.

Leiden's result depends on its seed. Rerunning it with ``RUNS`` other seeds and measuring, for
each service, the largest share of its code (lines) that one service of the rerun holds, then
averaging, says how firm each boundary is: 1.0 means every rerun kept the service whole; 0.5
means reruns cut it in half. A low figure is a boundary to look at twice, not a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

RUNS = 4

Clusterer = Callable[[int], list[frozenset[str]]]


def _held(
    service: frozenset[str], other: Sequence[frozenset[str]], loc: Mapping[str, int]
) -> float:
    total = sum(loc[n] + 1 for n in service)
    best = max((sum(loc[n] + 1 for n in service & part) for part in other), default=0)
    return best / total if total else 1.0


def reruns(rerun: Clusterer, seed: int, runs: int = RUNS) -> list[list[frozenset[str]]]:
    """The clusterings a proposal is compared with: one per seed after ``seed``."""
    return [rerun(seed + i + 1) for i in range(runs)]


def held(
    loc: Mapping[str, int],
    services: Sequence[frozenset[str]],
    partitions: Sequence[Sequence[frozenset[str]]],
) -> list[float]:
    """One figure per service, in the same order: the share of its code (``loc`` per node) that
    one part of each of ``partitions`` holds, averaged."""
    runs = len(partitions)
    return [
        round(sum(_held(service, other, loc) for other in partitions) / runs, 3) if runs else 1.0
        for service in services
    ]
