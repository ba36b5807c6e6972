"""Access classification: which tables a piece of code reads and writes, and where.

Each ``AccessFact`` is replayed against the model catalog: its value is resolved (a model
class, an instance, a manager or queryset, a related manager, an SQLAlchemy ``Table``, a
repository object...) and every step that touches the database is classified:

- write: Django ``create``/``update``/``update_or_create``/``get_or_create``/``bulk_create``/
  ``bulk_update``/``delete`` and related-manager ``add``/``remove``/``set``/``clear``, an
  instance's ``save()``/``delete()``, a session's ``add``/``add_all``/``delete``/``merge``/
  ``bulk_*``, ``insert(Model)``/``update(Model)``/``delete(Model)``, assignment or
  ``append``/``remove`` on an SQLAlchemy relationship with a ``secondary`` table (the association
  rows), Peewee ``create``/``insert``/``update``/``delete``...;
- read: any other manager or queryset call, ``Model.DoesNotExist``, ``session.get``/``query``,
  ``select(...)``, joins and loader options (a relationship names its target table and its
  ``secondary``), and the tables a Django lookup joins (``brand__slug``, ``categories=...``,
  ``Count("applications")``).

Foreign-key and relationship attributes of loaded objects (``order.customer``) are lazy loads
through the object graph and are not counted. Repository base classes that act on
``self.model`` (or on objects of unknown class while the class has a ``model`` attribute) are
generic: their accesses are charged to each call through a subclass that sets ``model``, at the
calling line.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.design.data.kinds import Mode
from analyzer.design.data.lookups import lookup_tables
from analyzer.design.data.models import ModelCatalog
from analyzer.design.data.repos import Repositories
from analyzer.design.data.values import GENERIC, QUERIED, Steps, Touch, Val
from analyzer.design.symbols.bindings import Bindings
from analyzer.model.data import BOUND, AccessFact, ValueRef
from analyzer.model.facts import FileFacts

_SESSION_WRITES = frozenset({"add", "add_all", "delete", "merge", "bulk_save_objects"})
_SESSION_MAPPINGS = frozenset({"bulk_insert_mappings", "bulk_update_mappings"})
_TARGETED = frozenset({"insert", "update", "delete"})


@dataclass(frozen=True, slots=True)
class Context:
    """Where a fact sits: its module, and the class whose method it is in (if any)."""

    file: FileFacts
    cls: str | None
    generic: bool


class AccessInterpreter:
    """Replays access facts against the catalog."""

    def __init__(self, catalog: ModelCatalog, bindings: Bindings) -> None:
        self.catalog = catalog
        self.bindings = bindings
        self.repos = Repositories(catalog, bindings, catalog.files)
        self.steps = Steps(catalog, self.repos, self._touch)
        self._tables = {
            (m, t.binding): t.table
            for m, f in catalog.files.items()
            for t in (f.data.tables if f.data else ())
        }
        self._touched: list[Touch] = []
        self._context: Context | None = None

    # -- entry points ----------------------------------------------------------------------------
    def context(self, file: FileFacts, scope: str) -> Context:
        cid = f"{file.module}:{scope}" if scope else None
        if cid is not None and cid not in self.catalog.classes:
            cid = None
        generic = (
            cid is not None
            and self.repos.declares_model(cid)
            and self.repos.concrete_model(cid) is None
        )
        return Context(file, cid, generic)

    def touches(self, fact: AccessFact, context: Context) -> list[Touch]:
        """The tables ``fact`` reads and writes; a write of a table hides its read."""
        self._touched = []
        self._context = context
        if fact.op == "use" and fact.subject is not None:
            self._use(fact)
        elif fact.op == "session":
            self._session(fact)
        elif fact.op == "statement":
            self._statement(fact)
        written = {t.table for t in self._touched if t.mode == "write"}
        seen: dict[tuple[str, str], Touch] = {}
        for touch in self._touched:
            if touch.mode == "read" and touch.table in written:
                continue
            seen.setdefault((touch.table, touch.mode), touch)
        return list(seen.values())

    @staticmethod
    def may_join(fact: AccessFact) -> bool:
        """Whether ``joins`` can find anything in ``fact``: most queries name no relation, and
        replaying them again would find nothing."""
        if fact.op == "use":
            return fact.subject is not None and bool(fact.lookups or fact.extra)
        if fact.op == "statement":
            return fact.name == "select" or fact.name.endswith("load")
        return fact.op == "session" and fact.name == "query"

    def joins(self, fact: AccessFact, context: Context) -> list[tuple[str, str, str]]:
        """``(queried table, joined table, how)`` for every relation the query of ``fact``
        follows in SQL: Django lookups (``how`` ``lookup``) and ``select_related``/
        ``prefetch_related`` (``related``), ``join()``/``outerjoin()`` clauses and the other
        models of a query (``join``), SQLAlchemy loader options (``joinedload``...)."""
        self._touched = []
        self._context = context
        if fact.op == "use" and fact.subject is not None:
            return self._use_joins(fact)
        if fact.op == "statement" and fact.name.endswith("load"):
            return self._loader_joins(fact)
        if not (fact.op == "statement" and fact.name == "select") and not (
            fact.op == "session" and fact.name == "query"
        ):
            return []
        named = [self.tables_named(ref) for ref in fact.args]
        bases = named[0] if named else []
        others = [t for tables in named[1:] for t in tables]
        others += [t for ref in fact.extra for t in self.tables_named(ref)]
        return [(b, t, "join") for b in bases for t in dict.fromkeys(others) if t != b]

    def _use_joins(self, fact: AccessFact) -> list[tuple[str, str, str]]:
        assert fact.subject is not None
        queried: list[str] = []
        self.walk(fact.subject, queried, replay=False)
        base = self.steps.table(queried[-1]) if queried else None
        if base is None:
            return []
        found = []
        for lookup in fact.lookups:
            how = "related" if lookup.endswith("__*") else "lookup"
            found += [(base, t, how) for t in lookup_tables(self.steps, queried[-1], [lookup])]
        for ref in fact.extra:
            found += [(base, t, "join") for t in self.tables_named(ref) if t != base]
        return found

    def _loader_joins(self, fact: AccessFact) -> list[tuple[str, str, str]]:
        """``joinedload(Order.items)``: the table of ``Order`` joined with the items'."""
        found = []
        for ref in fact.args:
            value = self.walk(ref, [], replay=False)
            owner = self.steps.table(value.model) if value is not None and value.model else None
            if owner is not None:
                found += [(owner, t, fact.name) for t in self.tables_named(ref) if t != owner]
        return found

    def _touch(self, table: str | None, mode: Mode) -> None:
        if table:
            self._touched.append(Touch(table, mode))

    # -- facts -----------------------------------------------------------------------------------
    def _use(self, fact: AccessFact) -> None:
        assert fact.subject is not None
        queried: list[str] = []
        self.walk(fact.subject, queried)
        if fact.lookups and queried:
            for table in lookup_tables(self.steps, queried[-1], fact.lookups):
                self._touch(table, "read")
        for ref in fact.extra:
            for table in self.tables_named(ref):
                self._touch(table, "read")

    def _session(self, fact: AccessFact) -> None:
        name = fact.name
        if name in _SESSION_WRITES:
            for ref in fact.args:
                value = self.walk(ref, [], replay=False)
                if value is not None and value.kind == "instance" and value.model:
                    self._touch(self.steps.table(value.model), "write")
                elif _unknown(value):
                    self._touch(self._own_table(), "write")
        elif name in _SESSION_MAPPINGS:
            for ref in fact.args[:1]:
                value = self.walk(ref, [], replay=False)
                if value is not None and value.kind == "model" and value.model:
                    self._touch(self.steps.table(value.model), "write")
        elif name in ("get", "get_one"):
            for ref in fact.args[:1]:
                value = self.walk(ref, [], replay=False)
                if value is not None and value.kind == "model" and value.model:
                    self._touch(self.steps.table(value.model), "read")
        else:
            mode: Mode = "write" if name == "query_write" else "read"
            for ref in fact.args:
                for table in self.tables_named(ref, whole=mode == "write"):
                    self._touch(table, mode)
        for ref in fact.extra:
            for table in self.tables_named(ref):
                self._touch(table, "read")

    def _statement(self, fact: AccessFact) -> None:
        targets: set[str] = set()
        if fact.name in _TARGETED:
            for ref in fact.args[:1]:
                for table in self.tables_named(ref, whole=True):
                    targets.add(table)
                    self._touch(table, "write")
        else:
            for ref in fact.args:
                for table in self.tables_named(ref):
                    self._touch(table, "read")
        for ref in fact.extra:
            for table in self.tables_named(ref):
                if table not in targets:
                    self._touch(table, "read")

    def _own_table(self) -> str | None:
        """For an object of unknown class handed to a session inside a repository: the table of
        the repository's ``model`` (``GENERIC`` in a base class that leaves it open)."""
        context = self._context
        if context is None or context.cls is None:
            return None
        if context.generic:
            return GENERIC
        return self.steps.table(self.repos.concrete_model(context.cls))

    def tables_named(self, ref: ValueRef, whole: bool = False) -> list[str]:
        """Tables a value names inside a query: a model, its columns or relationships, a
        ``Table`` and its columns. ``whole``: only a model or table itself (a DML target)."""
        value = self.walk(ref, [], replay=False)
        if value is None:
            return []
        if value.kind in ("model", "table", "manager") and value.table:
            return [value.table]
        if whole:
            return []
        if value.kind == "column" and value.model:
            relation = self.catalog.relations.get(value.model, {}).get(value.name)
            if relation is not None and relation.kind == "rel":
                found = [
                    self.steps.table(relation.target) if relation.target else None,
                    relation.table,
                ]
                return [t for t in found if t]
            own = self.steps.table(value.model)
            return [own] if own else []
        if value.kind == "table_column" and value.table:
            return [value.table]
        return []

    # -- the walk --------------------------------------------------------------------------------
    def walk(self, ref: ValueRef, queried: list[str], replay: bool = True) -> Val | None:
        """Resolve ``ref`` step by step, touching tables as its calls would (when ``replay``)."""
        context = self._context
        assert context is not None
        start = self.start(ref, context)
        if start is None:
            return None
        value, rest = start
        steps = [*rest, *ref.path]
        bound = max((i for i, s in enumerate(steps) if s == BOUND), default=-1)
        for i, step in enumerate(steps):
            if value is None:
                return None
            if step == BOUND:
                continue
            after = next((s for s in steps[i + 1 :] if s != BOUND), "")
            value = self.steps.step(value, step, after, replay and i > bound)
            if value is not None and value.model and value.kind in QUERIED:
                queried.append(value.model)
        return value

    def start(self, ref: ValueRef, context: Context) -> tuple[Val | None, list[str]] | None:
        catalog = self.catalog
        if ref.label:
            model = catalog.label_model(ref.label)
            return (Val("model", model, self.steps.table(model)), []) if model else None
        parts = ref.chain.split(".")
        module = context.file.module
        if parts[0] in ("self", "cls"):
            return self._self_start(parts, context)
        table_binding = self._table_binding(module, parts)
        if table_binding is not None:
            return table_binding
        labelled = self._labelled(module, parts[0])
        if labelled is not None:
            return Val("model", labelled, self.steps.table(labelled)), parts[1:]
        scope = context.cls.split(":", 1)[1] if context.cls else None
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            node = catalog.table.resolve(module, prefix, scope)
            if node is None:
                return self._outside_model(module, parts)
            if ":" in node:
                return self._symbol(node, parts[:i], module), parts[i:]
            if i < len(parts):
                found = self._tables.get((node, parts[i]))
                if found:
                    return Val("table", table=found), parts[i + 1 :]
        return self._outside_model(module, parts)

    def _outside_model(self, module: str, parts: list[str]) -> tuple[Val, list[str]] | None:
        """A Django model of an installed package outside the tree (``Site``, ``auth.Group``)."""
        for i in range(1, len(parts) + 1):
            absolute = self.bindings.absolute(module, ".".join(parts[:i]))
            if absolute is None:
                continue
            model = self.catalog.outside_model(absolute)
            if model is not None:
                return Val("model", model.id, model.table), parts[i:]
        return None

    def _labelled(self, module: str, name: str) -> str | None:
        """A module-level name bound by app label (``User = get_user_model()``)."""
        binding = self.bindings.find(module, name)
        if binding is None or not binding.call:
            return None
        data = (
            self.catalog.files[binding.module].data
            if binding.module in self.catalog.files
            else None
        )
        label = dict(data.labels).get(binding.name) if data else None
        return self.catalog.label_model(label) if label else None

    def _table_binding(self, module: str, parts: list[str]) -> tuple[Val, list[str]] | None:
        binding = self.bindings.find(module, parts[0])
        if binding is None or not binding.call:
            return None
        table = self._tables.get((binding.module, binding.name))
        return (Val("table", table=table), parts[1:]) if table else None

    def _self_start(
        self, parts: list[str], context: Context
    ) -> tuple[Val | None, list[str]] | None:
        cls = context.cls
        if cls is None:
            return None
        if cls in self.catalog.models:
            # Inside a concrete model: ``cls`` in a classmethod and ``self.__class__`` are it;
            # in any model, ``self.<relation>`` is one of its relations.
            if self.steps.table(cls) and parts[0] == "cls":
                return Val("model", cls, self.steps.table(cls)), parts[1:]
            if self.steps.table(cls) and parts[1:2] == ["__class__"]:
                return Val("model", cls, self.steps.table(cls)), parts[2:]
            if parts[0] == "self" and len(parts) > 1 and self._relation_named(cls, parts[1]):
                return Val("instance", cls, self.steps.table(cls)), parts[1:]
        if len(parts) < 2:
            return None
        attr = parts[1]
        if attr == "model":
            model = self.repos.concrete_model(cls)
            if model is not None:
                return Val("model", model, self.steps.table(model)), parts[2:]
            if context.generic:
                return Val("model", GENERIC, GENERIC), parts[2:]
        named = self.repos.class_name_attribute(cls, attr)
        if named is not None:
            owner, chain = named
            owner_file = self.catalog.classes[owner].file
            inner = self.start(ValueRef(chain), Context(owner_file, owner, False))
            if inner is None:
                return None
            return inner[0], [*inner[1], *parts[2:]]
        node = self.catalog.table.resolve(
            context.file.module, ".".join(parts[:2]), cls.split(":", 1)[1]
        )
        if node is None or ":" not in node:
            return None
        if node in self.catalog.models:
            return Val("instance", node), parts[2:]
        return (Val("object", cls=node) if node in self.catalog.classes else None), parts[2:]

    def _symbol(self, node: str, prefix: list[str], module: str) -> Val:
        catalog = self.catalog
        name = node.split(":", 1)[1]
        bound = prefix[-1] != name
        if bound and len(prefix) == 1:
            alias = self.bindings.alias(module, prefix[0])
            bound = not (alias is not None and alias.rsplit(".", 1)[-1] == name)
        if node in catalog.models:
            return Val("instance" if bound else "model", node, self.steps.table(node))
        if node in catalog.classes:
            return Val("object" if bound else "class", cls=node)
        return Val("function", func=node)

    def _relation_named(self, model: str, name: str) -> bool:
        return name in self.catalog.relations.get(
            model, {}
        ) or name in self.catalog.reverse_accessor.get(model, {})


def _unknown(value: Val | None) -> bool:
    return value is None or value.kind in ("object", "dispatch")
