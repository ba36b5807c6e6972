"""data: every table of the analyzed tree, the models behind it, and the code touching it.

``build_catalog`` resolves the per-file data facts across files (``data_models`` decides which
classes are models and names their tables; ``data_access`` classifies each access), adds the
tables raw SQL names, and ``data_couplings`` turns the result into couplings for the graph:

- accessor -> ``table::name``, kind ``data``, mode ``read`` or ``write``, one per site; the graph
  counts a write as ``WRITE_FACTOR`` reads (see ``analyzer.design.signals.graph``);
- model class -> its table (and a many-to-many table -> the model declaring it, a ``Table(...)``
  -> the module defining it), mode ``model``: the definition belongs with the data, weighted
  like a write;
- model -> related model for each foreign key, one-to-one, many-to-many or relationship, mode
  ``fk``, soft: once the two sides live in different services the key becomes a plain ID;
- code naming a model by string (``apps.get_model("accounts", "Customer")``) -> that model,
  kind ``call``, soft.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.design.data.access import AccessInterpreter
from analyzer.design.data.joins import Join, find_joins
from analyzer.design.data.kinds import Mode, Model
from analyzer.design.data.models import ModelCatalog
from analyzer.design.data.relations import link_relations
from analyzer.design.data.values import GENERIC
from analyzer.design.symbols.bindings import Bindings
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.coupling import Coupling, table_node
from analyzer.model.facts import FileFacts


@dataclass(frozen=True, slots=True)
class TableInfo:
    """A table: ``kind`` ``model`` (a model's own), ``m2m`` (created for a many-to-many field),
    ``table`` (SQLAlchemy ``Table(...)``), ``external`` (a model of an installed package, such as
    ``django.contrib.auth``'s ``Group``) or ``sql`` (only named by raw SQL); ``definer`` is the
    node declaring it (``""`` for ``external`` and ``sql``)."""

    name: str
    kind: str
    models: tuple[str, ...]
    definer: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class TableAccess:
    """``source`` (a graph node id) reads or writes ``table`` at ``path``:``line``."""

    table: str
    source: str
    mode: Mode
    path: str
    line: int
    raw_sql: bool = False

    def __str__(self) -> str:
        return f"{self.source} {self.mode}s {self.table} ({self.path}:{self.line})"


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """Model ``source`` refers to model ``target`` through ``field``."""

    source: str
    target: str
    field: str
    kind: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class ModelReference:
    """``source`` names ``model`` by string (``label``)."""

    source: str
    model: str
    label: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class DataCatalog:
    """``peripheral``: modules and code units whose writes do not decide who owns a table
    (maintenance commands...: see ``ownership`` and ``analyzer.model.roles``)."""

    models: tuple[Model, ...] = ()
    tables: tuple[TableInfo, ...] = ()
    accesses: tuple[TableAccess, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    references: tuple[ModelReference, ...] = ()
    notes: tuple[str, ...] = ()
    peripheral: frozenset[str] = frozenset()
    joins: tuple[Join, ...] = ()

    def table(self, name: str) -> TableInfo | None:
        return next((t for t in self.tables if t.name == name), None)


def _node(module: str, scope: str) -> str:
    return f"{module}:{scope}" if scope else module


def build_catalog(
    files: Iterable[FileFacts], table: SymbolTable, asked: dict[str, set[str]] | None = None
) -> DataCatalog:
    """Models, tables, accesses and relations of ``files``; ``asked``, when given, collects the
    names asked of each module through the module-level bindings (see ``Bindings``)."""
    files = sorted(files, key=lambda f: f.module)
    bindings = Bindings(files, asked)
    catalog = ModelCatalog(files, table, bindings)
    link_relations(catalog)
    interpreter = AccessInterpreter(catalog, bindings)
    for f in files:
        for call in f.data.self_calls if f.data else ():
            key = (f"{f.module}:{call.cls}", call.method)
            interpreter.repos.self_calls.setdefault(key, set()).add(call.called)
    _generic_accesses(files, interpreter)
    accesses = _accesses(files, interpreter)
    raw, notes = _raw_sql(files)
    models = [catalog.models[m] for m in sorted(catalog.models)]
    notes = [*(f"{m.path}:{m.line}: {m.name}: {m.note}" for m in models if m.note), *notes]
    tables = _tables(catalog, files)
    canonical = {t.name.lower(): t.name for t in tables}
    found: list[TableAccess] = []
    for access in [*accesses, *raw]:
        name = canonical.get(access.table.lower(), access.table)
        found.append(
            TableAccess(name, access.source, access.mode, access.path, access.line, access.raw_sql)
        )
    known = {t.name for t in tables}
    first: dict[str, TableAccess] = {}
    for access in sorted(found, key=lambda a: (a.table, a.path, a.line)):
        first.setdefault(access.table, access)
    outside = {m.table: m.id for m in catalog.outside.values() if m.table}
    extra = [
        TableInfo(
            name,
            "external" if name in outside else "sql",
            (outside[name],) if name in outside else (),
            "",
            a.path,
            a.line,
        )
        for name, a in sorted(first.items())
        if name not in known
    ]
    return DataCatalog(
        models=tuple(catalog.models[m] for m in sorted(catalog.models)),
        tables=tuple(sorted([*tables, *extra], key=lambda t: t.name)),
        accesses=tuple(
            sorted(set(found), key=lambda a: (a.table, a.path, a.line, a.source, a.mode))
        ),
        foreign_keys=_foreign_keys(catalog),
        references=_references(files, catalog),
        notes=tuple(notes),
        joins=find_joins(files, interpreter, canonical),
    )


def _generic_accesses(files: list[FileFacts], interpreter: AccessInterpreter) -> None:
    """What the methods of repository base classes do to ``self.model``'s table."""
    for f in files:
        for fact in f.data.accesses if f.data else ():
            if not fact.method:
                continue
            context = interpreter.context(f, fact.scope)
            if not context.generic or context.cls is None:
                continue
            for touch in interpreter.touches(fact, context):
                if touch.table == GENERIC:
                    key = (context.cls, fact.method)
                    interpreter.repos.generic.setdefault(key, set()).add(touch.mode)


def _accesses(files: list[FileFacts], interpreter: AccessInterpreter) -> list[TableAccess]:
    found: list[TableAccess] = []
    for f in files:
        contexts: dict[str, object] = {}
        for fact in f.data.accesses if f.data else ():
            context = contexts.get(fact.scope)
            if context is None:
                context = contexts[fact.scope] = interpreter.context(f, fact.scope)
            for touch in interpreter.touches(fact, context):  # type: ignore[arg-type]
                if touch.table != GENERIC:
                    source = _node(f.module, fact.scope)
                    found.append(TableAccess(touch.table, source, touch.mode, f.path, fact.line))
    return found


def _raw_sql(files: list[FileFacts]) -> tuple[list[TableAccess], list[str]]:
    """Raw SQL accesses; a module-level SQL string is charged where it is executed."""
    found: list[TableAccess] = []
    notes: list[str] = []
    for f in files:
        data = f.data
        if data is None:
            continue
        bound = {s.binding: s for s in data.sql if s.binding}
        used = {u.name for u in data.sql_uses}
        sites = [(s, s.scope, s.line) for s in data.sql if not (s.binding and s.binding in used)]
        sites += [(bound[u.name], u.scope, u.line) for u in data.sql_uses if u.name in bound]
        for sql, scope, line in sites:
            source = _node(f.module, scope)
            for name in sql.reads:
                found.append(TableAccess(name, source, "read", f.path, line, True))
            for name in sql.writes:
                found.append(TableAccess(name, source, "write", f.path, line, True))
        notes.extend(
            f"{f.path}:{s.line}: SQL not parsed, tables found by a keyword scan"
            for s in data.sql
            if not s.parsed
        )
    return found, notes


def _tables(catalog: ModelCatalog, files: list[FileFacts]) -> list[TableInfo]:
    by_name: dict[str, list[str]] = defaultdict(list)
    definer: dict[str, TableInfo] = {}
    for model in sorted(catalog.models.values(), key=lambda m: (m.proxy, m.id)):
        if model.table is None:
            continue
        by_name[model.table].append(model.id)
        if not model.proxy and not model.imperative:
            definer.setdefault(
                model.table,
                TableInfo(model.table, "model", (), model.id, model.path, model.line),
            )
    for mid in sorted(catalog.relations):
        if catalog.models[mid].proxy:
            continue
        for relation in catalog.relations[mid].values():
            table = relation.table
            if relation.kind == "m2m" and table and not relation.through and table not in definer:
                definer[table] = TableInfo(table, "m2m", (), mid, relation.path, relation.line)
                by_name[table].append(mid)
    for f in files:
        for t in f.data.tables if f.data else ():
            definer.setdefault(t.table, TableInfo(t.table, "table", (), f.module, f.path, t.line))
    return [
        TableInfo(name, info.kind, tuple(by_name.get(name, ())), info.definer, info.path, info.line)
        for name, info in sorted(definer.items())
    ]


def _foreign_keys(catalog: ModelCatalog) -> tuple[ForeignKey, ...]:
    found: set[ForeignKey] = set()
    for mid, relations in catalog.relations.items():
        model = catalog.models[mid]
        if model.table is None or model.proxy:
            continue
        for relation in relations.values():
            target = relation.target
            if target is None or target == mid or target not in catalog.models:
                continue
            found.add(
                ForeignKey(mid, target, relation.name, relation.kind, relation.path, relation.line)
            )
    return tuple(sorted(found, key=lambda k: (k.source, k.field, k.target)))


def _references(files: list[FileFacts], catalog: ModelCatalog) -> tuple[ModelReference, ...]:
    found: list[ModelReference] = []
    for f in files:
        for ref in f.data.model_refs if f.data else ():
            model = catalog.label_model(ref.target)
            if model is not None:
                source = _node(f.module, ref.scope)
                found.append(ModelReference(source, model, ref.target, f.path, ref.line))
    return tuple(sorted(set(found), key=lambda r: (r.path, r.line, r.model)))


def data_couplings(catalog: DataCatalog) -> list[Coupling]:
    """The couplings data gives the graph (see the module docstring)."""
    out: list[Coupling] = []
    for access in catalog.accesses:
        out.append(
            Coupling(
                access.source,
                table_node(access.table),
                "data",
                access.path,
                access.line,
                access.table,
                mode=access.mode,
            )
        )
    for info in catalog.tables:
        for definer in sorted({info.definer, *info.models} - {""}):
            out.append(
                Coupling(
                    definer,
                    table_node(info.name),
                    "data",
                    info.path,
                    info.line,
                    info.name,
                    mode="model",
                )
            )
    for key in catalog.foreign_keys:
        detail = f"{key.source.split(':', 1)[1]}.{key.field}"
        out.append(
            Coupling(
                key.source, key.target, "data", key.path, key.line, detail, soft=True, mode="fk"
            )
        )
    for ref in catalog.references:
        out.append(
            Coupling(ref.source, ref.model, "call", ref.path, ref.line, ref.label, soft=True)
        )
    return out
