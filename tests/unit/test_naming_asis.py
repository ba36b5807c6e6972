from __future__ import annotations

from analyzer.design.cluster.naming import name_services
from analyzer.design.evaluate.asis import as_is_units
from analyzer.design.signals.graph import GraphNode
from analyzer.model.source import SourceFile


def node(node_id: str, loc: int = 50) -> GraphNode:
    module = node_id.split(":", maxsplit=1)[0]
    kind = "module" if ":" not in node_id else "class"
    return GraphNode(node_id, kind, module, loc)


def test_a_service_is_named_after_the_package_holding_most_of_its_code() -> None:
    clusters = [
        ["shop.orders.models", "shop.orders.views", "shop.orders.services"],
        ["shop.payments.models", "shop.payments.gateways", "shop.orders.payment_views"],
        # a generic word names the service when its package is the majority
        ["shop.core.utils", "shop.core.money"],
    ]
    nodes = {n: node(n) for c in clusters for n in c}
    assert name_services(clusters, nodes) == ["orders", "payments", "core"]


def test_a_minor_member_never_names_a_service() -> None:
    clusters = [
        ["forum.threads.models", "forum.threads.views", "forum.threads.api"],
        ["forum.core.a", "forum.core.b", "forum.core.c", "forum.icons.icon"],
    ]
    nodes = {n: node(n) for c in clusters for n in c}
    nodes["forum.icons.icon"] = node("forum.icons.icon", loc=20)
    assert name_services(clusters, nodes) == ["threads", "core"]


def test_a_wrapper_package_most_services_sit_in_is_left_out_of_names() -> None:
    # oscar: nearly all code, and most services, in oscar.apps
    clusters = [
        ["shop.apps.orders.models", "shop.apps.orders.views"],
        ["shop.apps.catalogue.models", "shop.apps.catalogue.views"],
        ["shop.apps.basket.models", "shop.apps.basket.views"],
        ["shop.core.loading", "shop.core.utils"],
        # no package below shop holds most of it: named after shop, not its largest minority
        ["shop.templatetags.tags", "shop.forms", "shop.views"],
    ]
    nodes = {n: node(n) for c in clusters for n in c}
    nodes["shop.templatetags.tags"] = node("shop.templatetags.tags", loc=60)
    assert name_services(clusters, nodes) == [
        "orders",
        "catalogue",
        "basket",
        "core",
        "shop",
    ]


def test_a_layer_holding_most_of_the_code_names_its_service_not_the_others() -> None:
    # saleor: the graphql package holds most of the code, in one service; the others sit
    # beside it and are named after their own packages, not "shop-orders"
    api = [f"shop.graphql.{cap}.mutations" for cap in ("orders", "payments", "catalogue")]
    clusters = [
        api,
        ["shop.orders.models", "shop.orders.actions"],
        ["shop.payments.models", "shop.payments.gateway"],
    ]
    nodes = {n: node(n, loc=200 if n in api else 50) for c in clusters for n in c}
    assert name_services(clusters, nodes) == ["graphql", "orders", "payments"]


def test_symbol_names_name_services_in_layered_code() -> None:
    clusters = [
        ["app.models:Invoice", "app.services:InvoiceService", "app.tasks:retry_invoice_payment"],
        ["app.models:Order", "app.services:OrderService", "app.api:list_orders"],
    ]
    nodes = {n: node(n) for c in clusters for n in c}
    assert name_services(clusters, nodes) == ["invoice", "order"]


def test_clash_gets_a_second_word_never_a_number_when_words_exist() -> None:
    clusters = [
        ["shop.orders.api", "shop.orders.refunds"],
        ["shop.orders.models", "shop.orders.refunds_admin"],
    ]
    nodes = {n: node(n) for c in clusters for n in c}
    names = name_services(clusters, nodes)
    assert len(set(names)) == 2
    assert all(not name.startswith("service") for name in names)


def files(*specs: str) -> list[SourceFile]:
    return [
        SourceFile(
            s,
            s.removesuffix(".py").removesuffix("/__init__").replace("/", "."),
            s.endswith("__init__.py"),
            1,
        )
        for s in specs
    ]


def test_as_is_uses_django_apps_when_there_are_apps() -> None:
    units = as_is_units(
        files(
            "shop/__init__.py",
            "shop/settings.py",
            "shop/orders/__init__.py",
            "shop/orders/apps.py",
            "shop/orders/api/views.py",
            "shop/core/__init__.py",
            "shop/core/money.py",
            "manage.py",
        )
    )
    assert units == {
        "shop": "shop",
        "shop.settings": "shop",
        "shop.orders": "shop.orders",
        "shop.orders.apps": "shop.orders",
        "shop.orders.api.views": "shop.orders",
        "shop.core": "shop.core",
        "shop.core.money": "shop.core",
        "manage": "manage",
    }


def test_as_is_without_django_is_the_second_level_package() -> None:
    specs = (
        "app/__init__.py",
        "app/models/__init__.py",
        "app/models/orders.py",
        "app/services/billing.py",
        "app/tasks.py",
    )
    units = as_is_units(files(*specs), django=False)
    assert units == {
        "app": "app",
        "app.models": "app.models",
        "app.models.orders": "app.models",
        "app.services.billing": "app.services",
        "app.tasks": "app",
    }


def test_a_project_package_holding_apps_is_not_an_app_of_its_own() -> None:
    # shop/models/ is a layer of the project package beside shop/services/, not an app around
    # shop.orders; shop.catalogue has an app configuration and so stays one app with its sub-app
    units = as_is_units(
        files(
            "shop/__init__.py",
            "shop/tasks.py",
            "shop/models/__init__.py",
            "shop/models/stock.py",
            "shop/services/stock.py",
            "shop/orders/__init__.py",
            "shop/orders/models.py",
            "shop/catalogue/__init__.py",
            "shop/catalogue/apps.py",
            "shop/catalogue/models.py",
            "shop/catalogue/search/indexes.py",
            "shop/catalogue/reviews/__init__.py",
            "shop/catalogue/reviews/models.py",
        )
    )
    assert units == {
        "shop": "shop",
        "shop.tasks": "shop",
        "shop.models": "shop.models",
        "shop.models.stock": "shop.models",
        "shop.services.stock": "shop.services",
        "shop.orders": "shop.orders",
        "shop.orders.models": "shop.orders",
        "shop.catalogue": "shop.catalogue",
        "shop.catalogue.apps": "shop.catalogue",
        "shop.catalogue.models": "shop.catalogue",
        "shop.catalogue.search.indexes": "shop.catalogue",
        "shop.catalogue.reviews": "shop.catalogue.reviews",
        "shop.catalogue.reviews.models": "shop.catalogue.reviews",
    }


def test_a_package_holding_only_unconfigured_apps_stays_an_app() -> None:
    # a serializers/models.py inside an app's api/ makes that folder look like an app; without
    # an app configuration it does not make its enclosing app the project's package
    units = as_is_units(
        files(
            "site/__init__.py",
            "site/models/__init__.py",
            "site/api/serializers/__init__.py",
            "site/api/serializers/models.py",
            "site/views.py",
        )
    )
    assert units["site.views"] == "site"
    assert units["site.models"] == "site"
