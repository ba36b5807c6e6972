"""The cost of the cut end to end: `seams analyze` on the checkout fixture, where a view writes
orders, stock and payments in one transaction, joins order lines with the catalog's products,
and prices a basket by calling the catalog once per line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reports.json_report import schema
from tests.conftest import FIXTURES, run_seams


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("checkout")
    run = run_seams("analyze", FIXTURES / "checkout", "-o", target, "--no-git", "--jobs", "1")
    assert run.code == 0, run.stderr
    return target


@pytest.fixture(scope="module")
def document(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "decomposition.json").read_text()))


def owner(document: dict[str, Any], table: str) -> str:
    return str(document["tables"][table]["owner"])


def service(document: dict[str, Any], symbol: str) -> str:
    return str(document["symbols"][symbol])


def test_the_document_with_its_costs_follows_the_published_schema(
    document: dict[str, Any],
) -> None:
    jsonschema.validate(document, schema())
    for key in ("distributed_transactions", "functionality_complexity", "cross_service_joins"):
        assert key in document["metrics"]["proposed"] and key in document["metrics"]["as_is"]


def test_the_checkout_view_is_one_distributed_transaction_across_three_services(
    document: dict[str, Any],
) -> None:
    (saga,) = [t for t in document["costs"]["transactions"] if t["file"] == "orders/views.py"]
    orders, stock, payments = (
        owner(document, t) for t in ("orders_order", "inventory_stock", "payments_payment")
    )
    assert len({orders, stock, payments}) == 3
    assert (saga["line"], saga["kind"], saga["node"]) == (25, "atomic", "orders.views:checkout")
    assert saga["services"] == sorted([orders, stock, payments])
    assert saga["tables"] == {
        orders: ["orders_order", "orders_orderline"],
        stock: ["inventory_stock", "inventory_stockmovement"],
        payments: ["payments_payment"],
    }
    assert {(w["table"], w["file"], w["line"]) for w in saga["writes"]} == {
        ("orders_order", "orders/services.py", 32),
        ("orders_orderline", "orders/services.py", 33),
        ("inventory_stock", "inventory/services.py", 23),
        ("inventory_stockmovement", "inventory/services.py", 24),
        ("payments_payment", "payments/services.py", 12),
    }
    assert saga["entry_points"] == ["view orders.views:checkout"]
    assert document["metrics"]["proposed"]["distributed_transactions"] >= 1


def test_the_checkout_entry_point_lists_the_services_of_its_path_in_order(
    document: dict[str, Any],
) -> None:
    (checkout,) = [e for e in document["costs"]["entry_points"] if e["name"] == "checkout/"]
    assert (checkout["kind"], checkout["file"], checkout["line"]) == ("view", "orders/views.py", 19)
    assert checkout["declared"] == "orders/urls.py:6"
    path = [
        "orders.views:checkout",
        "customers.services:get_customer",
        "catalog.services:price_of",
        "inventory.services:take_stock",
        "payments.services:record_payment",
    ]
    assert checkout["services"] == list(dict.fromkeys(service(document, s) for s in path))
    assert checkout["transactions"] == [0]
    assert checkout == document["costs"]["entry_points"][0]  # the costliest


def test_select_related_across_services_is_reported_as_a_join(document: dict[str, Any]) -> None:
    joins = [j for j in document["costs"]["joins"] if j["file"] == "orders/services.py"]
    assert joins == [
        {
            "file": "orders/services.py",
            "line": 40,
            "node": "orders.services:lines_with_products",
            "how": "related",
            "table": "orders_orderline",
            "joined": "catalog_product",
            "from": owner(document, "orders_orderline"),
            "to": owner(document, "catalog_product"),
        }
    ]


def test_a_loop_calling_the_catalog_is_reported_as_chatty(document: dict[str, Any]) -> None:
    chatty = {(c["file"], c["line"], c["call"], c["to"]) for c in document["costs"]["chatty"]}
    assert (
        "orders/services.py",
        21,
        "catalog_services.price_of",
        owner(document, "catalog_product"),
    ) in chatty


def test_the_summary_reads_the_costliest_entry_point_and_the_saga(out: Path) -> None:
    summary = (out / "summary.md").read_text()
    assert "## Cost of the cut" in summary
    assert (
        "- checkout/: 5 services, writes inventory, orders and payments in one transaction "
        "\u2192 saga (`orders/views.py:19`)"
    ) in summary
    assert "- `orders/views.py:25` atomic in `orders.views:checkout`: " in summary


NEW_KINDS = ("transaction", "couse")


def version_1(value: Any) -> Any:
    """The document as Seams wrote it before the cost signals: no cost kinds, no costs."""
    if isinstance(value, dict):
        return {
            k: version_1(v)
            for k, v in value.items()
            if k not in NEW_KINDS and k != "costs" and v not in NEW_KINDS
        }
    if isinstance(value, list):
        return [
            version_1(v) for v in value if not (isinstance(v, dict) and v.get("kind") in NEW_KINDS)
        ]
    return value


def test_a_version_1_document_still_renders_without_a_cost_section(
    document: dict[str, Any], tmp_path: Path
) -> None:
    old = {**version_1(document), "schema": "seams/decomposition@1"}
    jsonschema.validate(old, schema(1))
    path = tmp_path / "decomposition.json"
    path.write_text(json.dumps(old))
    run = run_seams("report", path)
    assert run.code == 0, run.stderr
    html = (tmp_path / "report.html").read_text()
    assert "This document has no cost section" in html
