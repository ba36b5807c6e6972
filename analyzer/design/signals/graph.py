"""graph: fuse located couplings into one weighted graph at the analyzed granularity.

Couplings are always found between symbols (``module:Name``), module-level code (``module``) and
tables (``table::name``). At module granularity every code node collapses into its module; at
symbol granularity symbols stay apart, except in modules kept whole. An edge's fused weight is
``sum over kinds of weight[kind] * (1 + ln count)``, soft (string/framework) couplings counting
half: the logarithm keeps one chatty pair of functions from outweighing many distinct links. An
import whose name is also used (a call or a base class on the same edge) counts once, as that
use: otherwise a call into another module would weigh twice a call within the same file.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

import networkx as nx

from analyzer.model.coupling import KINDS, Coupling, Kind, is_table, module_of
from analyzer.model.facts import FileFacts
from analyzer.model.options import Granularity, Weights

SOFT_FACTOR = 0.5
# Clustering damps each edge into a node by the square root of how many nodes depend on it: a
# function everybody calls (an auth dependency, a session factory) says little about where each
# caller belongs, and would otherwise glue unrelated capabilities together. Measured on the
# fixtures: symbol ARI layered 0.29 -> 0.51, shop 0.54 -> 0.61.
MAX_EXAMPLES = 3
_WRITES = frozenset({"write", "model"})
# Data edges: a table write (or a model defining its table) counts as WRITE_FACTOR reads, and an
# edge with reads only weighs READ_SHARE of its value. The writer keeps the table's invariants,
# so moving it away from the table costs a remote call on every change; a reader can live on an
# API or an event-fed copy. One write weighs (1 + ln 4) / 0.6 = 4 reads. Measured with
# bench/quality/corpora.py and bench/quality/fixtures.py: at 1.0 read-only god modules are torn
# apart (shop: 21 of 37 tables exact); at 0.75 shop has 29 of 37 tables exact, at 0.6 34 (and
# pretix data purity 0.859 against 0.866), at 0.5 34 too but readers start to scatter
# (orm_sqlalchemy: 4.7 of 6 tables exact instead of 6).
WRITE_FACTOR = 4
READ_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A node at the analyzed granularity: a module, a symbol, a module's own code, or a table."""

    id: str
    kind: str  # "module" | "class" | "function" | "table"
    module: str
    loc: int
    path: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    counts: tuple[tuple[Kind, int], ...]
    weight: float
    examples: tuple[Coupling, ...]

    def count(self, kind: Kind) -> int:
        return dict(self.counts).get(kind, 0)


@dataclass(frozen=True, slots=True)
class CodeGraph:
    """Nodes and fused, directed edges; ``node_of`` maps every coupling endpoint to its node."""

    granularity: Granularity
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    node_of: Mapping[str, str]
    couplings: tuple[Coupling, ...]
    external_imports: int = 0

    def code_nodes(self) -> list[str]:
        return [n.id for n in self.nodes if n.kind != "table"]

    def undirected(self, *, tables: bool = True, exclude: Iterable[str] = ()) -> nx.Graph:
        """Symmetric weighted graph for modularity: fused weights, the two directions summed."""
        return self._undirected(tables, set(exclude))

    def clustering_graph(
        self, *, exclude: Iterable[str] = (), roles: DataRoles | None = None
    ) -> nx.Graph:
        """The graph clustering works on: fused weights, each edge into a node divided by the
        square root of how many edges come into it (hubs damped). Edges
        also carry their ``read`` share (see ``read_through``), whether they ``own`` a table
        (the source writes it or defines it) and whether they join a model to the table it
        ``defines``; pass ``roles`` when they are at hand."""
        return self._undirected(
            True, set(exclude), roles if roles is not None else data_roles(self)
        )

    def _undirected(
        self, tables: bool, excluded: set[str], roles: DataRoles | None = None
    ) -> nx.Graph:
        """Damped (hubs, cohesion, read shares) when ``roles`` are given, plain otherwise."""
        graph = nx.Graph()
        for node in self.nodes:
            if node.id in excluded or (not tables and node.kind == "table"):
                continue
            graph.add_node(node.id, loc=node.loc)
        callers: dict[str, int] = defaultdict(int)  # edges into each node, for damping
        for edge in self.edges if roles is not None else ():
            callers[edge.target] += 1
        for edge in self.edges:
            if edge.source not in graph or edge.target not in graph:
                continue
            if roles is None:
                _add(graph, edge.source, edge.target, edge.weight)
                continue
            weight = edge.weight / math.sqrt(callers[edge.target])
            _add(graph, edge.source, edge.target, weight)
            _mark(graph[edge.source][edge.target], edge, weight, roles)
        return graph


