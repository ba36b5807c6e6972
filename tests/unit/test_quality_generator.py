"""The quality benchmark's monolith generator: parseable, deterministic code whose truth covers
every symbol Seams finds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analyzer.model.options import AnalyzeOptions
from analyzer.pipeline import analyze
from bench.quality.baselines import merge_down
from bench.quality.generator import draw_knobs, generate, render_project
from bench.quality.generator.knobs import ORGANISATIONS
from bench.quality.truths import derive_truth

SMALL = 2  # a 3k-line project


def test_organisation_is_assigned_round_robin_by_seed() -> None:
    drawn = [draw_knobs(seed).organisation for seed in range(8)]
    assert drawn == [*ORGANISATIONS, *ORGANISATIONS]


def test_generated_code_parses() -> None:
    files, _truth = render_project(SMALL)
    assert len(files) > 20
    for path, text in files.items():
        ast.parse(text, filename=path)


def test_same_seed_gives_the_same_files_and_truth() -> None:
    assert render_project(SMALL) == render_project(SMALL)
    assert render_project(SMALL)[0] != render_project(SMALL + 4)[0]


def test_truth_maps_every_module_and_sets_the_kernel_aside() -> None:
    files, truth = render_project(SMALL)
    modules = {p.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for p in files}
    assert set(truth["modules"]) == modules
    kernel = [s for s, c in truth["symbols"].items() if c == "shared"]
    assert kernel
    assert set(kernel) <= set(truth["shared"])
    capabilities = set(truth["symbols"].values()) - {"shared"}
    assert set(truth["tables"].values()) <= capabilities
    assert truth["generator"]["seed"] == SMALL


@pytest.mark.slow
def test_truth_covers_every_symbol_seams_finds(tmp_path: Path) -> None:
    truth = generate(SMALL, tmp_path)
    document = analyze(tmp_path, AnalyzeOptions(git=False, jobs=1)).document
    assert set(document["symbols"]) == set(truth["symbols"])
    assert set(document["modules"]) == set(truth["modules"])


def test_merging_down_joins_the_most_connected_communities_first() -> None:
    import networkx as nx

    graph = nx.Graph()
    graph.add_weighted_edges_from([("a", "b", 5), ("b", "c", 1), ("c", "d", 5), ("e", "f", 1)])
    parts = merge_down(graph, [{"a"}, {"b"}, {"c"}, {"d"}, {"e"}, {"f"}], 3)
    assert sorted(map(sorted, parts)) == [["a", "b"], ["c", "d"], ["e", "f"]]


def test_corpus_rules_set_the_kernel_aside_and_follow_dashboard_apps() -> None:
    truth = derive_truth(
        "django-oscar",
        ["oscar.apps.order.models", "oscar.apps.dashboard.orders.views", "oscar.core.loading"],
        ["oscar.apps.order.models:Order", "oscar.core.loading:get_class"],
    )
    assert truth["modules"]["oscar.apps.dashboard.orders.views"] == "order"
    assert truth["symbols"] == {
        "oscar.apps.order.models:Order": "order",
        "oscar.core.loading:get_class": "shared",
    }
    assert "oscar.core.loading" in truth["shared"]
