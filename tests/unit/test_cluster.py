from __future__ import annotations

import itertools

import networkx as nx
import pytest

from analyzer.design.cluster.engine import _keep_with_file, _read_sides, cluster, index_graph
from analyzer.design.cluster.steering import Plan, contract


def cliques(*groups: list[str], bridge: float = 0.2, loc: int = 100) -> nx.Graph:
    graph = nx.Graph()
    for group in groups:
        for node in group:
            graph.add_node(node, loc=loc)
        for a, b in itertools.combinations(group, 2):
            graph.add_edge(a, b, weight=1.0)
    for left, right in itertools.pairwise(groups):
        graph.add_edge(left[0], right[0], weight=bridge)
    return graph


ORDERS = [f"orders.m{i}" for i in range(5)]
PAYMENTS = [f"payments.m{i}" for i in range(5)]
SHIPPING = [f"shipping.m{i}" for i in range(5)]


def as_sets(parts: list[frozenset[str]]) -> set[frozenset[str]]:
    return set(parts)


def test_automatic_count_finds_the_dense_groups() -> None:
    parts = cluster(cliques(ORDERS, PAYMENTS, SHIPPING))
    assert as_sets(parts) == {frozenset(ORDERS), frozenset(PAYMENTS), frozenset(SHIPPING)}


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_requested_count_is_hit_exactly(count: int) -> None:
    parts = cluster(cliques(ORDERS, PAYMENTS, SHIPPING), services=count)
    assert len(parts) == count
    assert set().union(*parts) == set(ORDERS + PAYMENTS + SHIPPING)


def test_merging_down_keeps_the_most_coupled_groups_together() -> None:
    graph = cliques(ORDERS, PAYMENTS, SHIPPING)
    graph.add_edge(ORDERS[1], PAYMENTS[1], weight=3.0)
    parts = cluster(graph, services=2)
    assert frozenset(ORDERS + PAYMENTS) in parts


def test_same_seed_same_partition_and_order() -> None:
    graph = cliques(ORDERS, PAYMENTS, SHIPPING, bridge=0.9)
    assert cluster(graph, seed=7) == cluster(graph, seed=7)


def test_isolated_nodes_join_their_hint_group() -> None:
    graph = cliques(ORDERS, PAYMENTS)
    graph.add_node("orders.settings", loc=5)
    graph.add_node("lonely.tool", loc=5)
    hint = {n: n.split(".")[0] for n in graph}
    parts = cluster(graph, hint=hint)
    orders = next(p for p in parts if ORDERS[0] in p)
    assert "orders.settings" in orders
    assert all(len(p) > 1 for p in parts)


def test_small_communities_fold_into_their_neighbour() -> None:
    graph = cliques(ORDERS, PAYMENTS, loc=1000)
    graph.add_node("orders.tiny_a", loc=10)
    graph.add_node("orders.tiny_b", loc=10)
    graph.add_edge("orders.tiny_a", "orders.tiny_b", weight=5.0)
    graph.add_edge("orders.tiny_a", ORDERS[2], weight=0.5)
    parts = cluster(graph)
    assert len(parts) == 2
    assert {"orders.tiny_a", "orders.tiny_b"} <= next(p for p in parts if ORDERS[0] in p)


def test_a_loose_node_whose_package_went_elsewhere_joins_the_enclosing_package() -> None:
    # shop.utils' own modules were all set aside (shared library): its __init__ has no
    # community of its own package, and must not become a service of one node.
    orders = [f"shop.orders.m{i}" for i in range(5)]
    graph = cliques(orders, PAYMENTS)
    graph.add_node("shop.utils", loc=1)
    hint = {n: n.rpartition(".")[0] if n.startswith("shop.orders") else n for n in graph}
    hint.update(dict.fromkeys(PAYMENTS, "payments"))
    parts = cluster(graph, services=2, hint=hint)
    assert "shop.utils" in next(p for p in parts if orders[0] in p)
    assert frozenset(PAYMENTS) in parts


