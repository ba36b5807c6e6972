"""flows: what the code does at run time as far as it can be read, whatever the cut.

Built once from the facts and the data catalog: the call graph, the entry points, the
transactions, the joins and the calls made in loops. ``analyzer.design.cost.price`` then
prices a partition (the proposal, today's layout, the declared boundaries) against them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from analyzer.design.cost.callgraph import (
    CallGraph,
    build_callgraph,
    endpoint_at,
    located_methods,
    resolve_call,
)
from analyzer.design.cost.entries import EntryPoint, EntryPoints, Hook, find_entry_points
from analyzer.design.cost.transactions import Transaction, find_transactions, request_wide
from analyzer.design.cost.walk import Walk, walk
from analyzer.design.data.catalog import DataCatalog
from analyzer.design.data.joins import Join
from analyzer.design.symbols.bindings import Bindings
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.facts import FileFacts


@dataclass(frozen=True, slots=True)
class LoopCall:
    """Endpoint ``source`` calls ``target`` inside a loop at ``path``:``line`` (as ``chain``);
    ``sync`` is false for a task enqueued in a loop."""

    source: str
    target: str
    path: str
    line: int
    chain: str
    sync: bool = True


@dataclass(frozen=True, slots=True)
class JoinSite:
    """A join (see ``analyzer.design.data.joins``) and the endpoint making it."""

    endpoint: str
    join: Join


@dataclass(frozen=True, slots=True)
class Flows:
    """Entry points, transactions, joins and loop calls; call trees are walked on demand. The
    flows the check's rules read have transactions, joins and definers only."""

    graph: CallGraph
    entries: tuple[EntryPoint, ...] = ()
    hooks: tuple[Hook, ...] = ()
    transactions: tuple[Transaction, ...] = ()
    joins: tuple[JoinSite, ...] = ()
    loops: tuple[LoopCall, ...] = ()
    definers: dict[str, str] = field(default_factory=dict)  # table -> the node declaring it
    walks: dict[str, Walk] = field(default_factory=dict)
    _runs: list[tuple[str, ...]] = field(default_factory=list)

    def walk(self, entry: EntryPoint) -> Walk:
        """The call tree of an entry point (computed once)."""
        found = self.walks.get(entry.id)
        if found is None:
            found = self.walks[entry.id] = walk(self.graph, [entry.handler])
        return found

    def runs(self) -> list[tuple[str, ...]]:
        """For each transaction, the ids of the entry points whose call tree runs it (a request
        transaction: the entry point it wraps). Computed once."""
        if not self._runs and self.transactions:
            holders: dict[str, list[str]] = {t.node: [] for t in self.transactions}
            for entry in self.entries:
                ident = entry.id
                for node in self.walk(entry).nodes:
                    found = holders.get(node)
                    if found is not None and (not found or found[-1] != ident):
                        found.append(ident)
            self._runs.extend(
                (t.entry,) if t.entry else tuple(holders[t.node]) for t in self.transactions
            )
        return self._runs


def build_flows(
    files: Sequence[FileFacts], table: SymbolTable, catalog: DataCatalog, rules_only: bool = False
) -> Flows:
    """The flows of ``files``; with ``rules_only``, only what the transaction and join rules of
    ``seams check`` read (transactions, joins, definers): no entry points (they are found only
    when request transactions need them) and no loop calls."""
    files = sorted(files, key=lambda f: f.module)
    bindings = Bindings(files)
    graph = build_callgraph(files, table, bindings, catalog)
    found = EntryPoints((), ())
    if not rules_only or any(request_wide(files)):
        found = find_entry_points(files, table, bindings, graph)
    transactions = find_transactions(files, graph, found.points)
    methods = located_methods(files)
    joins = tuple(
        JoinSite(endpoint_at(j.source, j.path, j.line, methods), j) for j in catalog.joins
    )
    definers = {t.name: t.definer for t in catalog.tables if t.definer}
    if rules_only:
        return Flows(graph, transactions=transactions, joins=joins, definers=definers)
    return Flows(
        graph,
        found.points,
        found.hooks,
        transactions,
        joins,
        _loop_calls(files, graph),
        definers,
    )


def _loop_calls(files: Sequence[FileFacts], graph: CallGraph) -> tuple[LoopCall, ...]:
    loops: list[LoopCall] = []
    for f in files:
        for site in f.flow.calls if f.flow else ():
            if not site.loop:
                continue
            call = resolve_call(graph, f, site.chain, site.line, True, site.scope)
            if call is not None:
                source = f"{f.module}:{site.scope}" + (f".{site.method}" if site.method else "")
                loops.append(
                    LoopCall(source, call.target, f.path, site.line, site.chain, call.sync)
                )
    loops.sort(key=lambda c: (c.path, c.line, c.target))
    return tuple(dict.fromkeys(loops))
