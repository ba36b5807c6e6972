"""The cost of a cut, on small trees written inline: entry points, call trees, transactions,
joins, chatty calls, communication styles and what each service needs."""

from __future__ import annotations

import pytest

from analyzer.design.cost.flows import Flows, build_flows
from analyzer.design.cost.price import Costs, price
from analyzer.design.data.catalog import build_catalog
from analyzer.design.symbols.resolve import SymbolTable
from tests.helpers import files_of, flows_of

SHOP = {
    "shop": "",
    "shop.orders": "",
    "shop.orders.models": """\
        from django.db import models

        class Order(models.Model):
            customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT)
            total = models.DecimalField()

            class Meta:
                app_label = "orders"

        class OrderLine(models.Model):
            order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)
            product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT)

            class Meta:
                app_label = "orders"
        """,
    "shop.orders.signals": """\
        from django.dispatch import Signal

        order_placed = Signal()
        """,
    "shop.orders.services": """\
        from django.db import transaction
        from shop.catalog import services as catalog
        from shop.payments.services import PaymentService
        from shop.orders.models import Order, OrderLine
        from shop.orders.signals import order_placed
        from shop.orders.tasks import confirm

        _payments = PaymentService()

        def price(items):
            return [catalog.price_of(i) for i in items]

        def place(customer, items, token):
            prices = price(items)
            with transaction.atomic():
                order = Order.objects.create(customer=customer, total=sum(prices))
                OrderLine.objects.create(order=order)
                _payments.charge(order, token)
            order_placed.send(sender=Order, order=order)
            confirm.delay(order.pk)
            return order

        def lines(order_id):
            return list(OrderLine.objects.filter(order_id=order_id).select_related("product"))
        """,
    "shop.orders.tasks": """\
        from celery import shared_task

        @shared_task
        def confirm(order_id):
            return order_id
        """,
    "shop.orders.views": """\
        from shop.orders import services

        def checkout(request):
            return services.place(request.user, request.POST["items"], request.POST["token"])

        class OrderLines(View):
            def get(self, request, pk):
                return services.lines(pk)
        """,
    "shop.orders.urls": """\
        from django.urls import path
        from shop.orders import views

        urlpatterns = [
            path("checkout/", views.checkout, name="checkout"),
            path("<int:pk>/lines/", views.OrderLines.as_view(), name="lines"),
        ]
        """,
    "shop.catalog": "",
    "shop.catalog.models": """\
        from django.db import models

        class Product(models.Model):
            price = models.DecimalField()

            class Meta:
                app_label = "catalog"
        """,
    "shop.catalog.services": """\
        from shop.catalog.models import Product

        def price_of(product_id):
            return Product.objects.get(pk=product_id).price
        """,
    "shop.payments": "",
    "shop.payments.models": """\
        from django.db import models

        class Payment(models.Model):
            amount = models.DecimalField()

            class Meta:
                app_label = "payments"
        """,
    "shop.payments.services": """\
        from shop.payments.models import Payment

        class PaymentService:
            def charge(self, order, token):
                return self._record(order.total)

            def _record(self, amount):
                return Payment.objects.create(amount=amount)
        """,
    "shop.customers": "",
    "shop.customers.models": """\
        from django.db import models

        class Customer(models.Model):
            class Meta:
                app_label = "customers"
        """,
    "shop.notifications": "",
    "shop.notifications.models": """\
        from django.db import models

        class Message(models.Model):
            class Meta:
                app_label = "notifications"
        """,
    "shop.notifications.receivers": """\
        from django.dispatch import receiver
        from shop.notifications.models import Message
        from shop.orders.signals import order_placed

        @receiver(order_placed)
        def on_placed(sender, order, **kwargs):
            Message.objects.create()
        """,
    "shop.catalog.management": "",
    "shop.catalog.management.commands": "",
    "shop.catalog.management.commands.reprice": """\
        from django.core.management.base import BaseCommand
        from shop.catalog.services import price_of

        class Command(BaseCommand):
            def handle(self, *args, **options):
                return price_of(1)
        """,
}


def by_app(node: str) -> str | None:
    """Today's layout: the second package of a module."""
    parts = node.split(":", maxsplit=1)[0].split(".")
    return parts[1] if len(parts) > 1 else None


OWNERS = {
    "orders_order": "orders",
    "orders_orderline": "orders",
    "catalog_product": "catalog",
    "payments_payment": "payments",
    "customers_customer": "customers",
    "notifications_message": "notifications",
}


@pytest.fixture(scope="module")
def flows() -> Flows:
    return flows_of(SHOP)


