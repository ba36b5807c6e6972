"""Whether the code is worth splitting: the document's splitting section and its words."""

from __future__ import annotations

import copy
from typing import Any

import networkx as nx
import pytest

from analyzer.design.cluster.proposal import make_proposal
from analyzer.design.document.splitting import COMMUNITY_STRUCTURE, splitting_section
from analyzer.design.signals.graph import CodeGraph, GraphNode, build_graph
from analyzer.model.coupling import Coupling
from analyzer.model.options import Weights
from reports.markdown import render_markdown
from reports.splitting import describe_splitting
from tests.browser.documents import sample_document


def _clique(prefix: str, size: int, count: int = 2) -> list[Coupling]:
    names = [f"{prefix}:f{i}" for i in range(size)]
    return [
        Coupling(a, b, "call", f"{prefix}.py", 1, b, count=count)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    ]


def _graph(couplings: list[Coupling], sizes: dict[str, int]) -> CodeGraph:
    nodes = [
        GraphNode(f"{module}:f{i}", "function", module, 40)
        for module, size in sizes.items()
        for i in range(size)
    ]
    return build_graph(nodes, couplings, "symbol", Weights())


def _two_knit_halves() -> CodeGraph:
    """Two cliques of six functions, one light call between them, and a small third module."""
    couplings = _clique("a", 6) + _clique("b", 6) + _clique("c", 2)
    couplings.append(Coupling("a:f0", "b:f0", "call", "a.py", 9, "b:f0"))
    couplings.append(Coupling("b:f1", "c:f0", "call", "b.py", 9, "c:f0"))
    return _graph(couplings, {"a": 6, "b": 6, "c": 2})


def _propose(graph: CodeGraph, groups: dict[str, list[str]]) -> Any:
    clusters = [
        frozenset(n for n in graph.code_nodes() if n.split(":")[0] in g) for g in groups.values()
    ]
    return make_proposal(graph, clusters, list(groups))


def test_code_with_neither_entry_points_nor_tables_is_a_library() -> None:
    graph = _two_knit_halves()
    proposal = _propose(graph, {"ab": ["a", "b"], "c": ["c"]})
    section = splitting_section(graph, proposal, 0.45, entry_points=0, tables=0, seed=0)
    assert section["verdict"] == "library"
    assert section["reasons"] == ["library"]
    served = splitting_section(graph, proposal, 0.45, entry_points=3, tables=0, seed=0)
    assert served["verdict"] == "split" and served["reasons"] == []
    owning = splitting_section(graph, proposal, 0.45, entry_points=0, tables=2, seed=0)
    assert owning["verdict"] == "split"


@pytest.mark.parametrize(
    ("modularity", "reasons"),
    [(COMMUNITY_STRUCTURE - 0.01, ["cohesive"]), (COMMUNITY_STRUCTURE, []), (None, [])],
)
def test_modularity_below_the_community_threshold_is_too_cohesive(
    modularity: float | None, reasons: list[str]
) -> None:
    graph = _two_knit_halves()
    proposal = _propose(graph, {"a": ["a"], "bc": ["b", "c"]})
    section = splitting_section(graph, proposal, modularity, entry_points=5, tables=1, seed=0)
    assert section["reasons"] == reasons
    assert section["verdict"] == (reasons[0] if reasons else "split")


def test_a_service_holding_most_of_the_code_gets_its_own_best_split() -> None:
    graph = _two_knit_halves()
    proposal = _propose(graph, {"ab": ["a", "b"], "c": ["c"]})
    largest = splitting_section(graph, proposal, 0.1, 1, 1, seed=0)["largest"]
    assert largest["service"] == "ab"
    assert largest["share"] == pytest.approx(12 / 14, abs=1e-4)
    # the two cliques, cut at their one light call
    assert largest["parts"] == 2
    assert largest["part_loc"] == [240, 240]
    own = graph.undirected(tables=False, exclude=["c:f0", "c:f1"])
    halves = [{f"a:f{i}" for i in range(6)}, {f"b:f{i}" for i in range(6)}]
    assert largest["modularity"] == pytest.approx(
        nx.community.modularity(own, halves, weight="weight"), abs=1e-6
    )
    assert largest["modularity"] > COMMUNITY_STRUCTURE
    assert 0 < largest["cut_share"] < 0.05


def test_no_largest_entry_when_no_service_holds_most_of_the_code() -> None:
    graph = _two_knit_halves()
    proposal = _propose(graph, {"a": ["a"], "b": ["b"], "c": ["c"]})
    assert "largest" not in splitting_section(graph, proposal, 0.4, 1, 1, seed=0)


def test_a_largest_service_whose_pieces_share_no_edge_has_nothing_to_cut() -> None:
    graph = _graph([], {"a": 3, "c": 1})
    proposal = _propose(graph, {"a": ["a"], "c": ["c"]})
    largest = splitting_section(graph, proposal, None, 0, 0, seed=0)["largest"]
    assert largest["parts"] == 3 and largest["cut_share"] == 0.0 and largest["modularity"] == 0.0


def _with(section: dict[str, Any] | None) -> dict[str, Any]:
    document = copy.deepcopy(sample_document())
    document.pop("splitting", None)
    if section is not None:
        document["splitting"] = section
    return document


BASE = {"entry_points": 0, "tables": 0, "modularity": 0.24, "threshold": 0.3}


def test_a_library_and_too_cohesive_are_both_said_the_first_as_headline() -> None:
    said = describe_splitting(
        _with({**BASE, "verdict": "library", "reasons": ["library", "cohesive"]})
    )
    assert said is not None and said.advises_against
    assert said.headline.startswith("Not an application")
    assert "no entry point" in said.sentences[0]
    assert "modularity is 0.24, below 0.3" in said.sentences[1]
    summary = render_markdown(_with({**BASE, "verdict": "library", "reasons": ["library"]}))
    assert "**Not an application: nothing here for services to serve.**" in summary


def test_nothing_is_said_of_code_worth_splitting_without_a_dominant_service() -> None:
    assert describe_splitting(_with({**BASE, "verdict": "split", "reasons": []})) is None
    assert describe_splitting(_with(None)) is None


@pytest.mark.parametrize(
    ("modularity", "words"),
    [(0.47, "a cut worth a look"), (0.12, "no cut worth making")],
)
def test_a_dominant_service_is_explained_by_its_own_split(modularity: float, words: str) -> None:
    largest = {
        "service": "httpx",
        "share": 0.7154,
        "parts": 8,
        "part_loc": [1523, 1506, 1005, 520],
        "modularity": modularity,
        "cut_share": 0.3564,
    }
    said = describe_splitting(
        _with({**BASE, "verdict": "split", "reasons": [], "largest": largest})
    )
    assert said is not None and not said.advises_against and said.headline == ""
    (sentence,) = said.sentences
    assert sentence.startswith("httpx holds 72% of the code.")
    assert "8 parts, the largest 1,523, 1,506 and 1,005 lines, cutting 36%" in sentence
    assert words in sentence
