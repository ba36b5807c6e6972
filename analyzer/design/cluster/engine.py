"""cluster: cut the work graph into candidate services by maximising one objective.

The objective (``objective.py``, docs/metrics.md) weighs coupling inside services against what
chance would put there, single-writer data ownership, a minimum useful size and size balance,
on the fused coupling graph plus the package tree's prior ties. The search:

1. on the modules level (each module one node), every candidate start (``starts.py``: today's
   layout, the package tree at each depth, Leiden at several resolutions, today's layout with
   its layers dissolved) is refined by moves, merges and splits (``passes.py``) while the
   objective gains, and the best refined start is kept: the proposal is never worse than
   today's layout on the objective;
2. asked for N services, merges or splits reach N at the least loss, largest first;
3. on the symbols level, each symbol moves where the objective gains (a god module's
   functions go to the services they serve) and the partition is refined again there; asked
   for N services, the count is then fitted again on the symbols and the last moves keep it,
   none taking a service below the smallest worth deploying.

Seeded and deterministic: the same graph, seed and parameters give the same communities.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import networkx as nx

from analyzer.design.cluster.leiden import leiden
from analyzer.design.cluster.objective import State
from analyzer.design.cluster.passes import fit_count, local_moves, refine
from analyzer.design.cluster.record import Move, Placement
from analyzer.design.cluster.starts import Start, candidate_starts
from analyzer.design.cluster.work import Level, WorkGraph, build_work, coarsen
from analyzer.forked import Forked, cancelled_on_error
from analyzer.model.engine import DEFAULT_PARAMS, EngineParams

Refined = tuple[float, list[int], list[Move]]
"""A start once refined: the objective's value, the labels, the moves that made them."""


@dataclass(frozen=True, slots=True)
class Clustering:
    """Communities (largest first), the moves that made them, which start won, each start's
    objective once refined, the winning objective's terms, and each node's placement."""

    communities: tuple[frozenset[str], ...]
    moves: tuple[Move, ...] = ()
    start: str = ""
    starts: tuple[tuple[str, float], ...] = ()
    terms: Mapping[str, float] = field(default_factory=dict)
    placements: Mapping[str, Placement] = field(default_factory=dict)


class _Rules:
    """The user's ``apart`` groups at one level: which moves and merges they forbid."""

    def __init__(self, work: WorkGraph, level: Level, apart: Sequence[frozenset[str]]) -> None:
        where: dict[int, int] = {}
        for j, members in enumerate(level.members):
            for b in members:
                where[b] = j
        self.groups: list[list[int]] = []
        for group in apart:
            nodes = sorted({where[work.index[n]] for n in group if n in work.index})
            if len(nodes) > 1:
                self.groups.append(nodes)
        self.of: dict[int, list[int]] = {}
        for i, nodes in enumerate(self.groups):
            for j in nodes:
                self.of.setdefault(j, []).append(i)

    def allowed(self, state: State, j: int, c: int) -> bool:
        for g in self.of.get(j, ()):
            if any(state.label[k] == c for k in self.groups[g] if k != j):
                return False
        return True

    def mergeable(self, state: State, a: int, b: int) -> bool:
        for nodes in self.groups:
            labels = [state.label[k] for k in nodes]
            if a in labels and b in labels:
                return False
        return True

    def separated(self, labels: Sequence[int]) -> list[int]:
        """``labels`` with each group's members in different communities (the second and
        later members of a clash get fresh labels)."""
        result = list(labels)
        fresh = max(result, default=-1) + 1
        for nodes in self.groups:
            taken: set[int] = set()
            for j in nodes:
                if result[j] in taken:
                    result[j] = fresh
                    fresh += 1
                taken.add(result[j])
        return result


