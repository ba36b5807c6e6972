"""The graph the engine optimises: the fused coupling graph read once into integer-indexed lists,
with the package tree's prior ties added, and coarser levels of it (each module one node).

Node ``i`` of the base level is a graph node (a symbol, a module's own code, a table, or a unit
the user's steering contracted). A coarser level groups base nodes: its node ``j`` holds the
base nodes ``members[j]``, the weight between its members as a self-loop, and the weights to
other groups summed. Modularity is the same function of a partition at every level, so a
partition found on modules refines on symbols without changing what is measured.

The prior ties (see ``EngineParams``): each symbol is tied to its module's own code with
``file_prior`` times its coupling; each module to the other modules of its package with
``package_prior`` times its coupling, spread by size. Ties never join two parts of the coupling
graph that share no edge when both hold at least ``MAJOR_SHARE`` of the code: the package tree
places loose code, it does not glue independent components together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from analyzer.design.cluster.params import EngineParams
from analyzer.model.coupling import is_table, module_of

# A part of the coupling graph holding this share of the code is never tied to another by the
# prior, and never shares a service with another (the property the tests hold).
MAJOR_SHARE = 0.02
# The coupling a node without any counts as having, for its prior ties: loose code is placed
# by its package, as if it had one weak coupling.
LOOSE_STRENGTH = 1.0


def package_of(module: str) -> str:
    """The package (directory) a module's file sits in: ``a.b`` for ``a.b.c``."""
    return module.rpartition(".")[0]


@dataclass(eq=False)
class Level:
    """A graph over groups of base nodes: ``adj[j]`` maps a neighbour to the weight between
    them, ``loop[j]`` is the weight inside group ``j``, ``strength[j]`` its weighted degree
    (a loop counted twice), ``loc[j]`` its lines."""

    members: list[list[int]]
    adj: list[dict[int, float]]
    loop: list[float]
    loc: list[int]
    strength: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.strength:
            self.strength = [
                sum(row.values()) + 2 * loop for row, loop in zip(self.adj, self.loop, strict=True)
            ]

    def __len__(self) -> int:
        return len(self.members)


@dataclass(eq=False)
class WorkGraph:
    """The base level and what the objective needs besides coupling: node names, modules,
    tables and who writes or defines each, the real (prior-free) coupling, components."""

    ids: list[str]
    base: Level
    total: float  # W: the sum of every edge weight, loops included
    module: list[str]  # "" for tables and steered units
    table: list[bool]
    steered: list[bool]
    # table index -> the base nodes writing it (one site per writing node) and its definer
    writers: dict[int, list[int]]
    definer: dict[int, int]
    # base node -> the tables it writes or defines (for the objective's bookkeeping)
    writes: dict[int, list[int]]
    real: list[dict[int, float]]  # coupling without prior ties
    component: list[int]  # index of the node's part of the coupling graph
    major: frozenset[int]  # the parts holding at least MAJOR_SHARE of the code
    total_loc: int
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {n: i for i, n in enumerate(self.ids)}

    def modules_level(self) -> tuple[Level, list[int]]:
        """The level with one node per module (its symbols and own code together), tables
        and steered units on their own; and each base node's group there."""
        key: dict[str, int] = {}
        group = [0] * len(self.ids)
        for i, name in enumerate(self.ids):
            label = name if (self.table[i] or self.steered[i]) else self.module[i]
            group[i] = key.setdefault(label, len(key))
        return coarsen(self.base, group, len(key)), group


def coarsen(level: Level, group: Sequence[int], count: int) -> Level:
    """``level`` with its nodes merged by ``group`` (node -> group index in ``range(count)``)."""
    members: list[list[int]] = [[] for _ in range(count)]
    loop = [0.0] * count
    loc = [0] * count
    adj: list[dict[int, float]] = [{} for _ in range(count)]
    for j, g in enumerate(group):
        members[g].extend(level.members[j])
        loop[g] += level.loop[j]
        loc[g] += level.loc[j]
        row = adj[g]
        for k, w in level.adj[j].items():
            h = group[k]
            if h == g:
                if j < k:
                    loop[g] += w
            else:
                row[h] = row.get(h, 0.0) + w
    return Level(members, adj, loop, loc)


