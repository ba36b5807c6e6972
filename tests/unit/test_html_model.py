"""What the report computes from the document: public API, extraction plan, tables, splits."""

from __future__ import annotations

import copy

from reports.api_surface import public_api
from reports.cards import dependency_matrix, service_cards, splits
from reports.ownership import by_service, table_rows
from reports.plan import extraction_plan
from tests.browser.documents import legacy_document, sample_document


def test_public_api_is_what_other_services_use() -> None:
    api = public_api(sample_document())
    assert [a.symbol for a in api["payments"]] == ["shop.payments.api:charge"]
    charge = api["payments"][0]
    assert charge.users == ("orders",)
    assert charge.kinds == ("call", "import")
    assert [a.symbol for a in api["orders"]] == ["shop.models:Order"]  # refund uses it
    assert [a.symbol for a in api["catalog"]] == ["shop.models:Book"]
    # used by catalog, a service: the shared library's API counts; tables never do
    assert [a.symbol for a in api["common"]] == ["shop.common.money"]
    assert not any(a.symbol.startswith("table::") for entries in api.values() for a in entries)


def test_public_api_ranks_by_number_of_using_services() -> None:
    document = sample_document()
    document["graph"]["edges"].append(
        {
            "source": "shop.catalog.views",
            "target": "shop.models:Order",
            "weight": 1.0,
            "kinds": {"call": 1},
        }
    )
    document["graph"]["nodes"].append(
        {
            "id": "shop.orders.services:total",
            "kind": "function",
            "module": "shop.orders.services",
            "service": "orders",
            "loc": 5,
            "path": "shop/orders/services.py",
            "line": 90,
        }
    )
    document["graph"]["edges"].append(
        {
            "source": "shop.payments.api:charge",
            "target": "shop.orders.services:total",
            "weight": 9.0,
            "kinds": {"call": 4},
        }
    )
    order, total = public_api(document)["orders"]
    assert order.symbol == "shop.models:Order" and order.users == ("catalog", "payments")
    assert total.symbol == "shop.orders.services:total" and total.weight == 9.0


def test_without_a_graph_the_api_comes_from_cuts() -> None:
    document = sample_document()
    del document["graph"]
    api = public_api(document)
    assert [a.symbol for a in api["payments"]] == ["shop.payments.api:charge"]
    assert public_api(legacy_document()) == {}


def test_table_rows_put_shared_writes_first() -> None:
    rows = table_rows(sample_document())
    assert [r.name for r in rows] == ["payments_payment", "catalog_book", "orders_order"]
    assert rows[0].shared_write and not rows[1].shared_write
    assert rows[0].access("orders") == "W" and rows[2].access("payments") == "R"
    mine = by_service(rows, "orders")
    assert [r.name for r in mine["foreign_writes"]] == ["payments_payment"]
    assert [r.name for r in mine["foreign_reads"]] == ["catalog_book"]
    assert [r.name for r in mine["shared_writes"]] == ["payments_payment"]
    assert table_rows(legacy_document()) == []


def test_plan_puts_services_without_write_conflicts_first_then_fewest_ties() -> None:
    document = sample_document()
    plan = extraction_plan(document, public_api(document), table_rows(document))
    assert [s.service for s in plan] == ["catalog", "payments", "orders"]
    catalog, payments, orders = plan
    assert catalog.conflicts == 0 and catalog.inbound_weight == 4.0 and catalog.ties == 1
    # payments: called by orders, reads orders_order
    assert payments.conflicts == 1 and payments.ties == 2
    assert payments.foreign_tables == ("orders_order",)
    # orders: called by payments, writes payments_payment, reads catalog_book
    assert orders.conflicts == 1 and orders.ties == 3
    assert orders.foreign_tables == ("catalog_book", "payments_payment")
    assert [t.name for t in orders.shared_writes] == ["payments_payment"]
    assert orders.owned == ("orders_order",)
    assert [a.symbol for a in payments.api] == ["shop.payments.api:charge"]
    assert "common" not in [s.service for s in plan]  # a shared library is not extracted


