"""callgraph: what each piece of code calls, one method at a time, and the tables it touches.

Nodes ("endpoints") are finer than the clustering's graph nodes, so that a call tree follows
the method a request runs rather than its whole class:

- ``module:func`` a top-level function; its calls are its references (``SymbolFact.refs``);
- ``module:Class.method`` a method; its calls are the flow collector's call sites, ``self.x()``
  being the class's own method ``x`` (or a base class's);
- ``module:Class`` the class as a whole (a class-based view, a viewset, a mutation): every one
  of its methods, its base classes as a whole, and the classes its body names
  (``serializer_class = OrderSerializer``; not ORM models, which are data).

A call names a method through a class (``OrderRepository.get``), an instance bound at module
level (``_orders.get``) or an attribute set in ``__init__`` (``self.repo.create``): it goes to
that method, found in the class or its bases; ``Order(...)`` goes to ``Order.__init__``.
Attribute chains past a class that are not its methods (``Order.objects.filter``) are data
access, which the data catalog reads; they make no call edge. Calls through a task queue
(``.delay``, ``.apply_async``, a Dramatiq actor's ``.send``) and signals sent to receivers
(``order_placed.send``) are asynchronous edges: they leave the request, and become events in a
split.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from analyzer.design.data.catalog import DataCatalog
from analyzer.design.symbols.bindings import Bindings
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.facts import FileFacts, SymbolFact
from analyzer.model.flow import CallSite

QUEUE_SUFFIXES = (".delay", ".apply_async", ".s", ".si", ".signature", ".enqueue")
SIGNAL_SENDS = (".send", ".send_robust", ".asend", ".asend_robust")
SIGNAL_PREFIX = "signal::"
"""Asynchronous edges to a signal end at ``signal::<absolute name>``; its receivers listen."""
_MRO_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Call:
    """``target`` endpoint called at ``path``:``line`` as ``chain``; ``sync`` is false for a
    task enqueued or a signal sent. ``kind`` is ``call``, or how a class reaches code that runs
    as its own: ``member`` (a class to its methods), ``base`` (to a base class) and
    ``inherited`` (a method found in a base class)."""

    target: str
    path: str
    line: int
    chain: str
    sync: bool = True
    kind: str = "call"

    @property
    def own(self) -> bool:
        """Whether the target runs as the caller's own code (its methods, inherited code)."""
        return self.kind != "call"


@dataclass(frozen=True, slots=True)
class Touch:
    """A table read or written at ``path``:``line``."""

    table: str
    mode: str
    path: str
    line: int


def code_node(endpoint: str) -> str:
    """The clustering's node id an endpoint belongs to (``m:Class.method`` -> ``m:Class``)."""
    module, sep, name = endpoint.partition(":")
    return f"{module}:{name.split('.', 1)[0]}" if sep else endpoint


def method_of(endpoint: str) -> str:
    _, _, name = endpoint.partition(":")
    return name.split(".", 1)[1] if "." in name else ""


@dataclass(slots=True)
class _Pending:
    """What an endpoint's calls are made from, resolved when first asked for."""

    file: FileFacts
    symbol: SymbolFact | None = None
    sites: list[CallSite] = field(default_factory=list)


