"""cluster: cut the fused graph into candidate services. Seeded and deterministic.

Leiden (igraph; Louvain's successor, whose communities are always connected) finds communities:
on a 5,000-node symbol graph it ran 5x faster than networkx's Louvain and reached a higher
modularity (0.674 against 0.653 on netbox). Then either small communities, and communities
without a table that mostly serve one with tables, are folded into the neighbour they are most
coupled to (``services`` automatic), or coupled communities are merged
by greatest modularity gain until exactly ``services`` remain (after raising Leiden's
resolution if it found too few). Loose code (nodes without edges, small communities coupled to
nothing else) joins the community holding most of its ``hint`` group (its as-is package), so
unconnected files do not become services of their own. In automatic mode, read-only files merged
with the data they read become a service of their own (``_read_sides``). Last, on the final
clustering, a symbol touching a table that was placed apart from its file goes back to the
file's community when its code ties or its data agree with the file (``_keep_with_file``).
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import cast

import networkx as nx

from analyzer.model.coupling import is_table, module_of

# A community smaller than this share of the code is not a service of its own in automatic mode.
MIN_SHARE = 0.02
MAX_RESOLUTION = 64.0
# In automatic mode a community without tables joins the table-holding community taking at least
# this share of its outside coupling. Symbol ARI, fixtures mean of seeds 0-2: layered 0.67 ->
# 0.71, shop 0.87 -> 0.90 (0.35: layered 0.69 with 6 of its 14 tables exact instead of 9;
# 0.65: layered 0.70).
DATALESS_SHARE = 0.5
# Merging down to N prefers firm pairs: coupled by at least this share of the smaller one's
# degree. Newman's gain alone merges a loosely knit community (a read-only report, whose reads
# do not count towards merging) with whatever it touches, since its tiny degree costs nothing.
# Symbol ARI, fixtures/layered at 7 (mean of seeds 0-2): 0.74 -> 0.77, 11 of 14 tables exact
# instead of 7.7 (0.02: 0.73; 0.1: 0.74); other fixtures unchanged.
FIRM_SHARE = 0.05
# Merging down leaves readers for last: a community whose reads of other communities' data are
# at least this share of its outside coupling (reads included) is a read-only service (a
# back-office dashboard, a reporting module), whatever its small owning degree. Merges that gain
# modularity still go first. fixtures/shop at 9: symbol ARI 0.86 -> 0.89, 30 -> 34 of 37 tables
# exact (0.5: unchanged); pretix at 23: ICP 0.291 -> 0.263, data purity 0.819 -> 0.848
# (0.3: 0.225 / 0.878, but its largest service grows from 39k to 68k lines); others unchanged.
READER_SHARE = 0.4
# In automatic mode, files holding no data whose reads of tables and models are at least this
# share of their coupling outside the file become a service of their own (see ``_read_sides``).
# Automatic mode, mean of seeds 0-2, tables exact: orm_django 8 -> 11.7 of 12, orm_sqlmodel
# 0 -> 3 of 3, orm_peewee 2 -> 4 of 4 (0.6: the same; 0.4: layered splits its models package
# re-exports and falls to ARI 0.78); saleor, django-oscar and pretix unchanged.
READ_SIDE_SHARE = 0.5
# A symbol touching data that clustering set apart from its file goes back to the community
# holding at least this share of the rest of the file (by lines) when the file agrees with its
# code ties or with its data (see ``_keep_with_file``). fixtures/shop at 9 (mean of seeds 0-2):
# 34 -> 37 of 37 tables exact, symbol ARI 0.89 -> 0.91; layered at 7: 11 -> 13 of 14 (0.5 and
# 2/3: the same; 0.9: shop 36). pretix automatic: data purity 0.754 -> 0.725 (2/3: 0.718).
FILE_SHARE = 0.75


@dataclass(frozen=True, eq=False)
class Indexed:
    """A graph read once into plain containers, for clustering it (and re-clustering it with
    other seeds): walking networkx's views again on every pass was most of clustering's cost."""

    graph: nx.Graph
    nodes: tuple[str, ...]  # in the graph's order (the builders add them sorted)
    loc: Mapping[str, int]
    edges: tuple[tuple[str, str, float], ...]
    linked: frozenset[str]  # nodes with at least one edge
    total_loc: int
    # The edges without their ``read`` share (reading data through a table or a model one does
    # not write), and the (writer, table) pairs: where data belongs, for refining and merging.
    owning: tuple[tuple[str, str, float], ...] = ()
    owners: tuple[tuple[str, str], ...] = ()
    # (reader, read node, read share) for the edges whose reading side is known: the node
    # that is neither a table nor a keeper of one (a writer or a model), read from one that is.
    reads: tuple[tuple[str, str, float], ...] = ()
    defines: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # model -> its tables
    steered: frozenset[str] = frozenset()  # the units the user's steering contracted

    @property
    def definers(self) -> frozenset[str]:
        """The models defining a table."""
        return frozenset(self.defines)

    @cached_property
    def files(self) -> Mapping[str, tuple[str, ...]]:
        """Each module's code nodes (steered units, which belong to no file, left out): read
        by every clustering of this graph."""
        files: dict[str, list[str]] = defaultdict(list)
        for node in self.nodes:
            if not is_table(node) and node not in self.steered:
                files[module_of(node)].append(node)
        return {module: tuple(members) for module, members in files.items()}


def index_graph(graph: nx.Graph) -> Indexed:
    loc = {n: int(data.get("loc", 0)) for n, data in graph.nodes(data=True)}
    edges: list[tuple[str, str, float]] = []
    owning: list[tuple[str, str, float]] = []
    owners: list[tuple[str, str]] = []
    read_edges: list[tuple[str, str, float]] = []
    defines: dict[str, list[str]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        weight = float(data.get("weight", 1.0))
        read = float(data.get("read", 0.0))
        edges.append((u, v, weight))
        if weight - read > 1e-9:
            owning.append((u, v, weight - read))
        if read > 1e-9:
            read_edges.append((u, v, read))
        if data.get("owns"):
            owners.append((u, v) if is_table(v) else (v, u))
        if data.get("defines"):
            model, table = (v, u) if is_table(u) else (u, v)
            defines[model].append(table)
    linked = frozenset(n for u, v, _ in edges for n in (u, v))
    keepers = {n for pair in owners for n in pair}
    reads: list[tuple[str, str, float]] = []
    for u, v, read in read_edges:
        kept_u, kept_v = u in keepers or is_table(u), v in keepers or is_table(v)
        if kept_u != kept_v:
            reads.append((v, u, read) if kept_u else (u, v, read))
    return Indexed(
        graph,
        tuple(graph.nodes),
        loc,
        tuple(edges),
        linked,
        sum(loc.values()),
        tuple(owning),
        tuple(sorted(owners)),
        tuple(reads),
        {model: tuple(sorted(tables)) for model, tables in defines.items()},
        frozenset(n for n, data in graph.nodes(data=True) if data.get("steered")),
    )


def _loc(graph: Indexed, members: set[str] | frozenset[str]) -> int:
    loc = graph.loc
    return sum(loc[n] for n in members)


def _igraph() -> ModuleType:
    """igraph, loaded on first use (`seams check` never clusters) and without its plotting
    backend: when matplotlib is installed, igraph imports ``matplotlib.pyplot`` as it loads
    (~0.5 s), and Seams never plots. Hiding matplotlib for that one import makes igraph fall
    back to its placeholder; matplotlib stays importable afterwards."""
    loaded = sys.modules.get("igraph")
    if loaded is not None:
        return loaded
    hide = "matplotlib" not in sys.modules
    if hide:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import igraph  # noqa: PLC0415 - loaded on first use, see above
    finally:
        if hide and sys.modules.get("matplotlib", 0) is None:
            del sys.modules["matplotlib"]
    return cast(ModuleType, igraph)


def _communities(graph: Indexed, resolution: float, seed: int) -> list[set[str]]:
    """Leiden (igraph) on the nodes that have edges, seeded; communities sorted by their
    smallest member. Node order comes from ``graph`` (sorted), so results do not depend on the
    process's hash seed."""
    igraph = _igraph()
    nodes = [n for n in graph.nodes if n in graph.linked]
    if not nodes:
        return []
    index = {n: i for i, n in enumerate(nodes)}
    edges = graph.edges
    ig_graph = igraph.Graph(
        n=len(nodes),
        edges=[(index[u], index[v]) for u, v, _ in edges],
        edge_attrs={"weight": [w for _, _, w in edges]},
    )
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = ig_graph.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=-1,
        ).membership
    finally:
        igraph.set_random_number_generator(random)
    found: dict[int, set[str]] = defaultdict(set)
    for node, community in zip(nodes, membership, strict=True):
        found[community].add(node)
    return sorted(found.values(), key=min)


