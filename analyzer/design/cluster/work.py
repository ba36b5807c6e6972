"""The graph the engine optimises: the fused coupling graph read once into integer-indexed lists,
with the package tree's prior ties added, and coarser levels of it (each module one node).

Node ``i`` of the base level is a graph node (a symbol, a module's own code, a table, or a unit
the user's steering contracted). A coarser level groups base nodes: its node ``j`` holds the
base nodes ``members[j]``, the weight between its members as a self-loop, and the weights to
other groups summed. Modularity is the same function of a partition at every level, so a
partition found on modules refines on symbols without changing what is measured.

The prior ties (see ``EngineParams``): each symbol is tied to its module's own code with
``file_prior`` times its coupling; each module to its unit of today's layout (Django app or
package) with ``layout_prior`` times its coupling times the unit's cohesion c, the share of its
modules' coupling that stays inside it beyond chance. The share c of that tie binds each node of
the module on its own, the rest the module as a whole. An app whose code mostly uses itself is a
capability: it holds together, piece by piece, unless coupling says otherwise; a layer package
(an API or services package whose modules each serve other packages) has little cohesion, and so
little prior, and what it has keeps its modules whole, not their symbols in place. Ties never
join two parts of the coupling graph that share no edge when both hold at least
``MAJOR_SHARE`` of the code and the smallest service worth deploying (``min_lines``): the
layout places loose code and fragments too small to stand alone, it does not glue independent
components together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from analyzer.model.coupling import is_table, module_of
from analyzer.model.engine import EngineParams

# A part of the coupling graph holding this share of the code (and at least ``min_lines``) is
# never tied to another by the prior, and never shares a service with another.
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
    igraph: object | None = None  # the level as an igraph Graph, built on first use

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
    graph: nx.Graph, params: EngineParams, units: Mapping[str, str] | None = None
) -> WorkGraph:
    """Read ``graph`` (the clustering graph: ``loc`` on nodes, ``weight``, ``owns`` and
    ``defines`` on edges, ``steered`` on contracted units) and add the prior ties; ``units``
    gives each node its unit in today's layout (default: its module's package)."""
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
    for tab, found_writers in list(writers.items()):
        writers[tab] = sorted(set(found_writers))
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
    floor = max(MAJOR_SHARE * total_loc, params.min_lines)
    major = frozenset(c for c, s in sizes.items() if total_loc and s >= floor)
    adj = [dict(row) for row in real]
    unit = [
        ""
        if (table[i] or steered[i])
        else (units or {}).get(x) or package_of(module[i]) or module[i]
        for i, x in enumerate(ids)
    ]
    prior = _prior_ties(ids, module, unit, loc, table, steered, real, component, major, params)
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
    unit: Sequence[str],
    loc: Sequence[int],
    table: Sequence[bool],
    steered: Sequence[bool],
    real: Sequence[Mapping[int, float]],
    component: Sequence[int],
    major: frozenset[int],
    params: EngineParams,
) -> dict[tuple[int, int], float]:
    """Ties from each symbol to its module's own code (``file_prior``), and from each module to
    its unit of today's layout (``layout_prior`` times the unit's cohesion c; the share c of it
    from each of the module's nodes, the rest from the module's own code), each worth that
    share of the node's own coupling (``LOOSE_STRENGTH`` at least). Modules and symbols are
    tied through anchors: a module's own code (its largest symbol when that was set aside), a
    unit's largest module coupled to the rest of the code."""
    ties: dict[tuple[int, int], float] = defaultdict(float)

    def tie(a: int, b: int, w: float) -> None:
        if a == b or w <= 0:
            return
        ca, cb = component[a], component[b]
        if ca != cb and ca in major and cb in major:
            return  # independent parts of the code stay independent
        ties[(a, b) if a < b else (b, a)] += w

    strength = [max(sum(row.values()), LOOSE_STRENGTH) for row in real]
    members: dict[str, list[int]] = defaultdict(list)  # module -> its nodes
    for i in range(len(ids)):
        if not (table[i] or steered[i]):
            members[module[i]].append(i)
    anchor: dict[str, int] = {}
    for name, nodes in members.items():
        own = [i for i in nodes if ids[i] == name]
        anchor[name] = own[0] if own else max(nodes, key=lambda i: (loc[i], -i))
    if params.file_prior > 0:
        cohesion = _file_cohesion(module, table, real)
        for name, nodes in members.items():
            hub = anchor[name]
            for i in nodes:
                # a file tied only by its layout (a forms module, whose classes never use each
                # other) still holds what is coupled to nothing or too little to stand alone
                held = 1.0 if component[i] not in major else cohesion.get(name, 0.0)
                tie(i, hub, params.file_prior * held * strength[i])
            others = [i for i in nodes if i != hub and component[i] in major]
            if component[hub] not in major and others:
                tie(hub, max(others, key=lambda i: (loc[i], -i)), params.file_prior * strength[hub])
    if params.package_prior > 0:
        _sibling_ties(module, loc, real, members, anchor, component, major, params, tie)
    if params.layout_prior <= 0:
        return ties
    cohesion = _unit_cohesion(unit, real)
    unit_modules: dict[str, list[str]] = defaultdict(list)
    for name, nodes in members.items():
        unit_modules[unit[nodes[0]]].append(name)
    for key, modules in unit_modules.items():
        lines = {m: sum(loc[i] for i in members[m]) for m in modules}
        # the unit's hub: its largest module coupled to the rest of the code
        unit_hub = max(
            sorted(modules),
            key=lambda m: (component[anchor[m]] in major, lines[m]),
        )
        for m in modules:
            nodes = members[m]
            # loose code (coupled to nothing, or only within a part too small to stand alone)
            # is placed by its unit, however cohesive
            loose = all(component[i] not in major for i in nodes)
            c = 1.0 if loose else cohesion.get(key, 0.0)
            scale = params.layout_prior * c
            # The unit's cohesion is also the share of the tie that binds each node of the
            # module on its own, the rest binding the module as a whole: the code of a cohesive
            # app leaves it piece by piece only where its own coupling outweighs the tie, while
            # a layer module (little cohesion) is tied as a whole and its symbols go where they
            # are used.
            tie(anchor[m], anchor[unit_hub], (1 - c) * scale * sum(strength[i] for i in nodes))
            for i in nodes:
                tie(i, anchor[unit_hub], c * scale * strength[i])
        if all(component[i] not in major for m in modules for i in members[m]):
            # a unit of loose code only (a lone helper package nobody imports) is placed by
            # the package around it
            home = _enclosing(key, members, anchor, component, major, loc)
            if home is not None:
                weight = sum(strength[i] for m in modules for i in members[m])
                tie(anchor[unit_hub], home, params.layout_prior * weight)
    return ties


