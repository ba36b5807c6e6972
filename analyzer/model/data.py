"""Data facts of one source file: ORM model declarations, tables, and the code that touches them.

Extraction sees one file at a time, so these facts are written down as the code says them and
resolved later (``analyzer.design.data``): a model is named by the dotted name used in the
code (``Order``, ``models.Order``, ``self.model``) or by an app label (``"accounts.Customer"``),
and whether a class is a model at all is decided across files, through its bases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CALL = "()"
"""In a ``ValueRef`` path: the value so far is called."""
ITEM = "[]"
"""In a ``ValueRef`` path: an element of the value so far (iteration, indexing, unpacking)."""
ASSIGN = "="
"""In a ``ValueRef`` path: the attribute so far is assigned to (``book.categories = [...]``)."""
BOUND = "@"
"""In a ``ValueRef`` path: the value so far was bound to a local name earlier; what it took to
compute it happened (and was recorded) where the name was bound."""
_MARKERS = frozenset({"()", "[]", "=", "@"})

AccessOp = Literal["use", "session", "statement"]


@dataclass(frozen=True, slots=True)
class ValueRef:
    """A value as one function shows it: a dotted name, then what the code does with it.

    ``chain`` is the longest dotted name as written (``Product.objects.filter``, ``self.model``);
    ``label`` replaces it for models named by app label (``apps.get_model("accounts",
    "Customer")`` gives ``accounts.Customer``); ``path`` continues after the first call, with
    ``CALL``, ``ITEM`` and ``ASSIGN`` marking calls, elements and assignment
    (``Product.objects.filter(...).update(...)`` is chain ``Product.objects.filter``, path
    ``("()", "update", "()")``).
    """

    chain: str
    label: str = ""
    path: tuple[str, ...] = ()

    def then(self, *steps: str) -> ValueRef:
        """This value followed by attribute names or markers."""
        path = self.path
        chain = self.chain
        for step in steps:
            if not path and chain and step not in _MARKERS and not self.label:
                chain = f"{chain}.{step}"
            else:
                path = (*path, step)
        return ValueRef(chain, self.label, path)

    def __str__(self) -> str:
        head = self.chain or f"<{self.label}>"
        return head + "".join(
            s if s in (CALL, ITEM) else "" if s == BOUND else f".{s}" for s in self.path
        )


@dataclass(frozen=True, slots=True)
class AccessFact:
    """Code that may touch the database, at ``line`` in top-level ``scope`` (``""``: module).

    ``method`` is the method of class ``scope`` it sits in (``""`` elsewhere). ``op`` says how:

    - ``use``: ``subject`` is used (``Order.objects.filter(...)``, ``order.save()``,
      ``product.categories.set(...)``, ``repo.add(book)``); ``lookups`` are the Django field
      paths its queries name (``brand__slug``, ``Count("applications")``); ``extra`` are values
      named in its join clauses;
    - ``session``: method ``name`` of a database session (``add``, ``get``, ``query``...) on
      the values in ``args``; ``extra`` are values named in the chained query clauses;
    - ``statement``: SQLAlchemy construct ``name`` (``select``, ``insert``, ``update``,
      ``delete``, ``selectinload``...) over ``args`` (its targets), ``extra`` being the values
      named in its other clauses.
    """

    op: AccessOp
    line: int
    scope: str
    method: str = ""
    subject: ValueRef | None = None
    name: str = ""
    args: tuple[ValueRef, ...] = ()
    extra: tuple[ValueRef, ...] = ()
    lookups: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.scope}.{self.method}" if self.method else (self.scope or "<module>")
        what = (
            str(self.subject) if self.subject else f"{self.name}({', '.join(map(str, self.args))})"
        )
        return f"{self.op} {what} in {where} (l. {self.line})"


@dataclass(frozen=True, slots=True)
class SqlFact:
    """Tables a raw SQL string reads and writes.

    ``parsed`` is false when sqlglot could not parse the text and a conservative scan of
    ``FROM``/``JOIN``/``INTO``/``UPDATE`` found the tables instead. A string bound to a
    module-level name (``_DAILY_SALES_SQL = text("...")``) has that ``binding``; it is charged to
    the code that executes the name (see ``SqlUse``), or to the module when nothing does.
    """

    line: int
    scope: str
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    parsed: bool = True
    method: str = ""
    binding: str = ""

    def __str__(self) -> str:
        flag = "" if self.parsed else " [unparsed]"
        return f"SQL l. {self.line}: reads {list(self.reads)} writes {list(self.writes)}{flag}"


@dataclass(frozen=True, slots=True)
class SqlUse:
    """A module-level SQL string ``name`` passed to ``execute`` (or alike) in ``scope``."""

    name: str
    line: int
    scope: str
    method: str = ""


@dataclass(frozen=True, slots=True)
class ModelRefFact:
    """A model named by strings: ``apps.get_model("accounts", "Customer")`` names
    ``accounts.Customer``."""

    target: str
    line: int
    scope: str


@dataclass(frozen=True, slots=True)
class SelfCall:
    """Method ``method`` of top-level class ``cls`` calls ``self.<called>(...)``."""

    cls: str
    method: str
    called: str


@dataclass(frozen=True, slots=True)
class FieldFact:
    """A relational field or column of a class body, as written.

    ``kind`` is the callee (``models.ForeignKey``, ``ManyToManyField``, ``relationship``,
    ``mapped_column``, ``ForeignKeyField``...); ``target`` the related model, a dotted name or
    (``target_string``) a string such as ``"catalog.Product"``, ``"self"`` or ``"Category"``;
    ``options`` the keyword arguments that matter (``through``, ``related_name``,
    ``related_query_name``, ``db_table``, ``secondary``, ``to``), each value a string literal or
    a dotted name; ``foreign_keys`` the ``ForeignKey("table.column")`` targets inside it;
    ``annotation`` the class named by a ``Mapped[...]`` annotation.
    """

    name: str
    line: int
    kind: str
    target: str = ""
    target_string: bool = False
    options: tuple[tuple[str, str], ...] = ()
    foreign_keys: tuple[str, ...] = ()
    annotation: str = ""

    def option(self, key: str) -> str:
        return dict(self.options).get(key, "")


@dataclass(frozen=True, slots=True)
class ClassFact:
    """What a top-level class body says that matters for ORM models and app configs.

    ``strings`` holds class attributes and ``Meta`` options with literal values (``Meta`` ones
    prefixed ``meta.``: ``meta.db_table``, ``meta.abstract``; class keywords prefixed ``kw.``:
    ``kw.table`` for SQLModel's ``table=True``; ``__table_args__.schema`` for the schema its
    ``__table_args__`` names; booleans as ``"True"``/``"False"``); ``names``
    class attributes bound to dotted names (``model = Invoice``, ``__table__ = orders_table``);
    ``declared`` attributes only annotated (``model: type[ModelT]``); ``managers`` attributes
    bound to a manager (``objects = ActiveProductManager()``); ``meta_bases`` the bases of its
    ``Meta`` (``AbstractProduct.Meta``); ``columns`` how many other fields or columns it declares;
    ``methods`` the names of the functions it defines.
    """

    name: str
    line: int
    strings: tuple[tuple[str, str], ...] = ()
    names: tuple[tuple[str, str], ...] = ()
    declared: tuple[str, ...] = ()
    fields: tuple[FieldFact, ...] = ()
    managers: tuple[str, ...] = ()
    meta_bases: tuple[str, ...] = ()
    has_meta: bool = False
    columns: int = 0
    methods: tuple[str, ...] = ()

    def string(self, key: str) -> str | None:
        return dict(self.strings).get(key)

    def flag(self, key: str) -> bool:
        return dict(self.strings).get(key) == "True"

    def __str__(self) -> str:
        return f"class {self.name} (l. {self.line}, {len(self.fields)} relations)"


@dataclass(frozen=True, slots=True)
class TableDef:
    """``name = Table("table", metadata, ...)`` at module level (SQLAlchemy core); ``table`` is
    the key SQLAlchemy's ``metadata.tables`` uses: ``schema.table`` with ``schema="..."``."""

    binding: str
    table: str
    line: int
    foreign_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BaseCall:
    """Module-level ``name = callee(...)`` whose keyword arguments shape a declarative base:
    ``declarative_base(cls=Mixin, metaclass=Meta)``, ``SQLAlchemy(model_class=Base)``,
    ``registry().generate_base()`` (callee ``registry().generate_base``).

    ``keywords`` holds each keyword argument that matters (``cls``, ``model_class``,
    ``metaclass``, ``metadata``, ``disable_autonaming``, ``schema``) as a dotted name, a literal,
    or for a call its callee followed by ``()``; that call's own keywords follow as
    ``key.inner`` (``model_class.cls``).
    """

    name: str
    callee: str
    line: int
    keywords: tuple[tuple[str, str], ...] = ()

    def keyword(self, key: str) -> str:
        return dict(self.keywords).get(key, "")


