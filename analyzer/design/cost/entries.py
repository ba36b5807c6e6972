"""entries: the entry points of the code base, each resolved to the code that handles it.

Kinds: ``view`` (a Django URL conf entry or a registered view), ``viewset`` (a DRF router
registration), ``route`` (Flask, FastAPI), ``task`` (a task queue's task, or a job class: a
Celery ``Task`` or a subclass of a job runner that enqueues itself), ``command`` (a Django
management command), ``receiver`` (a signal receiver), ``graphql_query``,
``graphql_mutation`` and ``graphql_subscription`` (the fields of a GraphQL schema's root
types). An entry point's ``handler`` is an endpoint of the call graph: a function, a method, or
a class as a whole (a class-based view, a viewset, a mutation). Handlers outside the analyzed
tree (Django's admin, a library's views) are not entry points of this code base.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.design.cost.callgraph import CallGraph, code_node, signal_name
from analyzer.design.signals.couplings import by_suffix, string_target
from analyzer.design.symbols.bindings import Bindings
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.facts import FileFacts, SymbolFact
from analyzer.model.flow import EntryFact

_URL_VIAS = frozenset({"path", "re_path", "url", "register_view"})
_GRAPHQL_KINDS = {
    "query": "graphql_query",
    "mutation": "graphql_mutation",
    "subscription": "graphql_subscription",
}
_STRAWBERRY = {"field": "graphql_query", "mutation": "graphql_mutation"}
_CELERY_TASKS = frozenset({"celery.Task", "celery.app.task.Task"})
_COMMAND = re.compile(r"(^|\.)management\.commands\.(?P<name>[A-Za-z0-9]\w*)$")


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """An entry point: its ``kind``, ``name`` (a route, task or field name, else the
    handler's), the ``handler`` endpoint, where the handler is (``path``:``line``) and where it
    is declared (``declared``, ``path:line``; empty when that is the handler itself)."""

    kind: str
    name: str
    handler: str
    path: str
    line: int
    declared: str = ""

    @property
    def id(self) -> str:
        """Unique among entry points: a handler routed twice is one entry point, but each
        field of a GraphQL schema is one, even when two share a mutation class."""
        if self.kind.startswith("graphql"):
            return f"{self.kind} {self.name} {self.handler}"
        return f"{self.kind} {self.handler}"

    def __str__(self) -> str:
        return f"{self.kind} {self.name} -> {self.handler} ({self.path}:{self.line})"


@dataclass(frozen=True, slots=True)
class Hook:
    """A receiver listening to ``signal`` (absolute name), for ``sender`` (a node) when set."""

    signal: str
    receiver: str
    sender: str = ""


class _Finder:
    def __init__(
        self, files: Sequence[FileFacts], table: SymbolTable, bindings: Bindings, graph: CallGraph
    ) -> None:
        self.files = files
        self.table = table
        self.bindings = bindings
        self.graph = graph
        self.symbols = {f"{f.module}:{s.name}": (f, s) for f in files for s in f.symbols}
        self.found: dict[str, EntryPoint] = {}
        self.hooks: list[Hook] = []
        self._suffixes: dict[str, list[str]] | None = None

    def add(self, entry: EntryPoint) -> None:
        self.found.setdefault(entry.id, entry)

    def where(self, handler: str) -> tuple[str, int]:
        found = self.symbols.get(code_node(handler))
        return (found[0].path, found[1].line) if found else ("", 0)

    def handler(self, f: FileFacts, fact: EntryFact) -> str | None:
        """The endpoint an entry fact names: its target, or the definition it decorates."""
        if not fact.target:
            own = f"{f.module}:{fact.scope}"
            return f"{own}.{fact.method}" if fact.method else own
        node = self.table.resolve(f.module, fact.target)
        if node is None and fact.target.startswith("self.") and fact.scope:
            node = self._loaded_attribute(f, fact.scope, fact.target.split(".")[1])
        if node is None and "." in fact.target:  # a dotted path written as a string
            node = self.table.resolve_dotted(fact.target)
        return node if node is not None and node in self.symbols else None

    def _loaded_attribute(self, f: FileFacts, cls: str, name: str) -> str | None:
        """``self.index_view`` of a class that set ``self.index_view = get_class("checkout.
        views", "IndexView")``: the class loaded (django-oscar's app configs route views so)."""
        found = self.symbols.get(f"{f.module}:{cls}")
        lines = {a.line for a in found[1].attributes if a.name == name} if found else set()
        for ref in f.strings:
            if ref.line in lines and ref.via == "get_class" and ref.scope == cls:
                if self._suffixes is None:
                    self._suffixes = by_suffix(self.table.modules)
                return string_target(ref, f.module, self.table, self._suffixes)
        return None

    def declaration(self, f: FileFacts, fact: EntryFact) -> None:
        handler = self.handler(f, fact)
        if handler is None:
            return
        path, line = (f.path, fact.line) if not fact.target else self.where(handler)
        declared = f"{f.path}:{fact.line}" if fact.target else ""
        name = fact.name or handler.split(":", 1)[1]
        if fact.via in _URL_VIAS:
            self.add(EntryPoint("view", name, handler, path, line, declared))
        elif fact.via == "register":
            self.add(EntryPoint("viewset", name, handler, path, line, declared))
        elif fact.via in ("route", "task"):
            self.add(EntryPoint(fact.via, name, handler, path, line, declared))
        elif fact.via == "receiver":
            self._receiver(f, fact, handler, path, line, declared)
        elif fact.via == "graphql" and fact.name in _STRAWBERRY:
            kind = _STRAWBERRY[fact.name]
            self.add(EntryPoint(kind, fact.method, handler, path, line, declared))

    def _receiver(
        self, f: FileFacts, fact: EntryFact, handler: str, path: str, line: int, declared: str
    ) -> None:
        sender = self.table.resolve(f.module, fact.sender) if fact.sender else None
        names = [n for n in fact.name.split(",") if n]
        for name in names:
            signal = signal_name(self.bindings, f.module, name)
            if signal is not None:
                self.hooks.append(Hook(signal, handler, sender or ""))
        own = handler.split(":", 1)[1]
        label = f"{own} on {names[0].rsplit('.', 1)[-1]}" if names else own
        self.add(EntryPoint("receiver", label, handler, path, line, declared))

    # -- GraphQL --------------------------------------------------------------------------------
    def schema(self, f: FileFacts, fact: EntryFact) -> None:
        root = self.table.resolve(f.module, fact.target)
        kind = _GRAPHQL_KINDS.get(fact.name)
        if root is None or root not in self.graph.classes or kind is None:
            return
        for cls in self._ancestry(root):
            owner, symbol = self.symbols[cls]
            for attribute in symbol.attributes:
                if attribute.name.startswith("_"):
                    continue
                self._field(kind, root, owner, attribute.name, attribute.value, attribute.line)

    def _ancestry(self, root: str) -> list[str]:
        seen: list[str] = []
        todo = [root]
        while todo and len(seen) < 500:
            cls = todo.pop(0)
            if cls in seen or cls not in self.symbols:
                continue
            seen.append(cls)
            todo.extend(self.graph.bases(cls))
        return seen

    def _field(
        self, kind: str, root: str, owner: FileFacts, name: str, callee: str, line: int
    ) -> None:
        resolver = self.graph.method(root, f"resolve_{name}")
        handler = resolver
        if handler is None and callee.endswith(".Field"):
            # graphene: ``product_create = ProductCreate.Field()`` (the mutation class).
            found = self.table.resolve(owner.module, callee.removesuffix(".Field"))
            handler = found if found in self.graph.classes else None
        if handler is None:
            handler = f"{root}.<{name}>"  # served by a default resolver: no code of its own
            path, at = owner.path, line
        elif resolver is not None:
            path, at = owner.path, line  # the field (a method's own line is not kept)
        else:
            path, at = self.where(handler)
        self.add(EntryPoint(kind, _camel(name), handler, path, at, f"{owner.path}:{line}"))

    # -- class-based jobs -----------------------------------------------------------------------
    def job(self, f: FileFacts, symbol: SymbolFact) -> None:
        """A class running as a background job: it defines ``run`` and is a Celery ``Task``, or
        inherits ``enqueue`` from a job runner base class of the tree (RQ-style runners)."""
        node = f"{f.module}:{symbol.name}"
        if symbol.kind != "class" or "run" not in self.graph.classes.get(node, ()):
            return
        celery = any(
            (self.bindings.absolute(f.module, base) or "") in _CELERY_TASKS for base in symbol.bases
        )
        runner = any(
            "enqueue" in self.graph.classes.get(base, ()) for base in self._ancestry(node)[1:]
        )
        if celery or runner:
            self.add(EntryPoint("task", symbol.name, f"{node}.run", f.path, symbol.line))

    # -- management commands --------------------------------------------------------------------
    def command(self, f: FileFacts, symbol: SymbolFact) -> None:
        match = _COMMAND.search(f.module)
        if match is None or symbol.name != "Command" or symbol.kind != "class":
            return
        node = f"{f.module}:Command"
        handler = self.graph.method(node, "handle") or node
        self.add(EntryPoint("command", match["name"], handler, f.path, symbol.line))


def _camel(name: str) -> str:
    """A graphene field's name in the schema: ``product_create`` -> ``productCreate``."""
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest) if rest else name


@dataclass(frozen=True, slots=True)
class EntryPoints:
    points: tuple[EntryPoint, ...]
    hooks: tuple[Hook, ...]


def find_entry_points(
    files: Sequence[FileFacts], table: SymbolTable, bindings: Bindings, graph: CallGraph
) -> EntryPoints:
    """Every entry point of ``files``, sorted by kind, file and line; and the receivers
    listening to each signal."""
    finder = _Finder(files, table, bindings, graph)
    for f in files:
        for fact in f.entries:
            if fact.via == "schema":
                finder.schema(f, fact)
            else:
                finder.declaration(f, fact)
        for symbol in f.symbols:
            finder.command(f, symbol)
            finder.job(f, symbol)
    points = sorted(finder.found.values(), key=lambda e: (e.kind, e.path, e.line, e.handler))
    return EntryPoints(tuple(points), tuple(dict.fromkeys(finder.hooks)))
