"""Data purity (docs/metrics.md), from the services reading and writing each table: shared by
the published metrics and by `seams check`, which computes it without building the graph (and
without importing networkx)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping


def data_purity(
    access: Mapping[str, Mapping[str, set[str]]], assignment: Mapping[str, str], k: int
) -> float | None:
    """1 − the mean, over tables, of the entropy of the services touching them (readers and
    writers, ``access[table]["read"|"write"]``) normalised by log2 of the ``k`` services."""
    if not access:
        return None
    if k <= 1:
        return 1.0
    impurity = 0.0
    for table in sorted(access):
        units = access[table]["read"] | access[table]["write"]
        labels = Counter(assignment[u] for u in units)
        n = sum(labels.values())
        entropy = -sum((labels[s] / n) * math.log2(labels[s] / n) for s in sorted(labels))
        impurity += entropy / math.log2(k)
    return 1 - impurity / len(access)
