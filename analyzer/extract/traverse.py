"""One traversal per file that runs every fact collector and knows line numbers.

libcst's own ``visit``/``visit_batched`` rebuilds every node while walking, and its
``PositionProvider`` regenerates the whole module once more; measured on netbox (152k lines) a
visit costs as much as the parse (7.7 s vs 7.9 s) and positions twice that (15.6 s). Code
generation, in contrast, walks the tree in source order without rebuilding anything (3.1 s),
calling ``before_codegen``/``after_codegen`` for every node and ``add_token`` for every piece of
text. This module drives the collectors' ``visit_<Node>``/``leave_<Node>`` hooks from those
calls and keeps the tokens, so a collector can ask for the line of any node it saw; lines are
counted once, after the walk (counting them token by token as they went by cost ~10% of the
extraction on netbox, and libcst's position-recording contexts another ~5%).
Two of libcst's code-generation steps are replaced while a traversal runs, for traversals only
(code generated for any other purpose goes through libcst's own). Each concrete node type gets
a ``_codegen`` of its own: a hooked type calls its hooks from a list at hand rather than through
``before_codegen`` and ``after_codegen``, an unhooked one only writes its code, and whitespace
that is empty writes no token (two nodes in five are whitespace, most of it empty). The
parentheses around an expression are written by a plain context manager rather than a
generator-based one, and none is opened around the many expressions without parentheses. On
netbox, hooks dispatched from one patched ``CSTNode._codegen`` took 16% less extraction time
than libcst's own steps; a ``_codegen`` per type took the walk from 2.0-2.2 s to 1.4 s in one
process. The facts are the same.
Collectors are ordinary ``libcst.BatchableCSTVisitor`` subclasses: the same collectors also run
under ``libcst.visit_batched`` (the tests check both give the same facts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import accumulate
from operator import methodcaller
from typing import Any

import libcst as cst
from libcst import BatchableCSTVisitor
from libcst._nodes.base import CSTNode
from libcst._nodes.expression import _BaseParenthesizedNode
from libcst._nodes.internal import CodegenState
from libcst._nodes.op import _BaseOneTokenOp

Hook = Callable[[Any], Any]
_NODE_TYPES: dict[str, type[cst.CSTNode]] = {
    name: obj
    for name, obj in vars(cst).items()
    if isinstance(obj, type) and issubclass(obj, cst.CSTNode)
}
_HOOKS_BY_CLASS: dict[type[BatchableCSTVisitor], list[tuple[str, str, type[cst.CSTNode]]]] = {}


class Positions:
    """Line numbers of the nodes collectors mark, worked out from the text the traversal emits.

    ``mark(node)`` during ``visit_<Node>``; ``line(node)`` once the traversal has ended. A node's
    line is that of its first code token, an opening parenthesis included; comments above a
    statement do not count, except for a marked comment itself. ``end()`` during the traversal
    notes where it is; ``end_line(mark)`` is then the line of the latest code token before it.

    The traversal only appends each token to ``tokens`` (a C-level call per token); lines are
    counted once, after the traversal, for the tokens that a mark or an end points at.
    """

    __slots__ = ("_ends", "_lines", "_marks", "_starts", "tokens")

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self._marks: list[tuple[int, cst.CSTNode]] = []
        self._lines: dict[int, int] | None = None
        self._ends: dict[int, int] = {}
        self._starts: list[int] = []

    def mark(self, node: cst.CSTNode) -> None:
        self._marks.append((len(self.tokens), node))

    def end(self) -> int:
        return len(self.tokens)

    def line(self, node: cst.CSTNode) -> int:
        lines = self._lines if self._lines is not None else self._resolve()
        return lines.get(id(node), self._starts[-1])

    def end_line(self, mark: int) -> int:
        if self._lines is None:
            self._resolve()
        line = self._ends.get(mark)
        if line is None:
            tokens, index = self.tokens, min(mark, len(self.tokens)) - 1
            while index >= 0 and not _is_code(tokens[index]):
                index -= 1
            line = 1 if index < 0 else self._starts[index] + tokens[index].count("\n")
            self._ends[mark] = line
        return line

    def _resolve(self) -> dict[int, int]:
        tokens = self.tokens
        # _starts[i]: the line token i starts on; the last entry is the line after every token.
        self._starts = starts = list(accumulate(map(_NEWLINES, tokens), initial=1))
        lines: dict[int, int] = {}
        count = len(tokens)
        for at, node in self._marks:
            wanted = _is_comment if type(node) is cst.Comment else _is_code
            index = at
            while index < count and not wanted(tokens[index]):
                index += 1
            lines[id(node)] = starts[index]
        self._lines = lines
        return lines


_NEWLINES = methodcaller("count", "\n")


def _is_code(token: str) -> bool:
    return bool(token) and token[0] != "#" and not token.isspace()


def _is_comment(token: str) -> bool:
    return token.startswith("#")


class _NoPosition:
    """A context that does nothing: what libcst opens around every expression to record
    positions, and the parentheses of an expression that has none."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_POSITION = _NoPosition()


class _Traversal(CodegenState):
    """A code generator that keeps its tokens for ``Positions`` and dispatches collector hooks."""

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
        self.add_token = positions.tokens.append  # type: ignore[method-assign,assignment]
        self.visits = visits
        self.leaves = leaves

    def add_indent_tokens(self) -> None:
        pass

    def pop_trailing_newline(self) -> None:
        pass

    def record_syntactic_position(self, node: cst.CSTNode, **_: object) -> Any:
        return _NO_POSITION

    def before_codegen(self, node: cst.CSTNode) -> None:
        hooks = self.visits.get(type(node))
        if hooks:
            for hook in hooks:
                hook(node)

    def after_codegen(self, node: cst.CSTNode) -> None:
        hooks = self.leaves.get(type(node))
        if hooks:
            for hook in hooks:
                hook(node)


