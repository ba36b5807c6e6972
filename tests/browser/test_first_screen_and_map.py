"""What a first-time user meets: a verdict and the first steps on the first screen, the commands
to keep the cuts at the end, and a map that zooms where clicked, keeps names readable, names the
services out of view and tells neighbouring services apart. On the shop and on thirty services."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reports.colour_difference import difference
from reports.html import render_html
from reports.layout import Circle, neighbour_pairs
from reports.map_arcs import strong_count
from reports.verdict import judge
from tests.browser.conftest import Visit, screenshot
from tests.browser.documents import many_services_document

pytestmark = pytest.mark.browser
Open = Callable[..., Visit]
REPORTS = ["shop", "thirty"]


@pytest.fixture(scope="module")
def thirty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("thirty")
    document = many_services_document(30)
    (out / "decomposition.json").write_text(json.dumps(document), encoding="utf-8")
    (out / "report.html").write_text(render_html(document), encoding="utf-8")
    return out / "report.html"


@pytest.fixture
def report(request: pytest.FixtureRequest, fixture_reports: dict[str, Path], thirty: Path) -> Path:
    return thirty if request.param == "thirty" else fixture_reports[request.param]


def _document(report: Path) -> dict[str, Any]:
    return dict(json.loads((report.parent / "decomposition.json").read_text()))


def _clean(visit: Visit) -> None:
    assert visit.errors == []
    assert visit.console == []
    assert visit.requests == [visit.url]
    csp = visit.page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert csp is not None and "default-src 'none'" in csp


def _zoom(visit: Visit) -> float:
    text = visit.page.get_attribute("#viewport", "transform") or ""
    return float(re.findall(r"-?\d+(?:\.\d+)?", text)[-1])


def _settle(visit: Visit) -> None:
    """Labels and markers are redrawn on the next animation frame."""
    visit.page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )


def _largest(document: dict[str, Any]) -> int:
    services = document["services"]
    return max(
        (i for i, s in enumerate(services) if s["kind"] == "service"),
        key=lambda i: (services[i]["loc"], -i),
    )


def _crumbs(visit: Visit) -> str:
    return str(visit.page.locator("#crumbs").inner_text())


@pytest.mark.parametrize("report", REPORTS, indirect=True)
def test_the_first_screen_says_whether_the_proposal_is_better_and_what_to_do_first(
    visit: Open, report: Path
) -> None:
    document = _document(report)
    seen = visit(report)
    page = seen.page
    height = page.viewport_size["height"]
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-outcome") == judge(document).outcome
    assert verdict.locator(".verdict-title").inner_text() == judge(document).title + "."
    steps = page.locator("#first-steps li")
    assert steps.count() == 3
    for box in (verdict.bounding_box(), steps.nth(2).bounding_box()):
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
    shot = page.screenshot(path=str(report.parent / "first-screen.png"))
    assert len(shot) > 10_000
    _clean(seen)


@pytest.mark.parametrize("report", REPORTS, indirect=True)
def test_the_report_ends_with_the_commands_that_keep_the_cuts(visit: Open, report: Path) -> None:
    seen = visit(report)
    page = seen.page
    assert page.evaluate("document.querySelector('main > section:last-of-type').id") == "keep"
    keep = page.locator("#keep").inner_text()
    assert "seams init ." in keep and "seams check ." in keep
    assert "run: seams check . --format github" in keep  # the CI recipe, shown
    page.locator("#first-steps a[href='#keep']").click()
    page.wait_for_function(
        "() => { const r = document.getElementById('keep').getBoundingClientRect();"
        " return r.top >= 0 && r.top < innerHeight; }"
    )
    _clean(seen)


@pytest.mark.parametrize("report", REPORTS, indirect=True)
def test_clicking_a_services_name_or_its_edge_zooms_into_the_service(
    visit: Open, report: Path
) -> None:
    document = _document(report)
    service = _largest(document)
    name = document["services"][service]["name"]
    seen = visit(report)
    page = seen.page
    page.locator("#map").scroll_into_view_if_needed()
    label = page.locator(f'text.service-label[data-service="{service}"]')
    overview = _zoom(seen)
    label.click()
    assert _zoom(seen) > overview
    assert _crumbs(seen).endswith(f"\u203a {name}")
    assert page.locator("#details .card h3").inner_text().startswith(name)

    page.locator("button[data-action='fit']").click()
    assert _zoom(seen) == overview
    # the dot nearest its circle's edge: on the overview it opens the service, not the module
    edge = page.evaluate(
        """(s) => {
          const c = document.querySelector(`circle.region[data-service="${s}"]`);
          const [cx, cy, r] = ["cx", "cy", "r"].map(a => +c.getAttribute(a));
          let best = null, gap = Infinity;
          for (const p of document.querySelectorAll("circle.piece")) {
            const d = r - Math.hypot(+p.getAttribute("cx") - cx, +p.getAttribute("cy") - cy)
              - +p.getAttribute("r");
            if (d < gap && p.getAttribute("fill") === c.getAttribute("fill")) {
              gap = d;
              best = p.dataset.piece;
            }
          }
          return best;
        }""",
        service,
    )
    page.locator(f'circle.piece[data-piece="{edge}"]').click(force=True)
    assert _zoom(seen) > overview
    assert _crumbs(seen).endswith(f"\u203a {name}")  # the service, no module after it
    # once the service is open, a click on one of its modules opens the module
    page.locator(f'circle.piece[data-piece="{edge}"]').click(force=True)
    assert _crumbs(seen).count("\u203a") == 2
    _clean(seen)


@pytest.mark.parametrize("report", REPORTS, indirect=True)
def test_services_that_depend_on_each_other_or_sit_side_by_side_look_different(
    visit: Open, report: Path
) -> None:
    document = _document(report)
    seen = visit(report)
    regions = seen.page.evaluate(
        """() => [...document.querySelectorAll("circle.region")].map(c => ({
             s: +c.dataset.service, x: +c.getAttribute("cx"), y: +c.getAttribute("cy"),
             r: +c.getAttribute("r"), fill: c.getAttribute("fill")}))"""
    )
    regions.sort(key=lambda c: c["s"])
    index = {s["name"]: i for i, s in enumerate(document["services"])}
    dependent = {(index[d["from"]], index[d["to"]]) for d in document["dependencies"]}
    beside = neighbour_pairs([Circle(c["x"], c["y"], c["r"]) for c in regions])
    assert beside and dependent
    worst = min(
        (difference(regions[a]["fill"], regions[b]["fill"]), a, b) for a, b in dependent | beside
    )
    assert worst[0] >= 15.0, worst
    chips = seen.page.evaluate(
        "() => [...document.querySelectorAll('.legend .swatch')].map(s => s.style.background)"
    )
    assert len(chips) == len(regions)
    _clean(seen)


@pytest.mark.parametrize("report", REPORTS, indirect=True)
def test_a_zoomed_in_services_name_stays_in_view_and_on_top(visit: Open, report: Path) -> None:
    document = _document(report)
    service = _largest(document)
    seen = visit(report)
    page = seen.page
    page.locator(f'.legend-item[data-service="{service}"]').click()
    for step in range(3):  # opened, then zoomed in twice more
        _settle(seen)
        assert _readable_label(seen, service), f"after {step} zoom steps"
        page.locator("button[data-action='zoom-in']").click()
    screenshot(seen, f"zoomed-{report.parent.name}")
    _clean(seen)


def _readable_label(visit: Visit, service: int) -> bool:
    return bool(
        visit.page.evaluate(
            """(s) => {
              const label = document.querySelector(`text.service-label[data-service="${s}"]`);
              const map = document.getElementById("service-map").getBoundingClientRect();
              const box = label.getBoundingClientRect();
              const inside = box.left >= map.left && box.right <= map.right
                && box.top >= map.top && box.bottom <= map.bottom && box.width > 20;
              const x = box.left + box.width / 2, y = box.top + box.height / 2;
              const top = document.elementFromPoint(x, y);
              return inside && getComputedStyle(label).opacity === "1" && top === label;
            }""",
            service,
        )
    )


@pytest.mark.parametrize("report", REPORTS, indirect=True)
def test_dependencies_out_of_view_are_named_at_the_maps_edge(visit: Open, report: Path) -> None:
    document = _document(report)
    service = _largest(document)
    seen = visit(report)
    page = seen.page
    page.locator(f'.legend-item[data-service="{service}"]').click()
    page.locator("button[data-action='zoom-in']").click()
    _settle(seen)
    out_of_view = page.evaluate(
        """(s) => {
          const map = document.getElementById("service-map").getBoundingClientRect();
          const away = [];
          for (const arc of document.querySelectorAll(".arc")) {
            const a = +arc.dataset.from, b = +arc.dataset.to;
            if (a !== s && b !== s) continue;
            const other = a === s ? b : a;
            const c = document.querySelector(`circle.region[data-service="${other}"]`);
            const m = c.getScreenCTM();
            const x = m.a * +c.getAttribute("cx") + m.e, y = m.d * +c.getAttribute("cy") + m.f;
            if (x < map.left || x > map.right || y < map.top || y > map.bottom) away.push(other);
          }
          return away;
        }""",
        service,
    )
    assert out_of_view, "zoomed in, some of its dependencies are out of view"
    markers = page.locator(".offscreen-marker")
    shown = {int(m.get_attribute("data-service")) for m in markers.all()}
    assert set(out_of_view[:14]) <= shown or len(shown) == 14
    box = page.locator("#service-map").bounding_box()
    names = {document["services"][s]["name"] for s in shown}
    for marker in markers.all():
        where = marker.bounding_box()
        assert where is not None
        assert box["x"] <= where["x"] and where["x"] + where["width"] <= box["x"] + box["width"]
        assert box["y"] <= where["y"] and where["y"] + where["height"] <= box["y"] + box["height"]
        assert (marker.locator("text").text_content() or "").split(" ", 1)[1] in names
    target = int(markers.first.get_attribute("data-service"))
    markers.first.click()
    assert _crumbs(seen).endswith(f"\u203a {document['services'][target]['name']}")
    _clean(seen)


@pytest.mark.parametrize("report", REPORTS, indirect=True)
def test_the_overview_has_one_line_per_pair_and_the_strongest_stand_out(
    visit: Open, report: Path
) -> None:
    document = _document(report)
    seen = visit(report)
    arcs = seen.page.evaluate(
        """() => [...document.querySelectorAll(".arc")].map(a => ({
             pair: [+a.dataset.from, +a.dataset.to], style: a.getAttribute("class"),
             weight: +a.dataset.weight, opacity: +getComputedStyle(a).strokeOpacity,
             arrows: !!(a.getAttribute("marker-end") || a.getAttribute("marker-start"))}))"""
    )
    index = {s["name"]: i for i, s in enumerate(document["services"])}
    pairs = {
        tuple(sorted((index[d["from"]], index[d["to"]])))
        for d in document["dependencies"]
        if d["from"] != d["to"]
    }
    assert sorted(tuple(a["pair"]) for a in arcs) == sorted(pairs)
    services = sum(1 for s in document["services"] if s["kind"] == "service")
    strong = [a for a in arcs if "strong" in a["style"]]
    faint = [a for a in arcs if "faint" in a["style"]]
    assert len(strong) == min(strong_count(services), len(strong) + len(faint))
    assert all(a["arrows"] for a in strong) and not any(a["arrows"] for a in faint)
    assert min(a["opacity"] for a in strong) > 3 * max(a["opacity"] for a in faint)
    assert min(a["weight"] for a in strong) >= max(a["weight"] for a in faint)
    _clean(seen)
