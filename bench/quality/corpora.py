"""Decomposition quality on real monoliths: the proposal against today's layout and against plain
import-graph Louvain, on the same graph and at the same service count.

For each corpus (saleor, django-oscar, pretix; fetched by ../shared/corpora/fetch.sh), with
--services = the number of units of the as-is layout:
- proposal: Seams' analysis (symbol granularity, every signal, shared library set aside);
- as-is: each module in its Django app (or second-level package);
- import Louvain: networkx's Louvain on the module import graph alone (seeded), modules without
  imports placed with their package, merged down to the same count by the same rule Seams
  uses, no shared library.
All three are scored by Seams' metrics on the proposal's fused symbol graph, with the proposal's
shared-library nodes left out of all three alike. Prints ICP, data purity, modularity and
cross-service weight side by side, and whether the proposal wins on ICP and data purity.

Usage: python bench/quality/corpora.py [--weights k=v,...] [NAME ...]
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import networkx as nx

from analyzer.design.cluster.engine import _attach_isolated, _Merger, index_graph
from analyzer.design.evaluate.asis import as_is_units
from analyzer.design.evaluate.metrics import evaluate
from analyzer.design.signals.graph import CodeGraph
from analyzer.model.coupling import module_of
from analyzer.model.options import AnalyzeOptions, Weights
from analyzer.pipeline import analyze, uses_django

CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
NAMES = ["saleor", "django-oscar", "pretix"]
KEYS = (
    "icp",
    "data_purity",
    "modularity",
    "cross_service_weight",
    "shared_write_tables",
    "services",
)


def import_louvain(
    graph: CodeGraph, count: int, units: dict[str, str], seed: int = 0
) -> dict[str, str]:
    """Module -> community from the import couplings alone: networkx's Louvain, modules without
    imports placed with their package, merged down to ``count`` like Seams does."""
    modules = nx.Graph()
    sizes: dict[str, int] = defaultdict(int)
    for n in graph.nodes:
        if n.kind != "table":
            sizes[n.module] += n.loc
    for module in sorted(sizes):
        modules.add_node(module, loc=sizes[module])
    for c in graph.couplings:
        if c.kind == "import":
            a, b = module_of(c.source), module_of(c.target)
            if a != b and a in modules and b in modules:
                weight = modules[a][b]["weight"] + 1 if modules.has_edge(a, b) else 1.0
                modules.add_edge(a, b, weight=weight)
    connected = modules.subgraph([m for m in modules if modules.degree(m)]).copy()
    indexed = index_graph(modules)
    resolution = 1.0
    while True:  # raise the resolution until there are enough communities, as Seams does
        found = nx.community.louvain_communities(
            connected, weight="weight", seed=seed, resolution=resolution
        )
        communities = _attach_isolated(indexed, sorted((set(c) for c in found), key=min), units)
        if len(communities) >= count or resolution >= 64:
            break
        resolution *= 2
    merger = _Merger(indexed, communities)
    merger.merge_down_to(count)
    return {m: f"import-{i}" for i, part in enumerate(merger.result()) for m in sorted(part)}


def main() -> None:
    args = sys.argv[1:]
    weights = Weights()
    if args[:1] == ["--weights"]:
        weights, args = Weights.parse(args[1]), args[2:]
    for name in args or NAMES:
        root = CORPORA / name
        t0 = time.perf_counter()
        first = analyze(root, AnalyzeOptions(git=False, weights=weights))
        units = as_is_units(first.discovery.files, django=uses_django(first.scan.facts))
        count = len(set(units.values()))
        result = analyze(root, AnalyzeOptions(git=False, services=count, weights=weights))
        seconds = time.perf_counter() - t0
        graph, proposal = result.graph, result.proposal
        assert graph is not None and proposal is not None  # no cache: always computed
        code = [n for n in graph.nodes if n.kind != "table"]
        as_is = {n.id: units[n.module] for n in code}
        by_module = import_louvain(graph, count, units)
        imports = {n.id: by_module[n.module] for n in code}
        rows = {
            "proposal": evaluate(graph, proposal.assignment, proposal.shared),
            "as-is": evaluate(graph, as_is, proposal.shared),
            "import Louvain": evaluate(graph, imports, proposal.shared),
        }
        shared = len(proposal.shared)
        print(
            f"\n{name}: {len(result.scan.facts)} modules, {len(code)} code nodes, "
            f"--services {count} (as-is units), shared library {shared} nodes, {seconds:.0f} s"
        )
        print(f"  {'':16s}" + "".join(f"{k:>22s}" for k in KEYS))
        for label, metrics in rows.items():
            print(f"  {label:16s}" + "".join(f"{_fmt(metrics[k]):>22s}" for k in KEYS))
        icp = [rows[r]["icp"] for r in rows]
        purity = [rows[r]["data_purity"] for r in rows]
        print(f"  proposal ICP lowest: {_lowest(icp)}; data purity highest: {_highest(purity)}")


def _fmt(value: object) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _lowest(values: list[object]) -> bool:
    return all(isinstance(v, float) for v in values) and values[0] < min(values[1:])  # type: ignore[operator]


def _highest(values: list[object]) -> bool:
    return all(isinstance(v, float) for v in values) and values[0] > max(values[1:])  # type: ignore[operator]


if __name__ == "__main__":
    main()
