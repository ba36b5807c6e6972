"""The model catalog and access classification, on small trees written inline."""

from __future__ import annotations

from analyzer.design.data.catalog import DataCatalog, build_catalog, data_couplings
from analyzer.design.symbols.resolve import SymbolTable
from tests.helpers import facts_of


def catalog_of(modules: dict[str, str]) -> DataCatalog:
    names = set(modules)
    files = [
        facts_of(code, module, is_package=any(n.startswith(module + ".") for n in names))
        for module, code in sorted(modules.items())
    ]
    return build_catalog(files, SymbolTable(files))


def tables_of(catalog: DataCatalog) -> dict[str, list[str]]:
    return {t.name: [m.split(":")[1] for m in t.models] for t in catalog.tables}


def access_of(catalog: DataCatalog) -> set[tuple[str, str, str]]:
    return {(a.source.split(":")[-1], a.mode, a.table) for a in catalog.accesses}


DJANGO = {
    "shop": "",
    "shop.core": "",
    "shop.core.models": """\
        from django.db import models

        class Stamped(models.Model):
            created = models.DateTimeField()

            class Meta:
                abstract = True
                app_label = "core"
        """,
    "shop.people": "",
    "shop.people.apps": """\
        from django.apps import AppConfig

        class PeopleConfig(AppConfig):
            name = "shop.people"
            label = "accounts"
        """,
    "shop.people.models": """\
        from django.db import models
        from shop.core.models import Stamped

        class Customer(Stamped):
            wishlist = models.ManyToManyField("catalog.Product", related_name="fans")

            class Meta:
                app_label = "accounts"

        class VipCustomer(Customer):
            class Meta:
                proxy = True
        """,
    "shop.catalog": "",
    "shop.catalog.models": """\
        from django.db import models

        class Brand(models.Model):
            name = models.CharField(max_length=10)

        class Product(models.Model):
            brand = models.ForeignKey(Brand, related_name="products", on_delete=models.CASCADE)
            related = models.ManyToManyField("self", through="Link")
            buyers = models.ManyToManyField("accounts.Customer")

            class Meta:
                db_table = "products"

        class Link(models.Model):
            source = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
            target = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
        """,
    "shop.catalog.services": """\
        from django.apps import apps
        from .models import Brand, Product

        def create(name, brand_name):
            brand, _ = Brand.objects.get_or_create(name=brand_name)
            product = Product(name=name, brand=brand)
            product.save()
            product.buyers.add(1)
            return product

        def by_brand(slug):
            return Product.objects.filter(brand__name=slug, buyers=3).select_related("brand")

        def fans(customer_id):
            Customer = apps.get_model("accounts", "Customer")
            return Customer.objects.get(pk=customer_id).wishlist.all()

        def missing(pk):
            try:
                return Product.objects.get(pk=pk)
            except Product.DoesNotExist:
                return None

        def links():
            return Product.related.through.objects.count()
        """,
}


def test_django_models_and_their_tables() -> None:
    catalog = catalog_of(DJANGO)
    assert tables_of(catalog) == {
        "accounts_customer": ["Customer", "VipCustomer"],
        "accounts_customer_wishlist": ["Customer"],
        "catalog_brand": ["Brand"],
        "catalog_link": ["Link"],
        "products": ["Product"],
        "products_buyers": ["Product"],
    }
    abstract = [m.name for m in catalog.models if m.table is None]
    assert abstract == ["Stamped"]
    kinds = {t.name: t.kind for t in catalog.tables}
    assert kinds["products_buyers"] == "m2m" and kinds["products"] == "model"


def test_django_access_classification() -> None:
    catalog = catalog_of(DJANGO)
    assert access_of(catalog) == {
        ("create", "write", "catalog_brand"),
        ("create", "write", "products"),
        ("create", "write", "products_buyers"),
        ("by_brand", "read", "products"),
        ("by_brand", "read", "catalog_brand"),
        ("by_brand", "read", "products_buyers"),
        ("fans", "read", "accounts_customer"),
        ("fans", "read", "accounts_customer_wishlist"),
        ("missing", "read", "products"),
        ("links", "read", "catalog_link"),
    }
    refs = [(r.source, r.model, r.label) for r in catalog.references]
    assert refs == [
        ("shop.catalog.services:fans", "shop.people.models:Customer", "accounts.Customer")
    ]


