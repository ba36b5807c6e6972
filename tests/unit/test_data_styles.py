"""Reads, writes and foreign keys in each ORM's styles, on small trees written inline."""

from __future__ import annotations

from tests.unit.test_data_catalog import access_of, catalog_of

FLASK = {
    "app": "",
    "app.ext": """\
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        """,
    "app.models": """\
        from app.ext import db

        class Account(db.Model):
            __tablename__ = "accounts"
            id = db.Column(db.Integer, primary_key=True)

        class Entry(db.Model):
            __tablename__ = "entries"
            account_id = db.Column(db.ForeignKey("accounts.id"))
            account = db.relationship("Account", backref="entries")
        """,
    "app.views": """\
        from sqlalchemy import delete, insert, select, update
        from app.ext import db
        from app.models import Account, Entry

        def listing():
            return Account.query.order_by(Account.id).all()

        def purge(account_id):
            Entry.query.filter_by(account_id=account_id).delete()

        def remove(account_id):
            account = Account.query.get(account_id)
            db.session.delete(account)

        def import_rows(rows):
            db.session.bulk_insert_mappings(Entry, rows)

        def save_all(objects):
            db.session.bulk_save_objects([Account(name=n) for n in objects])

        def statement_read():
            return db.session.execute(select(Entry).where(Entry.id > 3)).scalars()

        def statement_insert():
            db.session.execute(insert(Account).values(name="x"))

        def statement_update():
            db.session.execute(update(Entry).values(amount=0))

        def statement_delete():
            db.session.execute(delete(Account).where(Account.id == 1))

        def core_insert():
            db.session.execute(Entry.__table__.insert().values(amount=1))

        def legacy_update(session):
            session.query(Account).filter(Account.id == 1).update({"name": "y"})

        def legacy_delete(session):
            session.query(Entry).filter_by(id=1).delete()
        """,
}


def test_flask_sqlalchemy_and_sqlalchemy_2_reads_and_writes() -> None:
    catalog = catalog_of(FLASK)
    assert access_of(catalog) == {
        ("listing", "read", "accounts"),
        ("purge", "write", "entries"),
        ("remove", "read", "accounts"),
        ("remove", "write", "accounts"),
        ("import_rows", "write", "entries"),
        ("save_all", "write", "accounts"),
        ("statement_read", "read", "entries"),
        ("statement_insert", "write", "accounts"),
        ("statement_update", "write", "entries"),
        ("statement_delete", "write", "accounts"),
        ("core_insert", "write", "entries"),
        ("legacy_update", "write", "accounts"),
        ("legacy_delete", "write", "entries"),
    }
    keys = {(k.source.split(":")[1], k.field, k.target.split(":")[1]) for k in catalog.foreign_keys}
    assert keys == {("Entry", "account_id", "Account"), ("Entry", "account", "Account")}


def test_django_writes() -> None:
    catalog = catalog_of(
        {
            "shop": "",
            "shop.stock": "",
            "shop.stock.models": """\
                from django.db import models

                class Item(models.Model):
                    sku = models.CharField(max_length=10)

                class Movement(models.Model):
                    item = models.ForeignKey("stock.Item", on_delete=models.CASCADE)
                """,
            "shop.orders": "",
            "shop.orders.models": """\
                from django.db import models
                from shop.stock.models import Item

                class Line(models.Model):
                    item = models.ForeignKey(Item, on_delete=models.PROTECT)
                """,
            "shop.stock.services": """\
                from shop.stock.models import Item, Movement

                def restock(skus):
                    Item.objects.bulk_create([Item(sku=s) for s in skus])

                def rename(items):
                    Item.objects.bulk_update(items, ["sku"])

                def ensure(sku):
                    item, _ = Item.objects.get_or_create(sku=sku)
                    return item

                def upsert(sku):
                    Item.objects.update_or_create(sku=sku, defaults={"sku": sku})

                def clear(item_id):
                    Movement.objects.filter(item_id=item_id).delete()

                def reset():
                    Movement.objects.all().update(item=None)

                def drop(item):
                    item = Item.objects.get(pk=item)
                    item.delete()
                """,
        }
    )
    assert access_of(catalog) == {
        ("restock", "write", "stock_item"),
        ("rename", "write", "stock_item"),
        ("ensure", "write", "stock_item"),
        ("upsert", "write", "stock_item"),
        ("clear", "write", "stock_movement"),
        ("reset", "write", "stock_movement"),
        ("drop", "read", "stock_item"),
        ("drop", "write", "stock_item"),
    }
    keys = {(k.source.split(":")[1], k.field, k.target.split(":")[1]) for k in catalog.foreign_keys}
    assert keys == {("Movement", "item", "Item"), ("Line", "item", "Item")}


def test_foreign_keys_across_packages_in_sqlmodel_and_peewee() -> None:
    catalog = catalog_of(
        {
            "app": "",
            "app.teams": """\
                from sqlmodel import Field, SQLModel

                class Team(SQLModel, table=True):
                    id: int | None = Field(default=None, primary_key=True)
                """,
            "app.heroes": """\
                from sqlmodel import Field, SQLModel

                class Hero(SQLModel, table=True):
                    team_id: int | None = Field(default=None, foreign_key="team.id")
                """,
            "app.people": """\
                from peewee import Model

                class Person(Model):
                    pass
                """,
            "app.pets": """\
                from peewee import ForeignKeyField, Model
                from app.people import Person

                class Pet(Model):
                    owner = ForeignKeyField(Person, backref="pets")
                """,
        }
    )
    keys = {(k.source.split(":")[1], k.field, k.target.split(":")[1]) for k in catalog.foreign_keys}
    assert keys == {("Hero", "team_id", "Team"), ("Pet", "owner", "Person")}
