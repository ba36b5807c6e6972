"""Flow: the calls a method makes, calls made in loops, and database transactions.

- every call inside a method of a top-level class, so a call tree can follow one method rather
  than its whole class (a top-level function's calls are its references already);
- calls inside loop bodies and comprehensions (the iterable a loop starts from is evaluated once
  and is not in the loop);
- transactions: ``with transaction.atomic():`` (and ``db.atomic()``), ``with
  session.begin():``, ``@transaction.atomic`` on a function or method, and functions that
  commit a database session (``db.session.commit()``), with the calls made inside each;
- the ``ATOMIC_REQUESTS`` database setting (Django wraps every view in a transaction).
"""

from __future__ import annotations

import builtins

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.collectors.imports import string_value
from analyzer.extract.scope import Scope, dotted, last_name
from analyzer.model.flow import CallSite, FlowFacts, TransactionFact

_BUILTINS = frozenset(dir(builtins))
_ATOMIC = frozenset({"atomic"})
_BEGIN = frozenset({"begin", "begin_nested"})
_SETTINGS = frozenset({"ATOMIC_REQUESTS"})
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _transaction_kind(expr: cst.BaseExpression) -> str | None:
    """``atomic`` for ``transaction.atomic(...)``/``atomic``, ``session`` for
    ``session.begin()`` and alike; ``None`` for anything else."""
    called = isinstance(expr, cst.Call)
    callee = dotted(expr.func if isinstance(expr, cst.Call) else expr)
    return None if callee is None else _kind_of(callee, called)


def _kind_of(callee: str, called: bool) -> str | None:
    """``_transaction_kind`` of what ``callee`` names, called or not."""
    parts = callee.split(".")
    if parts[-1] in _ATOMIC:
        return "atomic"
    if called and parts[-1] in _BEGIN and len(parts) > 1:
        receiver = parts[-2].lower()
        if "session" in receiver or receiver in ("engine", "connection", "conn"):
            return "session"
    return None


def _commits(callee: str) -> bool:
    parts = callee.split(".")
    return len(parts) > 1 and parts[-1] == "commit" and "session" in parts[-2].lower()


class _Frame:
    """One function being traversed: how deep in loops, which transaction encloses it."""

    __slots__ = ("commits", "loops", "node", "whole")

    def __init__(self, node: cst.CSTNode) -> None:
        self.node = node
        self.loops = 0
        self.commits = False
        self.whole = False  # the whole function is a transaction already


