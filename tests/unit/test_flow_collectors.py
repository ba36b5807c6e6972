"""The entry-point and flow collectors: declarations, calls in methods and loops, transactions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import libcst as cst
import pytest

from analyzer.extract.collectors.entries import EntryCollector
from analyzer.extract.collectors.flow import FlowCollector
from analyzer.extract.scope import Scope, ScopeCloser, ScopeOpener
from analyzer.extract.traverse import Positions, traverse
from analyzer.model.flow import FlowFacts
from tests.conftest import FIXTURES
from tests.helpers import facts_of


def entries(code: str) -> list[str]:
    return [
        " ".join(filter(None, (e.via, e.target or f"<{e.scope}.{e.method}>", e.name, str(e.line))))
        for e in facts_of(code, "shop.orders.urls").entries
    ]


def flow(code: str) -> FlowFacts:
    facts = facts_of(code, "shop.orders.services").flow
    assert facts is not None
    return facts


def test_django_url_conf_entries_name_the_view_behind_wrappers_and_as_view() -> None:
    code = """\
        from django.urls import include, path, re_path
        from django.views.decorators.csrf import csrf_exempt
        from . import views

        urlpatterns = [
            path("checkout/", views.checkout, name="checkout"),
            re_path(r"^orders/(?P<pk>\\d+)/$", views.OrderDetail.as_view(), name="detail"),
            path("hook/", csrf_exempt(views.PaymentHook.as_view()), name="hook"),
            path("cached/", cache_page(60)(views.home)),
            path("api/", include("shop.api.urls")),
        ]
        """
    assert entries(code) == [
        "path views.checkout checkout/ 6",
        r"re_path views.OrderDetail ^orders/(?P<pk>\d+)/$ 7",
        "path views.PaymentHook hook/ 8",
        "path views.home cached/ 9",
    ]


def test_flask_views_passed_by_view_func_and_flask_restful_resources_are_routes() -> None:
    code = """\
        from flask_restful import Api

        api = Api(blueprint)
        app.add_url_rule("/health", "health", health)
        register_view(user, routes=["/settings/email"], view_func=ChangeEmail.as_view("email"))
        api.add_resource(CertificatesList, "/certificates", endpoint="certificates")
        api.add_resource(views.Certificates, "/certificates/<int:id>")
        add_resource(NotOnAnApi, "/nowhere")
        jinja.render(template, view_func_name="x")
        """
    assert entries(code) == [
        "route health /health 4",
        "route ChangeEmail /settings/email 5",
        "route CertificatesList /certificates 6",
        "route views.Certificates /certificates/<int:id> 7",
    ]


def test_routers_flask_fastapi_tasks_receivers_and_registering_decorators() -> None:
    code = """\
        router.register(r"orders", OrderViewSet, basename="order")
        app.add_url_rule("/health", view_func=health)

        @bp.route("/basket", methods=["POST"])
        def basket(): ...

        @router.get("/items/{item_id}")
        async def item(item_id: int): ...

        @cache.get("key")
        def not_a_route(): ...

        @shared_task(name="orders.expire")
        def expire(): ...

        @app.task(bind=True)
        def retry(self): ...

        @receiver(post_save, sender=Order)
        def on_order_saved(sender, instance, **kwargs): ...

        order_placed.connect(notify_customer, sender=Order)

        @register_model_view(Device, "edit")
        class DeviceEditView(ObjectEditView): ...
        """
    assert entries(code) == [
        "register OrderViewSet orders 1",
        "route health /health 2",
        "route <basket.> /basket 4",
        "route <item.> /items/{item_id} 7",
        "task <expire.> orders.expire 13",
        "task <retry.> 16",
        "receiver <on_order_saved.> post_save 19",
        "receiver notify_customer order_placed 22",
        "register_view <DeviceEditView.> register_model_view 24",
    ]
    receivers = [e for e in facts_of(code).entries if e.via == "receiver"]
    assert [r.sender for r in receivers] == ["Order", "Order"]


def test_graphql_schemas_name_their_root_types_and_strawberry_methods_are_fields() -> None:
    code = """\
        schema = graphene.Schema(query=Query, mutation=Mutation)
        federated = build_schema(Query, mutation=Mutation)

        @strawberry.type
        class Query:
            @strawberry.field
            def order(self, info, id: int) -> OrderType: ...
        """
    assert entries(code) == [
        "schema Query query 1",
        "schema Mutation mutation 1",
        "schema Query query 2",
        "schema Mutation mutation 2",
        "graphql <Query.order> field 6",
    ]


def test_calls_in_methods_loops_and_transactions_are_kept_with_where_they_are() -> None:
    code = """\
        from django.db import transaction

        def place(basket):
            customer = customers.get(basket.customer_id)
            with transaction.atomic():
                order = orders.create(basket)
                for line in basket.lines:
                    inventory.reserve(line.product_id)
            prices = [catalog.price(p) for p in catalog.products_of(basket)]
            notify(order)

        class Checkout:
            def post(self, request):
                self.repo.create(request)
        """
    facts = flow(code)
    calls = {(c.chain, c.scope, c.method, c.loop, c.transaction, c.line) for c in facts.calls}
    assert calls == {
        ("orders.create", "place", "", False, 0, 6),
        ("inventory.reserve", "place", "", True, 0, 8),
        ("catalog.price", "place", "", True, -1, 9),
        ("self.repo.create", "Checkout", "post", False, -1, 14),
    }
    assert [str(t) for t in facts.transactions] == ["atomic in place (l. 5-8)"]


def test_decorated_and_committing_functions_are_whole_transactions() -> None:
    code = """\
        @transaction.atomic
        def refund(order):
            payments.refund(order)

        class Importer:
            def run(self, rows):
                for row in rows:
                    db.session.add(Row(**row))
                db.session.commit()

            @transaction.atomic(using="default")
            def flush(self):
                db.session.commit()

        def begin_scope():
            with Session.begin() as session:
                session.add(Order())
        """
    found = flow(code).transactions
    assert [(t.kind, t.scope, t.method, t.line, t.end_line, t.whole) for t in found] == [
        ("atomic_decorator", "refund", "", 1, 3, True),
        ("commit", "Importer", "run", 6, 9, True),
        ("atomic_decorator", "Importer", "flush", 11, 13, True),
        ("session", "begin_scope", "", 16, 17, False),
    ]


def test_atomic_requests_is_read_from_a_databases_setting_in_either_form() -> None:
    assert flow('DATABASES = {"default": {"ENGINE": "x", "ATOMIC_REQUESTS": True}}').settings == (
        ("ATOMIC_REQUESTS", "True"),
    )
    assert flow('DATABASES["default"]["ATOMIC_REQUESTS"] = False').settings == (
        ("ATOMIC_REQUESTS", "False"),
    )


SAMPLES = sorted(
    p
    for fixture in ("shop", "checkout", "orm_sqlalchemy")
    for p in (FIXTURES / fixture).rglob("*.py")
    if p.stat().st_size > 200 and "migrations" not in p.parts
)


def _strip_lines(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _strip_lines(getattr(value, f.name)) for f in dataclasses.fields(value)}
        changes = {k: 0 if k in ("line", "end_line") else v for k, v in changes.items()}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_strip_lines(v) for v in value)
    return value


def _collect(tree: cst.Module, driver: str) -> tuple[object, object]:
    positions = Positions()
    scope = Scope("shop.sample", False, positions)
    found, flows = EntryCollector(scope), FlowCollector(scope)
    collectors = [ScopeOpener(scope), found, flows, ScopeCloser(scope)]
    if driver == "ours":
        traverse(tree, collectors, positions)
    else:
        cst.visit_batched(tree, collectors)
        positions.tokens.append("x")  # libcst's own walk emits no tokens: lines are not asked
    return found.facts(), flows.facts()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_same_flow_facts_as_libcst_visit_batched(path: Path) -> None:
    tree = cst.parse_module(path.read_text())
    assert _strip_lines(_collect(tree, "ours")) == _strip_lines(_collect(tree, "libcst"))


def test_views_registered_by_applied_decorators_and_router_root_views() -> None:
    code = """\
        register_model_view(ConsolePort, "trace", kwargs={"model": ConsolePort})(PathTraceView)
        router.APIRootView = views.DCIMRootView
        cache_page(60)(home)
        register_model_view(model, "journal")("netbox.views.generic.ObjectJournalView")

        class AsyncView:
            def __init_subclass__(cls):
                def execute(self):
                    return cls

                cls.execute = app.task(bind=True, name="views.execute")(execute)
        """
    assert entries(code) == [
        "register_view PathTraceView register_model_view 1",
        "register views.DCIMRootView APIRootView 2",
        "register_view netbox.views.generic.ObjectJournalView register_model_view 4",
        "task <AsyncView.__init_subclass__> views.execute 11",
    ]
