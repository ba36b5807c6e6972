"""Agreement of a proposal with a reference partition: ARI, NMI and MoJoFM.

ARI and NMI follow scikit-learn's definitions (adjusted Rand index on pair counts; normalized
mutual information with the arithmetic mean of the two entropies). MoJoFM follows Wen & Tzerpos:
``(1 - mno(A, B) / max mno(any A, B)) * 100`` where ``mno`` counts the Move and Join operations that
turn the proposal A into the reference B, computed exactly (tag each cluster of A with the
reference clusters it shares most objects with; a maximum bipartite matching between clusters and
tags decides how many joins are needed).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping

import networkx as nx


def _common(proposal: Mapping[str, str], reference: Mapping[str, str]) -> list[str]:
    return sorted(set(proposal) & set(reference))


def _comb2(n: int) -> int:
    return n * (n - 1) // 2


def adjusted_rand_index(proposal: Mapping[str, str], reference: Mapping[str, str]) -> float:
    keys = _common(proposal, reference)
    n = len(keys)
    if n < 2:
        return 1.0
    pairs = Counter((proposal[k], reference[k]) for k in keys)
    rows = Counter(proposal[k] for k in keys)
    cols = Counter(reference[k] for k in keys)
    index = sum(_comb2(c) for c in pairs.values())
    sum_rows = sum(_comb2(c) for c in rows.values())
    sum_cols = sum(_comb2(c) for c in cols.values())
    expected = sum_rows * sum_cols / _comb2(n)
    maximum = (sum_rows + sum_cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def _entropy(counts: Counter[str], n: int) -> float:
    return -sum((c / n) * math.log(c / n) for c in counts.values() if c)


def normalized_mutual_information(
    proposal: Mapping[str, str], reference: Mapping[str, str]
) -> float:
    keys = _common(proposal, reference)
    n = len(keys)
    if n == 0:
        return 1.0
    rows = Counter(proposal[k] for k in keys)
    cols = Counter(reference[k] for k in keys)
    h_rows, h_cols = _entropy(rows, n), _entropy(cols, n)
    if h_rows == 0 and h_cols == 0:
        return 1.0
    pairs = Counter((proposal[k], reference[k]) for k in keys)
    mutual = sum((c / n) * math.log(n * c / (rows[a] * cols[b])) for (a, b), c in pairs.items())
    denominator = (h_rows + h_cols) / 2
    return max(0.0, mutual / denominator) if denominator else 1.0


def mojo_distance(proposal: Mapping[str, str], reference: Mapping[str, str]) -> int:
    """mno(A, B): the fewest Move and Join operations turning the proposal into the reference."""
    keys = _common(proposal, reference)
    overlap: dict[str, Counter[str]] = defaultdict(Counter)
    for k in keys:
        overlap[proposal[k]][reference[k]] += 1
    moves = 0
    graph = nx.Graph()
    clusters = sorted(overlap)
    for cluster in clusters:
        counts = overlap[cluster]
        best = max(counts.values())
        moves += sum(counts.values()) - best
        graph.add_node(("A", cluster))
        for tag in sorted(t for t, c in counts.items() if c == best):
            graph.add_edge(("A", cluster), ("B", tag))
    left = {("A", c) for c in clusters}
    matching = nx.bipartite.hopcroft_karp_matching(graph, top_nodes=left)
    groups = sum(1 for node in matching if node[0] == "A")
    return moves + len(clusters) - groups


def _max_distance(reference: Mapping[str, str], keys: list[str]) -> int:
    sizes = sorted(Counter(reference[k] for k in keys).values())
    groups = 0
    for size in sizes:
        if groups < size:
            groups += 1
    return len(keys) - groups


def mojofm(proposal: Mapping[str, str], reference: Mapping[str, str]) -> float:
    """MoJoFM in percent: 100 means the proposal is the reference."""
    keys = _common(proposal, reference)
    maximum = _max_distance(reference, keys)
    if maximum == 0:
        return 100.0
    return (1 - mojo_distance(proposal, reference) / maximum) * 100


def agreement(proposal: Mapping[str, str], reference: Mapping[str, str]) -> dict[str, float | int]:
    """ARI, NMI and MoJoFM over the items both partitions map, and how many there were."""
    return {
        "ari": round(adjusted_rand_index(proposal, reference), 6),
        "nmi": round(normalized_mutual_information(proposal, reference), 6),
        "mojofm": round(mojofm(proposal, reference), 4),
        "items": len(_common(proposal, reference)),
    }