def test_foreign_keys_and_couplings() -> None:
    catalog = catalog_of(DJANGO)
    keys = {(k.source.split(":")[1], k.field, k.target.split(":")[1]) for k in catalog.foreign_keys}
    assert keys == {
        ("Customer", "wishlist", "Product"),
        ("Product", "brand", "Brand"),
        ("Product", "buyers", "Customer"),
        ("Link", "source", "Product"),
        ("Link", "target", "Product"),
    }
    couplings = data_couplings(catalog)
    modes = {(c.source.split(":")[-1], c.target, c.mode) for c in couplings if c.kind == "data"}
    assert ("Product", "table::products", "model") in modes
    assert ("Product", "table::products_buyers", "model") in modes
    assert ("Product", "shop.people.models:Customer", "fk") in modes
    assert ("create", "table::products", "write") in modes
    assert all(c.soft for c in couplings if c.mode == "fk")


SQLALCHEMY = {
    "store": "",
    "store.db": """\
        from sqlalchemy.orm import DeclarativeBase, declarative_base

        class Base(DeclarativeBase):
            pass

        Legacy = declarative_base()
        """,
    "store.models": """\
        from sqlalchemy import Column, ForeignKey, Integer, Table
        from sqlalchemy.orm import Mapped, mapped_column, relationship
        from store.db import Base, Legacy

        book_tags = Table("book_tags", Base.metadata, Column("book_id", ForeignKey("books.id")))

        class Shelf(Base):
            __abstract__ = True

        class Book(Shelf):
            __tablename__ = "books"
            id: Mapped[int] = mapped_column(primary_key=True)
            tags: Mapped[list["Tag"]] = relationship(secondary=book_tags)

        class Ebook(Book):
            pass

        class Tag(Legacy):
            __tablename__ = "tags"
            id = Column(Integer, primary_key=True)
            book_id = Column(Integer, ForeignKey("books.id"))
        """,
    "store.repo": """\
        from sqlalchemy import delete, insert, select
        from store.models import Book, Tag, book_tags

        class BaseRepository:
            model: type

            def __init__(self, session):
                self.session = session

            def add(self, item):
                self.session.add(item)

            def get(self, pk):
                return self.session.get(self.model, pk)

            def fetch(self, pk):
                return self.get(pk)

        class BookRepository(BaseRepository):
            model = Book

        def shelve(session, title):
            book = Book(title=title)
            book.tags = [Tag()]
            session.add(book)

        def lookup(session):
            repo = BookRepository(session)
            return repo.fetch(1)

        def store(session, book):
            BookRepository(session).add(book)

        def tagged(session):
            return session.execute(select(Book).join(Book.tags)).all()

        def purge(session):
            session.execute(delete(Tag).where(Tag.book_id == Book.id))
            session.execute(book_tags.delete())
            session.execute(insert(Book).values(title="x"))
        """,
}


def test_sqlalchemy_models_tables_and_inheritance() -> None:
    catalog = catalog_of(SQLALCHEMY)
    assert tables_of(catalog) == {"book_tags": [], "books": ["Book", "Ebook"], "tags": ["Tag"]}
    names = {m.name: m.table for m in catalog.models}
    assert names == {"Book": "books", "Ebook": "books", "Shelf": None, "Tag": "tags"}


def test_sqlalchemy_access_and_generic_repositories() -> None:
    catalog = catalog_of(SQLALCHEMY)
    assert access_of(catalog) == {
        ("shelve", "write", "books"),
        ("shelve", "write", "book_tags"),
        ("lookup", "read", "books"),
        ("store", "write", "books"),
        ("tagged", "read", "books"),
        ("tagged", "read", "tags"),
        ("tagged", "read", "book_tags"),
        ("purge", "write", "tags"),
        ("purge", "read", "books"),
        ("purge", "write", "book_tags"),
        ("purge", "write", "books"),
    }
    lookup = next(a for a in catalog.accesses if a.source.endswith(":lookup"))
    assert lookup.line == 29  # charged where the repository is called, not in its base class


