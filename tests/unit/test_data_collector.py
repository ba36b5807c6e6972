"""The data collector: class bodies, values of local names, and one fact per access."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import libcst as cst
import pytest

from analyzer.extract.collectors.data import DataCollector
from analyzer.extract.scope import Scope, ScopeCloser, ScopeOpener
from analyzer.extract.traverse import Positions, traverse
from analyzer.model.data import AccessFact, DataFacts
from tests.conftest import FIXTURES
from tests.helpers import facts_of


def data_of(code: str, module: str = "shop.orders.services") -> DataFacts:
    data = facts_of(code, module).data
    assert data is not None
    return data


def uses(data: DataFacts, scope: str | None = None) -> list[str]:
    return [
        f"{a.op} {a.subject if a.subject else a.name} l{a.line}"
        for a in data.accesses
        if scope is None or a.scope == scope
    ]


DJANGO_MODELS = """\
from django.db import models


class Order(TimeStamped):
    customer = models.ForeignKey("accounts.Customer", related_name="orders", on_delete=CASCADE)
    items = models.ManyToManyField(Product, through="OrderItem", blank=True)
    tags = models.ManyToManyField("catalog.Tag", db_table="order_tag_links")
    number = models.CharField(max_length=20)
    open_orders = OpenOrderManager()
    objects = OrderQuerySet.as_manager()

    class Meta(TimeStamped.Meta):
        db_table = "sales_orders"
        abstract = False
        app_label = "sales"

    def total(self):
        return 0


if not is_model_registered("sales", "Voucher"):

    class Voucher(models.Model):
        code = models.CharField(max_length=12)
