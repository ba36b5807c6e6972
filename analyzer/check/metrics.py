"""Decomposition metrics of the declared boundaries, and their regressions against the baseline.

The metrics are the published ones (``analyzer.design.evaluate.metrics``), computed on the
symbol-level graph with each node assigned to its declared service and the shared library left
out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from analyzer.check.mapping import ServiceMap
from analyzer.design.evaluate.metrics import ratchet_metrics
from analyzer.design.signals.graph import build_graph, code_nodes
from analyzer.model.boundaries import SHARED, Boundaries
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts
from analyzer.model.options import Weights
from analyzer.model.violations import Violation

# Which way is worse for each ratcheted metric: +1 when a rise is worse, -1 when a fall is.
WORSE: dict[str, int] = {"icp": 1, "data_purity": -1}
NAMES = {"icp": "ICP (share of calls crossing services)", "data_purity": "data purity"}


def boundary_metrics(
    files: Sequence[FileFacts], couplings: Sequence[Coupling], services: ServiceMap
) -> dict[str, float | None]:
    graph = build_graph(
        code_nodes(files, "symbol"), couplings, "symbol", Weights(), counts_only=True
    )
    assignment: dict[str, str] = {}
    for node in graph.nodes:
        owner = services.node(node.id) if node.kind != "table" else None
        if owner is not None:
            assignment[node.id] = owner
    shared = [n for n, owner in assignment.items() if owner == SHARED]
    values = ratchet_metrics(graph, assignment, shared)
    return {name: _number(values.get(name)) for name in sorted(WORSE)}


def _number(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def regressions(
    current: Mapping[str, float | None],
    recorded: Mapping[str, float | None],
    boundaries: Boundaries,
) -> list[Violation]:
    """A violation per metric worse than recorded by more than its tolerance."""
    tolerance = dict(boundaries.tolerance)
    out = []
    for name, direction in sorted(WORSE.items()):
        now, before = current.get(name), recorded.get(name)
        if now is None or before is None:
            continue
        change = (now - before) * direction
        if change <= tolerance.get(name, 0.0) + 1e-9:
            continue
        out.append(
            Violation(
                rule="metric_regression",
                severity=boundaries.severity("metric_regression"),
                source="",
                target="",
                path="",
                line=0,
                message=(
                    f"{NAMES[name]} went from {before:.3f} to {now:.3f}, worse by more than "
                    f"the tolerance of {tolerance.get(name, 0.0):g} (rule metric_regression)"
                ),
                hint="look at the new cross-service calls and table accesses in this change",
                key=f"metric_regression {name}",
            )
        )
    return [v for v in out if v.severity != "off"]
