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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from analyzer.design.bindings import Bindings
from analyzer.design.data_models import Model, ModelCatalog, Relation
from analyzer.model.data import ASSIGN, BOUND, CALL, ITEM, AccessFact, ValueRef
from analyzer.model.facts import FileFacts

Mode = Literal["read", "write"]
GENERIC = "<model>"
"""Stands for the table of ``self.model`` until a call through a subclass fixes it."""

_ERRORS = frozenset({"DoesNotExist", "MultipleObjectsReturned"})
_QUERIED = frozenset({"manager", "queryset", "related"})
_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
DJANGO_WRITES = frozenset(
    {
        "create",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "update",
        "delete",
        "add",
        "remove",
        "set",
        "clear",
    }
)
_INSTANCE_RESULTS = frozenset(
    {"get", "create", "first", "last", "latest", "earliest", "get_or_none", "get_by_id", "one"}
)
_INSTANCE_RESULTS |= {"one_or_none", "scalar", "get_one"}
_TUPLE_RESULTS = frozenset({"get_or_create", "update_or_create"})
_SCALAR_RESULTS = frozenset(
    {"count", "exists", "aggregate", "update", "delete", "bulk_update", "contains", "explain"}
)
_INSTANCE_WRITES = frozenset({"save", "delete", "delete_instance"})
_COLLECTION_WRITES = frozenset({"append", "extend", "remove", "clear", "add", "discard", "pop"})
PEEWEE_WRITES = frozenset(
    {
        "create",
        "insert",
        "insert_many",
        "insert_from",
        "replace",
        "replace_many",
        "update",
        "delete",
        "delete_by_id",
        "bulk_create",
        "bulk_update",
        "get_or_create",
    }
)
PEEWEE_READS = frozenset({"select", "get", "get_or_none", "get_by_id", "raw", "filter"})
_QUERY_WRITES = frozenset({"delete", "update"})
_SESSION_WRITES = frozenset({"add", "add_all", "delete", "merge", "bulk_save_objects"})
_SESSION_MAPPINGS = frozenset({"bulk_insert_mappings", "bulk_update_mappings"})
_TARGETED = frozenset({"insert", "update", "delete"})
_TERMINALS = frozenset(
    """exact iexact contains icontains in gt gte lt lte startswith istartswith endswith iendswith
    range date year iso_year month day week week_day iso_week_day quarter time hour minute second
    isnull regex iregex search unaccent trigram_similar overlap contained_by contains has_key
    has_keys has_any_keys len keys values pk id""".split()
)


@dataclass(frozen=True, slots=True)
class Touch:
    """One table touched by one fact: ``mode`` on ``table`` (``GENERIC``: ``self.model``'s)."""

    table: str
    mode: Mode


