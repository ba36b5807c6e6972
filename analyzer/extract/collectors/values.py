"""What names hold inside a function, as far as the function itself shows.

A function's local names are bound to ``ValueRef``s while the traversal goes through it:
``order = Order.objects.get(...)`` binds ``order`` to chain ``Order.objects.get`` called, a
parameter annotated ``invoice: Invoice`` to ``Invoice`` called (an instance), ``repo =
BookRepository(session)`` to ``BookRepository`` called. Uses of the name then continue from that
value, so ``order.save()`` is known to be ``Order.objects.get(...).save()``. A local name bound to
anything else is unknown and hides any global of the same name. Whether a chain names a model is
decided later, across files.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from analyzer.extract.scope import dotted
from analyzer.model.data import BOUND, CALL, ITEM, ValueRef

# Generic containers and wrappers whose first parameter is the element type of an annotation.
_WRAPPERS = frozenset(
    """Optional List list Sequence MutableSequence Iterable Iterator Collection Set set FrozenSet
    frozenset AbstractSet tuple Tuple Mapped QuerySet Manager AsyncIterator Generator Annotated
    Awaitable Coroutine InstrumentedList DynamicMapped WriteOnlyMapped Final ClassVar""".split()
)
_CLASS_WRAPPERS = frozenset({"type", "Type"})
_EXPR_FUNCS = frozenset(
    """Q F Count Sum Avg Min Max StdDev Variance Prefetch OuterRef ArrayAgg StringAgg JSONBAgg
    BoolAnd BoolOr Coalesce Greatest Least Lower Upper Length Cast Exists Subquery""".split()
)
_KEY_LOOKUPS = frozenset(
    {"filter", "exclude", "get", "get_or_create", "update_or_create", "get_or_none", "first_or"}
)
_ALIAS_LOOKUPS = frozenset({"annotate", "aggregate", "alias"})
_STRING_LOOKUPS = frozenset(
    {
        "values",
        "values_list",
        "order_by",
        "select_related",
        "prefetch_related",
        "only",
        "defer",
        "distinct",
        "dates",
        "datetimes",
    }
)
_SKIP_KEYWORDS = frozenset({"defaults", "create_defaults", "using", "flat", "named"})
MAX_REFS = 32
_BUILTINS = frozenset(dir(builtins)) | {"Any", "object", "None", "Self"}


@dataclass(slots=True)
class Frame:
    """One function being traversed: bound names, other local names, local SQL strings."""

    name: str
    values: dict[str, ValueRef] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    strings: dict[str, str] = field(default_factory=dict)


class Env:
    """The frames of the functions around the traversal, innermost last, and module bindings."""

    __slots__ = ("frames", "module")

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.module: dict[str, ValueRef] = {}

    def bind(self, name: str, value: ValueRef | None) -> None:
        """Bind ``name`` in the innermost frame (module bindings outside functions)."""
        if not self.frames:
            if value is None:
                self.module.pop(name, None)
            else:
                self.module[name] = value
            return
        frame = self.frames[-1]
        frame.names.add(name)
        frame.strings.pop(name, None)
        if value is None:
            frame.values.pop(name, None)
        else:
            frame.values[name] = value

    def is_local(self, name: str) -> bool:
        return any(name in f.names for f in self.frames)

    def name(self, name: str) -> ValueRef | None:
        """What ``name`` holds: a bound value, ``None`` for an unknown local, else the global."""
        for frame in reversed(self.frames):
            if name in frame.values:
                return frame.values[name].then(BOUND)
            if name in frame.names:
                return None
        bound = self.module.get(name)
        return bound.then(BOUND) if bound is not None else ValueRef(name)

    def string(self, name: str) -> str | None:
        for frame in reversed(self.frames):
            if name in frame.strings:
                return frame.strings[name]
            if name in frame.names:
                return None
        return None


def model_label(call: cst.Call) -> str | None:
    """``app.Model`` for ``apps.get_model("app", "Model")`` or ``get_model("app.Model")``;
    ``@user`` for ``get_user_model()``."""
    name = dotted(call.func)
    if name is None:
        return None
    last = name.rsplit(".", 1)[-1]
    if last == "get_user_model" and not call.args:
        return "@user"
    if last not in ("get_model", "load_model", "get_registered_model"):
        return None
    texts = [_string(a.value) for a in call.args if a.keyword is None][:2]
    if len(texts) == 2 and texts[0] and texts[1]:
        return f"{texts[0]}.{texts[1]}"
    if len(texts) == 1 and texts[0] and texts[0].count(".") == 1:
        return texts[0]
    return None


def _string(node: cst.BaseExpression) -> str | None:
    if type(node) is cst.SimpleString:
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def value_of(expr: cst.BaseExpression, env: Env) -> ValueRef | None:
    """The value ``expr`` denotes, or ``None`` when nothing can be said."""
    if type(expr) is cst.Name:
        return env.name(expr.value)
    if type(expr) is cst.Attribute:
        base = value_of(expr.value, env)
        return base.then(expr.attr.value) if base is not None else None
    if type(expr) is cst.Call:
        label = model_label(expr)
        if label is not None:
            return ValueRef("", label)
        base = value_of(expr.func, env)
        return base.then(CALL) if base is not None else None
    if type(expr) is cst.Subscript:
        base = value_of(expr.value, env)
        if base is None:
            return None
        if all(type(s.slice) is cst.Slice for s in expr.slice):
            return base
        return base.then(ITEM)
    if type(expr) is cst.Await:
        return value_of(expr.expression, env)
    if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return value_of(expr.elt, env)  # a collection stands for its elements
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)) and expr.elements:
        first = expr.elements[0]
        return value_of(first.value, env) if isinstance(first, cst.Element) else None
    return None


def annotation_value(node: cst.BaseExpression | None) -> ValueRef | None:
    """An instance of the class an annotation names: ``Order``, ``Order | None``,
    ``list[Order]``, ``Mapped["Order"]`` all give ``Order`` called; ``type[Order]`` the class."""
    if node is None:
        return None
    if isinstance(node, cst.SimpleString):
        text = _string(node)
        if text and text not in _BUILTINS and all(p.isidentifier() for p in text.split(".")):
            return ValueRef(text).then(CALL)
        return None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left = node.left
        if isinstance(left, cst.Name) and left.value == "None":
            return annotation_value(node.right)
        return annotation_value(left)
    if isinstance(node, cst.Subscript):
        base = dotted(node.value)
        last = base.rsplit(".", 1)[-1] if base else ""
        first = node.slice[0].slice if node.slice else None
        if not isinstance(first, cst.Index):
            return None
        if last in _CLASS_WRAPPERS:
            inner = annotation_value(first.value)
            return ValueRef(inner.chain) if inner is not None and inner.chain else None
        if last in _WRAPPERS or last == "Union":
            return annotation_value(first.value)
        return None
    chain = dotted(node)
    if chain is None or chain in _BUILTINS:
        return None
    return ValueRef(chain).then(CALL)


@dataclass(frozen=True, slots=True)
class Segment:
    """One step of a call chain: an attribute, called (``call``) or not."""

    name: str
    call: cst.Call | None


@dataclass(frozen=True, slots=True)
class Chain:
    """``root.a.b(...).c(...)``: the expression it starts from and the steps after it.

    ``root`` is a name or, for ``select(Book).where(...)``, the innermost call; ``calls`` are the
    calls inside the chain (the outermost first).
    """

    root: cst.BaseExpression
    segments: tuple[Segment, ...]
    calls: tuple[cst.Call, ...]

    @property
    def receiver(self) -> str | None:
        """The dotted name before the first call (``self.session`` in ``self.session.add()``);
        for a chain starting with a call (``Session().get(...)``), the name called."""
        parts = []
        if type(self.root) is cst.Call:
            callee = dotted(self.root.func)
            if callee is None or not self.segments or self.segments[0].call is None:
                return None
            return f"{callee}()"
        if type(self.root) is not cst.Name:
            return None
        parts.append(self.root.value)
        for segment in self.segments:
            if segment.call is not None:
                break
            parts.append(segment.name)
        return ".".join(parts)

    def first_call(self) -> Segment | None:
        return next((s for s in self.segments if s.call is not None), None)


def flatten(call: cst.Call) -> Chain:
    segments: list[Segment] = []
    calls: list[cst.Call] = []
    expr: cst.BaseExpression = call
    while True:
        if type(expr) is cst.Call:
            calls.append(expr)
            if type(expr.func) is cst.Attribute:
                segments.append(Segment(expr.func.attr.value, expr))
                expr = expr.func.value
                continue
            break
        if type(expr) is cst.Attribute:
            segments.append(Segment(expr.attr.value, None))
            expr = expr.value
        elif type(expr) is cst.Subscript:
            expr = expr.value
        else:
            break
    return Chain(expr, tuple(reversed(segments)), tuple(calls))


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    yield from node.children


def refs_in(nodes: Sequence[cst.CSTNode], env: Env) -> tuple[ValueRef, ...]:
    """Values named anywhere in ``nodes`` that may be models, tables or their columns: dotted
    names that are not unknown locals, and locals bound to a value."""
    found: dict[str, ValueRef] = {}
    stack = list(reversed(nodes))
    while stack and len(found) < MAX_REFS:
        node = stack.pop()
        if isinstance(node, (cst.Name, cst.Attribute)) and dotted(node) is not None:
            value = value_of(node, env)
            if value is not None:
                found.setdefault(str(value), value)
            continue
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            continue
        if isinstance(node, cst.Arg) and node.keyword is not None:
            stack.append(node.value)
            continue
        stack.extend(reversed(list(_children(node))))
    return tuple(found.values())


def lookups(chain: Chain) -> tuple[str, ...]:
    """The Django field paths the chain's query calls name (``brand__slug``, ``applications``)."""
    found: list[str] = []
    for segment in chain.segments:
        if segment.call is None:
            continue
        name = segment.name
        for arg in segment.call.args:
            if arg.keyword is not None:
                if name in _KEY_LOOKUPS and arg.keyword.value not in _SKIP_KEYWORDS:
                    found.append(arg.keyword.value)
                if name in _KEY_LOOKUPS or name in _ALIAS_LOOKUPS:
                    _expression_lookups(arg.value, found)
                continue
            if name in _STRING_LOOKUPS:
                text = _string(arg.value)
                if text:
                    # A relation named to select_related/prefetch_related is loaded: "__*".
                    loaded = name in ("select_related", "prefetch_related")
                    found.append(text.lstrip("-?") + ("__*" if loaded else ""))
                    continue
            if name in _KEY_LOOKUPS or name in _ALIAS_LOOKUPS or name in _STRING_LOOKUPS:
                _expression_lookups(arg.value, found)
    return tuple(dict.fromkeys(f for f in found if f))


def _expression_lookups(node: cst.BaseExpression, found: list[str]) -> None:
    if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
        _expression_lookups(node.left, found)
        _expression_lookups(node.right, found)
    elif isinstance(node, cst.UnaryOperation):
        _expression_lookups(node.expression, found)
    elif isinstance(node, cst.Call):
        name = dotted(node.func)
        if name is None or name.rsplit(".", 1)[-1] not in _EXPR_FUNCS:
            return
        for arg in node.args:
            if arg.keyword is not None:
                if name.endswith("Q"):
                    found.append(arg.keyword.value)
                _expression_lookups(arg.value, found)
                continue
            text = _string(arg.value)
            if text:
                found.append(text.lstrip("-?"))
            else:
                _expression_lookups(arg.value, found)
