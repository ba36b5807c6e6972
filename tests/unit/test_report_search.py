"""How the proposal was found: the document's search section, in the report and the summary."""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from typing import Any

from reports.html import render_html
from reports.markdown import render_markdown
from reports.search import describe_search, meaning
from tests.browser.documents import sample_document


def _with_search(starts: list[tuple[str, float]], start: str) -> dict[str, Any]:
    document = copy.deepcopy(sample_document())
    document["search"] = {
        "start": start,
        "starts": [{"name": n, "objective": v} for n, v in starts],
        "terms": {"objective": 0.5, "coupling": 0.52, "ownership": 0.1, "small": 0.0},
    }
    return document


STARTS = [
    ("today's layout", 0.41),
    ("package tree at depth 2", 0.43),
    ("Leiden at resolution 1", 0.47),
    ("Leiden on symbols at resolution 0.5", 0.452),
]


def test_the_winning_start_is_named_with_its_margin_over_the_next() -> None:
    search = describe_search(_with_search(STARTS, "Leiden at resolution 1"))
    assert search is not None
    assert [r.name for r in search.rows][:2] == [
        "Leiden at resolution 1",
        "Leiden on symbols at resolution 0.5",
    ]
    assert [r.won for r in search.rows] == [True, False, False, False]
    assert search.sentence() == (
        "The proposal grew from Leiden at resolution 1: once refined, it reached the highest "
        "objective of 4 starts, 0.4700, ahead of Leiden on symbols at resolution 0.5 (0.4520)."
    )


def test_a_tie_says_so_and_that_the_first_tried_is_kept() -> None:
    tied = [
        ("today's layout", 0.5),
        ("package tree at depth 1", 0.5),
        ("Leiden at resolution 1", 0.5),
    ]
    search = describe_search(_with_search(tied, "today's layout"))
    assert search is not None
    assert (
        "tied for the highest objective of 3 starts, 0.500000, with package tree at depth 1"
        " and 1 more" in search.sentence()
    )


def test_every_kind_of_start_is_explained() -> None:
    assert "Django app" in meaning("today's layout")
    assert "layer" in meaning("today's layout, layers dissolved")
    assert meaning("package tree at depth 3") == "modules grouped by their first 3 package name(s)"
    assert "module coupling graph" in meaning("Leiden at resolution 2")
    assert "module boundaries ignored" in meaning("Leiden on symbols at resolution 0.5")
    assert meaning("something new") == ""


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.starts: list[str] = []
        self.won: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "tr" and found.get("data-start"):
            self.starts.append(str(found["data-start"]))
            if found.get("class") == "won":
                self.won.append(str(found["data-start"]))


def test_the_report_and_the_summary_say_which_start_won() -> None:
    document = _with_search(STARTS, "Leiden at resolution 1")
    rows = _Rows()
    rows.feed(render_html(document))
    assert "search" in rows.ids
    assert sorted(rows.starts) == sorted(n for n, _ in STARTS)
    assert rows.won == ["Leiden at resolution 1"]
    assert "The proposal grew from Leiden at resolution 1" in render_markdown(document)


def test_a_document_without_a_search_section_says_nothing_of_it() -> None:
    document = copy.deepcopy(sample_document())
    document.pop("search", None)
    assert describe_search(document) is None
    rows = _Rows()
    rows.feed(render_html(document))
    assert "search" not in rows.ids and not rows.starts
    assert "grew from" not in render_markdown(document)