class _Merger:
    """Communities with the coupling between them, merged step by step. Sizes (lines) and a
    stable key (the smallest member) are kept per community, so each step costs only the
    community's own edges. Never merges two communities holding nodes of one ``apart`` group."""

    def __init__(
        self,
        graph: Indexed,
        communities: list[set[str]],
        apart: Sequence[frozenset[str]] = (),
        edges: Sequence[tuple[str, str, float]] | None = None,
    ) -> None:
        self.apart = [g for g in apart if len(g) > 1]
        self.members: dict[int, set[str]] = dict(enumerate(communities))
        self.size = {i: _loc(graph, c) for i, c in self.members.items()}
        self.key = {i: min(c) for i, c in self.members.items()}
        index = {n: i for i, c in self.members.items() for n in c}
        self.between: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        self.degree: dict[int, float] = defaultdict(float)
        # reading[a][b]: what community a reads of community b's data (see READER_SHARE)
        self.reading: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for reader, read, w in graph.reads:
            if index[reader] != index[read]:
                self.reading[index[reader]][index[read]] += w
        self.total = 0.0
        for u, v, w in graph.edges if edges is None else edges:
            self.total += w
            cu, cv = index[u], index[v]
            self.degree[cu] += w
            self.degree[cv] += w
            if cu != cv:
                self.between[cu][cv] += w
                self.between[cv][cu] += w

    def blocked(self, a: int, b: int) -> bool:
        return any(self.members[a] & group and self.members[b] & group for group in self.apart)

    def gain(self, a: int, b: int) -> float:
        m = self.total or 1.0
        return self.between[a].get(b, 0.0) / m - self.degree[a] * self.degree[b] / (2 * m * m)

    def merge(self, keep: int, drop: int) -> None:
        self.members[keep] |= self.members.pop(drop)
        self.size[keep] += self.size.pop(drop)
        self.key[keep] = min(self.key[keep], self.key.pop(drop))
        self.degree[keep] += self.degree.pop(drop, 0.0)
        for other, w in self.between.pop(drop, {}).items():
            self.between[other].pop(drop, None)
            if other != keep:
                self.between[keep][other] += w
                self.between[other][keep] += w
        self.between[keep].pop(drop, None)
        for other, w in self.reading.pop(drop, {}).items():
            if other != keep:
                self.reading[keep][other] += w
        for row in self.reading.values():
            if drop in row:
                row[keep] = row.get(keep, 0.0) + row.pop(drop)
        self.reading[keep].pop(keep, None)

    def ordered(self) -> list[int]:
        return sorted(self.members, key=self.key.__getitem__)

    def best_pair(self) -> tuple[int, int] | None:
        """The pair to merge next: the coupled pair whose merge loses the least modularity
        (Newman's gain, which keeps one community from swallowing the rest), firm pairs (see
        ``FIRM_SHARE``) before faint ones, and within each, pairs that lose modularity by
        merging a reader (see ``READER_SHARE``) last. Only coupled pairs count while there are
        any: two unrelated communities never merge before a small one joins the large one it
        depends on. Without coupling left, the two smallest merge."""
        best: tuple[bool, bool, float, str, str, int, int] | None = None
        readers = self.readers()
        for a in self.ordered():
            for b, w in self.between[a].items():
                if self.key[b] <= self.key[a] or w <= 0 or self.blocked(a, b):
                    continue
                firm = w >= FIRM_SHARE * min(self.degree[a], self.degree[b])
                gain = self.gain(a, b)
                plain = gain > 0 or (a not in readers and b not in readers)
                candidate = (firm, plain, gain, self.key[a], self.key[b], a, b)
                # ties go to the pair with the smallest keys: a fixed order, whatever the dicts'
                if (
                    best is None
                    or candidate[:3] > best[:3]
                    or (candidate[:3] == best[:3] and candidate[3:5] < best[3:5])
                ):
                    best = candidate
        if best is not None:
            return best[5], best[6]
        by_size = sorted(self.members, key=lambda i: (self.size[i], self.key[i]))
        free = (
            (a, b)
            for i, a in enumerate(by_size)
            for b in by_size[i + 1 :]
            if not self.blocked(a, b)
        )
        return next(free, None)

    def readers(self) -> set[int]:
        """The communities whose reads of others' data reach ``READER_SHARE`` of their outside
        coupling, reads included."""
        found = set()
        for i in self.ordered():
            read = sum(self.reading[i].values()) if i in self.reading else 0.0
            outside = sum(self.between[i].values()) if i in self.between else 0.0
            if read > 0 and read >= READER_SHARE * (outside + read):
                found.add(i)
        return found

    def merge_down_to(self, count: int) -> None:
        while len(self.members) > count:
            pair = self.best_pair()
            if pair is None:
                return  # the apart groups need more services than asked for
            self.merge(*pair)

    def fold_small(self, min_loc: int) -> None:
        """Fold communities below ``min_loc`` into their most coupled neighbour, smallest first."""
        while len(self.members) > 1:
            small = [i for i in self.members if self.size[i] < min_loc]
            if not small:
                return
            victim = min(small, key=lambda i: (self.size[i], self.key[i]))
            neighbours = self.between.get(victim, {})
            others = [i for i in self.ordered() if i != victim and not self.blocked(i, victim)]
            if not others:
                return
            # max() keeps the first of equals, and ``others`` is in a fixed order: deterministic.
            target = max(others, key=lambda j: (neighbours.get(j, 0.0), self.size[j]))
            self.merge(target, victim)

    def fold_dataless(self, share: float) -> None:
        """Fold each community holding no table into the one it is most coupled to, when that
        one holds tables and takes at least ``share`` of its outside coupling: code without
        data of its own that mostly serves one data-owning community is part of it (a
        payment provider's client and billing). Nothing moves in code without tables."""
        holds = self.holding_tables()  # folding a community without tables keeps this true
        while holds:
            candidates = []
            for i in self.ordered():
                best = self.strongest(i) if i not in holds else None
                if best is None or best not in holds or self.blocked(i, best):
                    continue
                if self.between[i][best] >= share * sum(self.between[i].values()):
                    candidates.append((self.size[i], self.key[i], i, best))
            if not candidates:
                return
            _, _, victim, target = min(candidates)
            self.merge(target, victim)

    def holding_tables(self) -> set[int]:
        return {i for i, members in self.members.items() if any(is_table(n) for n in members)}

    def strongest(self, i: int) -> int | None:
        """The neighbour ``i`` is most coupled to (the smallest key among equals), if any."""
        outside = {j: w for j, w in self.between.get(i, {}).items() if w > 0}
        if not outside:
            return None
        return max(sorted(outside, key=self.key.__getitem__), key=outside.__getitem__)

    def fold_leaned_on(self) -> None:
        """Fold each community holding no table into a table-holding one that leans on it: of
        the communities whose strongest neighbour it is, the one whose merge loses the least
        modularity (Newman's gain). Code without data that data owners depend on most (an
        order's checkout, which drives orders, billing and shipping) belongs with one of them;
        a community no data owner leans on most (read-only reports) stays. Communities in a
        fixed order, ties to the first: deterministic."""
        holds = self.holding_tables()  # folding a community without tables keeps this true
        while True:
            strongest = {t: self.strongest(t) for t in self.ordered() if t in holds}
            for free in self.ordered():
                if free in strongest:
                    continue
                leaning = [
                    t for t, s in strongest.items() if s == free and not self.blocked(t, free)
                ]
                if leaning:
                    self.merge(max(leaning, key=lambda t: self.gain(t, free)), free)
                    break
            else:
                return

    def result(self) -> list[set[str]]:
        return list(self.members.values())


