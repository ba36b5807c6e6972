"""Whether the code is worth splitting into services at all (the document's ``splitting``).

Two judgements, each resting on a reason that holds whatever the code base:

- **a library**: no entry point (URL route or view, task, command, GraphQL operation, signal
  receiver) and no database table. A service answers requests and owns data; code with
  neither has nothing for a service to serve, however modular it is.
- **too cohesive**: the proposal's modularity (docs/metrics.md) is below 0.3, the level from
  which a network is read as having community structure at all (Newman and Girvan 2004;
  Clauset, Newman and Moore 2004). Below it, services would cut about as much coupling as a
  random split of the same graph.

And when one service holds most of the lines, why it was not cut: its own coupling is split by
Leiden (modularity at resolution 1, the proposal's seed), and the parts found, their
modularity and the share of its coupling they would cut say whether it has a cut worth making
(by the same 0.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from analyzer.design.cluster.leiden import leiden_parts
from analyzer.design.cluster.proposal import Proposal
from analyzer.design.signals.graph import CodeGraph

COMMUNITY_STRUCTURE = 0.3  # modularity from which a graph has communities worth the name
MOST = 0.5  # a service holding more than this share of the lines holds most of the code
PARTS_SHOWN = 5


def splitting_section(
    graph: CodeGraph,
    proposal: Proposal,
    modularity: float | None,
    entry_points: int,
    tables: int,
    seed: int,
) -> dict[str, Any]:
    """The verdict (``split``, ``library`` or ``cohesive``, the first reason found), every
    reason that holds, the figures they rest on, and the largest service's own split when it
    holds most of the lines."""
    reasons: list[str] = []
    if entry_points == 0 and tables == 0:
        reasons.append("library")
    if modularity is not None and modularity < COMMUNITY_STRUCTURE:
        reasons.append("cohesive")
    section: dict[str, Any] = {
        "verdict": reasons[0] if reasons else "split",
        "reasons": reasons,
        "entry_points": entry_points,
        "tables": tables,
        "modularity": modularity,
        "threshold": COMMUNITY_STRUCTURE,
    }
    largest = _largest(graph, proposal, seed)
    if largest is not None:
        section["largest"] = largest
    return section


def _largest(graph: CodeGraph, proposal: Proposal, seed: int) -> dict[str, Any] | None:
    total = sum(s.loc for s in proposal.services)
    services = [s for s in proposal.services if s.kind == "service"]
    if not services or not total:
        return None
    biggest = max(services, key=lambda s: s.loc)  # the first of the largest, in display order
    if biggest.loc <= MOST * total:
        return None
    own = graph.undirected(
        tables=False, exclude=[n.id for n in graph.nodes if n.id not in biggest.nodes]
    )
    loc: Mapping[str, int] = dict(own.nodes(data="loc", default=0))
    weight = own.size(weight="weight")
    if weight > 0:
        parts = leiden_parts(own, seed)
        found = float(nx.community.modularity(own, parts, weight="weight"))
        part_of = {node: i for i, part in enumerate(parts) for node in part}
        cut = sum(
            w for a, b, w in own.edges(data="weight", default=1.0) if part_of[a] != part_of[b]
        )
    else:  # nothing couples its pieces: each one is a part, and nothing would be cut
        parts = [frozenset([n]) for n in sorted(own.nodes)]
        found, cut = 0.0, 0.0
    sizes = sorted((sum(loc[n] for n in part) for part in parts), reverse=True)
    return {
        "service": biggest.name,
        "share": round(biggest.loc / total, 4),
        "parts": len(parts),
        "part_loc": sizes[:PARTS_SHOWN],
        "modularity": round(found, 6) + 0.0,
        "cut_share": round(cut / weight, 4) + 0.0 if weight > 0 else 0.0,
    }
