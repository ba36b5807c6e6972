"""decompose: assemble the ``seams/decomposition@2`` document from the analysis.

Only plain JSON values, every mapping and list in a fixed order, floats rounded: the same input
and parameters give byte-identical JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from analyzer import __version__
from analyzer.design.cluster.proposal import (
    Proposal,
    module_services,
    split_modules,
    symbol_services,
)
from analyzer.design.data.ownership import Ownership, Site
from analyzer.design.signals.graph import CodeGraph
from analyzer.model.coupling import KINDS, Coupling, table_node
from analyzer.model.facts import FileFacts, Skipped
from analyzer.model.roles import SetAside

SCHEMA = "seams/decomposition@2"
MAX_DEPENDENCY_EXAMPLES = 5

Document = dict[str, Any]


def _example(c: Coupling) -> dict[str, Any]:
    example: dict[str, Any] = {"file": c.path, "line": c.line, "target": c.detail, "kind": c.kind}
    if c.soft:
        example["soft"] = True
    return example


def dependencies(graph: CodeGraph, assignment: Mapping[str, str]) -> list[dict[str, Any]]:
    """Service-to-service dependencies: fused weight, counts per kind, located examples."""
    weight: dict[tuple[str, str], float] = defaultdict(float)
    kinds: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    examples: dict[tuple[str, str], list[tuple[float, Coupling]]] = defaultdict(list)
    for edge in graph.edges:
        a, b = assignment.get(edge.source), assignment.get(edge.target)
        if a is None or b is None or a == b:
            continue
        key = (a, b)
        weight[key] += edge.weight
        for kind, count in edge.counts:
            kinds[key][kind] += count
        examples[key].extend((edge.weight, c) for c in edge.examples)
    result = []
    for key in sorted(weight, key=lambda k: (-weight[k], k)):
        chosen = sorted(examples[key], key=lambda e: (-e[0], e[1].path, e[1].line, e[1].detail))
        seen: set[tuple[str, int, str]] = set()
        located = []
        for _, c in chosen:
            if (c.path, c.line, c.detail) not in seen:
                seen.add((c.path, c.line, c.detail))
                located.append(_example(c))
            if len(located) == MAX_DEPENDENCY_EXAMPLES:
                break
        result.append(
            {
                "from": key[0],
                "to": key[1],
                "weight": round(weight[key], 4),
                "kinds": {k: kinds[key][k] for k in KINDS if kinds[key].get(k)},
                "examples": located,
            }
        )
    return result


MAX_CUTS = 300


def cuts(
    graph: CodeGraph, assignment: Mapping[str, str], limit: int = MAX_CUTS
) -> list[dict[str, Any]]:
    """The heaviest graph edges that cross services, each with where it is written: the calls to
    turn into APIs or events first."""
    crossing = [
        e
        for e in graph.edges
        if e.source in assignment
        and e.target in assignment
        and assignment[e.source] != assignment[e.target]
    ]
    crossing.sort(key=lambda e: (-e.weight, e.source, e.target))
    return [
        {
            "from": assignment[e.source],
            "to": assignment[e.target],
            "source": e.source,
            "target": e.target,
            "weight": round(e.weight, 4),
            "kinds": dict(e.counts),
            "examples": [_example(c) for c in e.examples],
        }
        for e in crossing[:limit]
    ]


def graph_section(
    graph: CodeGraph,
    assignment: Mapping[str, str],
    ownership: Ownership | None = None,
    names: Sequence[str] = (),
) -> dict[str, Any]:
    """The analyzed graph, so a report can drill down without re-analysis.

    Nodes carry their service (a table node its owner's, ``null`` when it has none); edges their
    fused weight and counts per kind (examples stay in ``dependencies``, which keeps the
    document small on large code bases).
    """
    if ownership is not None:
        owners = {
            table_node(t.table): (names[t.owner] if t.owner is not None else None)
            for t in ownership.tables
        }
        assignment = {**assignment, **owners}  # type: ignore[dict-item]
    return {
        "granularity": graph.granularity,
        "nodes": [
            {
                "id": n.id,
                "kind": n.kind,
                "module": n.module,
                "service": assignment.get(n.id),
                "loc": n.loc,
                "path": n.path,
                "line": n.line,
            }
            for n in graph.nodes
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "weight": round(e.weight, 4),
                "kinds": dict(e.counts),
            }
            for e in graph.edges
        ],
    }


def build_document(
    *,
    parameters: Mapping[str, Any],
    files: Sequence[FileFacts],
    skipped: Sequence[Skipped],
    graph: CodeGraph,
    proposal: Proposal,
    metrics: Mapping[str, Mapping[str, Any]],
    ownership: Ownership | None = None,
    extra: Mapping[str, Any] | None = None,
    set_aside: Sequence[SetAside] = (),
) -> Document:
    order = [s.name for s in proposal.services]
    data = data_sections(ownership, order) if ownership is not None else None
    modules = module_services(graph, proposal.assignment, order)
    symbols = symbol_services(
        graph, proposal.assignment, {f.module: [s.name for s in f.symbols] for f in files}
    )
    loc_by_module = {f.module: f.loc for f in files}
    services = []
    for service in proposal.services:
        members = sorted(m for m, s in modules.items() if s == service.name)
        services.append(
            {
                "name": service.name,
                "kind": service.kind,
                "modules": members,
                "symbols": sorted(s for s, owner in symbols.items() if owner == service.name),
                "tables_owned": data["owned"].get(service.name, []) if data else [],
                "loc": service.loc,
                "module_loc": sum(loc_by_module.get(m, 0) for m in members),
            }
        )
        if service.name in proposal.stability:
            services[-1]["stability"] = proposal.stability[service.name]
    document: Document = {
        "schema": SCHEMA,
        "tool_version": __version__,
        "parameters": dict(parameters),
        "services": services,
        "modules": modules,
        "symbols": symbols,
        "split_modules": split_modules(graph, proposal.assignment)
        if graph.granularity == "symbol"
        else {},
        "tables": data["tables"] if data else {},
        "conflicts": data["conflicts"] if data else [],
        "foreign_keys": data["foreign_keys"] if data else [],
        "dependencies": dependencies(graph, proposal.assignment),
        "cuts": cuts(graph, proposal.assignment),
        "metrics": {key: dict(value) for key, value in metrics.items()},
        "skipped": skipped_section(skipped, set_aside),
    }
    search = search_section(proposal)
    if search:
        document["search"] = search
    if extra:
        document.update(extra)
    return document


def search_section(proposal: Proposal) -> dict[str, Any]:
    """How the proposal was found: the start it grew from, every start of the first clustering
    with its objective once refined (in the order they were tried), and the objective's terms
    for the services as clustered. Empty when nothing was clustered."""
    clustering = proposal.clustering
    if clustering is None or not clustering.start:
        return {}
    return {
        "start": clustering.start,
        "starts": [{"name": name, "objective": value} for name, value in proposal.starts],
        "terms": dict(clustering.terms),
    }


def skipped_section(
    skipped: Sequence[Skipped], set_aside: Sequence[SetAside] = ()
) -> list[dict[str, Any]]:
    """Files not analyzed, by path: those that could not be, and code set aside with its
    ``role`` (test, development, demo or fake-data code)."""
    entries: list[dict[str, Any]] = [{"path": s.path, "reason": s.reason} for s in skipped]
    entries += [
        {"path": s.path, "reason": f"{s.role} code: {s.reason}", "role": s.role, "module": s.module}
        for s in set_aside
    ]
    return sorted(entries, key=lambda e: (e["path"], "role" in e))


def _site(site: Site, names: Sequence[str]) -> dict[str, Any]:
    return {
        "file": site.path,
        "line": site.line,
        "mode": site.mode,
        "service": names[site.service],
        "symbol": site.symbol,
    }


def data_sections(ownership: Ownership, names: Sequence[str]) -> dict[str, Any]:
    """``tables``, ``conflicts``, ``foreign_keys`` and each service's owned tables.

    ``names`` are the service names by cluster index. Every list is sorted.
    """
    tables: dict[str, Any] = {}
    owned: dict[str, list[str]] = defaultdict(list)
    conflicts = []
    for t in sorted(ownership.tables, key=lambda t: t.table):
        owner = names[t.owner] if t.owner is not None else None
        if owner is not None:
            owned[owner].append(t.table)
        tables[t.table] = {
            "owner": owner,
            "owner_reason": t.reason,
            "model_service": names[t.home] if t.home is not None else None,
            "writing_units": {names[i]: n for i, n in sorted(t.units, key=lambda u: names[u[0]])},
            "writers": sorted(names[w] for w in t.writers),
            "readers": sorted(names[r] for r in t.readers),
            "models": list(t.models),
            "sites": [_site(s, names) for s in t.sites],
        }
        if t.conflict:
            conflicts.append(
                {
                    "table": t.table,
                    "owner": owner,
                    "writers": sorted(names[w] for w in t.writers),
                    "sites": [_site(s, names) for s in t.foreign_writes()],
                }
            )
    keys = [
        {
            "from": k.key.source,
            "to": k.key.target,
            "field": k.key.field,
            "kind": k.key.kind,
            "from_service": names[k.source_service],
            "to_service": names[k.target_service],
            "file": k.key.path,
            "line": k.key.line,
        }
        for k in sorted(
            ownership.foreign_keys, key=lambda k: (k.key.source, k.key.field, k.key.target)
        )
    ]
    return {
        "tables": tables,
        "owned": {name: sorted(found) for name, found in owned.items()},
        "conflicts": conflicts,
        "foreign_keys": keys,
    }