def _dominant(graph: Indexed, group: set[str], hint: Mapping[str, str]) -> str:
    weight: dict[str, int] = defaultdict(int)
    for n in group:
        weight[hint.get(n, n)] += graph.loc[n] + 1
    return max(sorted(weight), key=lambda h: weight[h])


def _attach_isolated(
    graph: Indexed, communities: list[set[str]], hint: Mapping[str, str]
) -> list[set[str]]:
    """Put loose code with the community holding most code of its ``hint`` group (its as-is
    package): nodes without edges, and small communities coupled to nothing outside themselves
    (a pair of helpers only calling each other). Coupling cannot place them, their package can;
    merging by coupling would otherwise leave them as services while joining real ones."""
    index = {n: i for i, members in enumerate(communities) for n in members}
    coupled: set[int] = set()
    for u, v, _ in graph.edges:
        cu, cv = index.get(u), index.get(v)
        if cu != cv:
            coupled.update((index[u], index[v]))
    small = MIN_SHARE * graph.total_loc
    loose = [c for i, c in enumerate(communities) if i not in coupled and _loc(graph, c) < small]
    kept = [c for i, c in enumerate(communities) if i in coupled or _loc(graph, c) >= small]
    loose += [{n} for n in sorted(graph.nodes) if n not in graph.linked]
    share: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for i, members in enumerate(kept):
        for n in members:
            share[hint.get(n, n)][i] += graph.loc[n] + 1
    leftovers: dict[str, set[str]] = defaultdict(set)
    for group in sorted(loose, key=min):
        home = _dominant(graph, group, hint)
        candidates = _nearest_share(share, home)
        if candidates:
            kept[max(sorted(candidates), key=lambda i: candidates[i])] |= group
        else:
            leftovers[home] |= group
    return kept + [leftovers[k] for k in sorted(leftovers)]