def _enclosing(
    key: str,
    members: Mapping[str, Sequence[int]],
    anchor: Mapping[str, int],
    component: Sequence[int],
    major: frozenset[int],
    loc: Sequence[int],
) -> int | None:
    """The anchor of the code around unit ``key``: going up its packages, the first holding
    modules coupled to the rest of the code (the package's own module if it is one of them,
    else its largest)."""
    parent = package_of(key)
    while parent:
        inside = [
            m
            for m in members
            if (m == parent or m.startswith(parent + "."))
            and not (m == key or m.startswith(key + "."))
            and component[anchor[m]] in major
        ]
        if inside:
            if parent in inside:
                return anchor[parent]
            return anchor[max(sorted(inside), key=lambda m: sum(loc[i] for i in members[m]))]
        parent = package_of(parent)
    return None


def _sibling_ties(
    module: Sequence[str],
    loc: Sequence[int],
    real: Sequence[Mapping[int, float]],
    members: Mapping[str, Sequence[int]],
    anchor: Mapping[str, int],
    component: Sequence[int],
    major: frozenset[int],
    params: EngineParams,
    tie: Callable[[int, int, float], None],
) -> None:
    """Ties between the modules of one directory (``package_prior`` times the directory's
    cohesion, times each module's coupling, spread over its mates by their size)."""
    strength = {
        m: max(sum(sum(real[i].values()) for i in nodes), LOOSE_STRENGTH)
        for m, nodes in members.items()
    }
    lines = {m: sum(loc[i] + 1 for i in nodes) for m, nodes in members.items()}
    # a package's own module (its __init__.py) sits in the package's directory
    packages = {package_of(m) for m in members}
    directory = {m: m if m in packages else package_of(m) for m in members}
    inside: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    for m, nodes in members.items():
        for i in nodes:
            for k, w in real[i].items():
                other = module[k]
                if not other or other == m:
                    continue
                total[directory[m]] += w
                if directory.get(other) == directory[m]:
                    inside[directory[m]] += w
    mates_of: dict[str, list[str]] = defaultdict(list)
    for m in members:
        mates_of[directory[m]].append(m)
    beyond = excess(inside, total)
    for key, mates in mates_of.items():
        if len(mates) < 2:
            continue
        cohesion = beyond.get(key, 1.0) if total[key] > 0 else 1.0
        size = sum(lines[m] for m in mates)
        for m in mates:
            others = size - lines[m]
            loose = all(component[i] not in major for i in members[m])
            budget = params.package_prior * (1.0 if loose else cohesion) * strength[m] / 2
            for other in mates:
                if other != m:
                    tie(anchor[m], anchor[other], budget * lines[other] / others)


def _file_cohesion(
    module: Sequence[str], table: Sequence[bool], real: Sequence[Mapping[int, float]]
) -> dict[str, float]:
    """For each file, the share of its nodes' coupling that stays between two of them: high
    for a module of one concern, low for a file of unrelated pieces (which capability each
    belongs to is then for their own coupling to say)."""
    inside: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    for a, row in enumerate(real):
        if table[a] or not module[a]:
            continue
        for b, w in row.items():
            total[module[a]] += w
            if module[b] == module[a]:
                inside[module[a]] += w
    return {m: inside[m] / t for m, t in total.items() if t > 0}


def _unit_cohesion(unit: Sequence[str], real: Sequence[Mapping[int, float]]) -> dict[str, float]:
    """For each unit, how much more of its coupling stays inside it than chance would keep
    there (see ``excess``); tables left out."""
    inside: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    for a, row in enumerate(real):
        if not unit[a]:
            continue
        for b, w in row.items():
            if unit[b]:
                total[unit[a]] += w
                if unit[b] == unit[a]:
                    inside[unit[a]] += w
    return excess(inside, total)


def excess(inside: Mapping[str, float], total: Mapping[str, float]) -> dict[str, float]:
    """Cohesion beyond chance: a group keeping the share s of its coupling inside, when a
    random graph of the same degrees would keep e (its share of all coupling), scores
    (s − e) / (1 − e), 0 at or below chance. A layer package, whose modules each serve other
    packages, keeps little more inside than chance; a capability keeps most of it."""
    everything = sum(total.values())
    scores: dict[str, float] = {}
    for key, t in total.items():
        if t <= 0 or everything <= 0:
            continue
        expected = t / everything
        share = inside.get(key, 0.0) / t
        scores[key] = max(0.0, (share - expected) / (1 - expected)) if expected < 1 else 0.0
    return scores