def test_in_automatic_mode_code_without_data_joins_the_data_owner_it_serves() -> None:
    billing = [*PAYMENTS, "table::invoices"]
    client = [f"gateway.m{i}" for i in range(5)]  # a provider's client: no table of its own
    graph = cliques([*ORDERS, "table::orders"], billing, client, bridge=0.05)
    graph.add_edge(client[1], PAYMENTS[2], weight=0.6)
    parts = cluster(graph)
    assert frozenset(billing + client) in parts
    assert frozenset([*ORDERS, "table::orders"]) in parts
    # Without any table nothing is folded for lack of data.
    plain = cliques(ORDERS, PAYMENTS, client, bridge=0.05)
    plain.add_edge(client[1], PAYMENTS[2], weight=0.6)
    assert frozenset(client) in cluster(plain)


def _data_graph(reads: float) -> nx.Graph:
    """Orders' data (table, model, repository) between the cart that writes it through the
    repository and a report reading it ``reads`` times as hard."""
    graph = nx.Graph()
    cart = [f"cart.f{i}" for i in range(4)]
    report = [f"report.f{i}" for i in range(4)]
    core = ["repo.Orders", "model.Order", "table::orders"]
    for node in cart + report + core:
        graph.add_node(node, loc=50)
    for group in (cart, report):
        for a, b in itertools.combinations(group, 2):
            graph.add_edge(a, b, weight=1.0)
    graph.add_edge("repo.Orders", "table::orders", weight=3.0, owns=True)
    graph.add_edge("model.Order", "table::orders", weight=3.0, owns=True, defines=True)
    graph.add_edge("repo.Orders", "model.Order", weight=2.0)
    for f in cart:
        graph.add_edge(f, "repo.Orders", weight=0.5)
    for f in report:
        graph.add_edge(f, "model.Order", weight=reads, read=reads)
        graph.add_edge(f, "table::orders", weight=reads, read=reads)
    return graph


def test_data_and_its_writers_stay_with_the_code_that_changes_it_not_with_readers() -> None:
    graph = _data_graph(reads=0.9)
    indexed = index_graph(graph)
    assert ("repo.Orders", "table::orders") in indexed.owners
    # reads are left out of the weights merging uses; the reports' own calls stay
    kept = {frozenset((u, v)) for u, v, _ in indexed.owning}
    assert frozenset(("report.f0", "model.Order")) not in kept
    assert frozenset(("report.f0", "report.f1")) in kept
    parts = cluster(graph, services=2)
    cart = next(p for p in parts if "cart.f0" in p)
    assert {"repo.Orders", "model.Order", "table::orders"} <= cart
    assert not any(n.startswith("report") for n in cart)


def test_contract_keeps_read_shares_table_ownership_and_models() -> None:
    graph = _data_graph(reads=0.9)
    plan = Plan(units={"unit:report": frozenset({"report.f0", "report.f1"})})
    contracted = contract(graph, plan)
    assert contracted["unit:report"]["model.Order"]["read"] == pytest.approx(1.8)
    assert contracted["repo.Orders"]["table::orders"]["owns"] is True
    assert contracted["model.Order"]["table::orders"]["defines"] is True
    assert contracted["repo.Orders"]["table::orders"]["defines"] is False
    assert index_graph(contracted).definers == {"model.Order"}


def test_merging_prefers_a_firm_coupling_to_a_faint_one_from_a_loosely_knit_community() -> None:
    # The report reads everything and calls almost nothing: Newman's gain would merge it
    # first (its degree is tiny), though it is barely coupled to anything.
    report = ["report.a", "report.b", "report.c"]
    graph = cliques(ORDERS, PAYMENTS, bridge=1.5)
    for a, b in itertools.combinations(report, 2):
        graph.add_edge(a, b, weight=0.3)
    for node in report:
        graph.nodes[node]["loc"] = 100
    graph.add_edge("report.a", ORDERS[3], weight=0.02)
    assert len(cluster(graph)) == 3
    parts = cluster(graph, services=2)
    assert frozenset(ORDERS + PAYMENTS) in parts
    assert frozenset(report) in parts