def _nearest_share(share: Mapping[str, Mapping[int, int]], home: str) -> dict[int, int]:
    """The communities holding code of ``home``, else of its nearest enclosing package that
    has clustered code (a package whose own modules all went elsewhere, such as to the shared
    library, leaves its loose ``__init__`` to the package above)."""
    found = share.get(home)
    if found:
        return dict(found)
    package = home
    while "." in package:
        package = package.rpartition(".")[0]
        total: dict[int, int] = defaultdict(int)
        for group, counts in share.items():
            if group.startswith(f"{package}."):
                for i, size in counts.items():
                    total[i] += size
        if total:
            return dict(total)
    return {}


def _separate(
    graph: nx.Graph, communities: list[set[str]], apart: Sequence[frozenset[str]]
) -> list[set[str]]:
    """Split communities holding several nodes of one ``apart`` group: every member goes with
    the group node it is closest to (shortest path, an edge of weight w being 1/w long)."""
    result: list[set[str]] = []
    pending = list(communities)
    while pending:
        community = pending.pop(0)
        clash = next((sorted(g & community) for g in apart if len(g & community) > 1), None)
        if clash is None:
            result.append(community)
            continue
        sub = nx.Graph()
        sub.add_nodes_from(sorted(community))
        for u, v, data in graph.edges(sorted(community), data=True):
            if v in community:
                sub.add_edge(u, v, length=1.0 / max(float(data.get("weight", 1.0)), 1e-9))
        reach = {s: nx.single_source_dijkstra_path_length(sub, s, weight="length") for s in clash}
        parts: dict[str, set[str]] = {s: set() for s in clash}
        for node in sorted(community):
            nearest = min(clash, key=lambda s: (reach[s].get(node, float("inf")), clash.index(s)))
            parts[node if node in parts else nearest].add(node)
        pending.extend(parts[s] for s in clash)
    return result