@pytest.fixture(scope="module")
def costs(flows: Flows) -> Costs:
    return price(flows, by_app, OWNERS.get)


def test_entry_points_are_found_with_their_handlers_and_kinds(flows: Flows) -> None:
    found = {(e.kind, e.name, e.handler, e.line, e.declared) for e in flows.entries}
    assert found == {
        ("view", "checkout/", "shop.orders.views:checkout", 3, "shop/orders/urls.py:5"),
        ("view", "<int:pk>/lines/", "shop.orders.views:OrderLines", 6, "shop/orders/urls.py:6"),
        ("task", "confirm", "shop.orders.tasks:confirm", 3, ""),
        ("receiver", "on_placed on order_placed", "shop.notifications.receivers:on_placed", 5, ""),
        (
            "command",
            "reprice",
            "shop.catalog.management.commands.reprice:Command.handle",
            4,
            "",
        ),
    }


def test_a_call_tree_follows_methods_through_instances_and_self_in_call_order(
    flows: Flows,
) -> None:
    checkout = next(e for e in flows.entries if e.name == "checkout/")
    tree = flows.walk(checkout)
    assert tree.nodes == (
        "shop.orders.views:checkout",
        "shop.orders.services:place",
        "shop.orders.services:price",
        "shop.catalog.services:price_of",
        "shop.payments.services:PaymentService.charge",
        "shop.payments.services:PaymentService._record",
    )
    # The task enqueued and the signal sent are noted, not followed.
    assert sorted(call.chain for _, call in tree.events) == ["confirm.delay", "order_placed.send"]


def test_the_checkout_transaction_spans_two_services_and_its_path_runs_in_order(
    costs: Costs,
) -> None:
    (saga,) = costs.transactions
    assert (saga.transaction.path, saga.transaction.line) == ("shop/orders/services.py", 15)
    assert saga.services == ("orders", "payments")
    assert dict(saga.tables) == {
        "orders": ("orders_order", "orders_orderline"),
        "payments": ("payments_payment",),
    }
    assert saga.entries == ("view shop.orders.views:checkout",)
    checkout = next(e for e in costs.entries if e.entry.name == "checkout/")
    assert checkout.services == ("orders", "catalog", "payments")
    assert [(h.kind, h.source, h.target, h.line) for h in checkout.hops] == [
        ("call", "orders", "catalog", 11),
        ("call", "orders", "payments", 18),
    ]
    assert dict(checkout.writes) == {
        "orders": ("orders_order", "orders_orderline"),
        "payments": ("payments_payment",),
    }
    # catalog is read (1), payments written (2): complexity 3; the transaction is a saga.
    assert (checkout.complexity, checkout.transactions) == (3, (0,))
    assert checkout.chain == ("orders", "catalog")


def test_a_partition_keeping_the_tables_together_has_no_distributed_transaction(
    flows: Flows,
) -> None:
    together = {**OWNERS, "payments_payment": "orders"}

    def service(node: str) -> str | None:
        return "orders" if by_app(node) == "payments" else by_app(node)

    merged = price(flows, service, together.get)
    assert merged.transactions == ()
    assert merged.metrics["distributed_transactions"] == 0


def test_joins_over_a_foreign_key_into_another_service_are_reported(costs: Costs) -> None:
    assert [(j.site.join.how, j.source, j.target, j.site.join.line) for j in costs.joins] == [
        ("related", "orders", "catalog", 24)
    ]
    assert costs.joins[0].site.endpoint == "shop.orders.services:lines"


def test_a_call_into_another_service_inside_a_comprehension_is_chatty(costs: Costs) -> None:
    assert [(c.call.chain, c.source, c.target, c.call.line) for c in costs.chatty] == [
        ("catalog.price_of", "orders", "catalog", 11)
    ]


def test_each_dependency_gets_a_communication_style_with_its_evidence(costs: Costs) -> None:
    styles = {(c.source, c.target): (c.style, dict(c.evidence)) for c in costs.communication}
    assert styles == {
        ("orders", "payments"): ("command", {"command": 1}),
        ("orders", "catalog"): ("query", {"query": 1, "replicated": 1}),
        ("orders", "notifications"): ("event", {"event": 1}),
    }


def test_isolation_names_what_a_service_needs_synchronously(costs: Costs) -> None:
    isolation = {i.service: i for i in costs.isolation}
    assert isolation["orders"].needs == ("catalog", "payments")
    assert isolation["notifications"].needs == ()
    assert costs.metrics == {
        "distributed_transactions": 1,
        "functionality_complexity": 0.8,  # (3 + 1 + 0 + 0 + 0) / 5 entry points
        "cross_service_joins": 1,
        "chatty_sites": 1,
    }


