"""transactions: every database transaction, and the tables written and read inside it.

A transaction covers the code written in its block (``with transaction.atomic():``), or the whole
function (``@transaction.atomic``, a function committing a session), and everything that code
calls synchronously (the call tree of ``walk``). Request-wide transactions come from settings:
with Django's ``ATOMIC_REQUESTS`` every URL-routed view runs in one (unless decorated
``non_atomic_requests``), and with Flask-SQLAlchemy the session of a request collects the writes
of its route until it commits. Once the tables a transaction writes belong to two or more
services, it can no longer be one database transaction: it becomes a saga.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.design.cost.callgraph import CallGraph, Touch, resolve_call
from analyzer.design.cost.entries import EntryPoint
from analyzer.design.cost.walk import Walk, walk
from analyzer.model.facts import FileFacts
from analyzer.model.flow import TransactionFact

_REQUEST_VIEWS = frozenset({"view", "viewset"})


@dataclass(frozen=True, slots=True)
class Transaction:
    """A transaction of ``kind`` (``atomic``, ``atomic_decorator``, ``session``, ``commit``,
    ``request``) in endpoint ``node`` at ``path``:``line``-``end_line``; ``writes`` every write
    site in it (table, where), ``reads`` the tables it reads, ``reached`` the endpoints whose
    code runs in it, ``entry`` the entry point a request transaction wraps."""

    kind: str
    node: str
    path: str
    line: int
    end_line: int
    writes: tuple[Touch, ...]
    reads: tuple[str, ...]
    reached: tuple[str, ...]
    entry: str = ""

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables written, in order of first write."""
        return tuple(dict.fromkeys(t.table for t in self.writes))

    def __str__(self) -> str:
        return f"{self.kind} in {self.node} ({self.path}:{self.line}) writes {list(self.tables)}"


def _collect(graph: CallGraph, tree: Walk, direct: list[Touch]) -> tuple[list[Touch], list[str]]:
    writes = [t for t in direct if t.mode == "write"]
    reads = [t.table for t in direct if t.mode == "read"]
    for _, touch in tree.touches(graph):
        if touch.mode == "write":
            writes.append(touch)
        else:
            reads.append(touch.table)
    unique = sorted(set(writes), key=lambda t: (t.path, t.line, t.table))
    written = {t.table for t in unique}
    return unique, sorted({r for r in reads if r not in written})


def _block(
    graph: CallGraph,
    f: FileFacts,
    index: int,
    fact: TransactionFact,
) -> Transaction:
    """A ``with`` block: the accesses written inside it, and the calls made there."""
    assert f.flow is not None
    endpoint = f"{f.module}:{fact.scope}" + (f".{fact.method}" if fact.method else "")
    inner = {
        i
        for i, other in enumerate(f.flow.transactions)
        if other.scope == fact.scope
        and other.method == fact.method
        and fact.line <= other.line
        and other.end_line <= fact.end_line
    } | {index}
    roots = []
    for site in f.flow.calls:
        if site.transaction in inner:
            call = resolve_call(graph, f, site.chain, site.line, True, site.scope)
            if call is not None and call.sync:
                roots.append(call.target)
    tree = walk(graph, roots)
    direct = [
        t
        for t in graph.touches.get(endpoint, ())
        if t.path == f.path and fact.line <= t.line <= fact.end_line
    ]
    writes, reads = _collect(graph, tree, direct)
    reached = (endpoint, *tree.nodes)
    return Transaction(
        fact.kind, endpoint, f.path, fact.line, fact.end_line, tuple(writes), tuple(reads), reached
    )


def _whole(
    graph: CallGraph, endpoint: str, kind: str, path: str, line: int, end: int, entry: str = ""
) -> Transaction:
    tree = walk(graph, [endpoint])
    writes, reads = _collect(graph, tree, [])
    return Transaction(
        kind, endpoint, path, line, end, tuple(writes), tuple(reads), tree.nodes, entry
    )


def find_transactions(
    files: Sequence[FileFacts], graph: CallGraph, entries: Sequence[EntryPoint]
) -> tuple[Transaction, ...]:
    """Every transaction of ``files``, and the request transactions of ``entries``."""
    found: list[Transaction] = []
    for f in files:
        for index, fact in enumerate(f.flow.transactions if f.flow else ()):
            if fact.whole:
                endpoint = f"{f.module}:{fact.scope}" + (f".{fact.method}" if fact.method else "")
                found.append(_whole(graph, endpoint, fact.kind, f.path, fact.line, fact.end_line))
            else:
                found.append(_block(graph, f, index, fact))
    whole = {t.node for t in found if t.kind in ("atomic_decorator", "commit")}
    for entry in _request_wrapped(files, entries):
        if entry.handler in whole:
            continue  # the handler is one transaction already
        found.append(
            _whole(graph, entry.handler, "request", entry.path, entry.line, entry.line, entry.id)
        )
    return tuple(sorted(found, key=lambda t: (t.path, t.line, t.kind, t.node)))


def request_wide(files: Sequence[FileFacts]) -> tuple[bool, bool]:
    """Whether each request to a Django view is one transaction (``ATOMIC_REQUESTS``), and
    whether each request to a Flask route is (Flask-SQLAlchemy's request session)."""
    atomic = any(dict(f.flow.settings).get("ATOMIC_REQUESTS") == "True" for f in files if f.flow)
    flask_session = any(
        i.module == "flask_sqlalchemy" or i.module.startswith("flask_sqlalchemy.")
        for f in files
        for i in f.imports
    )
    return atomic, flask_session


def _request_wrapped(files: Sequence[FileFacts], entries: Sequence[EntryPoint]) -> list[EntryPoint]:
    """Entry points each request of which is one transaction."""
    atomic, flask_session = request_wide(files)
    opted_out = {
        f"{f.module}:{s.name}"
        for f in files
        for s in f.symbols
        if any(d.rsplit(".", 1)[-1] == "non_atomic_requests" for d in s.decorators)
    }
    django = [e for e in entries if e.kind in _REQUEST_VIEWS and e.handler not in opted_out]
    flask = [e for e in entries if e.kind == "route"]
    return (django if atomic else []) + (flask if flask_session else [])