def cluster(
    graph: nx.Graph | Indexed,
    services: int | None = None,
    seed: int = 0,
    hint: Mapping[str, str] | None = None,
    apart: Sequence[frozenset[str]] = (),
    final: bool = False,
) -> list[frozenset[str]]:
    """Partition every node of ``graph`` into ``services`` communities, or an automatic count;
    nodes of one ``apart`` group always end in different communities. Pass an ``Indexed``
    graph to cluster one graph several times. ``final`` marks the clustering made once the
    shared library is set aside: only then does the automatic count also fold data-less code
    into the data owners leaning on it (see ``_Merger.fold_leaned_on``). On the clustering
    that finds the shared library, that infrastructure is often the strongest neighbour of a
    small data community, and folding it there hides it (orm_sqlalchemy auto: ARI 1.00 ->
    0.76)."""
    hint = hint or {}
    indexed = graph if isinstance(graph, Indexed) else index_graph(graph)
    if not indexed.nodes:
        return []
    if services is not None:
        services = max(1, min(services, len(indexed.nodes)))
    resolution = 1.0
    communities = _attach_isolated(indexed, _communities(indexed, resolution, seed), hint)
    while services is not None and len(communities) < services and resolution < MAX_RESOLUTION:
        resolution *= 2
        communities = _attach_isolated(indexed, _communities(indexed, resolution, seed), hint)
    if services is not None and len(communities) < services:
        communities = _split_to(communities, services)
    communities = _settle_owners(indexed, communities, resolution)
    communities = _separate(indexed.graph, communities, apart)
    # Merges weigh couplings without reads too: two communities reading the same data are
    # not thereby one service.
    merger = _Merger(indexed, communities, apart, indexed.owning)
    if services is None:
        merger.fold_small(int(MIN_SHARE * indexed.total_loc))
        merger.fold_dataless(DATALESS_SHARE)
        if final:
            merger.fold_leaned_on()
    else:
        merger.merge_down_to(services)
    communities = merger.result()
    if final and services is None:
        communities = _read_sides(indexed, communities, hint)
    if final:
        communities = _keep_with_file(indexed, communities)
    parts = [frozenset(c) for c in communities if c]
    return sorted(parts, key=lambda c: (-_loc(indexed, c), min(c)))


