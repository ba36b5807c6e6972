from __future__ import annotations

import itertools

import networkx as nx

from analyzer.design.cluster.engine import cluster
from analyzer.design.cluster.steering import contract, expand, make_plan, matches
from analyzer.model.steering import Steering


def test_patterns_match_modules_with_their_symbols_or_symbols_only() -> None:
    assert matches("shop.orders.api", "shop.orders.*")
    assert matches("shop.orders.api:place", "shop.orders.*")
    assert matches("shop.models:OrderLine", "shop.models:Order*")
    assert not matches("shop.models:Invoice", "shop.models:Order*")
    assert not matches("table::orders", "*")


def test_plan_contract_and_expand_round_trip() -> None:
    nodes = ["a.x", "a.y", "b.z", "c.w"]
    plan = make_plan(nodes, Steering(pin=(("alpha", ("a.*",)),), together=(("b.z", "c.w"),)))
    graph = nx.Graph()
    graph.add_nodes_from(nodes, loc=10)
    graph.add_edge("a.x", "b.z", weight=2.0)
    graph.add_edge("a.y", "c.w", weight=1.0)
    small = contract(graph, plan)
    assert sorted(small.nodes) == ["steer:pin:alpha", "steer:together:0"]
    assert small["steer:pin:alpha"]["steer:together:0"]["weight"] == 3.0
    assert small.nodes["steer:pin:alpha"]["loc"] == 20
    assert expand([frozenset(small.nodes)], plan) == [frozenset(nodes)]


def test_apart_groups_are_split_and_never_merged_back() -> None:
    graph = nx.Graph()
    members = [f"m{i}" for i in range(8)]
    graph.add_nodes_from(members, loc=10)
    graph.add_edges_from(itertools.combinations(members, 2), weight=1.0)
    apart = [frozenset({"m0", "m7"})]
    parts = cluster(graph, None, 0, apart=apart).communities
    assert len(parts) == 2
    assert not any({"m0", "m7"} <= p for p in parts)
    assert (
        len(cluster(graph, 1, 0, apart=apart).communities) == 2
    )  # cannot honour 1 service and the apart group


def test_differently_named_pins_are_kept_apart() -> None:
    plan = make_plan(["a.x", "b.y"], Steering(pin=(("one", ("a.*",)), ("two", ("b.*",)))))
    assert plan.apart == (frozenset({"steer:pin:one", "steer:pin:two"}),)
