"""Decomposition metrics of the declared boundaries, and their regressions against the baseline.

ICP and data purity are the published ones (docs/metrics.md, ``analyzer.design.evaluate.
metrics``) on the symbol-level graph, each code node in its declared service and the shared
library left out. They are computed here straight from the couplings, without building the
graph (a check runs on every commit; the graph is most of its time): the couplings collapse
onto the same nodes and are summed in the same order, and a test holds the values equal.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from analyzer.check.mapping import ServiceMap
from analyzer.design.evaluate.purity import data_purity
from analyzer.model.boundaries import SHARED, Boundaries
from analyzer.model.coupling import Coupling, is_table, module_of
from analyzer.model.facts import FileFacts
from analyzer.model.violations import Violation

# Which way is worse for each ratcheted metric: +1 when a rise is worse, -1 when a fall is.
WORSE: dict[str, int] = {"icp": 1, "data_purity": -1}
NAMES = {"icp": "ICP (share of calls crossing services)", "data_purity": "data purity"}


def boundary_metrics(
    files: Sequence[FileFacts], couplings: Sequence[Coupling], services: ServiceMap
) -> dict[str, float | None]:
    ids = {f.module for f in files} | {f"{f.module}:{s.name}" for f in files for s in f.symbols}
    node_of: dict[str, str | None] = {}

    def collapse(endpoint: str) -> str | None:
        """The graph node an endpoint lands on (``build_graph``'s reading)."""
        if endpoint not in node_of:
            if endpoint in ids or is_table(endpoint):
                node_of[endpoint] = endpoint
            else:
                module = module_of(endpoint)
                node_of[endpoint] = module if module in ids else None
        return node_of[endpoint]

    owner = {n: services.node(n) for n in ids}
    measured = {n: o for n, o in owner.items() if o is not None and o != SHARED}
    calls: dict[tuple[str, str], int] = defaultdict(int)
    access: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"read": set(), "write": set()})
    for c in couplings:
        if c.kind not in ("call", "data"):
            continue  # ICP counts calls and data purity table accesses: no other kind counts
        source, target = collapse(c.source), collapse(c.target)
        if source is None or target is None or source == target:
            continue
        if c.kind == "call":
            calls[(source, target)] += c.count
        elif c.mode in ("read", "write") and is_table(target) and source in measured:
            access[target][c.mode].add(source)
    services_count = len(set(measured.values()))
    return {
        "data_purity": _number(data_purity(access, measured, services_count)),
        "icp": _number(_icp(calls, measured)),
    }


def _icp(calls: Mapping[tuple[str, str], int], measured: Mapping[str, str]) -> float | None:
    crossing = total = 0.0
    for (source, target), count in sorted(calls.items()):
        if source not in measured or target not in measured:
            continue
        value = math.log(count) + 1
        total += value
        if measured[source] != measured[target]:
            crossing += value
    return crossing / total if total else None


def _number(value: float | None) -> float | None:
    """Rounded as the published metrics are."""
    return None if value is None else round(value, 6) + 0.0


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