def _owner_groups(graph: Indexed, where: Mapping[str, int]) -> list[frozenset[str]]:
    """Tables with the nodes that write them (or define them), joined while they share a
    community: each group is data and its keepers, which belong together."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for writer, table in graph.owners:
        if writer in where and table in where and where[writer] == where[table]:
            parent[root(writer)] = root(table)
    groups: dict[str, set[str]] = defaultdict(set)
    for node in sorted(parent):
        groups[root(node)].add(node)
    return sorted((frozenset(g) for g in groups.values() if len(g) > 1), key=min)


def _settle_owners(
    graph: Indexed, communities: list[set[str]], resolution: float = 1.0
) -> list[set[str]]:
    """Move each group of tables and their writers, as one block, to the community it is most
    coupled to once reads are left out (modularity gain on ``owning``). Leiden weighs the
    readers of a table too, and many light reads (reports, exports) can pull the data and its
    writers away from the code that calls those writers to change it. One pass, groups in a
    fixed order; linear in the graph's edges."""
    if not graph.owners:
        return communities
    parts = [set(c) for c in communities]
    where = {n: i for i, c in enumerate(parts) for n in c}
    groups = _owner_groups(graph, where)
    grouped = {n for group in groups for n in group}
    adjacent: dict[str, list[tuple[str, float]]] = defaultdict(list)
    volume: dict[int, float] = defaultdict(float)
    degree: dict[str, float] = defaultdict(float)
    for u, v, w in graph.owning:
        volume[where[u]] += w
        volume[where[v]] += w
        for a, b in ((u, v), (v, u)):
            if a in grouped:
                adjacent[a].append((b, w))
                degree[a] += w
    # The null term is weakened by the resolution Leiden needed: raised to cut a too cohesive
    # graph into enough communities, it leaves fragments, and data judged by the full null term
    # would stay in its fragment rather than join its writers' community. Measured on
    # orm_django at --services 5, where the resolution is raised (mean of seeds 0-2): symbol
    # ARI 0.87 and 12 of 12 tables exact; 0.78 and 11 with the plain null term; 0.73 and 8
    # with the null term scaled up by the resolution, as Leiden itself scales it.
    total = sum(volume.values()) / 2 * resolution
    lines = {i: _loc(graph, c) for i, c in enumerate(parts)}
    for group in groups:
        home, size = where[min(group)], _loc(graph, group)
        if size * 2 >= lines[home] or total <= 0:
            continue  # the group is its community's core: others joined it, not it them
        target = _best_home(group, home, adjacent, degree, volume, where, total)
        moved = sum(degree[n] for n in group)
        for node in sorted(group) if target != home else ():
            parts[home].discard(node)
            parts[target].add(node)
            where[node] = target
        volume[home] -= moved
        volume[target] += moved
        lines[home] -= size
        lines[target] += size
    return [c for c in parts if c]


