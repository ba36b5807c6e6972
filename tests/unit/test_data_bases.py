"""Declarative bases reached through the project's own code, and the table names they give."""

from __future__ import annotations

from analyzer.design.data.catalog import DataCatalog
from tests.unit.test_data_catalog import access_of, catalog_of


def tables(catalog: DataCatalog) -> dict[str, str | None]:
    return {m.name: m.table for m in catalog.models}


def test_a_subclass_of_flask_sqlalchemy_with_a_custom_model_class_and_schemas() -> None:
    catalog = catalog_of(
        {
            "core": "",
            "core.orm": """\
                from flask_sqlalchemy import SQLAlchemy as _Base
                from sqlalchemy.orm import declarative_base
                from sqlalchemy.ext.declarative import DeclarativeMeta

                class AuditMeta(DeclarativeMeta):
                    pass

                class CrudMixin:
                    def save(self):
                        db.session.add(self)

                class ShopSQLAlchemy(_Base):
                    def apply_pool_defaults(self, app, options):
                        return options

                db = ShopSQLAlchemy(
                    model_class=declarative_base(cls=CrudMixin, metaclass=AuditMeta)
                )
                """,
            "shop": "",
            "shop.billing": "",
            "shop.billing.models": """\
                from core.orm import db

                class Invoice(db.Model):
                    __tablename__ = "invoices"
                    __table_args__ = {"schema": "billing"}
                    id = db.Column(db.Integer, primary_key=True)

                class InvoiceLine(db.Model):
                    __tablename__ = "invoice_lines"
                    __table_args__ = (db.UniqueConstraint("id"), {"schema": "billing"})
                    invoice_id = db.Column(db.ForeignKey("billing.invoices.id"))
                """,
            "shop.billing.service": """\
                from core.orm import db
                from shop.billing.models import Invoice, InvoiceLine

                def issue(total):
                    invoice = Invoice(total=total)
                    db.session.add(invoice)
                    db.session.commit()

                def lines(invoice_id):
                    return InvoiceLine.query.filter_by(invoice_id=invoice_id).all()
                """,
        }
    )
    assert tables(catalog) == {
        "Invoice": "billing.invoices",
        "InvoiceLine": "billing.invoice_lines",
    }
    assert access_of(catalog) == {
        ("issue", "write", "billing.invoices"),
        ("lines", "read", "billing.invoice_lines"),
    }
    keys = {(k.source.split(":")[1], k.target.split(":")[1]) for k in catalog.foreign_keys}
    assert keys == {("InvoiceLine", "Invoice")}
    assert catalog.notes == ()


def test_flask_sqlalchemy_names_tables_in_snake_case_unless_the_base_is_already_declarative() -> (
    None
):
    catalog = catalog_of(
        {
            "app": "",
            "app.ext": """\
                from flask_sqlalchemy import SQLAlchemy
                from sqlalchemy.orm import DeclarativeBase, declarative_base

                class Base(DeclarativeBase):
                    pass

                db = SQLAlchemy(model_class=Base)
                legacy = SQLAlchemy(model_class=declarative_base())
                plain = SQLAlchemy()
                """,
            "app.models": """\
                from app.ext import db, legacy, plain

                class HTTPRequestLog(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                class OAuth2Token(plain.Model):
                    id = plain.Column(plain.Integer, primary_key=True)

                class Archived(legacy.Model):
                    __tablename__ = "archive"
                """,
        }
    )
    assert tables(catalog) == {
        "Archived": "archive",
        "HTTPRequestLog": "http_request_log",
        "OAuth2Token": "o_auth2_token",
    }


def test_declarative_bases_from_factories_registries_and_mixins() -> None:
    catalog = catalog_of(
        {
            "app": "",
            "app.base": """\
                from sqlalchemy.orm import declarative_base, declared_attr, registry

                class NamedMixin:
                    @declared_attr
                    def __tablename__(cls):
                        return cls.__name__.lower()

                Base = declarative_base(cls=NamedMixin)
                mapper_registry = registry()
                Mapped = mapper_registry.generate_base()
                Other = registry().generate_base()
                """,
            "app.models": """\
                from app.base import Base, Mapped, Other

                class Ticket(Base):
                    pass

                class Seat(Mapped):
                    __tablename__ = "seats"

                class Venue(Other):
                    __tablename__ = "venues"
                """,
        }
    )
    assert tables(catalog) == {"Seat": "seats", "Ticket": "ticket", "Venue": "venues"}