def test_plan_order_follows_inbound_weight_when_conflicts_and_ties_are_equal() -> None:
    document = sample_document()
    document["tables"]["payments_payment"]["writers"] = ["payments"]
    document["tables"]["orders_order"]["readers"] = []
    document["dependencies"][0]["weight"] = 0.5  # orders -> payments becomes light
    plan = extraction_plan(document, public_api(document), table_rows(document))
    assert [(s.service, s.ties) for s in plan] == [("payments", 1), ("catalog", 1), ("orders", 2)]


def test_a_service_nobody_calls_that_reads_other_services_tables_is_not_first() -> None:
    """Like a back office: no service calls it, but every table it reads must become an API."""
    document = sample_document()
    document["tables"]["payments_payment"]["writers"] = ["payments"]
    document["services"].append(
        {
            "name": "backoffice",
            "kind": "service",
            "modules": ["shop.backoffice.views"],
            "symbols": [],
            "tables_owned": [],
            "loc": 50,
        }
    )
    for table in ("orders_order", "payments_payment", "catalog_book"):
        document["tables"][table]["readers"].append("backoffice")
    for other in ("orders", "payments", "catalog"):
        document["dependencies"].append(
            {"from": "backoffice", "to": other, "weight": 3.0, "kinds": {"call": 2}, "examples": []}
        )
    plan = extraction_plan(document, public_api(document), table_rows(document))
    order = [s.service for s in plan]
    backoffice = plan[order.index("backoffice")]
    assert not backoffice.inbound and backoffice.ties == 3
    assert order.index("backoffice") > order.index("catalog")


def test_the_shared_library_using_a_service_is_not_a_caller() -> None:
    document = sample_document()
    document["dependencies"].append(
        {"from": "common", "to": "catalog", "weight": 2.0, "kinds": {"import": 1}, "examples": []}
    )
    plan = {s.service: s for s in extraction_plan(document, public_api(document), [])}
    assert [d.other for d in plan["catalog"].inbound] == ["orders"]
    assert [d.other for d in plan["catalog"].library_users] == ["common"]
    assert plan["catalog"].inbound_weight == 4.0


def test_split_files_say_which_symbols_go_where() -> None:
    document = sample_document()
    (split,) = splits(document, [s["name"] for s in document["services"]])
    # most symbols first, then in the order of the services
    assert (
        split.describe()
        == "Order, OrderLine \u2192 orders; Payment \u2192 payments; Book \u2192 catalog"
    )
    assert split.describe("payments") == (
        "Order, OrderLine \u2192 orders; Payment stay here; Book \u2192 catalog"
    )


def test_cards_gather_each_service() -> None:
    document = sample_document()
    cards = service_cards(document, ["#000"] * 4, public_api(document), table_rows(document))
    orders = cards[0]
    assert orders.name == "orders" and orders.stability == 0.75
    assert [m.name for m in orders.modules] == ["shop.models", "shop.orders.services"]
    assert orders.modules[0].split and orders.modules[0].loc == 64
    assert [d.other for d in orders.outbound] == ["payments", "catalog"]
    assert [d.other for d in orders.inbound] == ["payments"]
    assert orders.owned == ("orders_order",)
    legacy = service_cards(legacy_document(), ["#000"] * 4, {}, [])
    assert legacy[0].modules[0].loc is None and legacy[0].owned == ("orders_order",)


def test_dependency_matrix_rows_depend_on_columns() -> None:
    document = sample_document()
    names = [s["name"] for s in document["services"]]
    matrix = dependency_matrix(document, names)
    assert matrix[0][1] is not None and matrix[0][1].weight == 6.0
    assert matrix[0][1].shade == 1.0
    assert matrix[1][0] is not None and matrix[1][0].weight == 4.0
    assert matrix[1][2] is None and matrix[0][0] is None
    hostile = copy.deepcopy(document)
    hostile["dependencies"][0]["kinds"]['x onmouseover="alert(1)"'] = 1
    assert dict(dependency_matrix(hostile, names)[0][1].kinds) == {  # type: ignore[union-attr]
        "call": 2,
        "import": 1,
        "data": 1,
    }


def test_plan_counts_the_shared_library_as_a_package_not_a_call() -> None:
    document = sample_document()
    plan = {s.service: s for s in extraction_plan(document, public_api(document), [])}
    assert [d.other for d in plan["catalog"].outbound] == []
    assert [d.other for d in plan["catalog"].library] == ["common"]
