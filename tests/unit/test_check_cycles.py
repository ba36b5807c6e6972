"""Cycles between services are found as networkx finds them (networkx is the reference here)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.check.cycles import loop_through, tied_groups

NAMES = st.sampled_from(["accounts", "billing", "catalog", "orders", "payments", "shipping"])
EDGES = st.lists(st.tuples(NAMES, NAMES).filter(lambda e: e[0] != e[1]), max_size=20)


def reference(edges: list[tuple[str, str]]) -> list[tuple[list[str], list[str]]]:
    graph = nx.DiGraph()
    graph.add_edges_from(sorted(set(edges)))
    groups = sorted(sorted(g) for g in nx.strongly_connected_components(graph) if len(g) > 1)
    return [
        (group, [u for u, _ in nx.find_cycle(graph.subgraph(group), source=group[0])])
        for group in groups
    ]


@settings(max_examples=300, deadline=None)
@given(EDGES)
def test_groups_and_loops_are_those_networkx_finds(edges: list[tuple[str, str]]) -> None:
    ours = [(group, loop_through(edges, group, group[0])) for group in tied_groups(edges)]
    assert ours == reference(edges)


def test_a_loop_starts_where_it_closes() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "b"), ("c", "z"), ("z", "a")]
    assert tied_groups(edges) == [["a", "b", "c", "z"]]
    assert loop_through(edges, ["a", "b", "c", "z"], "a") == ["b", "c"]
    assert tied_groups([("a", "b")]) == []