"""


def test_class_bodies_give_options_relations_and_managers() -> None:
    data = data_of(DJANGO_MODELS, "shop.sales.models")
    order, voucher = data.classes
    assert order.name == "Order" and order.line == 4
    assert order.string("meta.db_table") == "sales_orders"
    assert order.string("meta.app_label") == "sales"
    assert order.string("meta.abstract") == "False"
    assert order.meta_bases == ("TimeStamped.Meta",)
    assert order.managers == ("open_orders", "objects")
    assert order.methods == ("total",)
    assert order.columns == 1
    fields = {f.name: f for f in order.fields}
    assert fields["customer"].kind == "models.ForeignKey"
    assert (fields["customer"].target, fields["customer"].target_string) == (
        "accounts.Customer",
        True,
    )
    assert fields["customer"].option("related_name") == "orders"
    assert fields["customer"].line == 5
    assert (fields["items"].target, fields["items"].option("through")) == ("Product", "OrderItem")
    assert fields["tags"].option("db_table") == "order_tag_links"
    assert voucher.name == "Voucher" and voucher.line == 23


def test_sqlalchemy_and_sqlmodel_declarations() -> None:
    data = data_of(
        """\
        from sqlalchemy import Column, ForeignKey, Table
        from sqlalchemy.orm import Mapped, mapped_column, relationship

        tags = Table("book_tags", Base.metadata, Column("book_id", ForeignKey("books.id")))


        class Book(Base):
            __tablename__ = "books"
            __abstract__ = False
            author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
            author: Mapped["Author"] = relationship(back_populates="books")
            shelf: Mapped[list[Shelf]] = relationship(secondary=tags)


        class Hero(SQLModel, table=True):
            team_id: int | None = Field(default=None, foreign_key="teams.id")
        """,
        "library.models",
    )
    table = data.tables[0]
    assert (table.binding, table.table, table.line, table.foreign_keys) == (
        "tags",
        "book_tags",
        4,
        ("books.id",),
    )
    book, hero = data.classes
    assert book.string("__tablename__") == "books"
    assert book.string("__abstract__") == "False"
    fields = {f.name: f for f in book.fields}
    assert fields["author_id"].foreign_keys == ("authors.id",)
    assert fields["author"].annotation == "Author"
    assert fields["shelf"].annotation == "Shelf"
    assert fields["shelf"].option("secondary") == "tags"
    assert hero.flag("kw.table")
    assert hero.fields[0].foreign_keys == ("teams.id",)


def test_local_names_carry_what_they_were_bound_to() -> None:
    data = data_of(
        """\
        def place(customer_id, repo: OrderRepository):
            order = Order.objects.create(customer_id=customer_id)
            order.items.add(1)
            order.save()
            line, created = OrderLine.objects.get_or_create(order=order)
            line.delete()
            for other in Order.objects.filter(customer_id=customer_id):
                other.save()
            repo.add(order)
            order = make_order()
            order.save()
        """
    )
    assert uses(data) == [
        "use Order.objects.create() l2",
        "use Order.objects.create().items.add() l3",
        "use Order.objects.create().save() l4",
        "use OrderLine.objects.get_or_create() l5",
        "use OrderLine.objects.get_or_create()[].delete() l6",
        "use Order.objects.filter() l7",
        "use Order.objects.filter()[].save() l8",
        "use OrderRepository().add() l9",
        "use make_order().save() l11",
    ]
    later = next(a for a in data.accesses if a.line == 4)
    assert later.subject is not None and "@" in later.subject.path  # computed at line 2, not here


def test_django_lookups_name_the_relations_a_query_joins() -> None:
    data = data_of(
        """\
        def report():
            return (
                Voucher.objects.filter(Q(offer__name="x") | Q(code__iexact="y"), order__customer=c)
                .annotate(uses=Count("applications"), total=Sum("applications__amount"))
                .select_related("offer")
                .values("code", "-created")
            )
        """
    )
    (fact,) = data.accesses
    assert fact.lookups == (
        "offer__name",
        "code__iexact",
        "order__customer",
        "applications",
        "applications__amount",
        "offer__*",
        "code",
        "created",
    )


def test_sessions_statements_and_self_calls() -> None:
    data = data_of(
        """\
        class InvoiceRepository(BaseRepository):
            model = Invoice

            def mark(self, session: Session, invoice_id):
                session.add_all([Invoice(), Payment()])
                invoice = session.get(Invoice, invoice_id)
                session.delete(invoice)
                session.query(Invoice).filter(Invoice.id == 1).update({"x": 1})
                self.session.execute(update(Invoice).where(Invoice.id == invoice_id))
                return self.get_or_raise(invoice_id)
        """
    )
    facts = {a.line: a for a in data.accesses}
    assert facts[5].op == "session" and facts[5].name == "add_all"
    assert [str(v) for v in facts[5].args] == ["Invoice()", "Payment()"]
    assert facts[6].name == "get" and facts[6].method == "mark"
    assert [str(v) for v in facts[7].args] == ["Invoice()"]  # the value session.get loaded
    assert facts[8].name == "query_write"
    assert facts[9].op == "statement" and facts[9].name == "update"
    assert [str(v) for v in facts[9].args] == ["Invoice"]
    assert [str(v) for v in facts[9].extra] == ["Invoice.id"]
    assert [(c.cls, c.method, c.called) for c in data.self_calls] == [
        ("InvoiceRepository", "mark", "get_or_raise")
    ]
    assert data.classes[0].names == (("model", "Invoice"),)


def test_raw_sql_inline_through_locals_and_module_constants() -> None:
    data = data_of(
        '''\
        PURGE = text("DELETE FROM sessions WHERE expired")
        REPORT = """SELECT count(*) FROM orders"""


        def purge(cursor):
            cursor.execute(PURGE)
            sql = "UPDATE stock SET qty = 0 WHERE id = %s"
            cursor.execute(sql, [1])
            Order.objects.raw("SELECT * FROM orders_order")
            connection.execute(REPORT)
            cursor.execute("Not SQL at all")
        '''
    )
    assert [(s.line, s.scope, s.reads, s.writes, s.binding) for s in data.sql] == [
        (1, "", (), ("sessions",), "PURGE"),
        (2, "", ("orders",), (), "REPORT"),
        (8, "purge", (), ("stock",), ""),
        (9, "purge", ("orders_order",), (), ""),
    ]
    assert [(u.name, u.line, u.scope) for u in data.sql_uses] == [
        ("PURGE", 6, "purge"),
        ("REPORT", 10, "purge"),
    ]


def test_models_named_by_label_and_settings() -> None:
    data = data_of(
        """\
        from django.apps import apps

        AUTH_USER_MODEL = "staff.Clinician"
        Benefit = get_model("offer", "Benefit")
        User = get_user_model()


        def nurses():
            Clinician = apps.get_model("staff", "Clinician")
            return Clinician.objects.filter(role="nurse")
        """,
        "clinic.settings",
    )
    assert data.constants == (("AUTH_USER_MODEL", "staff.Clinician"),)
    assert data.labels == (("Benefit", "offer.Benefit"), ("User", "@user"))
    assert [(r.target, r.line, r.scope) for r in data.model_refs] == [
        ("offer.Benefit", 4, ""),
        ("staff.Clinician", 9, "nurses"),
    ]
    fact: AccessFact = data.accesses[-1]
    assert fact.subject is not None and fact.subject.label == "staff.Clinician"


def test_unknown_locals_hide_globals_and_builtins_are_not_types() -> None:
    facts = facts_of(
        """\
        def f(data: dict, Order):
            data.get("x")
            Order.objects.all()
            values = {}
            values.update(a=1)
        """
    )
    assert facts.data is None


SAMPLES = sorted(
    p
    for fixture in (
        "shop",
        "layered",
        "orm_django",
        "orm_sqlalchemy",
        "orm_sqlmodel",
        "orm_peewee",
        "orm_flask_custom",
    )
    for p in (FIXTURES / fixture).rglob("*.py")
    if p.stat().st_size > 200 and not {"tests", "migrations"} & set(p.parts)
)


def _strip_lines(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _strip_lines(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if "line" in changes:
            changes["line"] = 0
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_strip_lines(v) for v in value)
    return value


def _data(tree: cst.Module, ours: bool) -> object:
    positions = Positions()
    scope = Scope("pkg.sample", False, positions)
    data = DataCollector(scope)
    collectors = [ScopeOpener(scope), data, ScopeCloser(scope)]
    if ours:
        traverse(tree, collectors, positions)
    else:
        cst.visit_batched(tree, collectors)
    return data.facts()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_same_data_facts_as_libcst_visit_batched(path: Path) -> None:
    tree = cst.parse_module(path.read_text())
    assert _strip_lines(_data(tree, True)) == _strip_lines(_data(tree, False))
