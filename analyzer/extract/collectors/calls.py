"""Call chains: which database access a chain of calls is, read once from its outermost call.

- a database session's ``add``/``add_all``/``delete``/``merge``/``get``/``query``/``bulk_*``
  (a receiver named like a session, or a name annotated as one) -> a ``session`` fact;
- a SQLAlchemy construct (``select``, ``insert``, ``update``, ``delete``, loader options,
  ``aliased``, ``exists``) -> a ``statement`` fact over the values in its arguments;
- anything else starting from a class-like dotted name, a typed local, an app-label model or
  ``self.<attribute>`` -> a ``use`` fact (``Order.objects.filter(...).update(...)``,
  ``order.save()``, ``repo.add(book)``), with its Django lookups;
- a string given to ``execute``/``executemany``/``raw``/``text()``/``RawSQL``... -> SQL facts,
  also through a local or module-level name holding the string.
"""

from __future__ import annotations

import libcst as cst

from analyzer.extract.collectors.sql import literal_text, looks_like_sql, sql_tables
from analyzer.extract.collectors.values import (
    Chain,
    Env,
    Segment,
    flatten,
    lookups,
    model_label,
    refs_in,
    value_of,
)
from analyzer.extract.scope import Scope, dotted, last_name
from analyzer.model.data import (
    CALL,
    AccessFact,
    ModelRefFact,
    SelfCall,
    SqlFact,
    SqlUse,
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


def class_like(chain: str) -> bool:
    return any(part[:1].isupper() for part in chain.split("."))


class CallReader:
    """Reads call chains into facts, kept with the node whose line each gets."""

    def __init__(self, scope: Scope, env: Env) -> None:
        self.scope = scope
        self.env = env
        self.consumed: set[int] = set()
        self.accesses: list[tuple[cst.CSTNode, AccessFact]] = []
        self.sql: list[tuple[cst.CSTNode, SqlFact]] = []
        self.sql_uses: list[tuple[cst.CSTNode, SqlUse]] = []
        self.model_refs: list[tuple[cst.CSTNode, ModelRefFact]] = []
        self.self_calls: dict[SelfCall, None] = {}
        self.sql_names: set[str] = set()

    def where(self) -> tuple[str, str]:
        """The top-level symbol and, inside a method of a top-level class, the method."""
        top = self.scope.top or ""
        method = ""
        if self.env.frames and isinstance(self.scope.top_node, cst.ClassDef):
            method = self.env.frames[0].name
        return top, method

    def add(self, node: cst.CSTNode, **fields: object) -> None:
        scope, method = self.where()
        self.scope.positions.mark(node)
        fact = AccessFact(line=0, scope=scope, method=method, **fields)  # type: ignore[arg-type]
        self.accesses.append((node, fact))

    def read(self, node: cst.Call) -> None:
        """One fact (or none) for the call chain ending in ``node``; its inner calls are done."""
        if id(node) in self.consumed:
            return
        chain = flatten(node)
        for inner in chain.calls[1:]:
            self.consumed.add(id(inner))
        self._model_refs_in(chain)
        self._sql_sinks(chain)
        if self._session(chain) or self._statement(chain) or self._self_call(chain):
            return
        self._use(chain, node)

    def attribute(self, node: cst.Attribute) -> None:
        """``Model.DoesNotExist``: a read."""
        if node.attr.value in _ERRORS:
            subject = value_of(node, self.env)
            if subject is not None:
                self.add(node, op="use", subject=subject)

    def _model_refs_in(self, chain: Chain) -> None:
        for call in chain.calls:
            label = model_label(call)
            if label is not None and not label.startswith("@"):
                scope, _ = self.where()
                self.scope.positions.mark(call)
                self.model_refs.append((call, ModelRefFact(label, 0, scope)))

    def _sql_sinks(self, chain: Chain) -> None:
        calls = [s.call for s in chain.segments if s.call is not None]
        if isinstance(chain.root, cst.Call):
            calls.insert(0, chain.root)
        for call in calls:
            if last_name(call.func) not in SQL_SINKS:
                continue
            first = next((a.value for a in call.args if a.keyword is None), None)
            if first is None:
                continue
            text = literal_text(first)
            if text is None and isinstance(first, cst.Name):
                text = self.env.string(first.value)
                if text is None and first.value in self.sql_names:
                    if not self.env.is_local(first.value):
                        scope, method = self.where()
                        self.scope.positions.mark(call)
                        self.sql_uses.append((call, SqlUse(first.value, 0, scope, method)))
                    continue
            if text is not None and looks_like_sql(text):
                self.record_sql(call, text)

    def record_sql(self, node: cst.CSTNode, text: str, binding: str = "") -> None:
        found = sql_tables(text)
        if not (found.reads or found.writes):
            return
        scope, method = self.where()
        self.scope.positions.mark(node)
        fact = SqlFact(0, scope, found.reads, found.writes, found.parsed, method, binding)
        self.sql.append((node, fact))

    def value(self, expr: cst.BaseExpression) -> ValueRef | None:
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
        if not args or first.name not in _LOADERS or not self.is_session(receiver):
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

    def is_session(self, receiver: str) -> bool:
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
        if first.name not in SESSION_METHODS or not self.is_session(receiver):
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
        self.add(first.call, op="session", name=name, args=args, extra=extra)
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
            self.add(root, op="statement", name=name, args=args, extra=extra)
        return True

    def _self_call(self, chain: Chain) -> bool:
        root = chain.root
        if not isinstance(root, cst.Name) or root.value not in ("self", "cls"):
            return False
        first = chain.segments[0] if chain.segments else None
        if first is None or first.call is None:
            return False
        scope, method = self.where()
        if method:
            self.self_calls[SelfCall(scope, method, first.name)] = None
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
        self.add(
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
            if receiver is not None and self.is_session(receiver):
                return False
            if self.env.name(name) != ValueRef(name):
                return True
        if class_like(subject.chain):
            return True
        return any(s.call is not None and s.name in _TABLE_METHODS for s in chain.segments)