@dataclass(slots=True)
class CallGraph:
    """Calls and table accesses per endpoint (see the module docstring). The calls of an
    endpoint are resolved when first asked for (``edges``): a check walks from a few
    transactions only, an analysis from every entry point."""

    touches: dict[str, list[Touch]]
    classes: dict[str, tuple[str, ...]]  # class node -> its methods
    functions: frozenset[str]
    models: frozenset[str]  # ORM model classes: data, reached through the catalog
    table: SymbolTable
    bindings: Bindings
    pending: dict[str, _Pending] = field(default_factory=dict)
    calls: dict[str, list[Call]] = field(default_factory=dict)
    written: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """class node -> (its module, its bases as written), resolved by ``bases`` when asked for"""
    _bases: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)

    def edges(self, endpoint: str) -> list[Call]:
        found = self.calls.get(endpoint)
        if found is None:
            found = self.calls[endpoint] = self._resolve(endpoint)
        return found

    def all_calls(self) -> dict[str, list[Call]]:
        """The calls of every endpoint, resolved."""
        for endpoint in list(self.pending):
            self.edges(endpoint)
        return {e: c for e, c in self.calls.items() if c}

    def _resolve(self, endpoint: str) -> list[Call]:
        source = self.pending.pop(endpoint, None)
        if source is None:
            return []
        f, out = source.file, []
        if source.symbol is not None:
            out = _symbol_calls(self, f, source.symbol)
        for site in source.sites:
            call = resolve_call(self, f, site.chain, site.line, True, site.scope)
            if call is not None and call.target != endpoint:
                out.append(call)
        out.sort(key=lambda c: (c.line, c.target))
        return out

    def bases(self, cls: str) -> tuple[str, ...]:
        """The base classes of class node ``cls`` that are classes of the tree."""
        found = self._bases.get(cls)
        if found is None:
            module, written = self.written.get(cls, ("", ()))
            resolved = (self.table.resolve(module, b) for b in written)
            kept = (b for b in resolved if b is not None and b in self.classes and b != cls)
            found = self._bases[cls] = tuple(dict.fromkeys(kept))
        return found

    def method(self, cls: str, name: str, depth: int = 0) -> str | None:
        """The endpoint of method ``name`` of class ``cls``, looked up in its bases too."""
        if name in self.classes.get(cls, ()):
            return f"{cls}.{name}"
        if depth < _MRO_DEPTH:
            for base in self.bases(cls):
                found = self.method(base, name, depth + 1)
                if found is not None:
                    return found
        return None


def build_callgraph(
    files: Sequence[FileFacts], table: SymbolTable, bindings: Bindings, catalog: DataCatalog
) -> CallGraph:
    """The call graph of ``files``: classes, table accesses; bases and calls on demand."""
    classes: dict[str, tuple[str, ...]] = {}
    written: dict[str, tuple[str, tuple[str, ...]]] = {}
    functions: set[str] = set()
    pending: dict[str, _Pending] = {}
    for f in files:
        methods = {c.name: c.methods for c in f.data.classes} if f.data else {}
        for symbol in f.symbols:
            node = f"{f.module}:{symbol.name}"
            pending[node] = _Pending(f, symbol)
            if symbol.kind == "function":
                functions.add(node)
            else:
                classes[node] = tuple(methods.get(symbol.name, ()))
                written[node] = (f.module, symbol.bases)
        for site in f.flow.calls if f.flow else ():
            if site.method:
                source = f"{f.module}:{site.scope}.{site.method}"
                pending.setdefault(source, _Pending(f)).sites.append(site)
    models = frozenset(m.id for m in catalog.models)
    graph = CallGraph(
        {}, classes, frozenset(functions), models, table, bindings, pending, written=written
    )
    _touches(graph, files, catalog)
    return graph


def _symbol_calls(graph: CallGraph, f: FileFacts, symbol: SymbolFact) -> list[Call]:
    node = f"{f.module}:{symbol.name}"
    out: list[Call] = []
    if symbol.kind == "class":
        methods = graph.classes.get(node, ())
        out += [Call(f"{node}.{m}", f.path, symbol.line, m, kind="member") for m in methods]
        out += [Call(b, f.path, symbol.line, b, kind="base") for b in graph.bases(node)]
    for ref in symbol.refs:
        if ref.kind not in ("call", "ref"):
            continue
        if symbol.kind == "class" and ref.kind == "call":
            continue  # calls in methods are the methods' own (call sites)
        call = resolve_call(graph, f, ref.chain, ref.line, ref.kind == "call", symbol.name)
        if call is not None and call.target != node:
            out.append(call)
    return out