@dataclass(frozen=True, slots=True)
class MappingFact:
    """``mapper(User, users)`` or ``registry.map_imperatively(User, users)``: the class named
    ``cls`` mapped imperatively onto the table bound to ``table`` (dotted names as written)."""

    cls: str
    table: str
    line: int


@dataclass(frozen=True, slots=True)
class DataFacts:
    """The data facts of one file. ``returns`` maps ``func`` or ``Class.method`` to the dotted
    name of its return annotation (what a caller's value is an instance of); ``constants`` are
    module-level model settings such as ``AUTH_USER_MODEL = "accounts.User"``; ``labels``
    module-level names bound to a model by label (``Benefit = get_model("offer", "Benefit")``);
    ``bases`` module-level calls making a declarative base; ``mappings`` imperative mappings."""

    classes: tuple[ClassFact, ...] = ()
    tables: tuple[TableDef, ...] = ()
    accesses: tuple[AccessFact, ...] = ()
    sql: tuple[SqlFact, ...] = ()
    sql_uses: tuple[SqlUse, ...] = ()
    model_refs: tuple[ModelRefFact, ...] = ()
    self_calls: tuple[SelfCall, ...] = ()
    returns: tuple[tuple[str, str], ...] = ()
    constants: tuple[tuple[str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    bases: tuple[BaseCall, ...] = ()
    mappings: tuple[MappingFact, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.classes
            or self.tables
            or self.accesses
            or self.sql
            or self.sql_uses
            or self.model_refs
            or self.self_calls
            or self.returns
            or self.constants
            or self.labels
            or self.bases
            or self.mappings
        )
