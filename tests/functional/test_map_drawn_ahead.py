"""The map's layout is computed from a draft of the document while forked work finishes; the
report drawn with it is the report drawn without it."""

from __future__ import annotations

from typing import Any

import pytest

from analyzer.model.options import AnalyzeOptions
from analyzer.pipeline import analyze
from reports import layout as layout_module
from reports.html import render_html
from reports.service_map import draw_map
from tests.conftest import FIXTURES


def test_the_layout_drawn_from_the_draft_is_the_final_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafts: list[dict[str, Any]] = []
    result = analyze(FIXTURES / "shop", AnalyzeOptions(jobs=2), on_draft=drafts.append)
    [draft] = drafts
    document = result.document
    # the draft lacks what the layout does not read
    assert "stability" not in draft["services"][0] and "stability" in document["services"][0]
    assert not draft["costs"] and document["costs"]
    drawn = draw_map(draft)
    laid: list[int] = []
    real = layout_module.layout_map

    def counted(*args: Any) -> Any:
        laid.append(1)
        return real(*args)

    monkeypatch.setattr("reports.service_map.layout_map", counted)
    ahead = render_html(document, drawn)
    assert laid == []  # the layout drawn ahead was used
    assert ahead == render_html(document)
    assert laid == [1]


def test_a_layout_drawn_for_other_services_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    shop = analyze(FIXTURES / "shop", AnalyzeOptions(jobs=1)).document
    other = analyze(FIXTURES / "layered", AnalyzeOptions(jobs=1)).document
    assert render_html(shop, draw_map(other)) == render_html(shop)
