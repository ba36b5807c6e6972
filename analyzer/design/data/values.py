"""Values met while replaying an access, and how each step on them touches tables.

A ``Val`` is what a dotted name and its steps denote so far: a model class, a manager or
queryset, an instance, a related manager, a column, a ``Table``, an object of some other class,
a function. ``Steps.step`` takes one step (an attribute, a call, an element, an assignment) and
says through ``touch`` which table it reads or writes: the step rules of ``data_access``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analyzer.design.data.kinds import Mode, Model
from analyzer.design.data.models import ModelCatalog
from analyzer.design.data.repos import Repositories
from analyzer.model.data import ASSIGN, CALL, ITEM

GENERIC = "<model>"
"""Stands for the table of ``self.model`` until a call through a subclass fixes it."""

_ERRORS = frozenset({"DoesNotExist", "MultipleObjectsReturned"})
QUERIED = frozenset({"manager", "queryset", "related"})
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


@dataclass(frozen=True, slots=True)
class Touch:
    """One table touched by one fact: ``mode`` on ``table`` (``GENERIC``: ``self.model``'s)."""

    table: str
    mode: Mode


@dataclass(frozen=True, slots=True)
class Val:
    kind: str
    model: str | None = None
    table: str | None = None
    cls: str | None = None
    func: str | None = None
    name: str = ""
    deep: bool = False  # a column: an attribute of an attribute (``Order.id.desc``)


class Steps:
    """One step at a time, touching tables through ``touch``."""

    def __init__(
        self,
        catalog: ModelCatalog,
        repos: Repositories,
        touch: Callable[[str | None, Mode], None],
    ) -> None:
        self.catalog = catalog
        self.repos = repos
        self.touch = touch
        self.generic_model = Model(GENERIC, "", "", "", 0, "django", GENERIC)

    def table(self, model: str | None) -> str | None:
        found = self.model(model)
        return found.table if found else None

    def model(self, model: str | None) -> Model | None:
        if model == GENERIC:
            return self.generic_model
        if not model:
            return None
        return self.catalog.models.get(model) or self.catalog.outside.get(model)

    def step(self, value: Val, step: str, after: str, replay: bool) -> Val | None:
        kind = value.kind
        if kind == "model":
            return self._model_step(value, step, after, replay)
        if kind in ("manager", "queryset", "related"):
            if step == ITEM:
                return Val("instance", value.model, self.table(value.model))
            if step in (CALL, ASSIGN):
                return None
            return Val("pending", value.model, value.table, name=step, cls=kind)
        if kind == "pending":
            return self._pending(value, step, replay)
        if kind == "pending_write":
            if step == CALL and replay:
                self.touch(value.table, "write")
            return None
        if kind == "through":
            return Val("manager", None, value.table) if step in _MANAGERS else None
        if kind == "column":
            if step == CALL and not value.deep and value.model:
                # Model.model_validate(...), Model.from_orm(...): a constructor
                return Val("instance", value.model, self.table(value.model))
            return Val("column", value.model, name=value.name, deep=True)
        if kind == "table_column":
            return value
        if kind == "tuple":
            return Val("instance", value.model, self.table(value.model)) if step == ITEM else None
        if kind == "instance":
            return self._instance_step(value, step, after, replay)
        if kind == "relattr":
            return self._relation_attribute(value, step, after, replay)
        if kind == "field":
            return self._field_step(value, step)
        if kind == "table":
            return self._table_step(value, step, after, replay)
        if kind == "class":
            return Val("object", cls=value.cls) if step == CALL else None
        if kind == "object":
            if step in (CALL, ITEM, ASSIGN):
                return None
            return Val("dispatch", cls=value.cls, name=step)
        if kind == "dispatch":
            return self._dispatch(value, replay) if step == CALL else None
        if kind == "function":
            return self.returned(value.func, None) if step == CALL else None
        return None

    def _model_step(self, value: Val, step: str, after: str, replay: bool) -> Val | None:
        model = self.model(value.model)
        if model is None:
            return None
        if step == CALL:
            return Val("instance", model.id, model.table)
        if step in _ERRORS:
            if replay:
                self.touch(model.table, "read")
            return None
        if model.framework == "django":
            if step in _MANAGERS or step in self.managers(model.id):
                return Val("manager", model.id, model.table)
            if step in self.catalog.relations.get(model.id, {}):
                return Val("field", model.id, name=step)
            reverse = self.catalog.reverse_accessor.get(model.id, {}).get(step)
            if reverse is not None and reverse.kind == "m2m":
                return Val("field", reverse.model, name=reverse.name)
            return None
        if model.framework == "peewee":
            if step in PEEWEE_WRITES or step in PEEWEE_READS:
                return Val("pending", model.id, model.table, name=step, cls="peewee")
            return Val("column", model.id, name=step)
        if step == "query":
            return Val("queryset", model.id, model.table)
        if step == "__table__":
            return Val("table", table=model.table)
        return Val("column", model.id, name=step)

    def _pending(self, value: Val, step: str, replay: bool) -> Val | None:
        if step != CALL:
            return None
        name = value.name
        origin = value.cls
        if origin == "peewee":
            write = name in PEEWEE_WRITES
        elif origin == "queryset" and self.framework(value.model) != "django":
            write = name in _QUERY_WRITES
        else:
            write = name in DJANGO_WRITES
        if replay:
            self.touch(value.table, "write" if write else "read")
            if origin == "related" and name == "create" and value.model:
                self.touch(self.table(value.model), "write")
        if name in _TUPLE_RESULTS:
            return Val("tuple", value.model)
        if name in _INSTANCE_RESULTS:
            return Val("instance", value.model, self.table(value.model))
        if name in _SCALAR_RESULTS:
            return None
        return Val("queryset", value.model, value.table)

    def _instance_step(self, value: Val, step: str, after: str, replay: bool) -> Val | None:
        model = self.model(value.model)
        if model is None or step in (CALL, ASSIGN):
            return None
        if step == ITEM:
            return value
        if step in _INSTANCE_WRITES and model.framework in ("django", "peewee"):
            return Val("pending_write", model.id, model.table)
        relation = self.catalog.relations.get(model.id, {}).get(step)
        if relation is not None:
            if relation.kind == "m2m" and after == "through":
                return Val("field", model.id, name=step)
            if relation.kind == "m2m":
                return Val("related", relation.target, relation.table)
            if relation.kind == "rel":
                return Val("relattr", relation.target, relation.table)
            return Val("instance", relation.target, self.table(relation.target))
        reverse = self.catalog.reverse_accessor.get(model.id, {}).get(step)
        if reverse is not None:
            if reverse.kind == "o2o":
                return Val("instance", reverse.model, self.table(reverse.model))
            table = reverse.table if reverse.kind == "m2m" else self.table(reverse.model)
            return Val("related", reverse.model, table)
        return None

    def _relation_attribute(self, value: Val, step: str, after: str, replay: bool) -> Val | None:
        if step == ASSIGN or (step in _COLLECTION_WRITES and after == CALL):
            if replay:
                self.touch(value.table, "write")
            return None
        return self._instance_step(Val("instance", value.model), step, after, replay)

    def _field_step(self, value: Val, step: str) -> Val | None:
        relation = self.catalog.relations.get(value.model or "", {}).get(value.name)
        if relation is None or step != "through":
            return None
        if relation.through:
            return Val("model", relation.through, self.table(relation.through))
        return Val("through", relation.model, relation.table)

    def _table_step(self, value: Val, step: str, after: str, replay: bool) -> Val | None:
        if step in ("c", "columns"):
            return Val("table_column", table=value.table)
        if step in ("insert", "update", "delete") and after == CALL:
            if replay:
                self.touch(value.table, "write")
            return None
        if step in ("select", "join", "outerjoin") and after == CALL:
            if replay:
                self.touch(value.table, "read")
            return None
        return None

    # -- objects of other classes: repositories ---------------------------------------------
    def _dispatch(self, value: Val, replay: bool) -> Val | None:
        cls = value.cls
        if cls is None:
            return None
        model = self.repos.concrete_model(cls)
        if model is not None and replay:
            for mode in self.repos.generic_modes(cls, value.name):
                self.touch(self.table(model), mode)
        return self.returned(self.repos.method_owner(cls, value.name), model, value.name)

    def returned(self, owner: str | None, model: str | None, method: str = "") -> Val | None:
        """The value a function (or ``method`` of class ``owner``) returns, by its annotation."""
        if owner is None:
            return None
        module, _, name = owner.partition(":")
        key = f"{name}.{method}" if method else name
        chain = self.repos.returns.get(module, {}).get(key)
        if chain is None:
            return None
        node = self.catalog.table.resolve(module, chain)
        if node in self.catalog.models:
            return Val("instance", node, self.table(node))
        if node is not None and node in self.catalog.classes:
            return Val("object", cls=node)
        if model is not None and node is None:
            binding = self.repos.bindings.find(module, chain)
            if binding is not None and binding.value.endswith("TypeVar"):
                return Val("instance", model, self.table(model))
        return None

    # -- Django managers ---------------------------------------------------------------------
    def managers(self, mid: str) -> set[str]:
        found: set[str] = set()
        if mid not in self.catalog.classes:  # a model outside the tree: its default manager
            return found
        for c in [mid, *self.catalog.ancestors(mid)]:
            fact = self.catalog.classes[c].fact
            if fact is not None:
                found.update(fact.managers)
        return found

    def framework(self, model: str | None) -> str | None:
        found = self.model(model)
        return found.framework if found else None
