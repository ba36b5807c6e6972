"""Where the traversal is in a file: shared by the collectors of that file.

Split in two collectors so the bookkeeping brackets everyone else: ``ScopeOpener`` runs first on
the way in and ``ScopeCloser`` last on the way out, with libcst's ``visit_batched`` as with
``traverse``.
"""

from __future__ import annotations

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.traverse import Positions


class Scope:
    """Traversal state of one file.

    ``top`` is the top-level class or function being traversed (``None`` at module level);
    ``method`` the method of a top-level class being traversed (``""`` elsewhere);
    ``fn_depth``/``class_depth`` count enclosing definitions; ``block_depth`` counts
    module-level compound statements (``if``/``try``/...) around the current node;
    ``type_checking`` is positive inside the body of ``if TYPE_CHECKING:``.
    """

    __slots__ = (
        "_tc_bodies",
        "block_depth",
        "class_depth",
        "fn_depth",
        "is_package",
        "method",
        "method_node",
        "module",
        "positions",
        "top",
        "top_conditional",
        "top_node",
        "type_checking",
    )

    def __init__(self, module: str, is_package: bool, positions: Positions) -> None:
        self.module = module
        self.is_package = is_package
        self.positions = positions
        self.fn_depth = 0
        self.class_depth = 0
        self.block_depth = 0
        self.type_checking = 0
        self.top: str | None = None
        self.top_node: cst.CSTNode | None = None
        self.top_conditional = False
        self.method = ""
        self.method_node: cst.CSTNode | None = None
        self._tc_bodies: set[int] = set()

    @property
    def at_module_level(self) -> bool:
        return self.fn_depth == 0 and self.class_depth == 0


def dotted(node: cst.BaseExpression | None) -> str | None:
    """``a.b.c`` for a chain of names and attributes, ``None`` for anything else."""
    # ``type(node) is`` rather than ``isinstance``: libcst's node classes are abstract base
    # classes, so a failed isinstance goes through a Python-level check (a few percent of the
    # extraction when on a hot path like this one); Name, Attribute, Call, Subscript and the
    # other concrete classes tested so have no subclasses.
    if type(node) is cst.Name:
        return node.value
    parts: list[str] = []
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def last_name(node: cst.BaseExpression) -> str | None:
    """The last name of ``node`` (``c`` of ``a.b.c``) when it is a name or an attribute: a cheap
    test to run before ``dotted``."""
    if type(node) is cst.Attribute:
        return node.attr.value
    return node.value if type(node) is cst.Name else None


def _is_type_checking(test: cst.BaseExpression) -> bool:
    name = dotted(test)
    return name is not None and (name == "TYPE_CHECKING" or name.endswith(".TYPE_CHECKING"))


class ScopeOpener(BatchableCSTVisitor):
    """Enters definitions and blocks before any other collector sees them."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def _enter_def(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        scope = self.scope
        if scope.at_module_level:
            scope.top = node.name.value
            scope.top_node = node
            scope.top_conditional = scope.block_depth > 0
            scope.positions.mark(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter_def(node)
        scope = self.scope
        if scope.fn_depth == 0 and scope.class_depth == 1:
            scope.method = node.name.value
            scope.method_node = node
        scope.fn_depth += 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._enter_def(node)
        self.scope.class_depth += 1

    def _enter_block(self, node: cst.CSTNode) -> None:
        if self.scope.at_module_level:
            self.scope.block_depth += 1

    def visit_If(self, node: cst.If) -> None:
        self._enter_block(node)
        if _is_type_checking(node.test):
            self.scope._tc_bodies.add(id(node.body))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if id(node) in self.scope._tc_bodies:
            self.scope.type_checking += 1

    # Explicit methods rather than aliases: libcst's visit_batched only picks up hooks whose
    # function name starts with visit_/leave_.
    def visit_Try(self, node: cst.Try) -> None:
        self._enter_block(node)

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self._enter_block(node)

    def visit_With(self, node: cst.With) -> None:
        self._enter_block(node)

    def visit_For(self, node: cst.For) -> None:
        self._enter_block(node)

    def visit_While(self, node: cst.While) -> None:
        self._enter_block(node)


class ScopeCloser(BatchableCSTVisitor):
    """Leaves definitions and blocks after every other collector has seen them."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def _leave_def(self, node: cst.CSTNode) -> None:
        scope = self.scope
        if scope.at_module_level and scope.top_node is node:
            scope.top = None
            scope.top_node = None
            scope.top_conditional = False

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        scope = self.scope
        scope.fn_depth -= 1
        if scope.method_node is original_node:
            scope.method = ""
            scope.method_node = None
        self._leave_def(original_node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope.class_depth -= 1
        self._leave_def(original_node)

    def _leave_block(self, original_node: cst.CSTNode) -> None:
        if self.scope.at_module_level:
            self.scope.block_depth -= 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        if id(original_node) in self.scope._tc_bodies:
            self.scope.type_checking -= 1

    def leave_If(self, original_node: cst.If) -> None:
        self._leave_block(original_node)

    def leave_Try(self, original_node: cst.Try) -> None:
        self._leave_block(original_node)

    def leave_TryStar(self, original_node: cst.TryStar) -> None:
        self._leave_block(original_node)

    def leave_With(self, original_node: cst.With) -> None:
        self._leave_block(original_node)

    def leave_For(self, original_node: cst.For) -> None:
        self._leave_block(original_node)

    def leave_While(self, original_node: cst.While) -> None:
        self._leave_block(original_node)