def test_merging_down_keeps_a_reader_of_many_apart_and_joins_a_fragment_to_its_owner() -> None:
    # The report reads both apps' tables and calls little: by Newman's gain on owning edges
    # alone it would join payments before the export fragment joins orders.
    orders, payments = [*ORDERS, "table::orders"], [*PAYMENTS, "table::payments"]
    export = ["orders.export.a", "orders.export.b", "orders.export.c"]
    report = ["report.a", "report.b", "report.c"]
    graph = nx.Graph()
    for group, weight in ((orders, 1.0), (payments, 1.0), (export, 1.0), (report, 0.3)):
        for node in group:
            graph.add_node(node, loc=100)
        for a, b in itertools.combinations(group, 2):
            graph.add_edge(a, b, weight=weight)
    graph.add_edge(ORDERS[0], "table::orders", weight=1.0, owns=True)
    graph.add_edge(PAYMENTS[0], "table::payments", weight=1.0, owns=True)
    graph.add_edge(export[0], ORDERS[1], weight=0.6)
    graph.add_edge(export[1], ORDERS[2], weight=0.6)
    graph.add_edge(ORDERS[4], PAYMENTS[4], weight=0.4)
    for node in report:
        graph.add_edge(node, "table::orders", weight=1.0, read=0.8)
        graph.add_edge(node, "table::payments", weight=1.0, read=0.8)
    indexed = index_graph(graph)
    assert ("report.a", "table::orders", pytest.approx(0.8)) in indexed.reads
    parts = cluster(indexed, services=3)
    assert frozenset(report) in parts
    assert frozenset(orders + export) in parts


def _clique(graph: nx.Graph, nodes: list[str], loc: int = 100) -> None:
    for node in nodes:
        graph.add_node(node, loc=0 if node.startswith("table::") else loc)
    for a, b in itertools.combinations(nodes, 2):
        graph.add_edge(a, b, weight=1.0)


def test_once_shared_code_is_aside_code_without_data_joins_the_data_owner_leaning_on_it() -> None:
    # A checkout calls into orders, billing and shipping alike (no owner takes half of its
    # coupling), and it is the strongest neighbour of all three: it joins the one whose merge
    # costs the least modularity (the smallest, orders). The report is nobody's strongest
    # neighbour and stays a service of its own.
    graph = nx.Graph()
    orders = [*ORDERS[:4], "table::orders"]
    billing = [*PAYMENTS, "payments.m5", "table::invoices"]
    shipping = [*SHIPPING, "shipping.m5", "table::shipments"]
    checkout = [f"checkout.m{i}" for i in range(5)]
    report = [f"report.m{i}" for i in range(5)]
    for group in (orders, billing, shipping, checkout, report):
        _clique(graph, group)
    for i, group in enumerate((orders, billing, shipping)):
        graph.add_edge(checkout[i], group[0], weight=0.6)
        graph.add_edge(report[i], group[1], weight=0.1)
    plain = cluster(graph)
    assert frozenset(checkout) in plain
    final = cluster(graph, final=True)
    assert frozenset(orders + checkout) in final
    assert frozenset(report) in final
    assert frozenset(billing) in final
    assert frozenset(shipping) in final


