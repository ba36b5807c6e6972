"""Top-level symbols and the names they use.

For each top-level class and function (including those defined in module-level ``if``/``try``
blocks): its line span and size, base classes, decorators, the dotted names its body uses
(``Order``, ``services.place_order``, ``self.repo.get``) with how they are used, and for classes
the attributes bound from a call (``self.repo = OrdersRepository()``). Names bound locally
(parameters, assignments, loop variables...) are not references and are dropped, except
``self``/``cls`` chains, which later stages resolve through the class's attribute bindings.
Module-level code gets the same treatment (``module_refs``), plus its bindings
(``_repo = OrdersRepository()``) and ``__all__``.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.collectors.imports import string_value
from analyzer.extract.scope import Scope, dotted
from analyzer.model.facts import AttrBinding, RefFact, RefKind, SymbolFact

_RANK: dict[RefKind, int] = {"annotation": 0, "ref": 1, "call": 2, "decorator": 3, "base": 4}
_BUILTINS = frozenset(dir(builtins))
_KEEP_ROOTS = frozenset({"self", "cls"})


class _Refs:
    """Dotted names used in one scope: first node, strongest kind, count."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[str, list[object]] = {}

    def add(self, chain: str, node: cst.CSTNode, kind: RefKind) -> None:
        entry = self.entries.get(chain)
        if entry is None:
            self.entries[chain] = [node, kind, 1]
            return
        entry[2] = int(entry[2]) + 1  # type: ignore[call-overload]
        if _RANK[kind] > _RANK[entry[1]]:  # type: ignore[index]
            entry[1] = kind

    def facts(
        self, line: Callable[[cst.CSTNode], int], dropped: set[str] | frozenset[str]
    ) -> tuple[RefFact, ...]:
        out = []
        for chain, (node, kind, count) in self.entries.items():
            root = chain.split(".", 1)[0]
            if root in dropped and root not in _KEEP_ROOTS:
                continue
            out.append(RefFact(chain, line(node), kind, count))  # type: ignore[arg-type]
        return tuple(out)


class _Symbol:
    __slots__ = (
        "attributes",
        "bases",
        "conditional",
        "decorators",
        "kind",
        "locals",
        "name",
        "node",
        "refs",
    )

    def __init__(self, node: cst.FunctionDef | cst.ClassDef, conditional: bool) -> None:
        self.node = node
        self.name = node.name.value
        self.kind = "class" if isinstance(node, cst.ClassDef) else "function"
        self.conditional = conditional
        self.refs = _Refs()
        self.locals: set[str] = set()
        self.attributes: list[tuple[str, str, cst.CSTNode, bool]] = []
        self.decorators = tuple(filter(None, (_callee(d.decorator) for d in node.decorators)))
        self.bases: tuple[str, ...] = ()
        if isinstance(node, cst.ClassDef):
            self.bases = tuple(filter(None, (_callee(_unsubscript(a.value)) for a in node.bases)))


def _unsubscript(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.value if isinstance(node, cst.Subscript) else node


def _callee(node: cst.BaseExpression) -> str | None:
    return dotted(node.func if isinstance(node, cst.Call) else node)


def _target_names(node: cst.BaseExpression | cst.BaseAssignTargetExpression) -> list[cst.Name]:
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for el in node.elements for n in _target_names(el.value)]
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    return []


