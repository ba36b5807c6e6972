from __future__ import annotations

import itertools

import networkx as nx
import pytest

from analyzer.design.cluster.engine import cluster
from analyzer.design.cluster.objective import State
from analyzer.design.cluster.work import build_work
from analyzer.model.engine import DEFAULT_PARAMS


def capability(name: str, modules: int = 4, symbols: int = 5, loc: int = 40) -> list[str]:
    """The symbols of one capability package: each module's symbols call each other and the
    next module's (services -> repository -> model)."""
    return [f"shop.{name}.m{m}:f{s}" for m in range(modules) for s in range(symbols)]


def monolith(*groups: list[str], bridge: float = 0.3, loc: int = 40) -> nx.Graph:
    graph = nx.Graph()
    for group in groups:
        modules = sorted({n.split(":")[0] for n in group})
        for module in modules:
            graph.add_node(module, loc=5)
        for node in group:
            graph.add_node(node, loc=loc)
        for (i, a), (j, b) in itertools.combinations(enumerate(group), 2):
            if a.split(":")[0] == b.split(":")[0] or (i + j) % 3 == 0:
                graph.add_edge(a, b, weight=1.0)
        for node in group:
            graph.add_edge(node, node.split(":")[0], weight=0.5)
    for left, right in itertools.pairwise(groups):
        graph.add_edge(left[0], right[0], weight=bridge)
    return graph


def hint_of(graph: nx.Graph) -> dict[str, str]:
    return {n: ".".join(n.split(":")[0].split(".")[:2]) for n in graph}


ORDERS, BILLING, CATALOG = capability("orders"), capability("billing"), capability("catalog")


def parts_of(result: object) -> list[set[str]]:
    return [set(c) for c in result.communities]  # type: ignore[attr-defined]


def holding(parts: list[set[str]], node: str) -> set[str]:
    return next(p for p in parts if node in p)


def test_automatic_mode_finds_the_capabilities() -> None:
    graph = monolith(ORDERS, BILLING, CATALOG)
    parts = parts_of(cluster(graph, hint=hint_of(graph)))
    assert len(parts) == 3
    for group in (ORDERS, BILLING, CATALOG):
        assert set(group) <= holding(parts, group[0])


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_the_requested_count_is_hit_exactly(count: int) -> None:
    graph = monolith(ORDERS, BILLING, CATALOG)
    parts = parts_of(cluster(graph, services=count, hint=hint_of(graph)))
    assert len(parts) == count
    assert set().union(*parts) == set(graph)


def test_same_seed_same_communities_in_the_same_order() -> None:
    graph = monolith(ORDERS, BILLING, CATALOG, bridge=2.0)
    assert cluster(graph, seed=7).communities == cluster(graph, seed=7).communities


def test_parts_of_the_graph_with_no_edge_between_them_never_share_a_service() -> None:
    graph = monolith(ORDERS, BILLING, CATALOG)
    graph.remove_edges_from([(ORDERS[0], BILLING[0]), (BILLING[0], CATALOG[0])])
    for services in (None, 3):
        parts = parts_of(cluster(graph, services=services, hint=hint_of(graph)))
        for a, b in itertools.combinations((ORDERS, BILLING, CATALOG), 2):
            assert holding(parts, a[0]) != holding(parts, b[0])


def test_loose_code_joins_its_package_and_is_never_a_service_of_its_own() -> None:
    graph = monolith(ORDERS, BILLING, CATALOG)
    graph.add_node("shop.orders.constants", loc=3)  # coupled to nothing
    graph.add_node("shop.billing.m0:unused_helper", loc=12)
    for services in (None, 3):
        parts = parts_of(cluster(graph, services=services, hint=hint_of(graph)))
        assert "shop.orders.constants" in holding(parts, ORDERS[0])
        assert "shop.billing.m0:unused_helper" in holding(parts, BILLING[0])


def test_no_service_below_one_percent_of_the_code_unless_disconnected() -> None:
    graph = monolith(ORDERS, BILLING, CATALOG, loc=200)
    # a two-symbol fragment barely tied to orders: too small to be a service
    graph.add_node("shop.orders.m9:a", loc=5)
    graph.add_node("shop.orders.m9:b", loc=5)
    graph.add_edge("shop.orders.m9:a", "shop.orders.m9:b", weight=5.0)
    graph.add_edge("shop.orders.m9:a", ORDERS[3], weight=0.2)
    total = sum(d["loc"] for _, d in graph.nodes(data=True))
    for services in (None, 3, 4):
        result = cluster(graph, services=services, hint=hint_of(graph))
        for part in result.communities:
            assert sum(graph.nodes[n]["loc"] for n in part) >= 0.01 * total