def test_job_classes_are_tasks_when_they_run_and_enqueue_themselves() -> None:
    flows = flows_of(
        {
            "app": "",
            "app.jobs": """\
                from celery import Task

                class JobRunner:
                    @classmethod
                    def enqueue(cls, *args):
                        return cls

                    def run(self):
                        raise NotImplementedError

                class SyncJob(JobRunner):
                    def run(self):
                        return 1

                class Helper:
                    def run(self):
                        return 2

                class Resize(Task):
                    def run(self, image_id):
                        return image_id
                """,
        }
    )
    assert sorted((e.kind, e.handler) for e in flows.entries) == [
        ("task", "app.jobs:Resize.run"),
        ("task", "app.jobs:SyncJob.run"),
    ]


def test_views_an_app_config_loads_by_name_are_routed_entry_points() -> None:
    flows = flows_of(
        {
            "shop": "",
            "shop.core": "",
            "shop.core.loading": """\
                def get_class(module_label, classname):
                    return classname
                """,
            "shop.checkout": "",
            "shop.checkout.views": """\
                class IndexView(View):
                    def get(self, request):
                        return request
                """,
            "shop.checkout.apps": """\
                from django.urls import path
                from shop.core.loading import get_class

                class CheckoutConfig(AppConfig):
                    def ready(self):
                        self.index_view = get_class("checkout.views", "IndexView")

                    def get_urls(self):
                        return [path("", self.index_view.as_view(), name="index")]
                """,
        }
    )
    assert [(e.kind, e.handler, e.declared) for e in flows.entries] == [
        ("view", "shop.checkout.views:IndexView", "shop/checkout/apps.py:9")
    ]


REQUEST_DJANGO = {
    "site": "",
    "site.settings": 'DATABASES = {"default": {"ATOMIC_REQUESTS": True}}',
    "site.models": """\
        from django.db import models

        class Order(models.Model):
            class Meta:
                app_label = "site"

        class Audit(models.Model):
            class Meta:
                app_label = "site"
        """,
    "site.views": """\
        from django.db import transaction
        from site.models import Audit, Order

        def place(request):
            Order.objects.create()
            Audit.objects.create()

        @transaction.non_atomic_requests
        def export(request):
            Order.objects.create()
        """,
    "site.urls": """\
        from django.urls import path
        from site import views

        urlpatterns = [path("place/", views.place), path("export/", views.export)]
        """,
}
REQUEST_FLASK = {
    "app": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
    "app.models": """\
        from app import db

        class Post(db.Model):
            __tablename__ = "posts"
        """,
    "app.routes": """\
        from app import db
        from app.models import Post

        @bp.route("/posts", methods=["POST"])
        def create():
            db.session.add(Post())
            return save()

        def save():
            db.session.commit()
        """,
}


def test_request_wide_transactions_wrap_each_view_or_route() -> None:
    django = flows_of(REQUEST_DJANGO)
    assert [(t.kind, t.node, t.tables) for t in django.transactions] == [
        ("request", "site.views:place", ("site_order", "site_audit"))
    ]
    flask = flows_of(REQUEST_FLASK)
    # The route's request session, and the helper committing it (which writes nothing itself).
    assert [(t.kind, t.node, t.tables) for t in flask.transactions] == [
        ("request", "app.routes:create", ("posts",)),
        ("commit", "app.routes:save", ()),
    ]


@pytest.mark.parametrize(
    "tree", [SHOP, REQUEST_DJANGO, REQUEST_FLASK], ids=["shop", "django requests", "flask requests"]
)
def test_the_flows_the_rules_read_are_those_of_the_whole_flows(tree: dict[str, str]) -> None:
    files = files_of(tree)
    catalog = build_catalog(files, SymbolTable(files))
    whole = build_flows(files, SymbolTable(files), catalog)
    rules = build_flows(files, SymbolTable(files), catalog, rules_only=True)
    assert whole.transactions and whole.entries
    assert rules.transactions == whole.transactions
    assert (rules.joins, rules.definers) == (whole.joins, whole.definers)
    assert (rules.entries, rules.hooks, rules.loops) == ((), (), ())


def test_the_metrics_alone_are_the_metrics_of_the_detailed_pricing(
    flows: Flows, costs: Costs
) -> None:
    brief = price(flows, by_app, OWNERS.get, detail=False)
    assert brief.metrics == costs.metrics
    assert (brief.entries, brief.communication, brief.isolation) == ((), (), ())
