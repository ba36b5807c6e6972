"""Ownership after clustering: owners, writers, readers, conflicts, keys across services."""

from __future__ import annotations

from analyzer.design.data.catalog import DataCatalog, ForeignKey, TableAccess, TableInfo
from analyzer.design.data.ownership import assign_ownership

TABLES = (
    TableInfo("stock", "model", ("inv.models:Stock",), "inv.models:Stock", "inv/models.py", 3),
    TableInfo("orders", "model", ("ord.models:Order",), "ord.models:Order", "ord/models.py", 5),
    TableInfo("rates", "model", ("inv.models:Rate",), "inv.models:Rate", "inv/models.py", 9),
    TableInfo("legacy", "sql", (), "", "rep/sql.py", 2),
)
ACCESSES = (
    TableAccess("stock", "inv.services:reserve", "write", "inv/services.py", 10),
    TableAccess("stock", "inv.services:release", "write", "inv/services.py", 20),
    TableAccess("stock", "ord.services:deduct", "write", "ord/services.py", 67),
    TableAccess("stock", "ord.services:deduct", "read", "ord/services.py", 59),
    TableAccess("orders", "ord.services:place", "write", "ord/services.py", 30),
    TableAccess("orders", "rep.views:dashboard", "read", "rep/views.py", 12),
    TableAccess("rates", "rep.views:dashboard", "read", "rep/views.py", 14),
    TableAccess("legacy", "rep.sql", "read", "rep/sql.py", 2, raw_sql=True),
)
KEYS = (
    ForeignKey("ord.models:Order", "inv.models:Stock", "stock", "fk", "ord/models.py", 7),
    ForeignKey("inv.models:Stock", "inv.models:Rate", "rate", "fk", "inv/models.py", 5),
)
CATALOG = DataCatalog((), TABLES, ACCESSES, KEYS)
INVENTORY = frozenset(
    {"inv.models:Stock", "inv.models:Rate", "inv.services:reserve", "inv.services:release"}
)
ORDERS = frozenset({"ord.models:Order", "ord.services:place", "ord.services:deduct"})
REPORTS = frozenset({"rep.views:dashboard", "rep.sql", "table::stock", "table::orders"})
IDENTITY = {n: n for c in (INVENTORY, ORDERS, REPORTS) for n in c if not n.startswith("table::")}


def test_owner_is_the_writer_with_most_write_sites_and_conflicts_list_foreign_writes() -> None:
    ownership = assign_ownership(CATALOG, IDENTITY, [INVENTORY, ORDERS, REPORTS])
    by_name = {t.table: t for t in ownership.tables}
    stock = by_name["stock"]
    assert (stock.owner, stock.writers, stock.readers) == (0, (0, 1), (1,))
    assert stock.conflict
    assert [(s.path, s.line, s.service, s.symbol) for s in stock.foreign_writes()] == [
        ("ord/services.py", 67, 1, "ord.services:deduct")
    ]
    assert [t.table for t in ownership.conflicts()] == ["stock"]
    orders = by_name["orders"]
    assert (orders.owner, orders.writers, orders.readers) == (1, (1,), (2,))


def test_unwritten_tables_belong_to_their_model_and_raw_sql_tables_to_nobody() -> None:
    ownership = assign_ownership(CATALOG, IDENTITY, [INVENTORY, ORDERS, REPORTS])
    by_name = {t.table: t for t in ownership.tables}
    assert (by_name["rates"].owner, by_name["rates"].writers) == (0, ())
    assert (by_name["legacy"].owner, by_name["legacy"].readers) == (None, (2,))
    assert ownership.owned() == [["stock", "rates"], ["orders"], []]


def test_table_nodes_move_to_their_owner_and_keys_across_services_are_reported() -> None:
    ownership = assign_ownership(CATALOG, IDENTITY, [INVENTORY, ORDERS, REPORTS])
    assert "table::stock" in ownership.clusters[0]
    assert "table::orders" in ownership.clusters[1]
    assert not any(n.startswith("table::") for n in ownership.clusters[2])
    assert [(k.key.field, k.source_service, k.target_service) for k in ownership.foreign_keys] == [
        ("stock", 1, 0)
    ]


def test_ties_go_to_the_service_of_the_model() -> None:
    accesses = (
        TableAccess("orders", "inv.services:reserve", "write", "inv/services.py", 40),
        TableAccess("orders", "ord.services:place", "write", "ord/services.py", 30),
    )
    catalog = DataCatalog((), TABLES[1:2], accesses)
    (orders,) = assign_ownership(catalog, IDENTITY, [INVENTORY, ORDERS]).tables
    assert (orders.owner, orders.writers) == (1, (0, 1))


def test_a_cluster_of_table_nodes_alone_is_dropped_and_the_rest_renumbered() -> None:
    tables_only = frozenset({"table::stock", "table::orders"})
    reports = frozenset({"rep.views:dashboard", "rep.sql"})
    ownership = assign_ownership(CATALOG, IDENTITY, [tables_only, INVENTORY, ORDERS, reports])
    assert len(ownership.clusters) == 3
    by_name = {t.table: t for t in ownership.tables}
    assert (by_name["stock"].owner, by_name["stock"].writers) == (0, (0, 1))
    assert by_name["legacy"].readers == (2,)
    assert [(k.source_service, k.target_service) for k in ownership.foreign_keys] == [(1, 0)]