def _file_graph() -> nx.Graph:
    """Billing's data (model, table, writer), reports reading it, and a catalog lookup only
    orders calls; every report function and every catalog function lives in one file."""
    graph = nx.Graph()
    billing = ["billing.models:Invoice", "billing.services:charge", "table::invoices"]
    reports = [f"reports.sales:f{i}" for i in range(3)]
    catalog = ["catalog.services:find", "catalog.services:save", "table::products"]
    orders = [f"orders.services:f{i}" for i in range(3)]
    for node in (
        *billing,
        *reports,
        *catalog,
        *orders,
        "reports.sales:rate",
        "catalog.services:get",
    ):
        graph.add_node(node, loc=20)
    for group in (billing, reports, catalog, orders):
        for a, b in itertools.combinations(group, 2):
            graph.add_edge(a, b, weight=1.0)
    graph.add_edge("billing.models:Invoice", "table::invoices", weight=3.0, owns=True, defines=True)
    graph.add_edge("billing.services:charge", "table::invoices", weight=3.0, owns=True)
    graph.add_edge("catalog.services:save", "table::products", weight=3.0, owns=True)
    # the report reads billing's model and table, and is tied to its file by cohesion only
    graph.add_edge("reports.sales:rate", "billing.models:Invoice", weight=1.2, read=1.2)
    graph.add_edge("reports.sales:rate", "table::invoices", weight=1.2, read=1.2)
    graph.add_edge("reports.sales:rate", "reports.sales:f0", weight=0.3)
    # the lookup reads the catalog's table and is called from orders only
    graph.add_edge("catalog.services:get", "table::products", weight=0.6, read=0.6)
    graph.add_edge("catalog.services:get", "catalog.services:find", weight=0.2)
    graph.add_edge("catalog.services:get", "orders.services:f0", weight=1.5)
    return graph


def _placed(parts: list[set[str]]) -> dict[str, int]:
    return {n: i for i, part in enumerate(parts) for n in part}


def test_a_symbol_touching_data_goes_back_to_its_file_when_its_code_or_data_agree() -> None:
    graph = _file_graph()
    indexed = index_graph(graph)
    assert indexed.definers == {"billing.models:Invoice"}
    billing = {"billing.models:Invoice", "billing.services:charge", "table::invoices"}
    reports = {f"reports.sales:f{i}" for i in range(3)}
    catalog = {"catalog.services:find", "catalog.services:save", "table::products"}
    orders = {f"orders.services:f{i}" for i in range(3)}
    # as clustering on all couplings would have it: each symbol with what it is tied to most
    parts = [billing | {"reports.sales:rate"}, reports, catalog, orders | {"catalog.services:get"}]
    where = _placed(_keep_with_file(indexed, [set(p) for p in parts]))
    # its code ties (reads left out) agree with the file: the report goes back to the reports
    assert where["reports.sales:rate"] == where["reports.sales:f0"]
    # its data agrees with the file: the lookup stays with the catalog; orders calls it
    assert where["catalog.services:get"] == where["catalog.services:find"]
    assert where["billing.services:charge"] == where["table::invoices"]


def test_a_model_goes_back_with_its_table_on_its_code_ties_alone() -> None:
    graph = _file_graph()
    # two models filed with the reports, each defining its own table, both placed with billing:
    # the snapshot is used by the reports' code, the ledger by billing's
    for model, table, user in (
        ("reports.sales:Snapshot", "table::snapshots", "reports.sales:f2"),
        ("reports.sales:Ledger", "table::ledger", "billing.services:charge"),
    ):
        graph.add_node(model, loc=5)
        graph.add_node(table, loc=0)
        graph.add_edge(model, table, weight=3.0, owns=True, defines=True)
        graph.add_edge(model, user, weight=1.0)
    # a helper of the reports' file touching no table, placed with billing, is not the rule's
    graph.add_node("reports.sales:fmt", loc=5)
    graph.add_edge("reports.sales:fmt", "billing.services:charge", weight=1.0)
    graph.add_edge("reports.sales:fmt", "reports.sales:f1", weight=2.0)
    indexed = index_graph(graph)
    assert indexed.defines["reports.sales:Snapshot"] == ("table::snapshots",)
    billing = {"billing.models:Invoice", "billing.services:charge", "table::invoices"}
    moved = {"reports.sales:Snapshot", "table::snapshots", "reports.sales:Ledger", "table::ledger"}
    reports = {f"reports.sales:f{i}" for i in range(3)} | {"reports.sales:rate"}
    parts = [billing | moved | {"reports.sales:fmt"}, reports]
    rest = set(graph) - parts[0] - parts[1]
    where = _placed(_keep_with_file(indexed, [set(p) for p in [*parts, rest]]))
    assert where["reports.sales:Snapshot"] == where["table::snapshots"] == where["reports.sales:f0"]
    assert where["reports.sales:Ledger"] == where["table::ledger"] == where["table::invoices"]
    assert where["reports.sales:fmt"] == where["billing.services:charge"]