@dataclass(frozen=True, slots=True)
class _Val:
    kind: str
    model: str | None = None
    table: str | None = None
    cls: str | None = None
    func: str | None = None
    name: str = ""
    deep: bool = False  # a column: an attribute of an attribute (``Order.id.desc``)


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
        self._model_attr: dict[str, str | None] = {}
        self._returns: dict[str, dict[str, str]] = {
            m: dict(f.data.returns) for m, f in catalog.files.items() if f.data
        }
        self._tables = {
            (m, t.binding): t.table
            for m, f in catalog.files.items()
            for t in (f.data.tables if f.data else ())
        }
        self._touched: list[Touch] = []
        self._context: Context | None = None
        self.generic: dict[tuple[str, str], set[Mode]] = {}
        self.self_calls: dict[tuple[str, str], set[str]] = {}
        self.generic_model = Model(GENERIC, "", "", "", 0, "django", GENERIC)

    # -- entry points ----------------------------------------------------------------------------
    def context(self, file: FileFacts, scope: str) -> Context:
        cid = f"{file.module}:{scope}" if scope else None
        if cid is not None and cid not in self.catalog.classes:
            cid = None
        generic = cid is not None and self.declares_model(cid) and self.concrete_model(cid) is None
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

    def _touch(self, table: str | None, mode: Mode) -> None:
        if table:
            self._touched.append(Touch(table, mode))

    # -- facts -----------------------------------------------------------------------------------
    def _use(self, fact: AccessFact) -> None:
        assert fact.subject is not None
        queried: list[str] = []
        self.walk(fact.subject, queried)
        if fact.lookups and queried:
            for table in self.lookup_tables(queried[-1], fact.lookups):
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
                    self._touch(self._table(value.model), "write")
                elif _unknown(value):
                    self._touch(self._own_table(), "write")
        elif name in _SESSION_MAPPINGS:
            for ref in fact.args[:1]:
                value = self.walk(ref, [], replay=False)
                if value is not None and value.kind == "model" and value.model:
                    self._touch(self._table(value.model), "write")
        elif name in ("get", "get_one"):
            for ref in fact.args[:1]:
                value = self.walk(ref, [], replay=False)
                if value is not None and value.kind == "model" and value.model:
                    self._touch(self._table(value.model), "read")
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
        return self._table(self.concrete_model(context.cls))

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
                found = [self._table(relation.target) if relation.target else None, relation.table]
                return [t for t in found if t]
            own = self._table(value.model)
            return [own] if own else []
        if value.kind == "table_column" and value.table:
            return [value.table]
        return []

    # -- the walk --------------------------------------------------------------------------------
    def walk(self, ref: ValueRef, queried: list[str], replay: bool = True) -> _Val | None:
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
            value = self._step(value, step, after, replay and i > bound)
            if value is not None and value.model and value.kind in _QUERIED:
                queried.append(value.model)
        return value

    def start(self, ref: ValueRef, context: Context) -> tuple[_Val | None, list[str]] | None:
        catalog = self.catalog
        if ref.label:
            model = catalog.label_model(ref.label)
            return (_Val("model", model, self._table(model)), []) if model else None
        parts = ref.chain.split(".")
        module = context.file.module
        if parts[0] in ("self", "cls"):
            return self._self_start(parts, context)
        table_binding = self._table_binding(module, parts)
        if table_binding is not None:
            return table_binding
        labelled = self._labelled(module, parts[0])
        if labelled is not None:
            return _Val("model", labelled, self._table(labelled)), parts[1:]
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
                    return _Val("table", table=found), parts[i + 1 :]
        return self._outside_model(module, parts)

    def _outside_model(self, module: str, parts: list[str]) -> tuple[_Val, list[str]] | None:
        """A Django model of an installed package outside the tree (``Site``, ``auth.Group``)."""
        for i in range(1, len(parts) + 1):
            absolute = self.bindings.absolute(module, ".".join(parts[:i]))
            if absolute is None:
                continue
            model = self.catalog.outside_model(absolute)
            if model is not None:
                return _Val("model", model.id, model.table), parts[i:]
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

    def _table_binding(self, module: str, parts: list[str]) -> tuple[_Val, list[str]] | None:
        binding = self.bindings.find(module, parts[0])
        if binding is None or not binding.call:
            return None
        table = self._tables.get((binding.module, binding.name))
        return (_Val("table", table=table), parts[1:]) if table else None

    def _self_start(
        self, parts: list[str], context: Context
    ) -> tuple[_Val | None, list[str]] | None:
        cls = context.cls
        if cls is None:
            return None
        if cls in self.catalog.models:
            # Inside a concrete model: ``cls`` in a classmethod and ``self.__class__`` are it;
            # in any model, ``self.<relation>`` is one of its relations.
            if self._table(cls) and parts[0] == "cls":
                return _Val("model", cls, self._table(cls)), parts[1:]
            if self._table(cls) and parts[1:2] == ["__class__"]:
                return _Val("model", cls, self._table(cls)), parts[2:]
            if parts[0] == "self" and len(parts) > 1 and self._relation_named(cls, parts[1]):
                return _Val("instance", cls, self._table(cls)), parts[1:]
        if len(parts) < 2:
            return None
        attr = parts[1]
        if attr == "model":
            model = self.concrete_model(cls)
            if model is not None:
                return _Val("model", model, self._table(model)), parts[2:]
            if context.generic:
                return _Val("model", GENERIC, GENERIC), parts[2:]
        named = self._class_name_attribute(cls, attr)
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
            return _Val("instance", node), parts[2:]
        return (_Val("object", cls=node) if node in self.catalog.classes else None), parts[2:]

    def _symbol(self, node: str, prefix: list[str], module: str) -> _Val:
        catalog = self.catalog
        name = node.split(":", 1)[1]
        bound = prefix[-1] != name
        if bound and len(prefix) == 1:
            alias = self.bindings.alias(module, prefix[0])
            bound = not (alias is not None and alias.rsplit(".", 1)[-1] == name)
        if node in catalog.models:
            return _Val("instance" if bound else "model", node, self._table(node))
        if node in catalog.classes:
            return _Val("object" if bound else "class", cls=node)
        return _Val("function", func=node)

    def _relation_named(self, model: str, name: str) -> bool:
        return name in self.catalog.relations.get(
            model, {}
        ) or name in self.catalog.reverse_accessor.get(model, {})

    def _table(self, model: str | None) -> str | None:
        found = self._model(model)
        return found.table if found else None

    def _model(self, model: str | None) -> Model | None:
        if model == GENERIC:
            return self.generic_model
        if not model:
            return None
        return self.catalog.models.get(model) or self.catalog.outside.get(model)

    def _step(self, value: _Val, step: str, after: str, replay: bool) -> _Val | None:
        kind = value.kind
        if kind == "model":
            return self._model_step(value, step, after, replay)
        if kind in ("manager", "queryset", "related"):
            if step == ITEM:
                return _Val("instance", value.model, self._table(value.model))
            if step in (CALL, ASSIGN):
                return None
            return _Val("pending", value.model, value.table, name=step, cls=kind)
        if kind == "pending":
            return self._pending(value, step, replay)
        if kind == "pending_write":
            if step == CALL and replay:
                self._touch(value.table, "write")
            return None
        if kind == "through":
            return _Val("manager", None, value.table) if step in _MANAGERS else None
        if kind == "column":
            if step == CALL and not value.deep and value.model:
                # Model.model_validate(...), Model.from_orm(...): a constructor
                return _Val("instance", value.model, self._table(value.model))
            return _Val("column", value.model, name=value.name, deep=True)
        if kind == "table_column":
            return value
        if kind == "tuple":
            return _Val("instance", value.model, self._table(value.model)) if step == ITEM else None
        if kind == "instance":
            return self._instance_step(value, step, after, replay)
        if kind == "relattr":
            return self._relation_attribute(value, step, after, replay)
        if kind == "field":
            return self._field_step(value, step)
        if kind == "table":
            return self._table_step(value, step, after, replay)
        if kind == "class":
            return _Val("object", cls=value.cls) if step == CALL else None
        if kind == "object":
            if step in (CALL, ITEM, ASSIGN):
                return None
            return _Val("dispatch", cls=value.cls, name=step)
        if kind == "dispatch":
            return self._dispatch(value, replay) if step == CALL else None
        if kind == "function":
            return self._returned(value.func, None) if step == CALL else None
        return None

    def _model_step(self, value: _Val, step: str, after: str, replay: bool) -> _Val | None:
        model = self._model(value.model)
        if model is None:
            return None
        if step == CALL:
            return _Val("instance", model.id, model.table)
        if step in _ERRORS:
            if replay:
                self._touch(model.table, "read")
            return None
        if model.framework == "django":
            if step in _MANAGERS or step in self.managers(model.id):
                return _Val("manager", model.id, model.table)
            if step in self.catalog.relations.get(model.id, {}):
                return _Val("field", model.id, name=step)
            reverse = self.catalog.reverse_accessor.get(model.id, {}).get(step)
            if reverse is not None and reverse.kind == "m2m":
                return _Val("field", reverse.model, name=reverse.name)
            return None
        if model.framework == "peewee":
            if step in PEEWEE_WRITES or step in PEEWEE_READS:
                return _Val("pending", model.id, model.table, name=step, cls="peewee")
            return _Val("column", model.id, name=step)
        if step == "query":
            return _Val("queryset", model.id, model.table)
        if step == "__table__":
            return _Val("table", table=model.table)
        return _Val("column", model.id, name=step)

    def _pending(self, value: _Val, step: str, replay: bool) -> _Val | None:
        if step != CALL:
            return None
        name = value.name
        origin = value.cls
        if origin == "peewee":
            write = name in PEEWEE_WRITES
        elif origin == "queryset" and self._framework(value.model) != "django":
            write = name in _QUERY_WRITES
        else:
            write = name in DJANGO_WRITES
        if replay:
            self._touch(value.table, "write" if write else "read")
            if origin == "related" and name == "create" and value.model:
                self._touch(self._table(value.model), "write")
        if name in _TUPLE_RESULTS:
            return _Val("tuple", value.model)
        if name in _INSTANCE_RESULTS:
            return _Val("instance", value.model, self._table(value.model))
        if name in _SCALAR_RESULTS:
            return None
        return _Val("queryset", value.model, value.table)

    def _instance_step(self, value: _Val, step: str, after: str, replay: bool) -> _Val | None:
        model = self._model(value.model)
        if model is None or step in (CALL, ASSIGN):
            return None
        if step == ITEM:
            return value
        if step in _INSTANCE_WRITES and model.framework in ("django", "peewee"):
            return _Val("pending_write", model.id, model.table)
        relation = self.catalog.relations.get(model.id, {}).get(step)
        if relation is not None:
            if relation.kind == "m2m" and after == "through":
                return _Val("field", model.id, name=step)
            if relation.kind == "m2m":
                return _Val("related", relation.target, relation.table)
            if relation.kind == "rel":
                return _Val("relattr", relation.target, relation.table)
            return _Val("instance", relation.target, self._table(relation.target))
        reverse = self.catalog.reverse_accessor.get(model.id, {}).get(step)
        if reverse is not None:
            if reverse.kind == "o2o":
                return _Val("instance", reverse.model, self._table(reverse.model))
            table = reverse.table if reverse.kind == "m2m" else self._table(reverse.model)
            return _Val("related", reverse.model, table)
        return None

    def _relation_attribute(self, value: _Val, step: str, after: str, replay: bool) -> _Val | None:
        if step == ASSIGN or (step in _COLLECTION_WRITES and after == CALL):
            if replay:
                self._touch(value.table, "write")
            return None
        return self._instance_step(_Val("instance", value.model), step, after, replay)

    def _field_step(self, value: _Val, step: str) -> _Val | None:
        relation = self.catalog.relations.get(value.model or "", {}).get(value.name)
        if relation is None or step != "through":
            return None
        if relation.through:
            return _Val("model", relation.through, self._table(relation.through))
        return _Val("through", relation.model, relation.table)

    def _table_step(self, value: _Val, step: str, after: str, replay: bool) -> _Val | None:
        if step in ("c", "columns"):
            return _Val("table_column", table=value.table)
        if step in ("insert", "update", "delete") and after == CALL:
            if replay:
                self._touch(value.table, "write")
            return None
        if step in ("select", "join", "outerjoin") and after == CALL:
            if replay:
                self._touch(value.table, "read")
            return None
        return None

    # -- generic repositories --------------------------------------------------------------------
    def declares_model(self, cid: str) -> bool:
        for c in [cid, *self.catalog.ancestors(cid)]:
            fact = self.catalog.classes[c].fact
            if fact is not None and ("model" in fact.declared or "model" in dict(fact.names)):
                return True
        return False

    def concrete_model(self, cid: str) -> str | None:
        """The model a class's ``model = X`` attribute (own or inherited) names."""
        if cid not in self._model_attr:
            self._model_attr[cid] = None
            named = self._class_name_attribute(cid, "model")
            if named is not None:
                owner, chain = named
                module = self.catalog.classes[owner].file.module
                node = self.catalog.table.resolve(module, chain)
                self._model_attr[cid] = node if node in self.catalog.models else None
        return self._model_attr[cid]

    def _class_name_attribute(self, cid: str, attr: str) -> tuple[str, str] | None:
        for c in [cid, *self.catalog.ancestors(cid)]:
            fact = self.catalog.classes[c].fact
            if fact is not None and attr in dict(fact.names):
                return c, dict(fact.names)[attr]
        return None

    def _dispatch(self, value: _Val, replay: bool) -> _Val | None:
        cls = value.cls
        if cls is None:
            return None
        model = self.concrete_model(cls)
        if model is not None and replay:
            for mode in self.generic_modes(cls, value.name):
                self._touch(self._table(model), mode)
        return self._returned(self._method_owner(cls, value.name), model, value.name)

    def generic_modes(
        self, cls: str, method: str, seen: set[tuple[str, str]] | None = None
    ) -> set[Mode]:
        """How calling ``method`` on an object of ``cls`` touches ``self.model``'s table."""
        seen = seen if seen is not None else set()
        owner = self._method_owner(cls, method)
        if owner is None or (owner, method) in seen:
            return set()
        seen.add((owner, method))
        modes = set(self.generic.get((owner, method), set()))
        for called in sorted(self.self_calls.get((owner, method), set())):
            modes |= self.generic_modes(cls, called, seen)
        return modes

    def _method_owner(self, cls: str, method: str) -> str | None:
        for c in [cls, *self.catalog.ancestors(cls)]:
            fact = self.catalog.classes[c].fact
            if fact is not None and method in fact.methods:
                return c
        return None

    def _returned(self, owner: str | None, model: str | None, method: str = "") -> _Val | None:
        """The value a function (or ``method`` of class ``owner``) returns, by its annotation."""
        if owner is None:
            return None
        module, _, name = owner.partition(":")
        key = f"{name}.{method}" if method else name
        chain = self._returns.get(module, {}).get(key)
        if chain is None:
            return None
        node = self.catalog.table.resolve(module, chain)
        if node in self.catalog.models:
            return _Val("instance", node, self._table(node))
        if node is not None and node in self.catalog.classes:
            return _Val("object", cls=node)
        if model is not None and node is None:
            binding = self.bindings.find(module, chain)
            if binding is not None and binding.value.endswith("TypeVar"):
                return _Val("instance", model, self._table(model))
        return None

    # -- Django lookups --------------------------------------------------------------------------
    def managers(self, mid: str) -> set[str]:
        found: set[str] = set()
        for c in [mid, *self.catalog.ancestors(mid)]:
            fact = self.catalog.classes[c].fact
            if fact is not None:
                found.update(fact.managers)
        return found

    def lookup_tables(self, mid: str, lookups: Iterable[str]) -> list[str]:
        """Tables a Django query joins for its lookups (``brand__slug`` joins the brand table;
        ``brand=x`` and ``brand__in`` do not)."""
        if self._framework(mid) != "django":
            return []
        found: list[str] = []
        for lookup in lookups:
            found.extend(self._lookup(mid, lookup.split("__")))
        return found

    def _lookup(self, mid: str, parts: list[str]) -> list[str]:
        found: list[str] = []
        current: str | None = mid
        for i, part in enumerate(parts):
            if current is None or part in _TERMINALS:
                break
            follows = i + 1 < len(parts) and parts[i + 1] not in _TERMINALS
            relation = self.catalog.relations.get(current, {}).get(part)
            reverse = self.catalog.reverse_query.get(current, {}).get(part)
            if relation is not None and relation.kind in ("fk", "o2o"):
                if not follows:
                    break
                current = relation.target
                found.append(self._table(current) or "")
            elif relation is not None and relation.kind == "m2m":
                found.append(relation.table or "")
                if not follows:
                    break
                current = relation.target
                found.append(self._table(current) or "")
            elif reverse is not None:
                current = reverse.model
                if reverse.kind == "m2m":
                    found.append(reverse.table or "")
                    if follows:
                        found.append(self._table(current) or "")
                else:
                    found.append(self._table(current) or "")
            else:
                break
        return [t for t in found if t]

    def _framework(self, model: str | None) -> str | None:
        found = self._model(model)
        return found.framework if found else None


def _unknown(value: _Val | None) -> bool:
    return value is None or value.kind in ("object", "dispatch")


def relation_label(relation: Relation) -> str:
    return f"{relation.model.split(':', 1)[1]}.{relation.name}"
