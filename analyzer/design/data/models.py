"""The model catalog: which classes are ORM models, their tables, and the relations between them.

A class is a model through its bases, followed across files: Django (``models.Model``, other
models, abstract bases, proxies, third-party bases imported from a ``models`` module such as
``AbstractUser`` or ``MPTTModel``, treebeard nodes), SQLAlchemy (subclasses of a
``DeclarativeBase`` subclass, of ``declarative_base()``, of Flask-SQLAlchemy's ``db.Model``),
SQLModel (``table=True``) and Peewee (``peewee.Model``).

Table names follow each framework's rules:

- Django: ``Meta.db_table``, else ``<app_label>_<model name lower-cased>``; the app label is
  ``Meta.app_label`` (inherited from an abstract base's ``Meta`` when the model declares none or
  subclasses it), else the label of the app holding the module (the ``AppConfig.label`` of the
  package named by an ``AppConfig``, else the package's last name). Abstract models have no
  table, a proxy uses its concrete base's. An auto-created many-to-many table is
  ``<model table>_<field name>``; ``through=`` uses the through model's table.
- SQLAlchemy: ``__tablename__`` or ``__table__``; a mapped subclass without either shares its
  parent's table (single-table inheritance); ``__abstract__`` classes have none;
  Flask-SQLAlchemy's default is the class name in snake case.
- SQLModel: ``__tablename__``, else the class name lower-cased, only with ``table=True``.
- Peewee: ``Meta.table_name``, else the class name lower-cased (snake case when
  ``legacy_table_names = False``, inherited); a field-less base of other models has none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.design.data.frameworks import (
    CONTRIB_TABLES,
    SA_BASES,
    SA_FACTORIES,
    AppLabels,
    Framework,
    by_django_suffix,
    framework_of,
    root_of,
    snake_case,
    table_snake_case,
)
from analyzer.design.data.kinds import Model, Relation
from analyzer.design.symbols.bindings import Bindings
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.data import BaseCall, ClassFact, FieldFact
from analyzer.model.facts import FileFacts, SymbolFact

__all__ = ["Framework", "Model", "ModelCatalog", "Relation"]

# How many bindings a base class is followed through (``Model = db.Model``, ``db = X()``).
_MAX_FOLLOW = 8
# Names a models module exports that are not models.
_NOT_MODELS = ("Manager", "QuerySet", "Field", "Mixin", "Base", "Choices", "Error", "Exception")


@dataclass(frozen=True, slots=True)
class _Class:
    id: str
    file: FileFacts
    symbol: SymbolFact
    fact: ClassFact | None


class ModelCatalog:
    """Models, tables and relations of the analyzed tree."""

    def __init__(self, files: Iterable[FileFacts], table: SymbolTable, bindings: Bindings):
        self.table = table
        self.bindings = bindings
        self.files = {f.module: f for f in files}
        self.classes: dict[str, _Class] = {}
        self.constants: dict[str, str] = {}
        self.base_calls: dict[tuple[str, str], BaseCall] = {}
        for f in self.files.values():
            facts = {c.name: c for c in (f.data.classes if f.data else ())}
            for symbol in f.symbols:
                if symbol.kind == "class":
                    cid = f"{f.module}:{symbol.name}"
                    self.classes[cid] = _Class(cid, f, symbol, facts.get(symbol.name))
            if f.data:
                self.constants.update(f.data.constants)
                self.base_calls.update(((f.module, b.name), b) for b in f.data.bases)
        # (module, base as written) -> (module, name) of the module-level call binding it
        # leads to (``db = SQLAlchemy(...)``, ``Base = declarative_base(...)``).
        self._origins: dict[tuple[str, str], tuple[str, str]] = {}
        self.mapped = self._imperative_mappings()
        # A base of another package's ``models`` module is taken for a Django model base by its
        # name's shape only in a tree that uses Django.
        self._uses_django = any(
            i.module.split(".")[0] == "django" for f in self.files.values() for i in f.imports
        )
        self._bases: dict[str, tuple[list[str], list[str]]] = {}
        self._framework: dict[str, Framework | None] = {}
        self._meta: dict[str, dict[str, str]] = {}
        self.by_label: dict[tuple[str, str], str] = {}
        self.outside: dict[str, Model] = {}
        # Classes taken as SQLAlchemy models by their ``__tablename__`` alone.
        self.guessed: set[str] = set()
        self._labelled_bases = False
        self._apps = AppLabels(
            self.files,
            (
                (c.file.module, c.fact)
                for cid, c in sorted(self.classes.items())
                if c.fact is not None and self.is_app_config(cid)
            ),
        )
        self._find_models()
        if self._labelled_bases:
            # Bases bound by app label (``Benefit = get_model("offer", "Benefit")``) resolve once
            # the labels of the other models are known: a second pass.
            self._bases.clear()
            self._framework.clear()
            self._meta.clear()
            self.guessed.clear()
            self._find_models()
        # Filled by ``relations.link_relations`` once every model is known.
        self.relations: dict[str, dict[str, Relation]] = {}
        self.reverse_query: dict[str, dict[str, Relation]] = {}
        self.reverse_accessor: dict[str, dict[str, Relation]] = {}

    def _find_models(self) -> None:
        self.models: dict[str, Model] = {}
        for cid in sorted(self.classes):
            model = self._model(cid)
            if model is not None:
                self.models[cid] = model
        self.by_label = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_table: dict[str, list[str]] = defaultdict(list)
        for model in self.models.values():
            if model.framework == "django" and model.app_label:
                self.by_label.setdefault((model.app_label.lower(), model.name.lower()), model.id)
            self.by_name[model.name].append(model.id)
            if model.table and not model.proxy:
                self.by_table[model.table.lower()].append(model.id)
                schema, dot, bare = model.table.lower().rpartition(".")
                if dot and schema:
                    self.by_table[bare].append(model.id)

    # -- classes and bases -----------------------------------------------------------------------
    def bases(self, cid: str) -> tuple[list[str], list[str]]:
        """(internal base class ids, absolute names of bases outside the tree or bindings)."""
        if cid not in self._bases:
            cls = self.classes[cid]
            module = cls.file.module
            internal: list[str] = []
            external: list[str] = []
            for base in cls.symbol.bases:
                node = self.table.resolve(module, base)
                if self._on_instance(module, base):
                    node = None  # ``db.Model``: an attribute of an object, not its class
                if node is not None and node in self.classes and node != cid:
                    internal.append(node)
                    continue
                labelled = self._labelled_base(module, base)
                if labelled is not None and labelled != cid:
                    internal.append(labelled)
                    continue
                external.append(self._outside_name(module, base))
            self._bases[cid] = (internal, external)
        return self._bases[cid]

    def _on_instance(self, module: str, chain: str, depth: int = 0) -> bool:
        """Whether ``chain`` is an attribute of a module-level object (``db.Model`` with
        ``db = SQLAlchemy()``), directly or through another name (``Model = db.Model``)."""
        root, dot, _ = chain.partition(".")
        binding = self.bindings.find(module, root)
        if binding is None or not binding.value or depth > _MAX_FOLLOW:
            return False
        if binding.call:
            return bool(dot)
        return self._on_instance(binding.module, binding.value, depth + 1)

    def _labelled_base(self, module: str, chain: str) -> str | None:
        """The model a base bound by app label names (after the first pass)."""
        binding = self.bindings.find(module, chain) if "." not in chain else None
        if binding is None:
            return None
        data = self.files[binding.module].data if binding.module in self.files else None
        label = dict(data.labels).get(binding.name) if data else None
        if label is None:
            return None
        self._labelled_bases = True
        return self.label_model(label)

    def _outside_name(self, module: str, chain: str, depth: int = 0) -> str:
        """An absolute name for a base outside the tree; for a module-level binding
        (``Base = declarative_base()``, ``db = SQLAlchemy()``) the name of what it is bound to,
        prefixed ``=`` (``=sqlalchemy.orm.declarative_base``,
        ``=flask_sqlalchemy.SQLAlchemy.Model``). What is called may be the project's own
        subclass of an outside class (``db = ShopSQLAlchemy()``): then it is that outside class;
        a binding to another name (``Model = db.Model``) is followed."""
        absolute = self.bindings.absolute(module, chain)
        if absolute is not None:
            return absolute
        root, _, rest = chain.partition(".")
        binding = self.bindings.find(module, root)
        if binding is None or depth > _MAX_FOLLOW:
            return chain
        call = self.base_calls.get((binding.module, binding.name))
        value = call.callee if call is not None else binding.value
        if not value:
            return chain
        if call is not None or binding.call:
            self._origins[(module, chain)] = (binding.module, binding.name)
            called = self._called(binding.module, value, depth + 1)
            return "=" + (f"{called}.{rest}" if rest else called)
        inner = self._outside_name(binding.module, value, depth + 1)
        origin = self._origins.get((binding.module, value))
        if origin is not None:
            self._origins[(module, chain)] = origin
        return f"{inner}.{rest}" if rest else inner

    def _called(self, module: str, callee: str, depth: int) -> str:
        """The absolute name of what ``callee`` (called in ``module``) is: for a class of the
        tree, its nearest outside base; ``registry().generate_base`` keeps its method."""
        head, sep, method = callee.partition("().")
        if sep:
            return f"{self._called(module, head, depth)}(){sep[2:]}{method}"
        node = self.table.resolve(module, callee)
        if node is not None and node in self.classes:
            for cid in [node, *self.ancestors(node)]:
                outside = [e for e in self.bases(cid)[1] if not e.startswith("=")]
                if outside:
                    return outside[0]
            return callee
        return self._outside_name(module, callee, depth).lstrip("=")

    def _imperative_mappings(self) -> dict[str, str]:
        """Classes mapped imperatively onto a ``Table`` (``mapper(User, users)``), with its name."""
        found: dict[str, str] = {}
        for module, f in sorted(self.files.items()):
            for mapping in f.data.mappings if f.data else ():
                cid = self.table.resolve(module, mapping.cls)
                table = self.table_named(module, mapping.table)
                if cid in self.classes and table is not None:
                    found.setdefault(cid, table)
        return found

    def table_named(self, module: str, chain: str) -> str | None:
        """The table a ``Table(...)`` bound to ``chain`` (``users``, ``tables.users``) has."""
        head, _, rest = chain.rpartition(".")
        if not head:
            found = self.bindings.find(module, chain)
            return self.table_def(found.module, found.name) if found else None
        owner = self.bindings.alias(module, head) or head
        return self.table_def(owner, rest)

    def ancestors(self, cid: str) -> list[str]:
        """Internal ancestors, nearest first, each once."""
        seen: list[str] = []
        stack = list(reversed(self.bases(cid)[0]))
        while stack:
            current = stack.pop()
            if current in seen or current == cid:
                continue
            seen.append(current)
            stack.extend(reversed(self.bases(current)[0]))
        return seen

    def framework(self, cid: str) -> Framework | None:
        if cid not in self._framework:
            self._framework[cid] = None  # cycles in broken code end here
            self._framework[cid] = self._find_framework(cid)
        return self._framework[cid]

    def _find_framework(self, cid: str) -> Framework | None:
        if cid in self.mapped:
            return "sqlalchemy"
        internal, external = self.bases(cid)
        for name in external:
            found = framework_of(name)
            if found == "django" and not self._uses_django and by_django_suffix(name):
                continue  # ``flask_appbuilder.models.mixins.AuditMixin`` in a Flask tree
            if found is not None:
                return found
        for base in internal:
            # A root analyzed itself (Django's own ``django.db.models.base.Model``) or a model.
            found = root_of(base.replace(":", ".")) or self.framework(base)
            if found is not None:
                return found
        cls = self.classes[cid]
        if any(d.rsplit(".", 1)[-1] in SA_FACTORIES for d in cls.symbol.decorators):
            return "sqlalchemy"
        if external and cls.fact is not None and self._looks_django(cls):
            return "django"
        if cls.fact is not None and cls.fact.string("__tablename__") is not None:
            self.guessed.add(cid)
            return "sqlalchemy"
        return None

    def _looks_django(self, cls: _Class) -> bool:
        fact = cls.fact
        assert fact is not None
        if not any(i.module.startswith("django.db") for i in cls.file.imports):
            return False
        return fact.string("meta.app_label") is not None or fact.string("meta.db_table") is not None

    def is_app_config(self, cid: str) -> bool:
        internal, external = self.bases(cid)
        if any(e.endswith("AppConfig") for e in external):
            return True
        return any(self.is_app_config(b) for b in internal if b != cid)

    # -- Django Meta -----------------------------------------------------------------------------
    def meta(self, cid: str) -> dict[str, str]:
        """Effective ``Meta`` options: its own, over those it inherits from abstract bases."""
        if cid in self._meta:
            return self._meta[cid]
        self._meta[cid] = {}
        cls = self.classes[cid]
        own = {k[5:]: v for k, v in (cls.fact.strings if cls.fact else ()) if k.startswith("meta.")}
        inherited: dict[str, str] = {}
        if cls.fact is not None and cls.fact.has_meta:
            for meta_base in cls.fact.meta_bases:
                owner = self.table.resolve(cls.file.module, meta_base.rsplit(".", 1)[0])
                if owner in self.classes:
                    inherited.update(self.meta(owner))
        else:
            for base in self.bases(cid)[0]:
                if self.framework(base) == "django" and self.meta(base).get("abstract") == "True":
                    inherited = {**self.meta(base), **inherited}
        inherited.pop("abstract", None)
        inherited.pop("proxy", None)
        result = {**inherited, **own}
        self._meta[cid] = result
        return result

    # -- models and tables -----------------------------------------------------------------------
    def _model(self, cid: str) -> Model | None:
        framework = self.framework(cid)
        if framework is None:
            return None
        cls = self.classes[cid]
        table, label, proxy = None, "", False
        if framework == "django":
            meta = self.meta(cid)
            label = meta.get("app_label") or self._apps.label(cls.file.module)
            proxy = meta.get("proxy") == "True"
            if meta.get("abstract") != "True":
                table = self._proxy_table(cid) if proxy else None
                if not proxy:
                    table = meta.get("db_table") or f"{label}_{cls.symbol.name.lower()}"
        elif framework == "sqlalchemy":
            table = self._sqlalchemy_table(cid)
            if table is None and self._is_base(cid):
                return None
        elif framework == "sqlmodel":
            if cls.fact is None or not cls.fact.flag("kw.table"):
                return None
            own = cls.fact.string("__tablename__")
            table = self._qualified(cid, own) if own else cls.symbol.name.lower()
        else:
            table = self._peewee_table(cid)
        note = ""
        if cid in self.guessed:
            bases = ", ".join(cls.symbol.bases) or "object"
            note = f"base {bases} not resolved to an ORM; taken as SQLAlchemy for __tablename__"
        return Model(
            cid,
            cls.file.module,
            cls.symbol.name,
            cls.file.path,
            cls.symbol.line,
            framework,
            table,
            label,
            proxy,
            imperative=cid in self.mapped,
            note=note,
        )

    def _proxy_table(self, cid: str) -> str | None:
        for base in self.ancestors(cid):
            if self.framework(base) != "django":
                continue
            meta = self.meta(base)
            if meta.get("abstract") == "True" or meta.get("proxy") == "True":
                continue
            model = self.models.get(base) or self._model(base)
            return model.table if model else None
        return None

    def _is_base(self, cid: str) -> bool:
        """A declarative base itself: a direct subclass of ``DeclarativeBase`` or a class
        decorated with ``as_declarative``."""
        cls = self.classes[cid]
        if any(d.rsplit(".", 1)[-1] == "as_declarative" for d in cls.symbol.decorators):
            return True
        return any(e in SA_BASES for e in self.bases(cid)[1])

    def _sqlalchemy_table(self, cid: str) -> str | None:
        cls = self.classes[cid]
        fact = cls.fact
        if cid in self.mapped:
            return self.mapped[cid]
        if fact is not None:
            if fact.flag("__abstract__"):
                return None
            own = fact.string("__tablename__") or fact.string("__table__")
            if own:
                return self._qualified(cid, own) if fact.string("__tablename__") else own
            bound = dict(fact.names).get("__table__")
            if bound:
                definition = self.table_named(cls.file.module, bound)
                if definition:
                    return definition
        if self._is_base(cid):
            return None
        for base in self.bases(cid)[0]:
            if self.framework(base) == "sqlalchemy":
                inherited = self._sqlalchemy_table(base)
                if inherited:
                    return inherited
        mixins, autoname = self._declarative(cid)
        chain = [cid, *self.ancestors(cid), *mixins]
        if any(
            self.classes[c].fact and "__tablename__" in self.classes[c].fact.declared  # type: ignore[union-attr]
            for c in chain
        ):
            return self._qualified(cid, cls.symbol.name.lower())
        if autoname:
            return self._qualified(cid, table_snake_case(cls.symbol.name))
        return None

    def _declarative(self, cid: str) -> tuple[list[str], bool]:
        """The classes a model's declarative base mixes in (``declarative_base(cls=Mixin)``,
        ``SQLAlchemy(model_class=Base)``), and whether Flask-SQLAlchemy names its tables: it
        does unless ``disable_autonaming=True`` or its ``model_class`` is already a declarative
        base (the result of ``declarative_base()``)."""
        for c in [cid, *self.ancestors(cid)]:
            module = self.classes[c].file.module
            for base in self.classes[c].symbol.bases:
                origin = self._origins.get((module, base))
                if origin is None:
                    continue
                call = self.base_calls.get(origin)
                flask = self._outside_name(module, base).startswith("=flask_sqlalchemy.")
                if call is None:
                    return [], flask
                mixins: list[str] = []
                for key in ("cls", "model_class", "model_class.cls"):
                    value = call.keyword(key)
                    node = self.table.resolve(origin[0], value) if value else None
                    if node is not None and node in self.classes:
                        mixins += [node, *self.ancestors(node)]
                declarative = call.keyword("model_class").endswith("()")
                autoname = not declarative and call.keyword("disable_autonaming") != "True"
                return mixins, flask and autoname
        return [], False

    def _qualified(self, cid: str, table: str) -> str:
        """``schema.table`` when ``__table_args__`` (the class's or a mixin's) names a schema."""
        mixins, _ = self._declarative(cid)
        for c in [cid, *self.ancestors(cid), *mixins]:
            fact = self.classes[c].fact
            if c != cid and fact is not None and fact.string("__tablename__") is not None:
                continue  # a mapped parent's table arguments are its own
            schema = fact.string("__table_args__.schema") if fact else None
            if schema:
                return f"{schema}.{table}"
        return table

    def table_def(self, module: str, name: str) -> str | None:
        data = self.files[module].data if module in self.files else None
        for t in data.tables if data else ():
            if t.binding == name:
                return t.table
        return None

    def _peewee_table(self, cid: str) -> str | None:
        cls = self.classes[cid]
        fact = cls.fact
        own = fact.string("meta.table_name") or fact.string("meta.db_table") if fact else None
        if own:
            return own
        if fact is not None and not fact.fields and not fact.columns and self._has_subclasses(cid):
            return None
        legacy = "True"
        for c in [cid, *self.ancestors(cid)]:
            option = self.classes[c].fact
            if option is not None and option.string("meta.legacy_table_names") is not None:
                legacy = option.string("meta.legacy_table_names") or "True"
                break
        name = cls.symbol.name
        return re.sub(r"[^\w]+", "_", name.lower()) if legacy == "True" else snake_case(name)

    def _has_subclasses(self, cid: str) -> bool:
        return any(cid in self.bases(other)[0] for other in self.classes if other != cid)

    # -- relations -------------------------------------------------------------------------------
    def fields(self, mid: str) -> list[tuple[str, FieldFact]]:
        """(declaring class, field) of a model and its ancestors, nearest first."""
        out: list[tuple[str, FieldFact]] = []
        for cid in [mid, *self.ancestors(mid)]:
            fact = self.classes[cid].fact
            out.extend((cid, f) for f in (fact.fields if fact else ()))
        return out

    def outside_model(self, absolute: str) -> Model | None:
        """A Django model imported from outside the tree (``django.contrib.sites.models.Site``,
        ``some_app.models.Thing``): Django's own tables by name, others by the default rule with
        the package before ``models`` as the app label."""
        module, _, name = absolute.rpartition(".")
        parts = module.split(".")
        if len(parts) < 2 or parts[-1] != "models" or module.startswith("django.db"):
            return None
        if not name[:1].isupper() or name.endswith(_NOT_MODELS):
            return None
        mid = f"{module}:{name}"
        if mid not in self.outside:
            table = CONTRIB_TABLES.get(absolute, f"{parts[-2]}_{name.lower()}")
            self.outside[mid] = Model(mid, module, name, "", 0, "django", table)
        return self.outside[mid]

    def label_model(self, label: str) -> str | None:
        """The model ``accounts.Customer`` (app label, model name) names; ``@user``: the user
        model (``AUTH_USER_MODEL``, Django's ``auth.User`` by default)."""
        if label == "@user":
            label = self.constants.get("AUTH_USER_MODEL", "auth.User")
        app, _, name = label.partition(".")
        found = self.by_label.get((app.lower(), name.lower()))
        if found is None:
            absolute = next(
                (a for a in CONTRIB_TABLES if a.split(".")[2] == app and a.endswith(f".{name}")),
                None,
            )
            outside = self.outside_model(absolute) if absolute else None
            return outside.id if outside else None
        return found