class _Search:
    """One clustering run's context: the work graph, the rules at both levels, the count asked
    for; refines one start at a time."""

    def __init__(
        self,
        work: WorkGraph,
        apart: Sequence[frozenset[str]],
        params: EngineParams,
        seed: int,
        count: int | None,
    ) -> None:
        self.work, self.params, self.seed, self.count = work, params, seed, count
        self.level, self.group = work.modules_level()
        self.rules = _Rules(work, self.level, apart)
        self.base_rules = _Rules(work, work.base, apart)

    def settle(self, state: State, rules: _Rules) -> list[Move]:
        """Refine and, asked for a count, fit it: a candidate is judged as it would be
        proposed."""
        made = refine(state, self.seed, rules.allowed, rules.mergeable, rules.separated)
        if self.count is not None:
            made += fit_count(state, self.count, self.seed, rules.mergeable)
        return made

    def module_start(self, labels: Sequence[int]) -> Refined:
        state = State(self.work, self.level, self.rules.separated(labels), self.params)
        made = self.settle(state, self.rules)
        return state.value(), state.label, made

    def symbol_start(self, resolution: float) -> Refined:
        """Leiden on the symbols at ``resolution`` (times γ), refined there."""
        rules, params = self.base_rules, self.params
        labels = leiden(self.work.base, resolution * params.resolution, self.seed)
        state = State(self.work, self.work.base, rules.separated(labels), params)
        made = self.settle(state, rules)
        return state.value(), state.label, made

    def module_winner(self, labels: Sequence[int], earlier: list[Move]) -> Refined:
        """The module-level winner on the symbols: they move on their own and the partition is
        refined there; asked for a count, it is fitted again and the last moves keep it."""
        seed, count, rules = self.seed, self.count, self.base_rules
        state = State(self.work, self.work.base, rules.separated(labels), self.params)
        made = earlier + local_moves(state, seed, step="symbol-move", allowed=rules.allowed)
        if self.params.symbol_refine:
            made += refine(state, seed, rules.allowed, rules.mergeable, rules.separated)
        if count is not None:
            # symbols moving on their own may empty or shrink a service the count needed:
            # the count is fitted again on the symbols, then they settle keeping it
            made += fit_count(state, count, seed, rules.mergeable)
            made += local_moves(
                state, seed, step="symbol-move", allowed=rules.allowed, keep_count=True
            )
        return state.value(), state.label, made


def cluster(
    graph: nx.Graph,
    services: int | None = None,
    seed: int = 0,
    hint: Mapping[str, str] | None = None,
    apart: Sequence[frozenset[str]] = (),
    params: EngineParams = DEFAULT_PARAMS,
    only: Sequence[str] = (),
    parallel: bool = False,
    prepared: WorkGraph | None = None,
) -> Clustering:
    """Partition every node of ``graph`` (the clustering graph) into ``services`` communities,
    or as many as the objective finds best; nodes of one ``apart`` group always end apart.
    ``hint`` gives each node its unit in today's layout; ``only`` limits the starts to those
    named (reruns for stability try the start that won). With ``parallel``, half of the starts
    are refined in a forked process; the result is the same. ``prepared`` is the work graph
    ``build_work`` makes of ``graph``, ``params`` and ``hint``, when it is at hand already (the
    reruns share one)."""
    hint = hint or {}
    if graph.number_of_nodes() == 0:
        return Clustering(())
    work = prepared if prepared is not None else build_work(graph, params, hint)
    count = max(1, min(services, len(work.ids))) if services is not None else None
    search = _Search(work, apart, params, seed, count)
    scored: dict[str, float] = {}  # start -> its objective once refined, in the order tried
    # 1. every start on the modules level, refined there
    symbol_starts = {
        f"Leiden on symbols at resolution {r:g}": r
        for r in (params.starts_resolutions if params.symbol_starts else ())
    }
    if only and all(n in symbol_starts for n in only):  # no module-level start is named
        starts: list[Start] = []
    else:
        starts = candidate_starts(work, search.level, search.group, hint, seed, params)
    if any(s.name in only for s in starts) or any(n in only for n in symbol_starts):
        starts = [s for s in starts if s.name in only]
        symbol_starts = {n: r for n, r in symbol_starts.items() if n in only}
    refined = _each([functools.partial(search.module_start, s.labels) for s in starts], parallel)
    best: tuple[float, str, list[int], list[Move]] | None = None
    for start, (value, labels, made) in zip(starts, refined, strict=True):
        scored[start.name] = round(value, 6)
        if best is None or value > best[0] + 1e-12:
            best = (value, start.name, labels, made)
    # 2. the best of them against Leiden on the symbols, each refined on the symbols: code
    # whose modules mix capabilities (layered code) is only cut right there
    names: list[str] = []
    tasks: list[Callable[[], Refined]] = []
    if best is not None:
        lifted = [best[2][search.group[b]] for b in range(len(work.ids))]
        names.append(best[1])
        tasks.append(functools.partial(search.module_winner, lifted, best[3]))
    for name, resolution in symbol_starts.items():
        names.append(name)
        tasks.append(functools.partial(search.symbol_start, resolution))
    top: tuple[float, str, list[int], list[Move]] | None = None
    for name, (value, labels, made) in zip(names, _each(tasks, parallel), strict=True):
        # the module-level winner's entry becomes its value once refined on the symbols too
        scored[name] = round(value, 6)
        if top is None or value > top[0] + 1e-12:
            top = (value, name, labels, made)
    assert top is not None
    _, winner, labels, moves = top
    # the winner's sums computed afresh from its labels, wherever it was refined
    base = State(work, work.base, labels, params)
    communities, order = _communities(base)
    index = {label: i for i, label in enumerate(order)}
    return Clustering(
        tuple(communities),
        tuple(
            replace(m, source=index.get(m.source, -1), target=index.get(m.target, -1))
            for m in moves
        ),
        winner,
        tuple(scored.items()),
        base.terms(),
        {
            node: replace(
                p,
                community=index[p.community],
                runner_up=index.get(p.runner_up) if p.runner_up is not None else None,
            )
            for node, p in _placements(base).items()
        },
    )