def test_more_services_than_the_code_has_splits_a_large_one_rather_than_padding() -> None:
    big = capability("catalog", modules=8)
    graph = monolith(ORDERS, BILLING, big)
    total = sum(d["loc"] for _, d in graph.nodes(data=True))
    parts = parts_of(cluster(graph, services=4, hint=hint_of(graph)))
    assert len(parts) == 4
    # every part at least the smallest service worth deploying (and 1% of the code)
    floor = DEFAULT_PARAMS.min_service_lines(total)
    assert floor >= 0.01 * total
    assert all(sum(graph.nodes[n]["loc"] for n in p) >= floor for p in parts)


def test_a_file_holding_two_capabilities_is_cut_between_them() -> None:
    graph = monolith(ORDERS, BILLING)
    # a layered helpers module: one function of each capability, each used by its own
    graph.add_node("shop.helpers", loc=2)
    for name, group in (("orders_total", ORDERS), ("invoice_total", BILLING)):
        node = f"shop.helpers:{name}"
        graph.add_node(node, loc=30)
        graph.add_edge(node, "shop.helpers", weight=0.1)
        for user in group[:6]:
            graph.add_edge(node, user, weight=1.0)
    parts = parts_of(cluster(graph, hint=hint_of(graph)))
    assert "shop.helpers:orders_total" in holding(parts, ORDERS[0])
    assert "shop.helpers:invoice_total" in holding(parts, BILLING[0])


def test_the_proposal_is_never_worse_than_todays_layout_on_the_objective() -> None:
    graph = monolith(ORDERS, BILLING, CATALOG, bridge=3.0)
    hint = hint_of(graph)
    result = cluster(graph, hint=hint)
    work = build_work(graph, DEFAULT_PARAMS, hint)
    label = {n: i for i, part in enumerate(result.communities) for n in part}
    units = {u: i for i, u in enumerate(sorted(set(hint.values())))}
    proposed = State(work, work.base, [label[n] for n in work.ids], DEFAULT_PARAMS)
    layout = State(work, work.base, [units[hint[n]] for n in work.ids], DEFAULT_PARAMS)
    assert proposed.value() >= layout.value()
    assert result.start  # which start won is said


def test_a_table_goes_with_the_code_writing_it() -> None:
    graph = monolith(ORDERS, BILLING)
    graph.add_node("table::orders_order", loc=0)
    graph.add_edge(ORDERS[2], "table::orders_order", weight=4.0, owns=True, defines=True)
    graph.add_edge(ORDERS[5], "table::orders_order", weight=4.0, owns=True)
    graph.add_edge(BILLING[1], "table::orders_order", weight=0.6, read=0.6)
    parts = parts_of(cluster(graph, hint=hint_of(graph)))
    assert "table::orders_order" in holding(parts, ORDERS[0])


def test_apart_steering_keeps_units_in_different_services() -> None:
    graph = monolith(ORDERS, BILLING, bridge=5.0)
    apart = (frozenset({ORDERS[0], BILLING[0]}),)
    for services in (None, 1, 2):
        result = cluster(graph, services=services, hint=hint_of(graph), apart=apart)
        parts = parts_of(result)
        if services != 1:
            assert holding(parts, ORDERS[0]) != holding(parts, BILLING[0])


def test_every_node_has_a_placement_and_moves_say_why() -> None:
    graph = monolith(ORDERS, BILLING, CATALOG)
    result = cluster(graph, services=2, hint=hint_of(graph))
    assert set(result.placements) == set(graph)
    own = result.placements[ORDERS[0]]
    assert own.community == next(i for i, c in enumerate(result.communities) if ORDERS[0] in c)
    assert all(m.reason and m.step for m in result.moves)
    assert any(m.step.startswith("fit") for m in result.moves)


@pytest.mark.parametrize("services", [None, 2, 4])
def test_refining_half_the_starts_in_a_forked_process_changes_nothing(services: int | None) -> None:
    graph = monolith(ORDERS, BILLING, CATALOG, bridge=2.0)
    hint = hint_of(graph)
    here = cluster(graph, services, seed=3, hint=hint)
    forked = cluster(graph, services, seed=3, hint=hint, parallel=True)
    assert forked == here
    assert len(here.starts) > 2  # there were starts to share out


def test_a_named_start_is_the_only_one_tried_at_either_level() -> None:
    graph = monolith(ORDERS, BILLING, CATALOG, bridge=2.0)
    hint = hint_of(graph)
    every = [name for name, _ in cluster(graph, hint=hint).starts]
    symbols = next(name for name in every if name.startswith("Leiden on symbols"))
    for name in ("today's layout", symbols):
        again = cluster(graph, seed=5, hint=hint, only=(name,))
        assert [n for n, _ in again.starts] == [name]
        assert again.start == name
    # a name no start has: every start is tried
    assert len(cluster(graph, hint=hint, only=("no such start",)).starts) == len(every)
