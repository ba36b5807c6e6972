"""Table and foreign-key rules on hand-made ``data`` couplings (mode read/write/fk).

These do not depend on the data collectors: they pin down what the rules do with data
couplings, whichever stage produces them.
"""

from __future__ import annotations

from analyzer.check.rules import find_violations
from analyzer.model.boundaries import Boundaries, Boundary
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts

BOUNDARIES = Boundaries(
    (
        Boundary("orders", ("shop.orders",), tables=("orders_*",)),
        Boundary("inventory", ("shop.inventory",), tables=("inventory_stockrecord",)),
        Boundary("catalog", ("shop.catalog",)),
    ),
    rules=(("foreign_key", "warn"),),
)
FILES = [
    FileFacts(f"shop/{m}/services.py", f"shop.{m}.services", False, 1, 1)
    for m in ("orders", "inventory", "catalog")
]


def data(source: str, table: str, mode: str, line: int = 5) -> Coupling:
    path = source.split(":", 1)[0].replace(".", "/") + ".py"
    return Coupling(source, f"table::{table}", "data", path, line, table, mode=mode)


def test_writing_a_table_another_service_owns_is_a_violation() -> None:
    couplings = [
        data("shop.orders.services:_deduct_stock", "inventory_stockrecord", "write", 67),
        data("shop.orders.services:_deduct_stock", "inventory_stockrecord", "read", 59),
        data("shop.inventory.services:commit", "inventory_stockrecord", "write"),
        data("shop.orders.services:place", "orders_order", "write"),
    ]
    found = find_violations(FILES, couplings, BOUNDARIES)
    assert [(v.rule, v.pair, v.line) for v in found] == [
        ("foreign_table_write", "orders -> inventory", 67)
    ]
    assert found[0].severity == "error"
    assert found[0].hint.startswith("move this write behind inventory")


def test_a_table_without_owner_written_by_two_services_is_a_shared_write() -> None:
    couplings = [
        data("shop.orders.services:a", "audit_log", "write", 3),
        data("shop.catalog.services:b", "audit_log", "write", 8),
        data("shop.catalog.services:c", "search_cache", "write"),
        data("shop.orders.services:d", "search_cache", "read"),
    ]
    found = find_violations(FILES, couplings, BOUNDARIES)
    assert [(v.rule, v.pair, v.key) for v in found] == [
        ("shared_write", "catalog, orders", "shared_write audit_log")
    ]
    assert found[0].path == "shop/orders/services.py"


def test_a_foreign_key_to_another_services_model_is_reported_with_its_severity() -> None:
    fk = Coupling(
        "shop.orders.services:Order",
        "shop.catalog.services:Product",
        "data",
        "shop/orders/services.py",
        12,
        "product",
        mode="fk",
    )
    own = Coupling(
        "shop.orders.services:Line", "table::orders_order", "data", "x.py", 1, "", mode="fk"
    )
    found = find_violations(FILES, [fk, own], BOUNDARIES)
    assert [(v.rule, v.severity, v.pair) for v in found] == [
        ("foreign_key", "warn", "orders -> catalog")
    ]


def test_data_couplings_are_not_dependencies() -> None:
    couplings = [data("shop.catalog.services:x", "orders_order", "read")]
    assert find_violations(FILES, couplings, BOUNDARIES) == []