def _each(tasks: Sequence[Callable[[], Refined]], parallel: bool) -> list[Refined]:
    """Each task's result, in order; with ``parallel``, every second task runs in a forked
    process meanwhile (the tasks are deterministic, so the results are the same)."""
    if not parallel or len(tasks) < 2:
        return [task() for task in tasks]
    odd = tasks[1::2]
    child = Forked(lambda: [task() for task in odd])
    with cancelled_on_error(child):
        even = [task() for task in tasks[::2]]
    results: list[Refined] = []
    for i, found in enumerate(child.result()):
        results += [even[i], found]
    return results + even[len(odd) :]


def _communities(state: State) -> tuple[list[frozenset[str]], list[int]]:
    """The communities largest first (lines; smallest member breaks ties), and their labels."""
    ids, loc = state.work.ids, state.level.loc
    parts: dict[int, set[str]] = {}
    lines: dict[int, int] = {}
    for j, c in enumerate(state.label):
        parts.setdefault(c, set()).add(ids[j])
        lines[c] = lines.get(c, 0) + loc[j]
    ordered = sorted(parts, key=lambda c: (-lines[c], min(parts[c])))
    return [frozenset(parts[c]) for c in ordered], ordered


def _placements(state: State) -> dict[str, Placement]:
    """For every node, the community it is most coupled to besides its own, and what moving
    there would change: the coupling term for every node, the whole objective for nodes
    holding data (the only ones the data term moves with)."""
    found: dict[str, Placement] = {}
    ids, label, level = state.work.ids, state.label, state.level
    w, gamma = state.total, state.gamma
    data = set(state.data_nodes)
    for j in range(len(level)):
        links = state.links(j)
        own = label[j]
        rivals = [c for c in links if c != own]
        rival, change = None, 0.0
        if rivals:
            if j in data:
                scored = [(state.move_gain(j, c, links), c) for c in sorted(rivals)]
            else:
                k = level.strength[j]
                tot_own = state.tot[own] - k
                stay = links.get(own, 0.0)
                scored = [
                    ((links[c] - stay) / w - gamma * k * (state.tot[c] - tot_own) / (2 * w * w), c)
                    for c in sorted(rivals)
                ]
            change, rival = max(scored, key=lambda s: (s[0], -s[1]))
        found[ids[j]] = Placement(
            ids[j],
            own,
            rival,
            round(change, 9),
            round(links.get(own, 0.0), 6),
            round(links.get(rival, 0.0), 6) if rival is not None else 0.0,
        )
    return found


def real_level(work: WorkGraph, group: Sequence[int], count: int) -> Level:
    """The coupling without prior ties, at the level ``group`` makes."""
    base = Level(
        [[i] for i in range(len(work.ids))], work.real, [0.0] * len(work.ids), work.base.loc
    )
    return coarsen(base, group, count)
