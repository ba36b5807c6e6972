"""Class bodies as ORM declarations: options, Meta, relations, managers, SQLAlchemy tables.

Which classes are models is decided later, across files, from their bases; here each top-level
class body is written down as far as it matters for that: literal options (``__tablename__``,
``Meta.db_table``, ``Meta.abstract``, ``table=True``, an AppConfig's ``name`` and ``label``),
class attributes naming other things (``model = Invoice``), relational fields with their targets,
and managers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import libcst as cst

from analyzer.extract.collectors.imports import string_value
from analyzer.extract.scope import dotted
from analyzer.model.data import ClassFact, FieldFact, TableDef

RELATIONS = frozenset(
    """ForeignKey OneToOneField ManyToManyField TreeForeignKey TreeOneToOneField
    TreeManyToManyField ParentalKey ParentalManyToManyField SortedManyToManyField
    ForeignKeyField ManyToManyField DeferredForeignKey relationship Relationship""".split()
)
_COLUMNS = frozenset({"Column", "mapped_column", "Field", "column_property"})
_OPTIONS = frozenset(
    {
        "to",
        "through",
        "related_name",
        "related_query_name",
        "db_table",
        "secondary",
        "back_populates",
        "backref",
        "model",
        "argument",
        "foreign_key",
    }
)


def _literal(node: cst.BaseExpression) -> str | None:
    """A string, ``True``/``False`` or an integer as text; ``None`` for anything else."""
    text = string_value(node)
    if text is not None:
        return text
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value
    if isinstance(node, cst.Integer):
        return node.value
    return None


def _last(name: str | None) -> str:
    return name.rsplit(".", 1)[-1] if name else ""


def foreign_keys_in(call: cst.Call) -> tuple[str, ...]:
    """``table.column`` of every ``ForeignKey("table.column")`` among a call's arguments, and
    SQLModel's ``Field(foreign_key="table.column")``."""
    found: list[str] = []
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "foreign_key":
            text = string_value(arg.value)
            if text:
                found.append(text)
            continue
        value = arg.value
        if isinstance(value, cst.Call) and _last(dotted(value.func)) == "ForeignKey":
            first = value.args[0].value if value.args else None
            text = string_value(first) if first is not None else None
            if text:
                found.append(text)
    return tuple(found)


def _target(value: cst.BaseExpression) -> tuple[str, bool] | None:
    text = string_value(value)
    if text is not None:
        return text, True
    chain = dotted(value)
    return (chain, False) if chain else None


def field_fact(name: str, call: cst.Call, annotation: str = "") -> FieldFact | None:
    """A relational field (or a column with a foreign key), else ``None``."""
    kind = dotted(call.func) or ""
    last = _last(kind)
    keys = foreign_keys_in(call)
    if last not in RELATIONS and not (last in _COLUMNS and keys):
        return None
    target: tuple[str, bool] | None = None
    options: list[tuple[str, str]] = []
    positional = [a for a in call.args if a.keyword is None]
    if positional and last in RELATIONS:
        target = _target(positional[0].value)
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value not in _OPTIONS:
            continue
        key = arg.keyword.value
        if key in ("to", "model", "argument") and target is None:
            target = _target(arg.value)
            continue
        value = string_value(arg.value) or dotted(arg.value)
        if value:
            options.append((key, value))
    return FieldFact(
        name=name,
        line=0,
        kind=kind,
        target=target[0] if target else "",
        target_string=target[1] if target else False,
        options=tuple(options),
        foreign_keys=keys,
        annotation=annotation,
    )


def is_manager(call: cst.Call) -> bool:
    """``Manager()``, ``ProductQuerySet.as_manager()``, ``Base.from_queryset(QS)()``."""
    func = call.func
    if isinstance(func, cst.Call):
        return _last(dotted(func.func)) == "from_queryset"
    name = dotted(func) or ""
    return _last(name).endswith("Manager") or name.endswith(".as_manager")


def table_def(
    binding: str, call: cst.Call, names: frozenset[str] = frozenset({"Table"})
) -> TableDef | None:
    """``Table("name", metadata, Column(..., ForeignKey("t.c")), ..., schema="s")``: named
    ``s.name`` with a schema, as SQLAlchemy's ``metadata.tables`` keys it. ``names``: what
    ``Table`` is called in the file (``from sqlalchemy import Table as DBTable``)."""
    if _last(dotted(call.func)) not in names or not call.args:
        return None
    name = string_value(call.args[0].value)
    if not name:
        return None
    keys: list[str] = []
    for arg in call.args[1:]:
        if arg.keyword is not None and arg.keyword.value == "schema":
            schema = string_value(arg.value)
            if schema:
                name = f"{schema}.{name}"
        elif isinstance(arg.value, cst.Call):
            keys.extend(foreign_keys_in(arg.value))
    return TableDef(binding, name, 0, tuple(keys))