def test_core_tables_and_imperative_mappings() -> None:
    catalog = catalog_of(
        {
            "app": "",
            "app.tables": """\
                from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
                from sqlalchemy.orm import registry

                metadata = MetaData()
                users = Table("users", metadata, Column("id", Integer), schema="auth")
                orders = Table(
                    "orders", metadata, Column("user_id", ForeignKey("auth.users.id"))
                )

                class User:
                    pass

                class Order:
                    pass

                mapper_registry = registry()
                mapper_registry.map_imperatively(User, users)
                """,
            "app.legacy": """\
                from sqlalchemy.orm import mapper
                from app.tables import Order, orders

                mapper(Order, orders)
                """,
            "app.service": """\
                from sqlalchemy import select, update
                from app.tables import Order, User

                def names(session):
                    return session.execute(select(User)).all()

                def close(session):
                    session.execute(update(Order).values(closed=True))
                """,
        }
    )
    assert {t.name: t.kind for t in catalog.tables} == {"auth.users": "table", "orders": "table"}
    assert tables(catalog) == {"Order": "orders", "User": "auth.users"}
    assert access_of(catalog) == {("names", "read", "auth.users"), ("close", "write", "orders")}


def test_a_class_with_a_tablename_whose_base_is_unknown_is_a_model_with_a_note() -> None:
    catalog = catalog_of(
        {
            "app": "",
            "app.models": """\
                from somewhere import *

                class Report(Model):
                    __tablename__ = "reports"

                class Helper(Thing):
                    name = "x"
                """,
        }
    )
    assert tables(catalog) == {"Report": "reports"}
    assert any("Report" in n and "base" in n for n in catalog.notes)


def test_an_annotated_alias_of_db_model_keeps_flask_sqlalchemys_naming() -> None:
    catalog = catalog_of(
        {
            "app": "",
            "app.extensions": """\
                from flask_sqlalchemy import SQLAlchemy as _BaseSQLAlchemy

                class SQLAlchemy(_BaseSQLAlchemy):
                    pass

                db = SQLAlchemy()
                """,
            "app.database": """\
                from flask_sqlalchemy.model import DefaultMeta
                from app.extensions import db

                BaseModel: DefaultMeta = db.Model
                """,
            "app.models": """\
                from sqlalchemy import Column, Integer
                from app.database import BaseModel

                class Cipher(BaseModel):
                    __tablename__ = "ciphers"

                class Policy(BaseModel):
                    ___tablename__ = "policies"  # not the attribute: the default name holds
                    id = Column(Integer, primary_key=True)
                """,
        }
    )
    assert tables(catalog) == {"Cipher": "ciphers", "Policy": "policy"}
    assert catalog.notes == ()


def test_a_models_module_inside_a_models_package_is_no_app() -> None:
    catalog = catalog_of(
        {
            "hub": "",
            "hub.extras": "",
            "hub.extras.models": "from .models import *\n",
            "hub.extras.models.models": """\
                from django.db import models

                class Tag(models.Model):
                    name = models.CharField(max_length=50)
                """,
        }
    )
    assert tables(catalog) == {"Tag": "extras_tag"}


def test_flask_appbuilder_models_and_an_aliased_table_in_a_tree_without_django() -> None:
    catalog = catalog_of(
        {
            "bi": "",
            "bi.models": """\
                from flask_appbuilder import Model
                from flask_appbuilder.models.mixins import AuditMixin
                from sqlalchemy import Column, ForeignKey, Integer
                from sqlalchemy import Table as DBTable

                chart_owner = DBTable(
                    "chart_owner", Model.metadata, Column("chart_id", ForeignKey("charts.id"))
                )

                class Chart(Model, AuditMixin):
                    __tablename__ = "charts"
                    id = Column(Integer, primary_key=True)

                class Helper(AuditMixin):
                    pass
                """,
        }
    )
    assert {t.name: t.kind for t in catalog.tables} == {"chart_owner": "table", "charts": "model"}
    assert tables(catalog) == {"Chart": "charts"}
    assert catalog.notes == ()
