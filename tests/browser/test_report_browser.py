"""The HTML report in a real browser: offline, interactive, and inert to hostile names."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reports.html import render_html
from tests.browser.conftest import FIXTURE_NAMES, Visit, screenshot
from tests.browser.documents import (
    HOSTILE_MODULE,
    HOSTILE_REASON,
    HOSTILE_SERVICE,
    HOSTILE_SYMBOL,
    HOSTILE_TABLE,
    hostile_document,
    legacy_document,
    sample_document,
)

pytestmark = pytest.mark.browser
Open = Callable[..., Visit]


def _write(tmp_path: Path, document: dict[str, Any], name: str = "report.html") -> Path:
    path = tmp_path / name
    path.write_text(render_html(document), encoding="utf-8")
    return path


def _document_of(report: Path) -> dict[str, Any]:
    return dict(json.loads((report.parent / "decomposition.json").read_text()))


def _transform(visit: Visit) -> tuple[float, float, float]:
    text = visit.page.get_attribute("#viewport", "transform") or ""
    x, y, k = (float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text))
    return x, y, k


def _changed_transform(
    visit: Visit, before: tuple[float, float, float]
) -> tuple[float, float, float]:
    """Wheel events are delivered after ``mouse.wheel`` returns: wait (up to 5 s) for the map."""
    for _ in range(100):
        now = _transform(visit)
        if now != before:
            return now
        visit.page.wait_for_timeout(50)
    return _transform(visit)


def _click_service(visit: Visit, index: int) -> None:
    """Click the service's circle just inside its top edge, where no module sits."""
    region = visit.page.locator(f'circle.region[data-service="{index}"]')
    box = region.bounding_box()
    region.click(position={"x": box["width"] / 2, "y": 3})


def _whole(document: dict[str, Any], module: str) -> bool:
    """All of the module's code (its own and its symbols') is in one service."""
    nodes = [n for n in document["graph"]["nodes"] if n["module"] == module]
    return len({n["service"] for n in nodes}) == 1


def _clean(visit: Visit) -> None:
    assert visit.errors == []
    assert visit.console == []
    assert visit.dialogs == []
    assert visit.requests == [visit.url]


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_fixture_report_loads_offline_without_errors(
    visit: Open, fixture_reports: dict[str, Path], fixture: str
) -> None:
    seen = visit(fixture_reports[fixture])
    document = _document_of(fixture_reports[fixture])
    assert seen.page.locator("circle.region").count() == len(document["services"])
    assert seen.page.locator("[data-piece]").count() >= len(document["modules"])
    shot = screenshot(seen, f"report-{fixture}")
    assert shot.stat().st_size > 10_000
    _clean(seen)


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_clicking_a_service_then_a_module_shows_their_details(
    visit: Open, fixture_reports: dict[str, Path], fixture: str
) -> None:
    document = _document_of(fixture_reports[fixture])
    seen = visit(fixture_reports[fixture])
    service = document["services"][0]
    _, _, before = _transform(seen)
    _click_service(seen, 0)
    assert _transform(seen)[2] > before  # drilled down: zoomed into the service
    details = seen.details()
    assert details.splitlines()[0].strip().startswith(service["name"])
    assert f"{len(service['modules'])} module" in details
    assert service["name"] in seen.page.locator("#crumbs").inner_text()
    module = next(m for m in service["modules"] if _whole(document, m))
    seen.page.locator(f'circle.piece[data-module="{module}"]').click()
    assert seen.page.locator("#details h3").first.inner_text() == module
    assert service["name"] in seen.details()
    assert seen.page.locator(f'circle.piece.selected[data-module="{module}"]').count() == 1
    screenshot(seen, f"report-{fixture}-module")
    _clean(seen)


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_search_finds_a_module_and_a_symbol(
    visit: Open, fixture_reports: dict[str, Path], fixture: str
) -> None:
    document = _document_of(fixture_reports[fixture])
    seen = visit(fixture_reports[fixture])
    module = sorted(document["modules"], key=len)[-1]
    box = seen.page.locator("#map-search")
    box.fill(module.rsplit(".", 1)[-1])
    assert module in seen.page.locator("#search-results").inner_text()
    seen.page.locator("#search-results li", has_text=module).first.dispatch_event("mousedown")
    assert seen.page.locator("#details h3").first.inner_text() == module
    drawn = {n["id"] for n in document["graph"]["nodes"]}
    symbol = sorted(s for s in document["symbols"] if s in drawn)[0]
    box.fill(symbol)
    box.press("Enter")
    opened = seen.page.locator("#details details[open] summary").first.inner_text()
    assert opened.startswith(symbol.split(":", 1)[1])
    assert seen.page.locator("#details h3").first.inner_text() == symbol.split(":", 1)[0]
    # a symbol of a small module kept whole leads to its module
    inner = sorted(s for s in document["symbols"] if s not in drawn)[0]
    box.fill(inner)
    box.press("Enter")
    assert seen.page.locator("#details h3").first.inner_text() == inner.split(":", 1)[0]
    _clean(seen)


def test_zoom_pan_and_show_all(visit: Open, fixture_reports: dict[str, Path]) -> None:
    seen = visit(fixture_reports["shop"])
    page = seen.page
    page.locator("#service-map").scroll_into_view_if_needed()
    box = page.locator("#service-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    x0, y0, k0 = _transform(seen)
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, -400)
    x1, y1, k1 = _changed_transform(seen, (x0, y0, k0))
    assert k1 > k0 * 1.5
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 120, cy + 60, steps=5)
    page.mouse.up()
    x2, y2, k2 = _transform(seen)
    assert k2 == k1
    assert x2 > x1 and y2 > y1
    page.locator("[data-action=fit]").click()
    assert _transform(seen) == (x0, y0, k0)
    _clean(seen)


