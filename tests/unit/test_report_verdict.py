"""The verdict, the counts and the first steps every output opens with."""

from __future__ import annotations

import re
from typing import Any

import pytest

from reports.api_surface import public_api
from reports.close_calls import close_calls
from reports.counts import count, headline, proposal_phrase
from reports.first_steps import first_steps
from reports.keep_cuts import CI_RECIPE
from reports.ownership import table_rows
from reports.plan import extraction_plan
from reports.verdict import compare, judge, mark
from tests.browser.documents import legacy_document, sample_document
from tests.conftest import ROOT


def _with_metrics(proposed: dict[str, Any], as_is: dict[str, Any]) -> dict[str, Any]:
    document = sample_document()
    document["metrics"] = {"proposed": proposed, "as_is": as_is}
    return document


def _steps(document: dict[str, Any]) -> list[str]:
    tables = table_rows(document)
    plan = extraction_plan(document, public_api(document), tables)
    return [
        s.action
        for s in first_steps(document, judge(document), plan, tables, close_calls(document))
    ]


def test_counts_leave_the_shared_library_out_of_the_services() -> None:
    counts = count(sample_document())
    assert (counts.services, counts.modules, counts.lines) == (3, 5, 290)
    assert counts.library == ("common",)
    assert (counts.library_modules, counts.library_lines) == (1, 35)
    assert proposal_phrase(counts) == "3 services plus a shared library of 1 module / 35 lines"
    assert headline(counts).endswith("(5 modules, 290 lines of code analyzed)")


def test_counts_without_a_shared_library_say_nothing_of_one() -> None:
    document = sample_document()
    document["services"] = [s for s in document["services"] if s["kind"] == "service"]
    assert proposal_phrase(count(document)) == "3 services"


def test_a_proposal_better_on_every_deciding_count_is_better_and_says_by_how_much() -> None:
    verdict = judge(sample_document())  # the sample's proposal wins everywhere
    assert verdict.outcome == "better"
    assert verdict.title == "Better than today's layout"
    sentence = verdict.sentence()
    assert "40% less coupling crosses service boundaries (weight 12 vs 20)" in sentence
    assert "20% of calls cross a service boundary instead of 40%" in sentence
    assert "1 table written by several services instead of 2" in sentence
    assert "3 proposed services against 4 packages today" in sentence


def test_a_worse_proposal_is_called_worse_and_the_first_step_questions_it() -> None:
    base = {"modularity": 0.5, "icp": 0.2, "cross_service_weight": 100.0, "services": 5}
    worse = {"modularity": 0.3, "icp": 0.35, "cross_service_weight": 160.0, "services": 5}
    document = _with_metrics(worse, base)
    verdict = judge(document)
    assert verdict.outcome == "worse"
    assert verdict.title == "Worse than today's layout"
    assert "60% more coupling crosses service boundaries (weight 160 vs 100)" in verdict.sentence()
    assert _steps(document)[0] == "Question the proposal before cutting along it"


def test_gains_and_losses_on_deciding_counts_make_a_mixed_verdict() -> None:
    proposed = {"icp": 0.1, "cross_service_weight": 80.0, "data_purity": 0.7}
    today = {"icp": 0.2, "cross_service_weight": 100.0, "data_purity": 0.9}
    verdict = judge(_with_metrics(proposed, today))
    assert verdict.outcome == "mixed"
    assert [a.name for a in verdict.of("better")] == ["coupling between services"]
    assert [a.name for a in verdict.of("worse")] == ["data ownership"]
    assert verdict.lines()[1] == "Worse on data ownership: data purity 0.70 instead of 0.90."


def test_changes_under_five_percent_are_about_the_same() -> None:
    proposed = {"modularity": 0.732, "icp": 0.128, "cross_service_weight": 97.0}
    today = {"modularity": 0.727, "icp": 0.137, "cross_service_weight": 100.0}
    verdict = judge(_with_metrics(proposed, today))
    assert verdict.outcome == "same"
    assert verdict.title == "About the same as today's layout"
    assert verdict.lines() == ("About the same on coupling between services and modularity.",)
    assert mark("icp", 0.128, 0.137) == "same"
    assert mark("icp", 0.137, 0.137) == ""


def test_small_wins_are_slight() -> None:
    verdict = judge(_with_metrics({"cross_service_weight": 86.0}, {"cross_service_weight": 93.0}))
    assert verdict.title == "Slightly better than today's layout"


@pytest.mark.parametrize(
    ("key", "proposed", "today", "direction"),
    [
        ("modularity", 0.6, 0.5, "better"),
        ("icp", 0.6, 0.5, "worse"),
        ("shared_write_tables", 1, 2, "better"),
        ("shared_write_tables", 1, 0, "worse"),
        ("ned", 0.0, 0.02, "better"),  # two points of a share count
        ("data_purity", 0.995, 1.0, "same"),  # half a point does not
    ],
)
def test_each_metric_is_judged_in_its_own_direction(
    key: str, proposed: float, today: float, direction: str
) -> None:
    change = compare(key, proposed, today)
    assert change is not None and change.direction == direction


def test_without_metrics_there_is_no_verdict_but_a_plain_statement() -> None:
    verdict = judge(legacy_document())
    assert verdict.outcome == "unknown"
    assert verdict.lines() == ()
    assert compare("services", 3, 4) is None  # a count, not better or worse
    assert compare("icp", None, 0.3) is None


def test_first_steps_settle_a_conflict_then_extract_then_cut() -> None:
    document = sample_document()
    assert _steps(document) == [
        "Settle who writes payments_payment",
        "Extract catalog first",
        "Cut the heaviest seam: orders \u2192 payments",
    ]


def test_without_conflicts_or_seams_the_close_calls_and_splits_come_next() -> None:
    document = sample_document()
    document["tables"]["payments_payment"]["writers"] = ["payments"]
    document["cuts"] = []
    explanation = document["explanations"]["shop.models:Payment"]
    explanation["own_weight"], explanation["runner_up_weight"] = 5.0, 4.5
    assert _steps(document) == [
        "Extract catalog first",
        "Review 1 close call",
        "Split 1 file between services",
    ]


def test_the_ci_recipe_is_the_one_documented() -> None:
    text = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert CI_RECIPE in blocks
