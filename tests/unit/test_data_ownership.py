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


def test_owner_is_the_service_of_the_model_and_conflicts_list_foreign_writes() -> None:
    ownership = assign_ownership(CATALOG, IDENTITY, [INVENTORY, ORDERS, REPORTS])
    by_name = {t.table: t for t in ownership.tables}
    stock = by_name["stock"]
    assert (stock.owner, stock.reason, stock.home) == (0, "model", 0)
    assert (stock.writers, stock.readers, stock.units) == ((0, 1), (1,), ((0, 2), (1, 1)))
    assert stock.conflict
    assert [(s.path, s.line, s.service, s.symbol) for s in stock.foreign_writes()] == [
        ("ord/services.py", 67, 1, "ord.services:deduct")
    ]
    assert [t.table for t in ownership.conflicts()] == ["stock"]
    orders = by_name["orders"]
    assert (orders.owner, orders.writers, orders.readers) == (1, (1,), (2,))


def _writes(table: str, *sources: str) -> tuple[TableAccess, ...]:
    """One write of ``table`` per source, each on its own line of the source's module."""
    return tuple(
        TableAccess(table, source, "write", source.split(":")[0].replace(".", "/") + ".py", i)
        for i, source in enumerate(sources, start=1)
    )


ORDER_TABLE = TABLES[1]
# Orders' model lives in ORDERS (cluster 1); INVENTORY is cluster 0, REPORTS cluster 2.
INV = ("inv.services:reserve", "inv.services:release", "inv.models:Stock", "inv.models:Rate")


def _owner_of_orders(
    accesses: tuple[TableAccess, ...], peripheral: frozenset[str] = frozenset()
) -> tuple[int | None, str, tuple[tuple[int, int], ...]]:
    catalog = DataCatalog((), (ORDER_TABLE,), accesses, peripheral=peripheral)
    (orders,) = assign_ownership(catalog, IDENTITY, [INVENTORY, ORDERS, REPORTS]).tables
    return orders.owner, orders.reason, orders.units


def test_a_service_writing_from_more_than_twice_as_many_units_takes_the_table() -> None:
    accesses = _writes("orders", "ord.services:place", *INV[:3])
    assert _owner_of_orders(accesses) == (0, "writes", ((0, 3), (1, 1)))


def test_twice_as_many_units_is_not_enough_to_take_a_table_from_its_model() -> None:
    accesses = _writes("orders", "ord.services:place", *INV[:2])
    assert _owner_of_orders(accesses) == (1, "model", ((0, 2), (1, 1)))


def test_units_are_counted_not_lines() -> None:
    many_lines = tuple(
        TableAccess("orders", "inv.services:reserve", "write", "inv/services.py", line)
        for line in range(10, 20)
    )
    accesses = (*_writes("orders", "ord.services:place"), *many_lines)
    assert _owner_of_orders(accesses) == (1, "model", ((0, 1), (1, 1)))


def test_one_foreign_writer_never_takes_a_table_whose_own_service_does_not_write_it() -> None:
    assert _owner_of_orders(_writes("orders", INV[0])) == (1, "model", ((0, 1),))
    assert _owner_of_orders(_writes("orders", *INV[:2])) == (0, "writes", ((0, 2),))


def test_peripheral_code_does_not_count_towards_an_owner() -> None:
    accesses = _writes("orders", "ord.services:place", *INV)
    # A module (every unit in it) or a single unit can be peripheral code.
    peripheral = frozenset({"inv.services", "inv.models:Stock"})
    assert _owner_of_orders(accesses, peripheral) == (1, "model", ((0, 1), (1, 1)))
    # Its writes are still writes: the table is still shared.
    catalog = DataCatalog((), (ORDER_TABLE,), accesses, peripheral=peripheral)
    (orders,) = assign_ownership(catalog, IDENTITY, [INVENTORY, ORDERS, REPORTS]).tables
    assert orders.writers == (0, 1)
    assert {s.symbol for s in orders.foreign_writes()} == set(INV)


def test_a_table_without_a_model_goes_to_the_service_writing_it_from_most_units() -> None:
    legacy = TABLES[3]
    accesses = (
        *_writes("legacy", "rep.views:dashboard", "ord.services:place", "ord.services:deduct"),
        TableAccess("legacy", "inv.services:reserve", "write", "inv/services.py", 1),
    )
    (table,) = assign_ownership(
        DataCatalog((), (legacy,), accesses), IDENTITY, [INVENTORY, ORDERS, REPORTS]
    ).tables
    assert (table.owner, table.reason, table.home) == (1, "writer", None)
    # Written by peripheral code alone, it is still somebody's.
    catalog = DataCatalog((), (legacy,), accesses[:1], peripheral=frozenset({"rep.views"}))
    (table,) = assign_ownership(catalog, IDENTITY, [INVENTORY, ORDERS, REPORTS]).tables
    assert (table.owner, table.reason, table.units) == (2, "writer", ())


def test_unwritten_tables_belong_to_their_model_and_raw_sql_tables_to_nobody() -> None:
    ownership = assign_ownership(CATALOG, IDENTITY, [INVENTORY, ORDERS, REPORTS])
    by_name = {t.table: t for t in ownership.tables}
    assert (by_name["rates"].owner, by_name["rates"].writers) == (0, ())
    assert (by_name["legacy"].owner, by_name["legacy"].readers) == (None, (2,))
    assert by_name["legacy"].reason == "none"
    assert ownership.owned() == [["stock", "rates"], ["orders"], []]


def test_table_nodes_move_to_their_owner_and_keys_across_services_are_reported() -> None:
    ownership = assign_ownership(CATALOG, IDENTITY, [INVENTORY, ORDERS, REPORTS])
    assert "table::stock" in ownership.clusters[0]
    assert "table::orders" in ownership.clusters[1]
    assert not any(n.startswith("table::") for n in ownership.clusters[2])
    assert [(k.key.field, k.source_service, k.target_service) for k in ownership.foreign_keys] == [
        ("stock", 1, 0)
    ]


def test_an_even_split_stays_with_the_service_of_the_model() -> None:
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