def resolve_call(
    graph: CallGraph, f: FileFacts, chain: str, line: int, called: bool, scope: str
) -> Call | None:
    """The call edge ``chain`` makes in ``f`` (inside top-level ``scope``), if it names code."""
    table, bindings = graph.table, graph.bindings
    parts = chain.split(".")
    if parts[0] in ("self", "cls") and len(parts) == 2:
        cls = f"{f.module}:{scope}"
        own = graph.method(cls, parts[1])
        kind = "member" if own is not None and code_node(own) == cls else "inherited"
        return Call(own, f.path, line, chain, kind=kind) if own else None
    sync = not chain.endswith(QUEUE_SUFFIXES)
    target = table.resolve(f.module, chain, scope)
    if chain.endswith(SIGNAL_SENDS) and len(parts) > 1:
        if target in graph.functions:  # a Dramatiq actor: ``process.send(...)`` enqueues it
            return Call(target, f.path, line, chain, sync=False)
        signal = signal_name(bindings, f.module, chain.rsplit(".", 1)[0])
        if signal is not None:
            return Call(SIGNAL_PREFIX + signal, f.path, line, chain, sync=False)
    if target is None or (target not in graph.functions and target not in graph.classes):
        return None
    if target in graph.functions:
        return Call(target, f.path, line, chain, sync)
    name = target.split(":", 1)[1]
    last = parts[-1] if sync or len(parts) == 1 else parts[-2]
    if last == name:
        if not called:
            # The class itself, as a value (``serializer_class = OrderSerializer``); a model
            # named as a value (``sender=Order``, ``isinstance(x, Order)``) runs no code.
            return None if target in graph.models else Call(target, f.path, line, chain, sync)
        init = graph.method(target, "__init__")
        return Call(init, f.path, line, chain, sync) if init else None
    found = graph.method(target, last)
    return Call(found, f.path, line, chain, sync) if found else None


def signal_name(bindings: Bindings, module: str, chain: str) -> str | None:
    """The absolute dotted name of the signal ``chain`` names in ``module``
    (``order_placed`` -> ``shop.orders.signals.order_placed``; ``post_save`` ->
    ``django.db.models.signals.post_save``), or ``None`` when it is no module-level name."""
    outside = bindings.absolute(module, chain)
    if outside is not None:
        return outside
    parts = chain.split(".")
    if len(parts) == 1:
        found = bindings.find(module, parts[0])
        return f"{found.module}.{found.name}" if found is not None else None
    alias = bindings.alias(module, parts[0])
    if alias is None:
        return None
    full = [*alias.split("."), *parts[1:]]
    found = bindings.find(".".join(full[:-1]), full[-1])
    return f"{found.module}.{found.name}" if found is not None else ".".join(full)


def located_methods(files: Iterable[FileFacts]) -> dict[tuple[str, int, str], str]:
    """(path, line, top-level scope) -> the method a data fact there sits in."""
    methods: dict[tuple[str, int, str], str] = {}
    for f in files:
        data = f.data
        if data is None:
            continue
        sites: list[tuple[int, str, str]] = [(a.line, a.scope, a.method) for a in data.accesses]
        sites += [(s.line, s.scope, s.method) for s in data.sql]
        sites += [(u.line, u.scope, u.method) for u in data.sql_uses]
        for line, scope, method in sites:
            if method:
                methods[(f.path, line, scope)] = method
    return methods


def endpoint_at(source: str, path: str, line: int, methods: dict[tuple[str, int, str], str]) -> str:
    """The endpoint of a catalog access or join made by ``source`` at ``path``:``line``."""
    scope = source.partition(":")[2]
    method = methods.get((path, line, scope), "") if scope else ""
    return f"{source}.{method}" if method else source


def _touches(graph: CallGraph, files: Iterable[FileFacts], catalog: DataCatalog) -> None:
    """Each table access of the catalog, on the method it is in."""
    methods = located_methods(files)
    for access in catalog.accesses:
        endpoint = endpoint_at(access.source, access.path, access.line, methods)
        graph.touches.setdefault(endpoint, []).append(
            Touch(access.table, access.mode, access.path, access.line)
        )
