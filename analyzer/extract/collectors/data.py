"""Data facts: ORM declarations, database access and raw SQL, per file.

Class bodies are written down by ``models.ClassBuilder``; inside functions local names are
followed (``values``) so that ``order = Order.objects.get(...); order.save()`` is one known use.
Every call chain is looked at once, from its outermost call:

- a database session's ``add``/``add_all``/``delete``/``merge``/``get``/``query``/``bulk_*``
  (a receiver named like a session, or a name annotated as one) -> a ``session`` fact;
- a SQLAlchemy construct (``select``, ``insert``, ``update``, ``delete``, loader options,
  ``aliased``, ``exists``) -> a ``statement`` fact over the values in its arguments;
- anything else starting from a class-like dotted name, a typed local, an app-label model or
  ``self.<attribute>`` -> a ``use`` fact (``Order.objects.filter(...).update(...)``,
  ``order.save()``, ``repo.add(book)``, ``Product.DoesNotExist``), with its Django lookups;
- a string given to ``execute``/``executemany``/``raw``/``text()``/``RawSQL``... -> SQL facts,
  also through a local or module-level name holding the string.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.collectors.models import ClassBuilder, table_def
from analyzer.extract.collectors.sql import literal_text, looks_like_sql, sql_tables
from analyzer.extract.collectors.values import (
    Chain,
    Env,
    Frame,
    Segment,
    annotation_value,
    flatten,
    lookups,
    model_label,
    refs_in,
    value_of,
)
from analyzer.extract.scope import Scope, dotted
from analyzer.model.data import (
    ASSIGN,
    CALL,
    ITEM,
    AccessFact,
    DataFacts,
    ModelRefFact,
    SelfCall,
    SqlFact,
    SqlUse,
    TableDef,
    ValueRef,
)

SESSION_METHODS = frozenset(
    {
        "add",
        "add_all",
        "delete",
        "merge",
        "get",
        "get_one",
        "query",
        "bulk_save_objects",
        "bulk_insert_mappings",
        "bulk_update_mappings",
    }
)
_COLLECTION_ARGS = frozenset({"add_all", "bulk_save_objects"})
UNKNOWN = ValueRef("?")  # an object of unknown class given to a session
_LOADERS = frozenset({"get", "get_one", "merge", "query", "scalars", "exec", "execute", "scalar"})
_SESSION_NAMES = frozenset({"db", "sess", "dbsession", "db_session"})
STATEMENTS = frozenset(
    """select insert update delete selectinload joinedload subqueryload immediateload lazyload
    noload raiseload contains_eager defaultload aliased exists with_parent""".split()
)
_TARGETED = frozenset({"insert", "update", "delete"})
SQL_SINKS = frozenset(
    """execute executemany executescript execute_sql exec_driver_sql raw text RawSQL read_sql
    read_sql_query""".split()
)
_TABLE_METHODS = frozenset({"insert", "update", "delete", "select", "join", "outerjoin"})
_JOINS = frozenset({"join", "outerjoin", "join_from", "outerjoin_from", "select_from", "switch"})
_ERRORS = frozenset({"DoesNotExist", "MultipleObjectsReturned"})


def _params(node: cst.FunctionDef | cst.Lambda) -> list[cst.Param]:
    params = node.params
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return found


def _class_like(chain: str) -> bool:
    return any(part[:1].isupper() for part in chain.split("."))


class DataCollector(BatchableCSTVisitor):
    """Gives ``facts()``: the file's ``DataFacts`` (``None`` when it has none)."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope
        self.env = Env()
        self._classes: list[ClassBuilder] = []
        self._class: ClassBuilder | None = None
        self._meta: cst.ClassDef | None = None
        self._consumed: set[int] = set()
        self._accesses: list[tuple[cst.CSTNode, AccessFact]] = []
        self._sql: list[tuple[cst.CSTNode, SqlFact]] = []
        self._sql_uses: list[tuple[cst.CSTNode, SqlUse]] = []
        self._model_refs: list[tuple[cst.CSTNode, ModelRefFact]] = []
        self._tables: list[tuple[cst.CSTNode, TableDef]] = []
        self._self_calls: dict[SelfCall, None] = {}
        self._returns: dict[str, str] = {}
        self._constants: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._sql_names: set[str] = set()

    # -- where we are ---------------------------------------------------------------------------
    def _where(self) -> tuple[str, str]:
        top = self.scope.top or ""
        method = ""
        if self.env.frames and isinstance(self.scope.top_node, cst.ClassDef):
            method = self.env.frames[0].name
        return top, method

    def _in_class_body(self, depth: int = 1) -> bool:
        s = self.scope
        return self._class is not None and s.class_depth == depth and s.fn_depth == 0

    def _add(self, node: cst.CSTNode, **fields: object) -> None:
        scope, method = self._where()
        self.scope.positions.mark(node)
        fact = AccessFact(line=0, scope=scope, method=method, **fields)  # type: ignore[arg-type]
        self._accesses.append((node, fact))

    # -- classes --------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.scope.top_node is node:
            self._class = ClassBuilder(node)
        elif self._in_class_body(2) and node.name.value == "Meta" and self._class is not None:
            self._meta = node
            self._class.meta(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        if self._meta is original_node:
            self._meta = None
        elif self._class is not None and self._class.node is original_node:
            self._classes.append(self._class)
            self._class = None

    # -- functions ------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        s = self.scope
        name = node.name.value
        method = self._class is not None and s.class_depth == 1 and s.fn_depth == 1
        if method and self._class is not None:
            self._class.method(name)
        frame = Frame(name)
        for param in _params(node):
            pname = param.name.value
            if pname in ("self", "cls"):
                continue
            frame.names.add(pname)
            value = annotation_value(param.annotation.annotation) if param.annotation else None
            if value is not None:
                frame.values[pname] = value
        self.env.frames.append(frame)
        returned = annotation_value(node.returns.annotation) if node.returns else None
        if returned is not None and returned.chain:
            if s.top_node is node:
                self._returns[name] = returned.chain
            elif method and self._class is not None:
                self._returns[f"{self._class.name}.{name}"] = returned.chain

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.env.frames.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.env.frames.append(Frame("<lambda>", names={p.name.value for p in _params(node)}))

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.env.frames.pop()

    # -- assignments ----------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        if self.env.frames:
            for item in node.targets:
                self._assigned_attribute(item.target)
        target = node.targets[0].target if len(node.targets) == 1 else None
        if not isinstance(target, cst.Name):
            return
        name = target.value
        if self._meta is not None and self._in_class_body(2) and self._class is not None:
            self._class.meta_option(name, node.value)
        elif self._in_class_body() and self._class is not None:
            if self._class.attribute(name, node.value, node):
                self.scope.positions.mark(node)
        elif self.scope.at_module_level:
            self._module_binding(name, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if not isinstance(node.target, cst.Name):
            return
        name = node.target.value
        if self._in_class_body() and self._class is not None:
            annotated = annotation_value(node.annotation.annotation)
            chain = annotated.chain if annotated is not None else ""
            if self._class.attribute(name, node.value, node, chain):
                self.scope.positions.mark(node)
        elif self.scope.at_module_level and node.value is not None:
            self._module_binding(name, node.value, node)

    def _module_binding(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        text = literal_text(value)
        if isinstance(value, cst.Call):
            table = table_def(name, value)
            if table is not None:
                self.scope.positions.mark(node)
                self._tables.append((node, table))
                return
            callee = (dotted(value.func) or "").rsplit(".", 1)[-1]
            if callee == "text" and value.args:
                text = literal_text(value.args[0].value)
                if text is not None:
                    self._consumed.add(id(value))
            elif model_label(value) is not None or _class_like(dotted(value.func) or ""):
                label = model_label(value)
                if label is not None:
                    self._labels[name] = label
                bound = value_of(value, self.env)
                if bound is not None:
                    self.env.bind(name, bound)
        if text is None:
            return
        if name.isupper() and name.endswith("_MODEL"):
            self._constants[name] = text
        elif looks_like_sql(text):
            self._sql_names.add(name)
            self._record_sql(node, text, binding=name)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        if not self.env.frames:
            return
        for target in original_node.targets:
            self._bind(target.target, original_node.value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if not self.env.frames or not isinstance(original_node.target, cst.Name):
            return
        annotated = annotation_value(original_node.annotation.annotation)
        if annotated is not None:
            self.env.bind(original_node.target.value, annotated)
        elif original_node.value is not None:
            self._bind(original_node.target, original_node.value)
        else:
            self.env.bind(original_node.target.value, None)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        env = self.env
        if isinstance(target, cst.Name):
            text = literal_text(value)
            bound = None if text is not None else self._value(value)
            env.bind(target.value, bound)
            if text is not None and looks_like_sql(text):
                env.frames[-1].strings[target.value] = text
        elif isinstance(target, (cst.Tuple, cst.List)):
            names = [e.value for e in target.elements]
            values: list[cst.BaseExpression | None] = [None] * len(names)
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(names):
                values = [e.value for e in value.elements]
            first = value_of(value, env) if values[0] is None else None
            for i, element in enumerate(names):
                if isinstance(element, cst.Name):
                    if values[i] is not None:
                        env.bind(element.value, value_of(values[i], env))  # type: ignore[arg-type]
                    else:
                        env.bind(element.value, first.then(ITEM) if first and i == 0 else None)

    def _assigned_attribute(self, target: cst.BaseExpression) -> None:
        """``book.categories = ...`` on a local bound to a value (association writes)."""
        if not isinstance(target, cst.Attribute):
            return
        root: cst.BaseExpression = target
        while isinstance(root, cst.Attribute):
            root = root.value
        if isinstance(root, cst.Name) and root.value in self.env.frames[-1].values:
            subject = value_of(target, self.env)
            if subject is not None:
                self._add(target, op="use", subject=subject.then(ASSIGN))

    def visit_For(self, node: cst.For) -> None:
        self._bind_iteration(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_iteration(node.target, node.iter)

    def _bind_iteration(self, target: cst.BaseExpression, source: cst.BaseExpression) -> None:
        if not self.env.frames:
            return
        if isinstance(target, cst.Name):
            value = self._value(source)
            self.env.bind(target.value, value.then(ITEM) if value is not None else None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                if isinstance(element.value, cst.Name):
                    self.env.bind(element.value.value, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self.env.frames and node.asname is not None and isinstance(node.asname.name, cst.Name):
            self.env.bind(node.asname.name.value, None)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if self.env.frames and node.name is not None and isinstance(node.name.name, cst.Name):
            self.env.bind(node.name.name.value, None)

    # -- calls ----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if id(node) in self._consumed:
            return
        chain = flatten(node)
        for inner in chain.calls[1:]:
            self._consumed.add(id(inner))
        self._model_refs_in(chain)
        self._sql_sinks(chain)
        if self._session(chain) or self._statement(chain) or self._self_call(chain):
            return
        self._use(chain, node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in _ERRORS:
            subject = value_of(node, self.env)
            if subject is not None:
                self._add(node, op="use", subject=subject)

    def _model_refs_in(self, chain: Chain) -> None:
        for call in chain.calls:
            label = model_label(call)
            if label is not None and not label.startswith("@"):
                scope, _ = self._where()
                self.scope.positions.mark(call)
                self._model_refs.append((call, ModelRefFact(label, 0, scope)))

    def _sql_sinks(self, chain: Chain) -> None:
        calls = [s.call for s in chain.segments if s.call is not None]
        if isinstance(chain.root, cst.Call):
            calls.insert(0, chain.root)
        for call in calls:
            name = (dotted(call.func) or "").rsplit(".", 1)[-1]
            if isinstance(call.func, cst.Attribute):
                name = call.func.attr.value
            first = next((a.value for a in call.args if a.keyword is None), None)
            if name not in SQL_SINKS or first is None:
                continue
            text = literal_text(first)
            if text is None and isinstance(first, cst.Name):
                text = self.env.string(first.value)
                if text is None and first.value in self._sql_names:
                    if not self.env.is_local(first.value):
                        scope, method = self._where()
                        self.scope.positions.mark(call)
                        self._sql_uses.append((call, SqlUse(first.value, 0, scope, method)))
                    continue
            if text is not None and looks_like_sql(text):
                self._record_sql(call, text)

    def _record_sql(self, node: cst.CSTNode, text: str, binding: str = "") -> None:
        found = sql_tables(text)
        if not (found.reads or found.writes):
            return
        scope, method = self._where()
        self.scope.positions.mark(node)
        fact = SqlFact(0, scope, found.reads, found.writes, found.parsed, method, binding)
        self._sql.append((node, fact))

    def _value(self, expr: cst.BaseExpression) -> ValueRef | None:
        """What ``expr`` holds; for a session call, the model it loads (``session.get(Hero,
        1)``, ``session.query(Hero).first()``, ``session.exec(select(Hero)).all()``)."""
        if isinstance(expr, cst.Call):
            chain = flatten(expr)
            first = chain.first_call()
            receiver = chain.receiver
            if first is not None and first.call is not None and receiver is not None:
                loaded = self._loaded(first, receiver)
                if loaded is not None:
                    return loaded
        return value_of(expr, self.env)

    def _loaded(self, first: Segment, receiver: str) -> ValueRef | None:
        assert first.call is not None
        args = [a.value for a in first.call.args if a.keyword is None]
        if not args or first.name not in _LOADERS or not self._is_session(receiver):
            return None
        head = args[0]
        if first.name in ("merge", "get", "get_one", "query"):
            found = value_of(head, self.env)
            return found.then(CALL) if found is not None and first.name != "merge" else found
        if isinstance(head, cst.Call) and (dotted(head.func) or "").endswith("select"):
            inner = [a.value for a in head.args if a.keyword is None]
            found = value_of(inner[0], self.env) if inner else None
            return found.then(CALL) if found is not None else None
        return None

    def _is_session(self, receiver: str) -> bool:
        parts = receiver.removesuffix("()").split(".")
        last = parts[-1].lower()
        if "session" in last or last in _SESSION_NAMES:
            return True
        if len(parts) == 1 and not receiver.endswith("()"):
            value = self.env.name(parts[0])
            return value is not None and value.chain.lower().endswith("session")
        return False

    def _session(self, chain: Chain) -> bool:
        receiver = chain.receiver
        first = chain.first_call()
        if receiver is None or first is None or first.call is None:
            return False
        if first.name not in SESSION_METHODS or not self._is_session(receiver):
            return False
        positional = [a.value for a in first.call.args if a.keyword is None]
        args: tuple[ValueRef, ...] = ()
        if first.name == "query":
            args = refs_in(list(positional), self.env)
        elif positional:
            head = positional[0]
            if first.name in _COLLECTION_ARGS and isinstance(head, (cst.List, cst.Tuple, cst.Set)):
                found = (value_of(e.value, self.env) for e in head.elements)
                args = tuple(v for v in found if v is not None)
            else:
                value = value_of(head, self.env)
                args = (value or UNKNOWN,)
        later = [s for s in chain.segments if s.call is not None and s is not first]
        extra = refs_in([a for s in later for a in s.call.args], self.env)  # type: ignore[union-attr]
        name = first.name
        if name == "query" and any(s.name in ("delete", "update") for s in later):
            name = "query_write"  # session.query(Model).filter(...).delete()
        self._add(first.call, op="session", name=name, args=args, extra=extra)
        return True

    def _statement(self, chain: Chain) -> bool:
        root = chain.root
        if not isinstance(root, cst.Call):
            return False
        callee = dotted(root.func)
        if callee is None or self.env.is_local(callee.split(".", 1)[0]):
            return False
        name = callee.rsplit(".", 1)[-1]
        if name not in STATEMENTS:
            return False
        positional = [a for a in root.args if a.keyword is None]
        rest = [a for s in chain.segments if s.call is not None for a in s.call.args]
        if name in _TARGETED:
            target = value_of(positional[0].value, self.env) if positional else None
            args: tuple[ValueRef, ...] = (target,) if target is not None else ()
            extra = refs_in([*root.args[1:], *rest], self.env)
        else:
            args = refs_in(list(root.args), self.env)
            extra = refs_in(rest, self.env)
        if args or extra:
            self._add(root, op="statement", name=name, args=args, extra=extra)
        return True

    def _self_call(self, chain: Chain) -> bool:
        root = chain.root
        if not isinstance(root, cst.Name) or root.value not in ("self", "cls"):
            return False
        first = chain.segments[0] if chain.segments else None
        if first is None or first.call is None:
            return False
        scope, method = self._where()
        if method:
            self._self_calls[SelfCall(scope, method, first.name)] = None
        return len(chain.segments) == 1

    def _use(self, chain: Chain, node: cst.Call) -> None:
        if not chain.segments:
            return
        subject = value_of(node, self.env)
        if subject is None or not self._worth_recording(chain, subject):
            return
        joins = [
            a
            for s in chain.segments
            if s.call is not None and s.name in _JOINS
            for a in s.call.args
        ]
        self._add(
            node,
            op="use",
            subject=subject,
            lookups=lookups(chain),
            extra=refs_in(list(joins), self.env),
        )

    def _worth_recording(self, chain: Chain, subject: ValueRef) -> bool:
        if subject.label:
            return True
        root = chain.root
        if isinstance(root, cst.Name):
            name = root.value
            if name in ("self", "cls"):
                return len(subject.chain.split(".")) >= 3 or bool(subject.path[1:])
            receiver = chain.receiver
            if receiver is not None and self._is_session(receiver):
                return False
            if self.env.name(name) != ValueRef(name):
                return True
        if _class_like(subject.chain):
            return True
        return any(s.call is not None and s.name in _TABLE_METHODS for s in chain.segments)

    # -- results --------------------------------------------------------------------------------
    def facts(self) -> DataFacts | None:
        line = self.scope.positions.line
        facts = DataFacts(
            classes=tuple(c.fact(line) for c in self._classes),
            tables=tuple(_at(t, line(n)) for n, t in self._tables),
            accesses=tuple(_at(a, line(n)) for n, a in self._accesses),
            sql=tuple(_at(s, line(n)) for n, s in self._sql),
            sql_uses=tuple(_at(u, line(n)) for n, u in self._sql_uses),
            model_refs=tuple(_at(r, line(n)) for n, r in self._model_refs),
            self_calls=tuple(self._self_calls),
            returns=tuple(sorted(self._returns.items())),
            constants=tuple(sorted(self._constants.items())),
            labels=tuple(sorted(self._labels.items())),
        )
        return facts if facts else None


_Located = TypeVar("_Located", TableDef, AccessFact, SqlFact, SqlUse, ModelRefFact)


def _at(fact: _Located, line: int) -> _Located:
    return replace(fact, line=line)