def table_args_schema(value: cst.BaseExpression) -> str | None:
    """The ``schema`` of ``__table_args__ = {"schema": "s"}`` or ``(..., {"schema": "s"})``."""
    if isinstance(value, cst.Tuple) and value.elements:
        value = value.elements[-1].value
    if not isinstance(value, cst.Dict):
        return None
    for element in value.elements:
        if isinstance(element, cst.DictElement) and string_value(element.key) == "schema":
            return string_value(element.value)
    return None


_BASE_KEYWORDS = frozenset(
    {"cls", "model_class", "metaclass", "metadata", "disable_autonaming", "schema"}
)


def base_keywords(call: cst.Call, prefix: str = "") -> list[tuple[str, str]]:
    """The keyword arguments of a call that shape a declarative base (see ``BaseCall``)."""
    found: list[tuple[str, str]] = []
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value not in _BASE_KEYWORDS:
            continue
        key = prefix + arg.keyword.value
        value = arg.value
        if isinstance(value, cst.Call):
            callee = callee_of(value)
            if callee:
                found.append((key, f"{callee}()"))
                found.extend(base_keywords(value, f"{key}."))
            continue
        text = _literal(value) or dotted(value)
        if text:
            found.append((key, text))
    return found


def callee_of(call: cst.Call) -> str | None:
    """``a.b`` for ``a.b(...)``; ``registry().generate_base`` for a method of a call's result."""
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
        inner = dotted(func.value.func)
        return f"{inner}().{func.attr.value}" if inner else None
    return dotted(func)


class ClassBuilder:
    """Collects a ``ClassFact`` while the traversal is inside one top-level class."""

    __slots__ = (
        "columns",
        "declared",
        "fields",
        "has_meta",
        "managers",
        "meta_bases",
        "methods",
        "name",
        "names",
        "node",
        "strings",
    )

    def __init__(self, node: cst.ClassDef) -> None:
        self.node = node
        self.name = node.name.value
        self.strings: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.declared: list[str] = []
        self.fields: list[tuple[cst.CSTNode, FieldFact]] = []
        self.managers: list[str] = []
        self.meta_bases: tuple[str, ...] = ()
        self.has_meta = False
        self.columns = 0
        self.methods: list[str] = []
        for keyword in node.keywords:
            if keyword.keyword is not None:
                value = _literal(keyword.value)
                if value is not None:
                    self.strings[f"kw.{keyword.keyword.value}"] = value

    def meta(self, node: cst.ClassDef) -> None:
        self.has_meta = True
        self.meta_bases = tuple(filter(None, (dotted(a.value) for a in node.bases)))

    def meta_option(self, name: str, value: cst.BaseExpression) -> None:
        literal = _literal(value)
        if literal is not None:
            self.strings[f"meta.{name}"] = literal

    def attribute(
        self,
        name: str,
        value: cst.BaseExpression | None,
        node: cst.CSTNode,
        annotation: str = "",
    ) -> bool:
        """A class-body assignment ``name = value`` (``value`` ``None``: only annotated); true
        when it is a relational field whose line the caller must mark."""
        if value is None:
            self.declared.append(name)
            return False
        literal = _literal(value)
        if literal is not None:
            self.strings[name] = literal
            return False
        chain = dotted(value)
        if chain is not None:
            self.names[name] = chain
            return False
        if name == "__table_args__":
            schema = table_args_schema(value)
            if schema:
                self.strings["__table_args__.schema"] = schema
            return False
        if not isinstance(value, cst.Call):
            return False
        if name == "__table__":
            table = table_def(name, value)
            if table is not None:
                self.strings["__table__"] = table.table
            return False
        fact = field_fact(name, value, annotation)
        if fact is not None:
            self.fields.append((node, fact))
            return True
        if is_manager(value):
            self.managers.append(name)
        else:
            callee = _last(dotted(value.func))
            if callee.endswith("Field") or callee in _COLUMNS:
                self.columns += 1
        return False

    def method(self, name: str) -> None:
        self.methods.append(name)
        if name == "__tablename__":
            self.declared.append(name)

    def fact(self, line: Callable[[cst.CSTNode], int]) -> ClassFact:
        return ClassFact(
            name=self.name,
            line=line(self.node),
            strings=tuple(sorted(self.strings.items())),
            names=tuple(sorted(self.names.items())),
            declared=tuple(dict.fromkeys(self.declared)),
            fields=tuple(replace(f, line=line(node)) for node, f in self.fields),
            managers=tuple(dict.fromkeys(self.managers)),
            meta_bases=self.meta_bases,
            has_meta=self.has_meta,
            columns=self.columns,
            methods=tuple(dict.fromkeys(self.methods)),
        )