def test_sqlmodel_and_peewee() -> None:
    catalog = catalog_of(
        {
            "app": "",
            "app.models": """\
                from peewee import CharField, ForeignKeyField, Model
                from sqlmodel import Field, SQLModel

                class HeroBase(SQLModel):
                    name: str

                class Hero(HeroBase, table=True):
                    id: int | None = Field(default=None, primary_key=True)

                class Team(SQLModel, table=True):
                    __tablename__ = "teams"

                class Base(Model):
                    class Meta:
                        legacy_table_names = False

                class UserAccount(Base):
                    name = CharField()

                class Note(Base):
                    owner = ForeignKeyField(UserAccount, backref="notes")

                    class Meta:
                        table_name = "memo"
                """,
            "app.use": """\
                from sqlmodel import select
                from app.models import Hero, Note, UserAccount

                def heroes(session):
                    return session.exec(select(Hero)).all()

                def add_user(name):
                    user = UserAccount.create(name=name)
                    Note.delete().where(Note.owner == user).execute()
                    return Note.select().join(UserAccount)
                """,
        }
    )
    assert tables_of(catalog) == {
        "hero": ["Hero"],
        "memo": ["Note"],
        "teams": ["Team"],
        "user_account": ["UserAccount"],
    }
    assert access_of(catalog) == {
        ("heroes", "read", "hero"),
        ("add_user", "write", "user_account"),
        ("add_user", "write", "memo"),
        ("add_user", "read", "memo"),
        ("add_user", "read", "user_account"),
    }


def test_raw_sql_tables_join_the_catalog() -> None:
    catalog = catalog_of(
        {
            "app": "",
            "app.models": """\
                from django.db import models

                class Order(models.Model):
                    total = models.IntegerField()
                """,
            "app.report": """\
                SUMMARY = "SELECT count(*) FROM APP_ORDER JOIN legacy_totals ON 1 = 1"

                def summary(cursor):
                    cursor.execute(SUMMARY)
                    cursor.execute("SELECT * FROM broken ((( syntax")
                """,
        }
    )
    assert {t.name: t.kind for t in catalog.tables} == {
        "app_order": "model",
        "broken": "sql",
        "legacy_totals": "sql",
    }
    assert access_of(catalog) == {
        ("summary", "read", "app_order"),
        ("summary", "read", "legacy_totals"),
        ("summary", "read", "broken"),
    }
    assert catalog.notes == ("app/report.py:5: SQL not parsed, tables found by a keyword scan",)


def test_models_of_installed_packages_have_their_tables() -> None:
    catalog = catalog_of(
        {
            "app": "",
            "app.views": """\
                from django.contrib.auth import get_user_model
                from django.contrib.auth import models as auth_models
                from django.contrib.sites.models import Site
                from django.db.models import Q
                from vatlayer.models import VAT

                User = get_user_model()

                def page():
                    domain = Site.objects.get_current().domain
                    staff = auth_models.Group.objects.filter(Q(name="staff"))
                    rates = VAT.objects.all()
                    return User.objects.filter(is_staff=True)
                """,
        }
    )
    assert {t.name: (t.kind, t.models) for t in catalog.tables} == {
        "auth_group": ("external", ("django.contrib.auth.models:Group",)),
        "auth_user": ("external", ("django.contrib.auth.models:User",)),
        "django_site": ("external", ("django.contrib.sites.models:Site",)),
        "vatlayer_vat": ("external", ("vatlayer.models:VAT",)),
    }
    assert {a.mode for a in catalog.accesses} == {"read"}


def test_the_orm_itself_in_the_tree_is_still_a_root() -> None:
    catalog = catalog_of(
        {
            "django": "",
            "django.db": "",
            "django.db.models": "from django.db.models.base import Model\n",
            "django.db.models.base": "class Model(AltersData, metaclass=ModelBase):\n    pass\n",
            "django.contrib": "",
            "django.contrib.sites": "",
            "django.contrib.sites.models": """\
                from django.db import models

                class Site(models.Model):
                    domain = models.CharField(max_length=100)

                    class Meta:
                        db_table = "django_site"
                """,
        }
    )
    assert [(m.name, m.table) for m in catalog.models] == [("Site", "django_site")]