def build_work(
    graph: nx.Graph, params: EngineParams, unit_of: Mapping[str, str] | None = None
) -> WorkGraph:
    """Read ``graph`` (the clustering graph: ``loc`` on nodes, ``weight``, ``owns`` and
    ``defines`` on edges, ``steered`` on contracted units) and add the prior ties."""
    ids = list(graph.nodes)
    index = {n: i for i, n in enumerate(ids)}
    n = len(ids)
    loc = [int(graph.nodes[x].get("loc", 0)) for x in ids]
    table = [is_table(x) for x in ids]
    steered = [bool(graph.nodes[x].get("steered")) for x in ids]
    module = ["" if (table[i] or steered[i]) else module_of(x) for i, x in enumerate(ids)]
    real: list[dict[int, float]] = [{} for _ in range(n)]
    writers: dict[int, list[int]] = defaultdict(list)
    definer: dict[int, int] = {}
    for u, v, data in graph.edges(data=True):
        a, b = index[u], index[v]
        w = float(data.get("weight", 1.0))
        real[a][b] = real[a].get(b, 0.0) + w
        real[b][a] = real[b].get(a, 0.0) + w
        if data.get("owns"):
            writer, tab = (a, b) if table[b] else (b, a)
            writers[tab].append(writer)
        if data.get("defines"):
            model, tab = (a, b) if table[b] else (b, a)
            definer[tab] = model
    for tab in writers:
        writers[tab] = sorted(set(writers[tab]))
    writes: dict[int, list[int]] = defaultdict(list)
    for tab, found in writers.items():
        for w in found:
            writes[w].append(tab)
    for tab, model in definer.items():
        if tab not in writes[model]:
            writes[model].append(tab)
    component = _components(real)
    total_loc = sum(loc)
    sizes: dict[int, int] = defaultdict(int)
    for i, c in enumerate(component):
        sizes[c] += loc[i]
    major = frozenset(c for c, s in sizes.items() if total_loc and s >= MAJOR_SHARE * total_loc)
    adj = [dict(row) for row in real]
    prior = _prior_ties(ids, module, loc, table, steered, real, component, major, params)
    for (a, b), w in prior.items():
        adj[a][b] = adj[a].get(b, 0.0) + w
        adj[b][a] = adj[b].get(a, 0.0) + w
    base = Level([[i] for i in range(n)], adj, [0.0] * n, loc)
    total = sum(base.strength) / 2
    return WorkGraph(
        ids,
        base,
        total,
        module,
        table,
        steered,
        dict(writers),
        definer,
        dict(writes),
        real,
        component,
        major,
        total_loc,
    )


def _components(adj: Sequence[Mapping[int, float]]) -> list[int]:
    component = [-1] * len(adj)
    count = 0
    for start in range(len(adj)):
        if component[start] >= 0:
            continue
        component[start] = count
        stack = [start]
        while stack:
            node = stack.pop()
            for other in adj[node]:
                if component[other] < 0:
                    component[other] = count
                    stack.append(other)
        count += 1
    return component


