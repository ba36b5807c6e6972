"""One traversal per file that runs every fact collector and knows line numbers.

libcst's own ``visit``/``visit_batched`` rebuilds every node while walking, and its
``PositionProvider`` regenerates the whole module once more; measured on netbox (152k lines) a
visit costs as much as the parse (7.7 s vs 7.9 s) and positions twice that (15.6 s). Code
generation, in contrast, walks the tree in source order without rebuilding anything (3.1 s),
calling ``before_codegen``/``after_codegen`` for every node and ``add_token`` for every piece of
text. This module drives the collectors' ``visit_<Node>``/``leave_<Node>`` hooks from those
calls and counts newlines as tokens go by, so a collector can ask for the line of any node it
saw. Collectors are ordinary ``libcst.BatchableCSTVisitor`` subclasses: the same collectors
also run under ``libcst.visit_batched`` (the tests check both give the same facts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst
from libcst import BatchableCSTVisitor
from libcst._nodes.internal import CodegenState

Hook = Callable[[Any], Any]
_NODE_TYPES: dict[str, type[cst.CSTNode]] = {
    name: obj
    for name, obj in vars(cst).items()
    if isinstance(obj, type) and issubclass(obj, cst.CSTNode)
}
_HOOKS_BY_CLASS: dict[type[BatchableCSTVisitor], list[tuple[str, str, type[cst.CSTNode]]]] = {}


class Positions:
    """Line numbers of the nodes collectors mark, filled in as the traversal emits their text.

    ``mark(node)`` during ``visit_<Node>``; ``line(node)`` is valid once the traversal has moved
    past the node's first token (at the latest when the traversal ends). That is the node's first
    code token, an opening parenthesis included; comments above a statement do not count, except
    for a marked comment itself. ``last_line`` is the line of the latest code token.
    """

    __slots__ = ("_comments", "_lines", "_pending", "last_line", "line_now")

    def __init__(self) -> None:
        self._lines: dict[int, int] = {}
        self._pending: list[cst.CSTNode] = []
        self._comments: list[cst.CSTNode] = []
        self.line_now = 1
        self.last_line = 1

    def mark(self, node: cst.CSTNode) -> None:
        # A statement's line is that of its code, not of the comments above it; a comment's is
        # its own.
        (self._comments if isinstance(node, cst.Comment) else self._pending).append(node)

    def line(self, node: cst.CSTNode) -> int:
        return self._lines.get(id(node), self.line_now)

    def _token(self, value: str) -> None:
        newlines = value.count("\n")
        if self._comments and value.startswith("#"):
            for node in self._comments:
                self._lines[id(node)] = self.line_now
            self._comments.clear()
        elif value and not value.isspace() and value[0] != "#":
            if self._pending:
                now = self.line_now
                lines = self._lines
                for node in self._pending:
                    lines[id(node)] = now
                self._pending.clear()
            self.last_line = self.line_now + newlines
        self.line_now += newlines


class _Traversal(CodegenState):
    """A code generator that emits nothing: it counts lines and dispatches collector hooks."""

    def __init__(
        self,
        module: cst.Module,
        positions: Positions,
        visits: dict[type[cst.CSTNode], list[Hook]],
        leaves: dict[type[cst.CSTNode], list[Hook]],
    ) -> None:
        super().__init__(
            default_indent=module.default_indent, default_newline=module.default_newline
        )
        self._positions = positions
        self._visits = visits
        self._leaves = leaves

    def add_indent_tokens(self) -> None:
        pass

    def add_token(self, value: str) -> None:
        self._positions._token(value)

    def pop_trailing_newline(self) -> None:
        pass

    def before_codegen(self, node: cst.CSTNode) -> None:
        hooks = self._visits.get(type(node))
        if hooks:
            for hook in hooks:
                hook(node)

    def after_codegen(self, node: cst.CSTNode) -> None:
        hooks = self._leaves.get(type(node))
        if hooks:
            for hook in hooks:
                hook(node)


def _class_hooks(cls: type[BatchableCSTVisitor]) -> list[tuple[str, str, type[cst.CSTNode]]]:
    """(method name, "visit"|"leave", node type) for every hook a collector class defines."""
    hooks = _HOOKS_BY_CLASS.get(cls)
    if hooks is None:
        hooks = []
        for name in sorted(dir(cls)):
            prefix, _, node_name = name.partition("_")
            if prefix not in ("visit", "leave") or not node_name:
                continue
            if getattr(getattr(cls, name), "_is_no_op", False):
                continue
            node_type = _NODE_TYPES.get(node_name)
            if node_type is None:
                raise TypeError(
                    f"{cls.__name__}.{name}: only visit_<Node>/leave_<Node> hooks run here"
                )
            hooks.append((name, prefix, node_type))
        _HOOKS_BY_CLASS[cls] = hooks
    return hooks


def traverse(
    module: cst.Module, collectors: Sequence[BatchableCSTVisitor], positions: Positions
) -> None:
    """Run every collector's hooks over ``module`` in one source-order pass.

    Hooks run in collector order on the way in and on the way out, as in ``libcst.visit_batched``.
    """
    visits: dict[type[cst.CSTNode], list[Hook]] = {}
    leaves: dict[type[cst.CSTNode], list[Hook]] = {}
    for collector in collectors:
        for name, kind, node_type in _class_hooks(type(collector)):
            target = visits if kind == "visit" else leaves
            target.setdefault(node_type, []).append(getattr(collector, name))
    module._codegen(_Traversal(module, positions, visits, leaves))
