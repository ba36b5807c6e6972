"""The proposal: named services over the graph's nodes, and how modules map onto them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from analyzer.design.cluster.engine import Clustering, cluster
from analyzer.design.cluster.naming import name_services
from analyzer.design.cluster.shared import SharedCode, find_shared, release_readers
from analyzer.design.cluster.stability import RUNS, held, reruns
from analyzer.design.cluster.steering import contract, expand, make_plan, pinned_names
from analyzer.design.cluster.work import build_work
from analyzer.design.data.catalog import DataCatalog
from analyzer.design.data.ownership import Ownership, assign_ownership
from analyzer.design.signals.graph import CodeGraph, data_roles
from analyzer.forked import Forked, cancelled_on_error
from analyzer.model.engine import DEFAULT_PARAMS, EngineParams
from analyzer.model.steering import Steering

ServiceKind = Literal["service", "shared-library"]


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    kind: ServiceKind
    nodes: frozenset[str]
    loc: int


@dataclass(frozen=True, slots=True)
class Proposal:
    """Services in display order, and the service of every graph node (owned tables too)."""

    services: tuple[Service, ...]
    assignment: Mapping[str, str]
    shared_reasons: Mapping[str, str] = field(default_factory=dict)
    # Why each node found shared on the first clustering was given to a service after all.
    released: Mapping[str, str] = field(default_factory=dict)
    stability: Mapping[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    ownership: Ownership | None = None
    clustering: Clustering | None = None  # how the services were found (as clustered)
    # each start of the first clustering (the whole code) and its objective once refined
    starts: tuple[tuple[str, float], ...] = ()

    @property
    def shared(self) -> frozenset[str]:
        return frozenset(n for s in self.services if s.kind == "shared-library" for n in s.nodes)

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)


def make_proposal(
    graph: CodeGraph,
    clusters: Sequence[frozenset[str]],
    names: Sequence[str],
    kinds: Sequence[ServiceKind] | None = None,
    shared: SharedCode | None = None,
) -> Proposal:
    nodes = {n.id: n for n in graph.nodes}
    services = tuple(
        Service(
            name,
            (kinds[i] if kinds else "service"),
            members,
            sum(nodes[m].loc for m in sorted(members) if m in nodes),
        )
        for i, (name, members) in enumerate(zip(names, clusters, strict=True))
    )
    assignment = {node: s.name for s in services for node in sorted(s.nodes)}
    return Proposal(services, assignment, dict(shared.reasons) if shared else {})


SHARED_NAME = "shared"


@dataclass(frozen=True)
class Unsettled:
    """A proposal whose stability figures may still be computing in a forked process:
    ``proposal`` is complete but for them, ``settle()`` adds them."""

    proposal: Proposal
    partitions: tuple[Forked[list[list[frozenset[str]]]], ...]
    loc: Mapping[str, int]  # of the clustered nodes
    clusters: tuple[frozenset[str], ...]  # as clustered (steered units not expanded)
    origin: Mapping[str, int]  # service name -> its cluster in ``clusters``

    def cancel(self) -> None:
        """The reruns are no longer wanted: their children are killed and reaped."""
        for forked in self.partitions:
            forked.cancel()

    def settle(self) -> Proposal:
        found = [partition for forked in self.partitions for partition in forked.result()]
        figures = held(self.loc, self.clusters, found)
        stable = {name: figures[i] for name, i in self.origin.items()}
        return replace(self.proposal, stability=stable)


def propose(
    graph: CodeGraph,
    services: int | None,
    seed: int,
    hint: Mapping[str, str],
    steering: Steering | None = None,
    catalog: DataCatalog | None = None,
    background: bool = False,
    params: EngineParams | None = None,
) -> Unsettled:
    """Cluster, set the shared library aside, cluster the rest, give each table an owner, and
    name everything, honouring the user's steering (pinned, together, apart, renamed). The
    stability reruns go to a forked process when ``background`` (see ``Unsettled``)."""
    params = params or DEFAULT_PARAMS
    plan = make_plan([n.id for n in graph.nodes], steering or Steering())
    unit_hint = {
        **hint,
        **{unit: hint.get(min(members), "") for unit, members in plan.units.items()},
    }
    roles = data_roles(graph)
    whole = graph.clustering_graph(roles=roles)
    first = cluster(
        contract(whole, plan), None, seed, unit_hint, plan.apart, params, parallel=background
    )
    shared = (
        find_shared(graph, expand(list(first.communities), plan), roles)
        if params.shared_library
        else SharedCode({})
    )
    shared = SharedCode({n: why for n, why in shared.reasons.items() if n not in plan.members})
    # The project shell (settings, URL confs, entry scripts) is glue: it is set aside with the
    # shared library and does not take part in the second clustering, so a count asked for is
    # a count of services holding code of their own.
    work = contract(whole, plan, drop=shared.nodes)
    loc = {n: int(d.get("loc", 0)) for n, d in work.nodes(data=True)}
    target = services
    # the shared library aside, the rest is clustered again from the start that won; the
    # reruns for stability try that start too, with other seeds: on a second core, two forked
    # processes share them while this one goes on
    only = (first.start,)
    # built once, before the reruns fork: the second clustering and every rerun share it
    prepared = build_work(work, params, unit_hint) if work.number_of_nodes() else None

    def run(with_seed: int) -> list[frozenset[str]]:
        again = cluster(
            work, target, with_seed, unit_hint, plan.apart, params, only, prepared=prepared
        )
        return list(again.communities)

    half = (RUNS + 1) // 2
    partitions = (
        (
            Forked(reruns, run, seed, half, enabled=background),
            Forked(reruns, run, seed + half, RUNS - half, enabled=background),
        )
        if work.number_of_nodes()
        else ()  # nothing to cluster, nothing to compare
    )
    with cancelled_on_error(*partitions):  # the reruns must not outlive a failure here
        outcome = cluster(
            work, target, seed, unit_hint, plan.apart, params, only, background, prepared
        )
    contracted = list(outcome.communities)
    origin: list[int | None] = list(range(len(contracted)))
    pinned = pinned_names(contracted, plan)
    clusters = expand(contracted, plan)
    clusters, shared, released = release_readers(graph, clusters, shared)
    kinds: list[ServiceKind] = ["service"] * len(clusters)
    if shared.nodes:
        clusters, kinds, origin = (
            [*clusters, shared.nodes],
            [*kinds, "shared-library"],
            [*origin, None],
        )
    ownership = assign_ownership(catalog, graph.node_of, clusters) if catalog is not None else None
    owned: list[list[str]] = [[] for _ in clusters]
    if ownership is not None:
        kept = list(ownership.kept)
        clusters, owned = list(ownership.clusters), ownership.owned()
        kinds, origin = [kinds[i] for i in kept], [origin[i] for i in kept]
        pinned = {kept.index(i): name for i, name in pinned.items() if i in kept}
    names = _names(graph, clusters, kinds, pinned, owned)
    notes = list(plan.notes)
    names = _rename(names, dict(steering.rename) if steering else {}, notes)
    proposal = make_proposal(graph, clusters, names, kinds, shared)
    return Unsettled(
        replace(
            proposal,
            notes=tuple(notes),
            ownership=ownership,
            released=released,
            clustering=outcome,
            starts=first.starts,
        ),
        partitions,
        loc,
        tuple(contracted),
        {n: i for n, i in zip(names, origin, strict=True) if i is not None},
    )


def _names(
    graph: CodeGraph,
    clusters: Sequence[frozenset[str]],
    kinds: Sequence[ServiceKind],
    pinned: Mapping[int, str],
    owned: Sequence[Sequence[str]],
) -> list[str]:
    nodes = {n.id: n for n in graph.nodes}
    free = [i for i, kind in enumerate(kinds) if kind == "service" and i not in pinned]
    auto = name_services(
        [clusters[i] for i in free],
        nodes,
        tables=[owned[i] for i in free],
        taken=[SHARED_NAME, *pinned.values()],
    )
    names = dict(zip(free, auto, strict=True)) | dict(pinned)
    return [names.get(i, SHARED_NAME) for i in range(len(clusters))]


def _rename(names: list[str], rename: Mapping[str, str], notes: list[str]) -> list[str]:
    result = list(names)
    for old, new in sorted(rename.items()):
        if old not in result:
            notes.append(f"rename {old} -> {new}: no service is called {old}")
        elif new in result or new == SHARED_NAME:
            notes.append(f"rename {old} -> {new}: {new} is already taken")
        else:
            result[result.index(old)] = new
            notes.append(f"renamed {old} -> {new}")
    return result


def module_services(
    graph: CodeGraph, assignment: Mapping[str, str], order: Sequence[str]
) -> dict[str, str]:
    """Each module's service: the one holding most of its lines (its own code breaks a tie)."""
    rank = {name: i for i, name in enumerate(order)}
    loc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node in graph.nodes:
        if node.kind == "table" or node.id not in assignment:
            continue
        loc[node.module][assignment[node.id]] += node.loc
    result = {}
    for module, shares in loc.items():
        own = assignment.get(module)
        result[module] = max(
            sorted(shares, key=lambda s: rank.get(s, len(rank))),
            key=lambda s: (shares[s], s == own),
        )
    return dict(sorted(result.items()))


def split_modules(
    graph: CodeGraph, assignment: Mapping[str, str]
) -> dict[str, dict[str, list[str]]]:
    """Modules whose symbols land in more than one service: service -> symbol names."""
    by_module: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for node in graph.nodes:
        if node.kind in ("class", "function") and node.id in assignment:
            by_module[node.module][assignment[node.id]].append(node.id.split(":", 1)[1])
    return {
        module: {service: sorted(names) for service, names in sorted(shares.items())}
        for module, shares in sorted(by_module.items())
        if len(shares) > 1
    }


def symbol_services(
    graph: CodeGraph, assignment: Mapping[str, str], symbols: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Every top-level symbol (``module:Name``) -> its service, whatever the granularity."""
    result = {}
    for module, names in symbols.items():
        for name in names:
            node = graph.node_of.get(f"{module}:{name}") or graph.node_of.get(module)
            if node is not None and node in assignment:
                result[f"{module}:{name}"] = assignment[node]
    return dict(sorted(result.items()))
