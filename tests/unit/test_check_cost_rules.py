"""The transaction and join rules of `seams check`, on the inline shop of the cost tests."""

from __future__ import annotations

import pytest

from analyzer.check.rules import find_violations
from analyzer.design.cost.flows import Flows
from analyzer.model.boundaries import Boundaries, Boundary
from tests.helpers import files_of, flows_of
from tests.unit.test_cost import SHOP


@pytest.fixture(scope="module")
def flows() -> Flows:
    return flows_of(SHOP)


def boundaries(tables: bool) -> Boundaries:
    return Boundaries(
        tuple(
            Boundary(name, (f"shop.{name}",), tables=(f"{name}_*",) if tables else ())
            for name in ("orders", "catalog", "payments", "customers", "notifications")
        )
    )


@pytest.mark.parametrize("declared", [True, False], ids=["declared tables", "model's service"])
def test_a_transaction_and_a_join_across_declared_services_are_violations(
    flows: Flows, declared: bool
) -> None:
    found = find_violations(files_of(SHOP), [], boundaries(declared), flows)
    cost = [v for v in found if v.rule in ("distributed_transaction", "cross_service_join")]
    assert [(v.rule, v.pair, v.location, v.severity) for v in cost] == [
        ("distributed_transaction", "orders -> payments", "shop/orders/services.py:15", "error"),
        ("cross_service_join", "orders -> catalog", "shop/orders/services.py:24", "error"),
    ]
    saga, join = cost
    assert saga.key == "distributed_transaction shop.orders.services:place orders+payments"
    assert saga.message == (
        "one transaction in shop.orders.services.place writes tables of orders, payments "
        "(orders: orders_order, orders_orderline; payments: payments_payment); the boundaries "
        "split it into a distributed transaction (rule distributed_transaction)"
    )
    assert join.message == (
        "shop.orders.services.lines joins orders_orderline, which the boundaries place in "
        "orders, with catalog_product, which they place in catalog [related] "
        "(rule cross_service_join)"
    )
    assert join.key == (
        "cross_service_join shop.orders.services:lines orders_orderline -> catalog_product"
    )


def test_no_violation_when_one_service_holds_the_tables_written_together(flows: Flows) -> None:
    merged = Boundaries(
        (
            Boundary("orders", ("shop.orders", "shop.payments", "shop.catalog")),
            Boundary("notifications", ("shop.notifications",)),
        ),
        rules=(("cross_service_join", "warn"),),
    )
    found = find_violations(files_of(SHOP), [], merged, flows)
    assert [v.rule for v in found if v.rule.startswith(("distributed", "cross"))] == []


def test_the_rules_can_be_turned_off(flows: Flows) -> None:
    off = Boundaries(
        boundaries(True).services,
        rules=(("distributed_transaction", "off"), ("cross_service_join", "off")),
    )
    found = find_violations(files_of(SHOP), [], off, flows)
    assert not [v for v in found if v.rule in ("distributed_transaction", "cross_service_join")]