class FlowCollector(BatchableCSTVisitor):
    """Gives ``facts()``: the file's ``FlowFacts`` (``None`` when it has none)."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope
        self._frames: list[_Frame] = []
        self._loop_bodies: set[int] = set()
        self._once: set[int] = set()  # the iterables comprehensions start from
        self._calls: dict[tuple[str, str, str, bool, int], cst.CSTNode] = {}
        # (kind, node, scope, method, whole, end mark)
        self._transactions: list[list[object]] = []
        self._open: list[int] = []  # indexes of the transactions around the current node
        self._with_bodies: dict[int, list[int]] = {}
        self._settings: dict[str, str] = {}

    # -- functions ------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        frame = _Frame(node)
        self._frames.append(frame)
        if self.scope.top is None:
            return
        # Marked once, on the way in: a node's line is that of its latest mark.
        self.scope.positions.mark(node)
        for decorator in node.decorators:
            if _transaction_kind(decorator.decorator) == "atomic":
                frame.whole = True
                self._open_transaction("atomic_decorator", node, whole=True, mark=False)
                self._with_bodies.setdefault(id(node), []).append(len(self._transactions) - 1)
                break

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        frame = self._frames.pop()
        self._close(id(original_node))
        if frame.commits and not frame.whole and self.scope.top is not None:
            self._open_transaction("commit", original_node, whole=True, mark=False)
            self._transactions[-1][-1] = self.scope.positions.end()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._frames.append(_Frame(node))

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._frames.pop()

    # -- loops ----------------------------------------------------------------------------------
    def visit_For(self, node: cst.For) -> None:
        self._loop_bodies.add(id(node.body))

    def visit_While(self, node: cst.While) -> None:
        self._loop_bodies.add(id(node.body))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if id(node) in self._loop_bodies and self._frames:
            self._frames[-1].loops += 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        if id(original_node) in self._loop_bodies:
            self._loop_bodies.discard(id(original_node))
            if self._frames:
                self._frames[-1].loops -= 1
        self._close(id(original_node))

    def _enter_comprehension(self, node: cst.BaseExpression) -> None:
        if self._frames:
            self._frames[-1].loops += 1
        first = getattr(node, "for_in", None)
        if isinstance(first, cst.CompFor):
            self._once.add(id(first.iter))

    def _leave_comprehension(self) -> None:
        if self._frames:
            self._frames[-1].loops -= 1

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._enter_comprehension(node)

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self._leave_comprehension()

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._enter_comprehension(node)

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self._leave_comprehension()

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._enter_comprehension(node)

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        self._leave_comprehension()

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._enter_comprehension(node)

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self._leave_comprehension()

    # -- transactions ---------------------------------------------------------------------------
    def visit_With(self, node: cst.With) -> None:
        if self.scope.top is None or not self._frames:
            return
        for item in node.items:
            kind = _transaction_kind(item.item)
            if kind is not None:
                self._open_transaction(kind, node)
                self._with_bodies.setdefault(id(node.body), []).append(len(self._transactions) - 1)
                return

    def _open_transaction(
        self, kind: str, node: cst.CSTNode, whole: bool = False, mark: bool = True
    ) -> None:
        scope = self.scope
        if mark:
            scope.positions.mark(node)
        self._transactions.append([kind, node, scope.top or "", scope.method, whole, 0])
        if kind != "commit":
            self._open.append(len(self._transactions) - 1)

    def _close(self, key: int) -> None:
        for index in self._with_bodies.pop(key, ()):
            self._transactions[index][-1] = self.scope.positions.end()
            if self._open and self._open[-1] == index:
                self._open.pop()

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        self._close(id(original_node))

    # -- calls ----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        scope = self.scope
        if scope.top is None or not self._frames:
            return
        frame = self._frames[-1]
        loop = frame.loops > 0 and id(node) not in self._once
        transaction = self._open[-1] if self._open else -1
        kept = bool(scope.method) or loop or transaction >= 0
        # A call that is not kept matters only if it commits a session.
        if not kept and last_name(node.func) != "commit":
            return
        callee = dotted(node.func)
        if callee is None or callee in _BUILTINS or _kind_of(callee, True) is not None:
            return
        if _commits(callee):
            frame.commits = True
        if not kept:
            return
        key = (callee, scope.top, scope.method, loop, transaction)
        if key not in self._calls:
            scope.positions.mark(node)
            self._calls[key] = node

    # -- settings -------------------------------------------------------------------------------
    def visit_DictElement(self, node: cst.DictElement) -> None:
        # Most dictionaries are no settings: their keys are not evaluated.
        if not (isinstance(node.key, cst.SimpleString) and "ATOMIC_REQUESTS" in node.key.value):
            return
        key = string_value(node.key)
        if key in _SETTINGS and isinstance(node.value, cst.Name):
            self._settings[key] = node.value.value

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
            return
        index = target.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        if key in _SETTINGS and isinstance(node.value, cst.Name):
            self._settings[key] = node.value.value

    # -- results --------------------------------------------------------------------------------
    def facts(self) -> FlowFacts | None:
        positions = self.scope.positions
        line = positions.line
        transactions = []
        for kind, node, top, method, whole, end in self._transactions:
            start = line(node)  # type: ignore[arg-type]
            stop = positions.end_line(end) if end else start  # type: ignore[arg-type]
            transactions.append(
                TransactionFact(
                    str(kind), start, max(start, stop), str(top), str(method), bool(whole)
                )
            )
        calls = tuple(
            CallSite(chain, line(node), top, method, loop, transaction)
            for (chain, top, method, loop, transaction), node in self._calls.items()
        )
        facts = FlowFacts(
            calls=calls,
            transactions=tuple(transactions),
            settings=tuple(sorted(self._settings.items())),
        )
        return facts if facts else None