@dataclass(frozen=True, slots=True)
class DataRoles:
    """Who owns which table: ``writes`` holds (node, table) for every node writing a table or
    defining it as its model; ``defines`` maps each model node to its tables; ``touches`` holds
    every node reading or writing a table."""

    writes: frozenset[tuple[str, str]]
    defines: Mapping[str, frozenset[str]]
    touches: frozenset[str] = frozenset()

    @property
    def keepers(self) -> frozenset[str]:
        """The nodes writing a table or defining one: they hold data of their own."""
        return frozenset(node for node, _ in self.writes)


def data_roles(graph: CodeGraph) -> DataRoles:
    writes: set[tuple[str, str]] = set()
    defines: dict[str, set[str]] = defaultdict(set)
    touches: set[str] = set()
    for c in graph.couplings:
        if c.kind != "data":
            continue
        source, target = graph.node_of.get(c.source), graph.node_of.get(c.target)
        if source is None or target is None or not is_table(target):
            continue
        touches.add(source)
        if c.mode in _WRITES:
            writes.add((source, target))
        if c.mode == "model":
            defines[source].add(target)
    return DataRoles(
        frozenset(writes), {n: frozenset(t) for n, t in defines.items()}, frozenset(touches)
    )


def read_through(source: str, target: str, roles: DataRoles) -> bool:
    """Whether ``source`` only reads data through ``target``: a table it does not write, or a
    model whose tables it does not write (models among themselves excepted: foreign keys).
    Such a reader can live on an API or a copy; it says nothing of where the data belongs."""
    if source in roles.defines:
        return False
    if is_table(target):
        return (source, target) not in roles.writes
    tables = roles.defines.get(target)
    return tables is not None and not any((source, t) in roles.writes for t in tables)


def _mark(data: dict[str, object], edge: GraphEdge, weight: float, roles: DataRoles) -> None:
    if read_through(edge.source, edge.target, roles):
        data["read"] = float(cast(float, data.get("read", 0.0))) + weight
    if is_table(edge.target) and (edge.source, edge.target) in roles.writes:
        data["owns"] = True
    if edge.target in roles.defines.get(edge.source, ()):
        data["defines"] = True


def _add(graph: nx.Graph, a: str, b: str, weight: float) -> None:
    if graph.has_edge(a, b):
        graph[a][b]["weight"] += weight
    else:
        graph.add_edge(a, b, weight=weight)


# At symbol granularity a module this small (or with one symbol) stays one node: splitting a
# 30-line helper file into its functions adds nodes, not insight.
WHOLE_BELOW_LOC = 40


def whole_modules(files: Iterable[FileFacts], definers: Iterable[str] = ()) -> frozenset[str]:
    """Modules that stay one node: one symbol, or small, unless two or more of their symbols
    define tables (``definers``, the nodes declaring each table): a small ``models.py`` holds
    the tables where the seams are."""
    defining: dict[str, int] = defaultdict(int)
    for node in set(definers):
        if ":" in node:
            defining[module_of(node)] += 1
    return frozenset(
        f.module
        for f in files
        if len(f.symbols) <= 1 or (f.loc < WHOLE_BELOW_LOC and defining[f.module] < 2)
    )


def code_nodes(
    files: Iterable[FileFacts], granularity: Granularity, whole: frozenset[str] = frozenset()
) -> list[GraphNode]:
    """The code nodes of the graph; at symbol granularity modules in ``whole`` stay one node."""
    nodes: list[GraphNode] = []
    for file in files:
        if granularity == "module" or file.module in whole or not file.symbols:
            nodes.append(GraphNode(file.module, "module", file.module, file.loc, file.path, 1))
            continue
        body = file.loc - sum(s.loc for s in file.symbols)
        nodes.append(GraphNode(file.module, "module", file.module, max(body, 0), file.path, 1))
        for symbol in file.symbols:
            nodes.append(
                GraphNode(
                    f"{file.module}:{symbol.name}",
                    symbol.kind,
                    file.module,
                    symbol.loc,
                    file.path,
                    symbol.line,
                )
            )
    return nodes