def _best_home(
    group: frozenset[str],
    home: int,
    adjacent: Mapping[str, list[tuple[str, float]]],
    degree: Mapping[str, float],
    volume: Mapping[int, float],
    where: Mapping[str, int],
    total: float,
) -> int:
    """The community where ``group`` adds most modularity (``home`` unless another gains);
    ``total`` is the graph's weight times the resolution (see ``_settle_owners``)."""
    link: dict[int, float] = defaultdict(float)
    for node in group:
        for other, w in adjacent.get(node, ()):
            if other not in group:
                link[where[other]] += w
    own = sum(degree.get(n, 0.0) for n in group)
    rest = volume.get(home, 0.0) - own

    def gain(i: int) -> float:
        return link[i] - link[home] - own * (volume.get(i, 0.0) - rest) / (2 * total)

    best = max(sorted(link), key=gain, default=home)
    return best if best != home and gain(best) > 0 else home


def _split_to(communities: list[set[str]], count: int) -> list[set[str]]:
    """Split the largest communities into single nodes until ``count`` communities exist."""
    parts = sorted(communities, key=lambda c: (-len(c), min(c)))
    while len(parts) < count:
        largest = parts.pop(0)
        if len(largest) == 1:
            parts.append(largest)
            break
        ordered = sorted(largest)
        parts.extend([{ordered[0]}, set(ordered[1:])])
        parts.sort(key=lambda c: (-len(c), min(c)))
    return parts


def _strongest(weights: Mapping[int, float] | Mapping[int, int]) -> int | None:
    return max(weights, key=lambda i: (weights[i], -i)) if weights else None


