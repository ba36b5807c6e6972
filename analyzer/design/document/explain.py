"""explain: why each module or symbol sits in its service.

For every code node: the fused coupling it has with its own service against the runner-up
service, and the strongest edges behind that (calls, imports, shared tables, co-change
partners), in words. Shared-library code says why it was set aside, code that would have been
shared says why it was not, and a symbol kept with the rest of its file though more coupled
elsewhere says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from analyzer.design.cluster.proposal import Proposal
from analyzer.design.signals.graph import CodeGraph, GraphEdge

MAX_REASONS = 3
_PRIORITY = ("inheritance", "data", "call", "import", "cochange")
_OUT = {
    "inheritance": "inherits from",
    "data": "uses table",
    "call": "uses",
    "import": "imports",
    "cochange": "changes together with",
}
_IN = {
    "inheritance": "is the base of",
    "data": "is used by",
    "call": "is used by",
    "import": "is imported by",
    "cochange": "changes together with",
}


def _kind(edge: GraphEdge) -> str:
    present = {kind for kind, _ in edge.counts}
    return next((k for k in _PRIORITY if k in present), "call")


def _label(node: str) -> str:
    return node.removeprefix("table::")


def _reason(node: str, edge: GraphEdge, assignment: Mapping[str, str]) -> dict[str, Any]:
    outgoing = edge.source == node
    other = edge.target if outgoing else edge.source
    kind = _kind(edge)
    verb = (_OUT if outgoing else _IN)[kind]
    return {
        "kind": kind,
        "text": f"{verb} {_label(other)}",
        "node": other,
        "service": assignment.get(other),
        "weight": round(edge.weight, 3),
    }


def explain(graph: CodeGraph, proposal: Proposal) -> dict[str, dict[str, Any]]:
    assignment = proposal.assignment
    incident: dict[str, list[GraphEdge]] = defaultdict(list)
    for edge in graph.edges:
        incident[edge.source].append(edge)
        incident[edge.target].append(edge)
    lines: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node in graph.nodes:
        if node.kind != "table" and node.id in assignment:
            lines[node.module][assignment[node.id]] += node.loc + 1
    result: dict[str, dict[str, Any]] = {}
    for node in graph.nodes:
        if node.kind == "table" or node.id not in assignment:
            continue
        result[node.id] = explained = _explain_node(
            node.id, incident[node.id], assignment, proposal.shared_reasons
        )
        service = explained["service"]
        if node.id in proposal.released:
            explained["reasons"].insert(
                0, _note("data", proposal.released[node.id], node.id, service)
            )
        elif ":" in node.id and explained["own_weight"] < explained["runner_up_weight"]:
            rest = dict(lines[node.module])
            rest[service] -= node.loc + 1
            share = rest[service] / max(sum(rest.values()), 1)
            if share > 0.5:
                # more coupled elsewhere: the engine's file tie kept it with most of its file
                why = (
                    f"kept with the rest of {node.module} ({share:.0%} of its other lines are here)"
                )
                explained["reasons"].insert(0, _note("file", why, node.id, service))
    return result


def _note(kind: str, text: str, node: str, service: str) -> dict[str, Any]:
    """A reason that is no edge: why the node was placed as it was."""
    return {"kind": kind, "text": text, "node": node, "service": service, "weight": 0.0}


def _explain_node(
    node: str, edges: list[GraphEdge], assignment: Mapping[str, str], shared: Mapping[str, str]
) -> dict[str, Any]:
    service = assignment[node]
    weights: dict[str, float] = defaultdict(float)
    for edge in edges:
        other = edge.target if edge.source == node else edge.source
        if other in assignment:
            weights[assignment[other]] += edge.weight
    others = sorted((s for s in weights if s != service), key=lambda s: (-weights[s], s))
    runner_up = others[0] if others else None
    ranked = sorted(edges, key=lambda e: (-e.weight, e.source, e.target))
    own = [
        e for e in ranked if assignment.get(e.target if e.source == node else e.source) == service
    ]
    rival = [
        e for e in ranked if assignment.get(e.target if e.source == node else e.source) == runner_up
    ]
    reasons = [_reason(node, e, assignment) for e in [*own[:MAX_REASONS], *rival[:1]]]
    if node in shared:
        reasons.insert(0, _note("shared", shared[node], node, service))
    elif not edges:
        reasons.append(_note("none", "no coupling found: placed with its package", node, service))
    return {
        "service": service,
        "own_weight": round(weights.get(service, 0.0), 3),
        "runner_up": runner_up,
        "runner_up_weight": round(weights[runner_up], 3) if runner_up else 0.0,
        "reasons": reasons,
    }