def test_hostile_names_are_shown_literally_and_run_nothing(visit: Open, tmp_path: Path) -> None:
    report = _write(tmp_path, hostile_document())
    html = report.read_text()
    for raw in ("<img src=x onerror", "<script>alert", 'onmouseover="alert'):
        assert raw not in html
    seen = visit(report)
    page = seen.page
    body = page.locator("body").inner_text()
    for name in (HOSTILE_SERVICE, HOSTILE_MODULE, HOSTILE_TABLE, HOSTILE_REASON):
        assert name in body
    assert page.locator("img").count() == 0
    assert page.evaluate("document.scripts.length") == 2  # the data block and the report's own
    # Walk the pointer over every piece: nothing may fire. (On the overview a service's name
    # lies over the dots at its centre, and takes the pointer there.)
    for piece in page.locator("[data-piece]").all():
        piece.hover(force=True)
    page.locator("#map-search").fill("onerror")
    page.locator("#map-search").press("Enter")
    assert page.locator("#details h3").first.inner_text() == HOSTILE_MODULE
    page.locator("#map-search").fill("onmouseover")
    page.locator("#map-search").press("Enter")
    assert HOSTILE_SYMBOL in seen.details()
    assert HOSTILE_REASON in seen.details()  # the why-here text, as text
    screenshot(seen, "report-hostile")
    _clean(seen)


def test_tables_conflicts_and_why_here(visit: Open, tmp_path: Path) -> None:
    seen = visit(_write(tmp_path, sample_document()))
    page = seen.page
    conflict = page.locator("#table-matrix tr.conflict")
    assert conflict.count() == 1
    assert conflict.get_attribute("data-table") == "payments_payment"
    page.locator("#conflicts-only").check()
    assert page.locator("#table-matrix tbody tr:visible").count() == 1
    page.locator("#map-search").fill("shop.models:Payment")
    page.locator("#map-search").press("Enter")
    details = seen.details()
    assert "Why here" in details
    assert "runner-up, orders" in details
    assert "called by shop.payments.api:charge" in details
    page.locator("[data-table=payments_payment]").first.click()
    details = seen.details()
    assert "Owner: payments" in details
    assert "Written by: orders, payments" in details
    assert "shop/payments/api.py:12" in details
    plan = page.locator("ol.plan > li")
    assert plan.first.get_attribute("data-service") == "catalog"  # no write conflict
    _clean(seen)


def test_dependency_matrix_by_kind_and_sorting(visit: Open, tmp_path: Path) -> None:
    seen = visit(_write(tmp_path, sample_document()))
    page = seen.page
    cell = page.locator("#dependency-matrix td.cell").first
    assert cell.inner_text() == "6"
    page.locator(".kind-picker button[data-kind=call]").click()
    assert cell.inner_text() == "2"
    header = page.locator("#dependency-list th", has_text="weight")
    header.click()
    weights = page.locator("#dependency-list tbody tr td:nth-child(3)").all_inner_texts()
    assert weights == sorted(weights, key=float)
    header.click()
    weights = page.locator("#dependency-list tbody tr td:nth-child(3)").all_inner_texts()
    assert weights == sorted(weights, key=float, reverse=True)
    _clean(seen)


def test_readable_without_javascript(visit: Open, tmp_path: Path) -> None:
    seen = visit(_write(tmp_path, sample_document()), javascript=False)
    page = seen.page
    assert page.locator("circle.region").first.is_visible()
    assert page.locator(".service-label", has_text="orders").is_visible()
    assert not page.locator(".map-toolbar").is_visible()
    assert page.locator("#card-0").is_visible()
    assert "Order, OrderLine \u2192 orders" in page.locator("#cuts").inner_text()
    assert seen.errors == [] and seen.requests == [seen.url]


def test_a_document_from_before_graphs_and_tables_still_works(visit: Open, tmp_path: Path) -> None:
    seen = visit(_write(tmp_path, legacy_document()))
    page = seen.page
    assert page.locator("circle.region").count() == 4
    _click_service(seen, 1)
    assert "payments" in seen.details()
    page.locator("#map-search").fill("shop.payments.api")
    page.locator("#map-search").press("Enter")
    assert page.locator("#details h3").first.inner_text() == "shop.payments.api"
    assert "No database tables were found" in page.locator("#data").inner_text()
    _clean(seen)


def test_a_symbols_links_lead_to_the_symbols_it_uses(visit: Open, tmp_path: Path) -> None:
    seen = visit(_write(tmp_path, sample_document()))
    page = seen.page
    page.locator("#map-search").fill("place_order")
    page.locator("#map-search").press("Enter")
    opened = page.locator("#details details[open]")
    assert opened.locator("summary").inner_text().startswith("place_order")
    assert "uses shop.payments.api:charge" in opened.inner_text()
    opened.get_by_text("shop.payments.api:charge").click()
    assert page.locator("#details h3").first.inner_text() == "shop.payments.api"
    now_open = page.locator("#details details[open]")
    assert now_open.locator("summary").inner_text().startswith("charge")
    assert "used by shop.orders.services:place_order" in now_open.inner_text()
    assert "shop.payments.api" in page.locator("#crumbs").inner_text()
    _clean(seen)