_LIBCST_CODEGEN: Callable[..., None] | None = CSTNode.__dict__.get("_codegen")
_LIBCST_PARENTHESIZE: Callable[..., Any] | None = _BaseParenthesizedNode.__dict__.get(
    "_parenthesize"
)


class _Parentheses:
    """The parentheses around an expression's code, as libcst writes them (a traversal records
    no positions, so nothing else happens between them)."""

    __slots__ = ("_node", "_state")

    def __init__(self, node: Any, state: CodegenState) -> None:
        self._node, self._state = node, state

    def __enter__(self) -> None:
        for lpar in self._node.lpar:
            lpar._codegen(self._state)

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:  # as after libcst's ``yield``: not written when the code inside failed
            for rpar in self._node.rpar:
                rpar._codegen(self._state)


def _parenthesize(self: Any, state: CodegenState) -> Any:
    if type(state) is not _Traversal:
        assert _LIBCST_PARENTHESIZE is not None
        return _LIBCST_PARENTHESIZE(self, state)
    if not self.lpar and not self.rpar:  # most expressions: nothing to write around them
        return _NO_POSITION
    return _Parentheses(self, state)


def _unhooked(self: CSTNode, state: CodegenState, **kwargs: Any) -> None:
    """``_codegen`` of a node type no collector hooks: its code, nothing to dispatch."""
    if type(state) is not _Traversal:
        assert _LIBCST_CODEGEN is not None
        _LIBCST_CODEGEN(self, state, **kwargs)
        return
    self._codegen_impl(state, **kwargs)


def _unhooked_whitespace(self: Any, state: CodegenState, **kwargs: Any) -> None:
    """``_codegen`` of unhooked ``SimpleWhitespace`` (two in five nodes, most of them empty): an
    empty token holds no line and no code, so the traversal keeps none."""
    if type(state) is not _Traversal:
        assert _LIBCST_CODEGEN is not None
        _LIBCST_CODEGEN(self, state, **kwargs)
        return
    if self.value:
        state.add_token(self.value)


def _unhooked_operator(self: Any, state: CodegenState, **kwargs: Any) -> None:
    """``_codegen`` of an unhooked one-token operator (``,`` ``.`` ``=`` ...), without the
    position context a traversal does not use."""
    if type(state) is not _Traversal:
        assert _LIBCST_CODEGEN is not None
        _LIBCST_CODEGEN(self, state, **kwargs)
        return
    self.whitespace_before._codegen(state)
    state.add_token(self._get_token())
    self.whitespace_after._codegen(state)


def _hooked(visits: Sequence[Hook], leaves: Sequence[Hook]) -> Callable[..., None]:
    """``_codegen`` of a node type collectors hook, with its hooks at hand (no lookups)."""

    def codegen(self: CSTNode, state: CodegenState, **kwargs: Any) -> None:
        if type(state) is not _Traversal:
            assert _LIBCST_CODEGEN is not None
            _LIBCST_CODEGEN(self, state, **kwargs)
            return
        for hook in visits:
            hook(self)
        self._codegen_impl(state, **kwargs)
        for hook in leaves:
            hook(self)

    return codegen


_CONCRETE: tuple[type[cst.CSTNode], ...] = tuple(
    kind for kind in _NODE_TYPES.values() if not getattr(kind, "__abstractmethods__", None)
)
_UNHOOKED: dict[type[cst.CSTNode], Callable[..., None]] = {
    kind: (
        _unhooked_whitespace
        if kind is cst.SimpleWhitespace
        else _unhooked_operator
        if issubclass(kind, _BaseOneTokenOp)
        else _unhooked
    )
    for kind in _CONCRETE
}


@contextmanager
def _walking(
    visits: dict[type[cst.CSTNode], list[Hook]], leaves: dict[type[cst.CSTNode], list[Hook]]
) -> Iterator[None]:
    """libcst's steps replaced for the block (left alone by a libcst that lacks them): each
    concrete node type gets a ``_codegen`` of its own for the block, which dispatches its hooks
    or, unhooked, only writes its code (installing them all costs ~30 µs a file). A node type
    libcst does not export would keep libcst's ``_codegen``, whose ``before_codegen`` and
    ``after_codegen`` calls dispatch its hooks all the same."""
    if _LIBCST_CODEGEN is None or _LIBCST_PARENTHESIZE is None:
        yield
        return
    _BaseParenthesizedNode._parenthesize = _parenthesize  # type: ignore[method-assign]
    for kind in _CONCRETE:
        if kind in visits or kind in leaves:
            kind._codegen = _hooked(visits.get(kind, ()), leaves.get(kind, ()))  # type: ignore[method-assign]
        else:
            kind._codegen = _UNHOOKED[kind]  # type: ignore[method-assign]
    try:
        yield
    finally:
        for kind in _CONCRETE:
            del kind._codegen
        _BaseParenthesizedNode._parenthesize = _LIBCST_PARENTHESIZE  # type: ignore[method-assign]


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
    state = _Traversal(module, positions, visits, leaves)
    with _walking(visits, leaves):
        module._codegen(state)
