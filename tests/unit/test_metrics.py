from __future__ import annotations

import math

import pytest

from analyzer.design.evaluate.metrics import evaluate, ratchet_metrics
from analyzer.design.signals.graph import GraphNode, build_graph
from analyzer.model.coupling import Coupling
from analyzer.model.options import Weights


def graph(counts_only: bool = False):  # type: ignore[no-untyped-def]
    """a1-a2 (calls x3), b1-b2 (call), a2->b1 (calls x2), a1 writes t, b1 reads t, b2 writes t."""
    nodes = [
        GraphNode(n, "function", n.split(":")[0], loc)
        for n, loc in [("a:a1", 100), ("a:a2", 100), ("b:b1", 50), ("b:b2", 50)]
    ]
    c = [
        Coupling("a:a1", "a:a2", "call", "a.py", 1, "a:a2", count=3),
        Coupling("b:b1", "b:b2", "call", "b.py", 1, "b:b2"),
        Coupling("a:a2", "b:b1", "call", "a.py", 2, "b:b1", count=2),
        Coupling("a:a1", "table::t", "data", "a.py", 3, "t", mode="write"),
        Coupling("b:b1", "table::t", "data", "b.py", 3, "t", mode="read"),
        Coupling("b:b2", "table::t", "data", "b.py", 4, "t", mode="write"),
    ]
    return build_graph(nodes, c, "symbol", Weights(), counts_only=counts_only)


ASSIGN = {"a:a1": "A", "a:a2": "A", "b:b1": "B", "b:b2": "B"}


def test_metrics_by_their_published_definitions() -> None:
    m = evaluate(graph(), ASSIGN)
    # ICP: crossing call edge a2->b1 has count 2; the others 3 and 1.
    assert m["icp"] == pytest.approx(
        (math.log(2) + 1) / ((math.log(3) + 1) + 1 + (math.log(2) + 1)), abs=1e-6
    )
    # SM: K=2, mu_A=mu_B=1, N=2 each, sigma_AB=1: (1/4+1/4)/2 - (2/2)*(1/(2*2*2)) = 0.125
    assert m["sm"] == pytest.approx(0.125)
    # IFN: B publishes one symbol (b1) to A; A publishes none -> 1/2
    assert m["ifn"] == pytest.approx(0.5)
    # Data purity: t touched by a1 (A), b1 (B), b2 (B): H = H(1/3, 2/3) = 0.9183; K=2 -> 1 - 0.9183
    assert m["data_purity"] == pytest.approx(1 - 0.918296, abs=1e-5)
    assert m["shared_write_tables"] == 1
    assert m["cross_service_edges"] == 1
    assert m["services"] == 2
    # NED: sizes 200 and 100, mean 150: both within [37.5, 600] -> 0
    assert m["ned"] == 0.0


def test_ratchet_metrics_match_evaluate_on_a_counts_only_graph() -> None:
    full = evaluate(graph(), ASSIGN, ["b:b2"])
    lean = ratchet_metrics(graph(counts_only=True), ASSIGN, ["b:b2"])
    assert lean == {"icp": full["icp"], "data_purity": full["data_purity"]}
    assert lean["icp"] is not None and 0 < lean["icp"] < 1
    edges = {(e.source, e.target): e.counts for e in graph(counts_only=True).edges}
    assert edges == {(e.source, e.target): e.counts for e in graph().edges}
    assert all(e.weight == 0 and not e.examples for e in graph(counts_only=True).edges)


def test_one_service_has_pure_data_and_no_crossings() -> None:
    m = evaluate(graph(), dict.fromkeys(ASSIGN, "all"))
    assert m["icp"] == 0.0
    assert m["data_purity"] == 1.0
    assert m["shared_write_tables"] == 0
    assert m["sm"] == pytest.approx(3 / 16)


def test_excluded_nodes_are_left_out() -> None:
    m = evaluate(graph(), ASSIGN, exclude={"b:b2"})
    assert m["shared_write_tables"] == 0
    assert m["services"] == 2


def test_fused_weight_is_logarithmic_per_kind() -> None:
    g = graph()
    edge = next(e for e in g.edges if (e.source, e.target) == ("a:a1", "a:a2"))
    assert edge.weight == pytest.approx(1 + math.log(3))