def test_a_symbol_alone_in_its_community_stays_so_the_count_holds() -> None:
    indexed = index_graph(_file_graph())
    nodes = set(indexed.nodes)
    parts = [{"reports.sales:rate"}, nodes - {"reports.sales:rate"}]
    assert _keep_with_file(indexed, [set(p) for p in parts]) == parts


def test_clustering_keeps_a_report_reading_another_services_data_with_its_file() -> None:
    parts = cluster(_file_graph(), services=4, final=True)
    where = _placed([set(p) for p in parts])
    assert where["reports.sales:rate"] == where["reports.sales:f0"]
    assert where["catalog.services:get"] == where["catalog.services:find"]


def test_steered_code_is_never_moved_back_to_a_file() -> None:
    # the report pinned with billing's code by the user stays there
    plan = Plan(units={"steer:pin:billing": frozenset({"reports.sales:rate"})})
    indexed = index_graph(contract(_file_graph(), plan))
    assert indexed.steered == {"steer:pin:billing"}
    billing = {"billing.models:Invoice", "billing.services:charge", "table::invoices"}
    parts = [billing | {"steer:pin:billing"}, set(indexed.nodes) - billing - {"steer:pin:billing"}]
    assert _keep_with_file(indexed, [set(p) for p in parts]) == parts


def _report_graph(report_loc: int = 40) -> nx.Graph:
    """Orders and payments, each with its model, table and writers, and a reports file reading
    both services' data and tied to nothing else."""
    graph = nx.Graph()
    for app in ("orders", "payments"):
        code = [f"{app}.services:f{i}" for i in range(4)]
        for node in (*code, f"{app}.models:Row", f"table::{app}"):
            graph.add_node(node, loc=0 if node.startswith("table::") else 50)
        for a, b in itertools.combinations(code, 2):
            graph.add_edge(a, b, weight=1.0)
        graph.add_edge(f"{app}.models:Row", f"table::{app}", weight=3.0, owns=True, defines=True)
        graph.add_edge(code[0], f"table::{app}", weight=3.0, owns=True)
        graph.add_edge(code[0], f"{app}.models:Row", weight=2.0)
    graph.add_edge("orders.services:f1", "payments.services:f1", weight=0.3)
    for report in ("reports.views:daily", "reports.views:top"):
        graph.add_node(report, loc=report_loc)
        for app in ("orders", "payments"):
            graph.add_edge(report, f"table::{app}", weight=1.2, read=1.2)
            graph.add_edge(report, f"{app}.models:Row", weight=1.0, read=1.0)
    graph.add_edge("reports.views:daily", "reports.views:top", weight=0.5)
    return graph


def _orders_with_reports(graph: nx.Graph) -> list[set[str]]:
    payments = {n for n in graph if "payments" in n}
    return [set(graph) - payments, payments]


def test_in_automatic_mode_a_read_only_file_merged_with_its_data_becomes_a_service() -> None:
    graph = _report_graph()
    parts = _read_sides(index_graph(graph), _orders_with_reports(graph), {})
    assert {"reports.views:daily", "reports.views:top"} in parts
    assert len(parts) == 3
    # clustering in automatic mode, once the shared library is aside, ends the same way
    final = cluster(graph, final=True)
    assert frozenset({"reports.views:daily", "reports.views:top"}) in final


def test_a_file_writing_data_or_too_small_to_be_a_service_is_no_read_side() -> None:
    writing = _report_graph()
    writing.add_edge("reports.views:top", "table::orders", weight=3.0, owns=True)
    parts = _read_sides(index_graph(writing), _orders_with_reports(writing), {})
    assert len(parts) == 2
    tiny = _report_graph(report_loc=2)
    parts = _read_sides(index_graph(tiny), _orders_with_reports(tiny), {})
    assert len(parts) == 2