class SymbolCollector(BatchableCSTVisitor):
    """Fills ``symbols``, ``module_refs``, ``bindings`` and ``exports``."""

    def __init__(self, scope: Scope, loc: Callable[[int, int], int]) -> None:
        super().__init__()
        self.scope = scope
        self._loc = loc
        self._symbols: list[tuple[_Symbol, int]] = []
        self._current: _Symbol | None = None
        self._module_refs = _Refs()
        self._module_names: set[str] = set()
        self._bindings: list[tuple[str, str, cst.CSTNode, bool]] = []
        self._exports: list[str] | None = None
        self._ignore: set[int] = set()
        self._roles: dict[int, RefKind] = {}
        self._chain: cst.CSTNode | None = None
        self._in_import = 0
        self._in_annotation = 0

    # -- definitions --------------------------------------------------------------------------
    def _define(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        self._ignore.add(id(node.name))
        scope = self.scope
        if scope.top_node is node:
            symbol = _Symbol(node, scope.top_conditional)
            self._current = symbol
            self._module_names.add(symbol.name)
            for decorator in node.decorators:
                target = decorator.decorator
                self._roles[id(target.func if isinstance(target, cst.Call) else target)] = (
                    "decorator"
                )
            if isinstance(node, cst.ClassDef):
                for arg in node.bases:
                    base = _unsubscript(arg.value)
                    self._roles[id(base.func if isinstance(base, cst.Call) else base)] = "base"
        elif self._current is not None:
            self._current.locals.add(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._define(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._define(node)

    def _finish(self, node: cst.CSTNode) -> None:
        current = self._current
        if current is not None and current.node is node:
            self._symbols.append((current, self.scope.positions.end()))
            self._current = None

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._finish(original_node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._finish(original_node)

    # -- names bound here are not references ----------------------------------------------------
    def _bind(self, target: cst.BaseExpression | cst.BaseAssignTargetExpression) -> None:
        names = self._current.locals if self._current is not None else self._module_names
        for name in _target_names(target):
            self._ignore.add(id(name))
            names.add(name.value)

    def visit_Param(self, node: cst.Param) -> None:
        self._bind(node.name)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)
        if node.value is None:
            return
        if self.scope.at_module_level and isinstance(node.target, cst.Name):
            # ``BaseModel: DefaultMeta = db.Model`` binds like ``BaseModel = db.Model``.
            self._module_binding(node.target.value, node.value, node)
            return
        self._class_attribute(node.target, node.value, node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if not self._in_import:
            self._bind(node.name)

    def visit_NameItem(self, node: cst.NameItem) -> None:
        self._ignore.add(id(node.name))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._ignore.add(id(node.keyword))

    def visit_Import(self, node: cst.Import) -> None:
        self._in_import += 1

    def leave_Import(self, original_node: cst.Import) -> None:
        self._in_import -= 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._in_import += 1

    def leave_ImportFrom(self, original_node: cst.ImportFrom) -> None:
        self._in_import -= 1

    # -- references -----------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._roles.setdefault(id(node.func), "call")

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self._in_annotation += 1

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self._in_annotation -= 1

    def _record(self, chain: str, node: cst.CSTNode) -> None:
        kind = self._roles.pop(id(node), None)
        if kind is None:
            kind = "annotation" if self._in_annotation else "ref"
        refs = self._current.refs if self._current is not None else self._module_refs
        self.scope.positions.mark(node)
        refs.add(chain, node, kind)

    def visit_Name(self, node: cst.Name) -> None:
        if self._chain is None and not self._in_import and id(node) not in self._ignore:
            self._record(node.value, node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self._chain is not None or self._in_import:
            return
        chain = dotted(node)
        if chain is None:
            self._ignore.add(id(node.attr))
            return
        self._chain = node
        self._record(chain, node)

    def leave_Attribute(self, original_node: cst.Attribute) -> None:
        if self._chain is original_node:
            self._chain = None

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._in_annotation:
            value = string_value(node)
            if value and all(part.isidentifier() for part in value.split(".")):
                self._record(value, node)

    # -- bindings: module level and class attributes -------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        scope = self.scope
        if scope.at_module_level and isinstance(target, cst.Name):
            if target.value == "__all__":
                self._exports = _string_list(node.value)
            self._module_binding(target.value, node.value, node)
            return
        self._class_attribute(target, node.value, node)

    def _module_binding(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        callee = _callee(value)
        if callee and callee not in ("None", "True", "False"):
            self._bindings.append((name, callee, node, isinstance(value, cst.Call)))
            self.scope.positions.mark(node)

    def _class_attribute(
        self, target: cst.BaseExpression, value: cst.BaseExpression, node: cst.CSTNode
    ) -> None:
        """``self.repo = OrdersRepository(...)`` in a method, ``repo = X(...)`` in a class body."""
        current = self._current
        if current is None or current.kind != "class" or not isinstance(value, cst.Call):
            return
        callee = dotted(value.func)
        if not callee:
            return
        scope = self.scope
        if scope.class_depth == 1 and scope.fn_depth == 0 and isinstance(target, cst.Name):
            name = target.value
        elif isinstance(target, cst.Attribute) and dotted(target.value) == "self":
            name = target.attr.value
        else:
            return
        scope.positions.mark(node)
        current.attributes.append((name, callee, node, True))

    # -- results --------------------------------------------------------------------------------
    def symbols(self) -> tuple[SymbolFact, ...]:
        line, end_line = self.scope.positions.line, self.scope.positions.end_line
        dropped_builtins = _BUILTINS - self._module_names
        out = []
        for symbol, mark in self._symbols:
            start, end = line(symbol.node), end_line(mark)
            out.append(
                SymbolFact(
                    name=symbol.name,
                    kind=symbol.kind,  # type: ignore[arg-type]
                    line=start,
                    end_line=max(start, end),
                    loc=self._loc(start, max(start, end)),
                    bases=symbol.bases,
                    decorators=symbol.decorators,
                    refs=symbol.refs.facts(line, symbol.locals | dropped_builtins),
                    attributes=tuple(
                        AttrBinding(name, value, line(node), call)
                        for name, value, node, call in symbol.attributes
                    ),
                    conditional=symbol.conditional,
                )
            )
        return tuple(out)

    def module_refs(self) -> tuple[RefFact, ...]:
        return self._module_refs.facts(self.scope.positions.line, _BUILTINS - self._module_names)

    def bindings(self) -> tuple[AttrBinding, ...]:
        line = self.scope.positions.line
        return tuple(AttrBinding(n, v, line(node), call) for n, v, node, call in self._bindings)

    def globals(self) -> tuple[str, ...]:
        """Names assigned at module level (not imports, not top-level definitions), sorted."""
        defined = {symbol.name for symbol, _ in self._symbols}
        return tuple(sorted(self._module_names - defined))

    def exports(self) -> tuple[str, ...] | None:
        return tuple(self._exports) if self._exports is not None else None


def _string_list(node: cst.BaseExpression) -> list[str] | None:
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    values = [string_value(el.value) for el in node.elements]
    return [v for v in values if v] if all(values) else None