def _prior_ties(
    ids: Sequence[str],
    module: Sequence[str],
    loc: Sequence[int],
    table: Sequence[bool],
    steered: Sequence[bool],
    real: Sequence[Mapping[int, float]],
    component: Sequence[int],
    major: frozenset[int],
    params: EngineParams,
) -> dict[tuple[int, int], float]:
    """Ties from each symbol to its module's own code (``file_prior``), and from each module to
    the other modules of its package (``package_prior``), each worth that share of the node's
    own coupling (``LOOSE_STRENGTH`` at least), spread over the mates by their size. With
    ``prior_cohesion``, a file's and a package's ties are scaled by how much of their members'
    coupling stays among them: a layer package, whose modules each serve other packages and
    barely use each other, says little about where they belong."""
    ties: dict[tuple[int, int], float] = defaultdict(float)

    def tie(a: int, b: int, w: float) -> None:
        if a == b or w <= 0:
            return
        ca, cb = component[a], component[b]
        if ca != cb and ca in major and cb in major:
            return  # independent parts of the code stay independent
        ties[(a, b) if a < b else (b, a)] += w

    strength = [max(sum(row.values()), LOOSE_STRENGTH) for row in real]
    own_code: dict[str, int] = {}  # module -> its own-code node
    symbols: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(ids):
        if table[i] or steered[i]:
            continue
        if ":" in name:
            symbols[module[i]].append(i)
        else:
            own_code[name] = i
    # A file whose own code was set aside (shared library) is anchored on its largest symbol.
    for name, members in symbols.items():
        if name not in own_code:
            own_code[name] = max(members, key=lambda i: (loc[i], -i))
    module_strength: dict[str, float] = defaultdict(float)
    module_loc: dict[str, int] = defaultdict(int)
    for name, members in symbols.items():
        for i in members:
            module_strength[name] += strength[i]
            module_loc[name] += loc[i] + 1
    for name, i in own_code.items():
        if i not in symbols.get(name, ()):
            module_strength[name] += strength[i]
            module_loc[name] += loc[i] + 1
    file_cohesion, package_cohesion = _cohesions(ids, module, table, real, own_code)
    if params.file_prior > 0:
        for name, members in symbols.items():
            anchor = own_code[name]
            cohesion = file_cohesion.get(name, 1.0) if params.prior_cohesion else 1.0
            for i in members:
                # loose symbols (coupled to nothing) are placed by their file, however cohesive
                scale = params.file_prior * (cohesion if real[i] else 1.0)
                tie(i, anchor, scale * strength[i])
    if params.package_prior <= 0:
        return ties
    siblings: dict[str, list[str]] = defaultdict(list)
    for name in own_code:
        siblings[package_of(name)].append(name)
    # Loose code: modules coupled to nothing, or only within a part of the graph too small to
    # stand alone (a pair of helpers calling each other).
    loose = {
        m
        for m in own_code
        if all(component[i] not in major for i in _nodes_of(m, own_code, symbols))
    }
    for package, mates in siblings.items():
        if len(mates) < 2:
            continue
        cohesion = package_cohesion.get(package, 1.0) if params.prior_cohesion else 1.0
        size = sum(module_loc[m] for m in mates)
        for m in mates:
            others = size - module_loc[m]
            if others <= 0:
                continue
            # Loose code (coupled to nothing) is placed by its package, however cohesive.
            scale = params.package_prior * (1.0 if m in loose else cohesion)
            budget = scale * module_strength[m] / 2
            for other in mates:
                if other != m:
                    tie(own_code[m], own_code[other], budget * module_loc[other] / others)
    # A loose package marker (an ``__init__`` coupled to nothing) goes with the code inside it.
    for m in sorted(loose):
        children = siblings.get(m, [])
        size = sum(module_loc[k] for k in children)
        for child in children:
            tie(own_code[m], own_code[child], params.package_prior * module_loc[child] / size)
    return ties


def _nodes_of(
    module: str, own_code: Mapping[str, int], symbols: Mapping[str, Sequence[int]]
) -> list[int]:
    return sorted({own_code[module], *symbols.get(module, ())})


def _cohesions(
    ids: Sequence[str],
    module: Sequence[str],
    table: Sequence[bool],
    real: Sequence[Mapping[int, float]],
    own_code: Mapping[str, int],
) -> tuple[dict[str, float], dict[str, float]]:
    """For each file, the share of its nodes' coupling between two of them (rather than with
    the rest of the code); for each package, the share of its modules' coupling between two of
    its modules (rather than with modules outside it). Tables count as outside."""
    file_in: dict[str, float] = defaultdict(float)
    file_all: dict[str, float] = defaultdict(float)
    package_in: dict[str, float] = defaultdict(float)
    package_all: dict[str, float] = defaultdict(float)
    for a, row in enumerate(real):
        if table[a] or not module[a]:
            continue
        ma = module[a]
        pa = package_of(ma)
        for b, w in row.items():
            mb = module[b] if not table[b] else ""
            file_all[ma] += w
            if mb == ma:
                file_in[ma] += w
                continue
            package_all[pa] += w
            if mb and package_of(mb) == pa:
                package_in[pa] += w
    files = {m: file_in[m] / total for m, total in file_all.items() if total > 0}
    packages = {p: package_in[p] / total for p, total in package_all.items() if total > 0}
    return files, packages
