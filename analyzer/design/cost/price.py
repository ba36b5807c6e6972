"""price: what a partition would cost, entry point by entry point and seam by seam.

Given the flows (whatever the cut) and a partition (which service each piece of code is in,
which service owns each table), this works out, for every entry point, the services its call
tree passes through in order, its remote hops (a call into another service's code, a read or
write of another service's table) and the tables it reads and writes in each service; the
transactions that would span services, the joins across services, the cross-service calls made
in loops, a communication style for each service dependency, and each service's synchronous
needs. The definitions of the four metrics are in docs/metrics.md ("Cost of the cut").

Code of the shared library runs inside whichever service calls it: it is never a hop, and a
call from it counts as a call from its caller's service.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from analyzer.design.cost.callgraph import SIGNAL_PREFIX, Call, code_node
from analyzer.design.cost.entries import EntryPoint
from analyzer.design.cost.flows import Flows, JoinSite, LoopCall
from analyzer.design.cost.transactions import Transaction
from analyzer.design.cost.walk import Walk

ServiceOf = Callable[[str], str | None]
"""The service of a code node of the clustering's graph (``None``: shared library or none)."""
OwnerOf = Callable[[str], str | None]
"""The service owning a table (``None``: no owner)."""

MAX_EXAMPLES = 3
STYLES = ("query", "command", "event", "replicated")
_COMMAND_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Hop:
    """A remote hop in a call tree: a ``call`` into another service, or a ``read``/``write``
    of another service's table, at ``path``:``line``."""

    kind: str
    source: str
    target: str
    detail: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class EntryCost:
    """An entry point under a partition: ``home`` is the service of its handler."""

    entry: EntryPoint
    home: str | None
    services: tuple[str, ...]
    hops: tuple[Hop, ...]
    reads: tuple[tuple[str, tuple[str, ...]], ...]  # (service, tables)
    writes: tuple[tuple[str, tuple[str, ...]], ...]
    complexity: int
    transactions: tuple[int, ...]  # distributed transactions it runs (indexes)
    chain: tuple[str, ...]  # its longest synchronous chain of services
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class TransactionCost:
    transaction: Transaction
    services: tuple[str, ...]
    tables: tuple[tuple[str, tuple[str, ...]], ...]  # (service, tables written)
    entries: tuple[str, ...]  # ids of the entry points that run it

    @property
    def distributed(self) -> bool:
        return len(self.services) > 1


@dataclass(frozen=True, slots=True)
class JoinCost:
    site: JoinSite
    source: str  # the service of the queried table
    target: str  # the service of the table joined


@dataclass(frozen=True, slots=True)
class ChattyCost:
    call: LoopCall
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Communication:
    """How ``source`` should talk to ``target``: ``style`` and the evidence (count per style,
    and located examples: (style, path, line, what))."""

    source: str
    target: str
    style: str
    evidence: tuple[tuple[str, int], ...]
    examples: tuple[tuple[str, str, int, str], ...]


@dataclass(frozen=True, slots=True)
class Isolation:
    """What ``service`` needs synchronously to answer its entry points, and its longest
    synchronous chain (from entry point ``entry``)."""

    service: str
    needs: tuple[str, ...]
    chain: tuple[str, ...]
    entry: str


@dataclass(frozen=True, slots=True)
class Costs:
    entries: tuple[EntryCost, ...]
    transactions: tuple[TransactionCost, ...]
    joins: tuple[JoinCost, ...]
    chatty: tuple[ChattyCost, ...]
    communication: tuple[Communication, ...]
    isolation: tuple[Isolation, ...]
    metrics: dict[str, float | int | None]


