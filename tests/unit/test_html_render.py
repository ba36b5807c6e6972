"""report.html as text: sections, escaping, the embedded data, determinism."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from reports.html import render_html
from reports.service_map import build_service_map, explanations
from tests.browser.documents import (
    HOSTILE_MODULE,
    HOSTILE_SERVICE,
    HOSTILE_STRINGS,
    hostile_document,
    legacy_document,
    sample_document,
)

SECTIONS = ("overview", "map", "plan", "services", "dependencies", "data", "cuts", "definitions")


class _Page(HTMLParser):
    """Ids, link targets, script blocks and visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "script":
            self._script = found

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _data(page: _Page) -> dict:  # type: ignore[type-arg]
    (block,) = [text for attrs, text in page.scripts if attrs.get("type") == "application/json"]
    return dict(json.loads(block))


def test_every_section_is_there_and_every_link_lands() -> None:
    html = render_html(sample_document())
    page = _page(html)
    assert set(SECTIONS) <= page.ids
    assert "skipped" in page.ids and "borderline" in page.ids
    local = [link[1:] for link in page.links if link.startswith("#")]
    assert local and set(local) <= page.ids
    assert all(link.startswith("#") for link in page.links)
    assert 'http-equiv="Content-Security-Policy"' in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)


def test_rendering_is_deterministic() -> None:
    assert render_html(sample_document()) == render_html(sample_document())


def test_embedded_data_is_index_based_and_complete() -> None:
    document = sample_document()
    data = _data(_page(render_html(document)))
    nodes = document["graph"]["nodes"]
    assert len(data["nodes"]["k"]) == len(nodes)
    assert len(data["edges"]) == 4 * len(document["graph"]["edges"])
    first = document["graph"]["edges"][0]
    ids = [n["id"] for n in nodes]
    flat, source, decoded = data["edges"], 0, []
    for at in range(0, len(flat), 4):  # sources are stored as steps from the previous one
        source += flat[at]
        decoded.append((ids[source], ids[flat[at + 1]], flat[at + 2], flat[at + 3]))
    assert decoded[0] == (first["source"], first["target"], first["weight"], 0b11)  # import, call
    assert [(a, b) for a, b, _, _ in decoded] == [
        (e["source"], e["target"]) for e in document["graph"]["edges"]
    ]
    assert data["services"][0]["name"] == "orders"
    assert set(data["tables"]) == set(document["tables"])
    assert data["why"]["total"] == 2 and len(data["why"]["rows"]) == 2


