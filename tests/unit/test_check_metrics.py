"""The check's ICP and data purity, computed without the graph, equal the published metrics."""

from __future__ import annotations

from functools import cache

import pytest

from analyzer.check.mapping import ServiceMap
from analyzer.check.metrics import boundary_metrics
from analyzer.collect import Collected, collect
from analyzer.design.evaluate.metrics import ratchet_metrics
from analyzer.design.signals.graph import build_graph, code_nodes
from analyzer.model.boundaries import SHARED, Boundaries, Boundary
from analyzer.model.options import AnalyzeOptions, Weights
from analyzer.model.progress import SilentReporter
from analyzer.model.timings import Timings
from tests.conftest import FIXTURES


@cache
def collected(fixture: str) -> Collected:
    options = AnalyzeOptions(jobs=1, git=False)
    return collect(FIXTURES / fixture, options, SilentReporter(), Timings())


def as_is(found: Collected, split: bool) -> Boundaries:
    """A service per package two levels down; the first one shared; with ``split``, the first
    symbol of the largest module goes to the last service."""
    packages = sorted({".".join(f.module.split(".")[:2]) for f in found.files})
    services = [Boundary(p.replace(".", "-"), (p,)) for p in packages[1:]]
    if split and services:
        largest = max(found.files, key=lambda f: len(f.symbols))
        moved = f"{largest.module}:{largest.symbols[0].name}"
        services[-1] = Boundary(services[-1].name, (*services[-1].modules, moved))
    return Boundaries(tuple(services), shared=(packages[0],))


def published(found: Collected, boundaries: Boundaries) -> dict[str, float | None]:
    services = ServiceMap(boundaries)
    graph = build_graph(code_nodes(found.files, "symbol"), found.couplings, "symbol", Weights())
    assignment = {
        n.id: owner
        for n in graph.nodes
        if n.kind != "table" and (owner := services.node(n.id)) is not None
    }
    shared = [n for n, owner in assignment.items() if owner == SHARED]
    values = ratchet_metrics(graph, assignment, shared)
    return {name: None if v is None else float(v) for name, v in sorted(values.items())}


@pytest.mark.parametrize("fixture", ["shop", "layered", "orm_django", "orm_sqlalchemy"])
@pytest.mark.parametrize("split", [False, True])
def test_the_checks_metrics_are_the_published_ones(fixture: str, split: bool) -> None:
    found = collected(fixture)
    boundaries = as_is(found, split)
    ours = boundary_metrics(found.files, found.couplings, ServiceMap(boundaries))
    assert ours == published(found, boundaries)
    assert ours["icp"] is not None and ours["data_purity"] is not None