class _Pricer:
    def __init__(self, flows: Flows, service_of: ServiceOf, owner_of: OwnerOf) -> None:
        self.flows = flows
        self._service_of = service_of
        self.owner_of = owner_of
        self._memo: dict[str, str | None] = {}
        self._writes: dict[str, bool] = {}

    def service(self, endpoint: str) -> str | None:
        found = self._memo.get(endpoint, "")
        if found == "":
            found = self._memo[endpoint] = self._service_of(code_node(endpoint))
        return found

    # -- entry points ---------------------------------------------------------------------------
    def entry(self, entry: EntryPoint, index: dict[str, list[int]]) -> EntryCost:
        tree = self.flows.walk(entry)
        effective = self._effective(tree)
        services: dict[str, None] = {}
        hops: list[Hop] = []
        reads: dict[str, set[str]] = defaultdict(set)
        writes: dict[str, set[str]] = defaultdict(set)
        # The synchronous chain of services down to each node, kept as its length and last
        # service; the longest is rebuilt from the parents at the end.
        length: list[int] = []
        last: list[str | None] = []
        longest, tip, extra = 0, -1, ""
        touches = self.flows.graph.touches
        for i, node in enumerate(tree.nodes):
            here, parent = effective[i], tree.parents[i]
            size, end = (length[parent], last[parent]) if parent >= 0 else (0, None)
            if here is not None and here != end:
                size, end = size + 1, here
            length.append(size)
            last.append(end)
            if size > longest:
                longest, tip, extra = size, i, ""
            if here is None:
                continue
            services.setdefault(here)
            caller = effective[parent] if parent >= 0 else None
            if caller is not None and caller != here:
                call = tree.calls[i]
                where = (call.path, call.line) if call is not None else ("", 0)
                hops.append(Hop("call", caller, here, node, *where))
            for touch in touches.get(node, ()):
                owner = self.owner_of(touch.table)
                if owner is None:
                    continue
                (writes if touch.mode == "write" else reads)[owner].add(touch.table)
                services.setdefault(owner)
                if owner != here:
                    hops.append(Hop(touch.mode, here, owner, touch.table, touch.path, touch.line))
                    if size + 1 > longest:
                        longest, tip, extra = size + 1, i, owner
        home = effective[0] if effective else None
        ordered = tuple(services)
        complexity = sum(1 + (s in writes) for s in ordered if s != home)
        return EntryCost(
            entry,
            home,
            ordered,
            tuple(hops),
            tuple((s, tuple(sorted(reads[s]))) for s in ordered if reads.get(s)),
            tuple((s, tuple(sorted(writes[s]))) for s in ordered if writes.get(s)),
            complexity,
            tuple(index.get(entry.id, ())),
            _chain(tree, effective, tip, extra),
            tree.truncated,
        )

    def complexity(self, entry: EntryPoint) -> int:
        """``C(e)`` alone: what the metric needs, without hops, chains or table lists."""
        tree = self.flows.walk(entry)
        effective = self._effective(tree)
        services: set[str] = set()
        written: set[str] = set()
        touches = self.flows.graph.touches
        for i, node in enumerate(tree.nodes):
            here = effective[i]
            if here is None:
                continue
            services.add(here)
            for touch in touches.get(node, ()):
                owner = self.owner_of(touch.table)
                if owner is not None:
                    services.add(owner)
                    if touch.mode == "write":
                        written.add(owner)
        home = effective[0] if effective else None
        return sum(1 + (s in written) for s in services if s != home)

    def _effective(self, tree: Walk) -> list[str | None]:
        """The service each node of a tree runs in: its own, or (shared code) its caller's."""
        found: list[str | None] = []
        for i, node in enumerate(tree.nodes):
            parent = tree.parents[i]
            own = None if tree.own[i] and parent >= 0 else self.service(node)
            found.append(own if own is not None or parent < 0 else found[parent])
        return found

    # -- transactions, joins, loops -------------------------------------------------------------
    def transaction(self, transaction: Transaction, entries: Iterable[str]) -> TransactionCost:
        by_service: dict[str, list[str]] = defaultdict(list)
        for table in transaction.tables:
            owner = self.owner_of(table)
            if owner is not None and table not in by_service[owner]:
                by_service[owner].append(table)
        services = tuple(sorted(by_service))
        tables = tuple((s, tuple(by_service[s])) for s in services)
        return TransactionCost(transaction, services, tables, tuple(entries))

    def join(self, site: JoinSite) -> JoinCost | None:
        source, target = self.owner_of(site.join.table), self.owner_of(site.join.joined)
        if source is None or target is None or source == target:
            return None
        return JoinCost(site, source, target)

    def chatty(self, call: LoopCall) -> ChattyCost | None:
        source, target = self.service(call.source), self.service(call.target)
        if not call.sync or source is None or target is None or source == target:
            return None
        return ChattyCost(call, source, target)

    # -- communication --------------------------------------------------------------------------
    def writes_within(self, endpoint: str, service: str, depth: int = 0) -> bool:
        """Whether code of ``service`` reached from ``endpoint`` without leaving it writes."""
        key = f"{service}\x00{endpoint}"
        if key in self._writes:
            return self._writes[key]
        self._writes[key] = False  # a cycle writes nothing more
        graph = self.flows.graph
        found = any(t.mode == "write" for t in graph.touches.get(endpoint, ()))
        if not found and depth < _COMMAND_DEPTH:
            found = any(
                c.sync
                and self.service(c.target) == service
                and self.writes_within(c.target, service, depth + 1)
                for c in graph.edges(endpoint)
            )
        self._writes[key] = found
        return found

    def communication(self) -> list[Communication]:
        evidence: dict[tuple[str, str], dict[str, list[tuple[str, int, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        graph = self.flows.graph
        receivers = defaultdict(list)
        for hook in self.flows.hooks:
            receivers[hook.signal].append(hook.receiver)
        for source, calls in graph.all_calls().items():
            here = self.service(source)
            if here is None:
                continue
            for call in calls:
                if call.own:
                    continue
                for target, style in self._styles(call, receivers):
                    there = self.service(target)
                    if there is not None and there != here:
                        evidence[(here, there)][style].append((call.path, call.line, call.chain))
        for hook in self.flows.hooks:
            sender, there = (
                self.service(hook.sender) if hook.sender else None,
                self.service(hook.receiver),
            )
            if sender is not None and there is not None and sender != there:
                what = f"{hook.signal.rsplit('.', 1)[-1]} -> {hook.receiver}"
                evidence[(sender, there)]["event"].append(("", 0, what))
        for endpoint, touches in graph.touches.items():
            here = self.service(endpoint)
            for touch in touches if here is not None else ():
                owner = self.owner_of(touch.table)
                if owner is None or owner == here:
                    continue
                style = "command" if touch.mode == "write" else "replicated"
                evidence[(here, owner)][style].append((touch.path, touch.line, touch.table))  # type: ignore[index]
        return [self._suggest(pair, found) for pair, found in sorted(evidence.items())]

    def _styles(self, call: Call, receivers: Mapping[str, list[str]]) -> list[tuple[str, str]]:
        if call.target.startswith(SIGNAL_PREFIX):
            return [(r, "event") for r in receivers.get(call.target[len(SIGNAL_PREFIX) :], ())]
        if not call.sync:
            return [(call.target, "event")]
        there = self.service(call.target)
        if there is not None and self.writes_within(call.target, there):
            return [(call.target, "command")]
        return [(call.target, "query")]

    def _suggest(
        self, pair: tuple[str, str], found: Mapping[str, list[tuple[str, int, str]]]
    ) -> Communication:
        counts = {style: len(found[style]) for style in STYLES if found.get(style)}
        if counts.get("command"):
            style = "command"
        elif set(counts) == {"event"}:
            style = "event"
        elif "query" not in counts and "replicated" in counts:
            style = "replicated"
        elif "query" in counts:
            style = "query"
        else:
            style = "event"
        examples = [
            (s, path, line, what)
            for s in (style, *STYLES)
            for path, line, what in sorted(set(found.get(s, ())))[:MAX_EXAMPLES]
        ]
        unique = tuple(dict.fromkeys(examples))[: MAX_EXAMPLES * 2]
        return Communication(pair[0], pair[1], style, tuple(counts.items()), unique)


def _chain(tree: Walk, effective: list[str | None], tip: int, extra: str) -> tuple[str, ...]:
    """The services from the root down to node ``tip`` (and ``extra``, a table's owner)."""
    found: list[str] = [extra] if extra else []
    while tip >= 0:
        here = effective[tip]
        if here is not None and (not found or found[-1] != here):
            found.append(here)
        tip = tree.parents[tip]
    return tuple(reversed(found))


def price(flows: Flows, service_of: ServiceOf, owner_of: OwnerOf, detail: bool = True) -> Costs:
    """The cost of the partition ``service_of``/``owner_of`` (see the module docstring); with
    ``detail`` false, only what the metrics need (no entry points, communication or isolation:
    today's layout is compared by its metrics)."""
    pricer = _Pricer(flows, service_of, owner_of)
    transactions: list[TransactionCost] = []
    in_entry: dict[str, list[int]] = defaultdict(list)
    for transaction, runs in zip(flows.transactions, flows.runs(), strict=True):
        cost = pricer.transaction(transaction, runs)
        if cost.distributed:
            for entry in runs:
                in_entry[entry].append(len(transactions))
            transactions.append(cost)
    joins = [j for j in map(pricer.join, flows.joins) if j is not None]
    chatty = [c for c in map(pricer.chatty, flows.loops) if c is not None]
    entries: list[EntryCost] = []
    if detail:
        entries = [pricer.entry(entry, in_entry) for entry in flows.entries]
        complexities = [e.complexity for e in entries]
    else:
        complexities = [pricer.complexity(entry) for entry in flows.entries]
    return Costs(
        entries=tuple(sorted(entries, key=lambda e: (-e.complexity, -len(e.hops), e.entry.id))),
        transactions=tuple(transactions),
        joins=tuple(joins),
        chatty=tuple(chatty),
        communication=tuple(pricer.communication()) if detail else (),
        isolation=_isolation(entries),
        metrics={
            "distributed_transactions": len(transactions),
            "functionality_complexity": (
                round(sum(complexities) / len(complexities), 6) if complexities else None
            ),
            "cross_service_joins": len(joins),
            "chatty_sites": len(chatty),
        },
    )


def _isolation(entries: Iterable[EntryCost]) -> tuple[Isolation, ...]:
    needs: dict[str, set[str]] = defaultdict(set)
    chains: dict[str, tuple[tuple[str, ...], str]] = {}
    for cost in entries:
        if cost.home is None:
            continue
        needs[cost.home].update(cost.services)
        best = chains.get(cost.home)
        if best is None or len(cost.chain) > len(best[0]):
            chains[cost.home] = (cost.chain, cost.entry.id)
    return tuple(
        Isolation(s, tuple(sorted(needs[s] - {s})), chains[s][0], chains[s][1])
        for s in sorted(chains)
    )