def build_graph(
    nodes: Iterable[GraphNode],
    couplings: Iterable[Coupling],
    granularity: Granularity,
    weights: Weights,
    external_imports: int = 0,
    *,
    counts_only: bool = False,
) -> CodeGraph:
    """Collapse couplings onto ``nodes`` and fuse them into weighted edges. With ``counts_only``
    edges carry their counts per kind but no weight (0) and no examples: enough for the metrics
    that count (ICP, data purity), at a fraction of the cost."""
    node_list = sorted(nodes, key=lambda n: n.id)
    ids = {n.id for n in node_list}
    table_nodes: dict[str, GraphNode] = {}
    node_of: dict[str, str] = {}

    def resolve(endpoint: str) -> str | None:
        found = node_of.get(endpoint)
        if found is not None:
            return found
        if endpoint in ids:
            found = endpoint
        elif is_table(endpoint):
            table_nodes.setdefault(endpoint, GraphNode(endpoint, "table", "", 0))
            found = endpoint
        else:
            module = module_of(endpoint)
            found = module if module in ids else None
        if found is not None:
            node_of[endpoint] = found
        return found

    grouped: dict[tuple[str, str], list[Coupling]] = defaultdict(list)
    kept: list[Coupling] = []
    for coupling in couplings:
        source, target = resolve(coupling.source), resolve(coupling.target)
        if source is None or target is None or source == target:
            continue
        grouped[(source, target)].append(coupling)
        kept.append(coupling)
    fuse = _count if counts_only else _fuse
    edges = [
        fuse(source, target, group, weights) for (source, target), group in sorted(grouped.items())
    ]
    all_nodes = tuple(sorted([*node_list, *table_nodes.values()], key=lambda n: n.id))
    for node in all_nodes:
        node_of.setdefault(node.id, node.id)
    return CodeGraph(granularity, all_nodes, tuple(edges), node_of, tuple(kept), external_imports)


def _example_order(c: Coupling) -> tuple[bool, str, int, str]:
    return (c.soft, c.path, c.line, c.detail)


def _count(source: str, target: str, group: list[Coupling], weights: Weights) -> GraphEdge:
    counts: dict[Kind, int] = {}
    for c in group:
        counts[c.kind] = counts.get(c.kind, 0) + c.count
    ordered = tuple((kind, counts[kind]) for kind in KINDS if counts.get(kind))
    return GraphEdge(source, target, ordered, 0.0, ())


def _fuse(source: str, target: str, group: list[Coupling], weights: Weights) -> GraphEdge:
    # Plain dicts and one pass: this runs once per edge (tens of thousands on a large tree).
    hard: dict[Kind, int] = {}
    soft: dict[Kind, int] = {}
    evidence: dict[tuple[Kind, bool], int] = {}
    reads_only = True
    for c in group:
        kind, count = c.kind, c.count
        side = soft if c.soft else hard
        side[kind] = side.get(kind, 0) + count
        if c.mode in _WRITES:
            reads_only = False
            count *= WRITE_FACTOR
        key = (kind, c.soft)
        evidence[key] = evidence.get(key, 0) + count
    weight = 0.0
    counts = []
    used = any(hard.get(k, 0) + soft.get(k, 0) for k in ("call", "inheritance"))
    for kind in KINDS:
        h, s = hard.get(kind, 0), soft.get(kind, 0)
        if not h + s:
            continue
        share = READ_SHARE if kind == "data" and reads_only else 1.0
        if kind == "import" and used:
            pass  # an import that is also used counts once, as its use
        elif h:
            weight += weights.of(kind) * share * (1 + math.log(evidence[(kind, False)]))
        elif s:
            evidence_soft = 1 + math.log(evidence[(kind, True)])
            weight += weights.of(kind) * share * SOFT_FACTOR * evidence_soft
        counts.append((kind, h + s))
    if len(group) <= MAX_EXAMPLES:
        examples = tuple(sorted(group, key=_example_order))
    else:
        examples = tuple(heapq.nsmallest(MAX_EXAMPLES, group, key=_example_order))
    return GraphEdge(source, target, tuple(counts), round(weight, 6), examples)