def _keep_with_file(graph: Indexed, communities: list[set[str]]) -> list[set[str]]:
    """A symbol that reads or writes a table, and that clustering set apart from the rest of
    its file, goes back to the file's community (the one holding at least ``FILE_SHARE`` of the
    file's other lines) when that community is also where its code ties are strongest (reads
    left out) or where the tables it touches are. Touching another service's data is a
    conflict to report, not a reason to move: a report function reading billing's tables stays
    with the reports, and code calling into a new home is outvoted by its file and its data
    together (a catalog lookup that only orders calls stays with the catalog). A model goes
    back with the tables it defines, on its code ties alone: those tables are its data. A
    symbol alone in its community stays, so the count holds."""
    where = {n: i for i, c in enumerate(communities) for n in c}
    lines: dict[str, dict[int, int]] = {}  # of each file, in each community
    for module, members in graph.files.items():
        counts: dict[int, int] = defaultdict(int)
        lines[module] = counts
        for member in members:
            counts[where[member]] += graph.loc.get(member, 0) + 1
    moves: list[tuple[tuple[str, ...], int]] = []
    for node in graph.nodes:
        if ":" not in node or is_table(node) or node in graph.steered:
            continue
        data: dict[int, float] = defaultdict(float)
        code: dict[int, float] = defaultdict(float)
        for other, edge in graph.graph[node].items():
            if is_table(other):
                data[where[other]] += float(edge.get("weight", 0.0))
            else:
                code[where[other]] += float(edge.get("weight", 0.0)) - float(edge.get("read", 0.0))
        if not data:
            continue
        rest = dict(lines[module_of(node)])
        rest[where[node]] -= graph.loc.get(node, 0) + 1
        home = _strongest(rest)
        if home is None or home == where[node] or rest[home] < FILE_SHARE * sum(rest.values()):
            continue
        if node in graph.defines:
            # A model's data is its own table: it goes back, table and all, on its code ties.
            if home == _strongest(code):
                tables = [t for t in graph.defines[node] if where[t] == where[node]]
                moves.append(((node, *tables), home))
        elif home in (_strongest(code), _strongest(data)):
            moves.append(((node,), home))
    for nodes, home in moves:
        source = communities[where[nodes[0]]]
        if len(source) > len(nodes) and all(n in source for n in nodes):
            source.difference_update(nodes)
            communities[home].update(nodes)
    return communities


def _read_sides(
    graph: Indexed, communities: list[set[str]], hint: Mapping[str, str]
) -> list[set[str]]:
    """Read-only code merged with the data it reads becomes a service of its own (automatic
    mode): Leiden puts a small report with the tables it reads, reads being its only ties. A
    file qualifies when it lies in one community but is not most of it, defines or writes no
    table, reads one directly, and its reads are at least ``READ_SIDE_SHARE`` of its coupling
    outside the file; the qualifying files of one community and as-is package go together, if
    they hold at least ``MIN_SHARE`` of the code (smaller ones would be folded back)."""
    where = {n: i for i, c in enumerate(communities) for n in c}
    keepers = {writer for writer, _ in graph.owners}
    reads: dict[str, float] = defaultdict(float)
    for reader, _, weight in graph.reads:
        reads[reader] += weight
    sides: dict[tuple[int, str], set[str]] = defaultdict(set)
    for module, members in sorted(graph.files.items()):
        homes = {where[m] for m in members}
        if len(homes) > 1 or keepers.intersection(members):
            continue  # split between communities, or holding data of its own
        home = homes.pop()
        loc = sum(graph.loc.get(m, 0) for m in members)
        if 2 * loc >= sum(graph.loc.get(n, 0) for n in communities[home]):
            continue
        read = sum(reads[m] for m in members)
        inside = set(members)
        outside = 0.0
        direct = False
        for member in members:
            for other, edge in graph.graph[member].items():
                direct = direct or is_table(other)
                if other not in inside:
                    outside += float(edge.get("weight", 0.0)) - float(edge.get("read", 0.0))
        if direct and read > 0 and read >= READ_SIDE_SHARE * (outside + read):
            sides[(home, hint.get(members[0], module))].update(members)
    for (home, _), side in sorted(sides.items()):
        if sum(graph.loc.get(n, 0) for n in side) >= MIN_SHARE * graph.total_loc:
            communities[home] -= side
            communities.append(side)
    return [c for c in communities if c]