def test_names_are_escaped_everywhere() -> None:
    html = render_html(hostile_document())
    page = _page(html)
    text = "".join(page.text)
    for name in HOSTILE_STRINGS:
        assert name in text or name in json.dumps(_data(page), ensure_ascii=False)
    assert HOSTILE_SERVICE in text and HOSTILE_MODULE in text
    assert "<img" not in html
    # Only the report's two script blocks, and the data block cannot end early.
    assert html.count("<script") == 2
    data_block = html.split('id="seams-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block and ">" not in data_block
    assert _data(page)["services"][1]["name"] == HOSTILE_SERVICE


def test_a_document_without_the_newer_keys_still_renders() -> None:
    html = render_html(legacy_document())
    page = _page(html)
    assert set(SECTIONS) <= page.ids
    text = " ".join("".join(page.text).split())
    assert "No database tables were found" in text
    assert "list of cuts" in text
    data = _data(page)
    assert data["nodes"]["k"] == "mmmmm"  # one stand-in node per module
    assert data["why"] == {"total": 0, "texts": [], "rows": {}}


def _text(document: dict) -> str:  # type: ignore[type-arg]
    return " ".join(" ".join(_page(render_html(document)).text).split())


def test_parameters_steering_and_git_are_shown_in_words() -> None:
    text = _text(sample_document())
    assert "steering shop.models:Book pinned to catalog" in text
    assert "git history 120 commits up to abc1234" in text
    assert "coupling weights import 1, call 1, inheritance 1, data 3" in text


def test_an_unused_git_history_says_why_not_how_it_is_stored() -> None:
    document = sample_document()
    document["parameters"]["git"] = {
        "used": False,
        "commits": 0,
        "head": "",
        "shallow": False,
        "note": "not used (--no-git)",
    }
    text = _text(document)
    assert "git history not used (--no-git)" in text
    assert "used=" not in text and "shallow=" not in text and "head=" not in text


def test_every_id_in_the_report_is_unique() -> None:
    ids: list[str] = []

    class _Ids(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            ids.extend(str(v) for k, v in attrs if k == "id" and v)

    _Ids().feed(render_html(sample_document()))
    assert len(ids) > 20
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
    assert {"def-cross_service_edges", "def-cross_service_weight"} <= set(ids)


def test_why_here_keeps_the_closest_calls_within_its_budget() -> None:
    document = sample_document()
    ids = [n["id"] for n in document["graph"]["nodes"]]
    services = {s["name"]: i for i, s in enumerate(document["services"])}
    kept = explanations(document, ids, services, budget=200)
    assert kept["total"] == 2
    assert [ids[int(i)] for i in kept["rows"]] == ["shop.models:Payment"]  # margin 0.1 < 1.0
    row = kept["rows"][str(ids.index("shop.models:Payment"))]
    assert row[:3] == [services["orders"], 5, 4.5]
    assert kept["texts"][row[3][0][1]] == "called by shop.payments.api:charge"
    assert len(explanations(document, ids, services, budget=10_000)["rows"]) == 2


def test_too_many_edges_leave_out_those_inside_a_piece_first() -> None:
    document = sample_document()
    full = build_service_map(document).data
    size = len(json.dumps(full["edges"], separators=(",", ":")))
    small = build_service_map(document, budget=2 * (size - 4)).data
    assert full["edges_left_out"] == 0
    assert small["edges_left_out"] == 1  # OrderLine -> Order, both in shop.models of orders
    assert len(small["edges"]) == len(full["edges"]) - 4
    tiny = build_service_map(document, budget=2 * size // 3).data
    assert 0 < len(tiny["edges"]) < len(small["edges"])
    weights = tiny["edges"][2::4]
    assert min(weights) >= max(set(full["edges"][2::4]) - set(weights))  # the heaviest stay
    text = " ".join("".join(_page(render_html(document)).text).split())
    assert "left out of the map" not in text


def test_service_map_draws_one_piece_per_module_and_service() -> None:
    service_map = build_service_map(sample_document())
    labels = sorted((p.label, service_map.services[p.service].name) for p in service_map.pieces)
    assert ("shop.models", "orders") in labels and ("shop.models", "payments") in labels
    assert ("payments_payment", "payments") in labels
    assert len(labels) == 10  # shop.models split 3 ways, 4 whole modules, 3 tables
    arcs = {(a.source, a.target): a for a in service_map.arcs}
    assert set(arcs) == {(0, 1), (0, 2), (2, 3)}  # one line per pair of services
    assert (arcs[(0, 1)].forward, arcs[(0, 1)].backward) == (6.0, 4.0)  # orders <-> payments
    assert arcs[(2, 3)].style == "library"  # catalog -> common, the shared library


def test_close_calls_are_between_two_services_only() -> None:
    document = sample_document()
    document["explanations"]["shop.common.money"] = {
        "service": "common",
        "runner_up": "catalog",
        "own_weight": 1.0,
        "runner_up_weight": 9.0,
        "reasons": [
            {
                "kind": "import",
                "text": "used from 3 of 3 communities",
                "service": "common",
                "weight": 1.0,
            }
        ],
    }
    html = render_html(document)
    close = html.split('id="borderline"', 1)[1].split("</table>", 1)[0]
    assert "shop.models:Payment" in close
    assert "shop.common.money" not in close
