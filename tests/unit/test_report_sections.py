"""The sections a reader acts on list what they say: seams between two services only, and close
calls only where the runner-up comes within the stated margin."""

from __future__ import annotations

from typing import Any

from reports.close_calls import close_calls
from reports.crossings import library_uses, service_cuts, service_dependencies
from reports.html import render_html
from tests.browser.documents import sample_document


def _cut(source: str, target: str, frm: str, to: str, weight: float) -> dict[str, Any]:
    return {
        "from": frm,
        "to": to,
        "source": source,
        "target": target,
        "weight": weight,
        "kinds": {"import": 1},
        "examples": [{"file": "shop/x.py", "line": 1, "target": target, "kind": "import"}],
    }


def _placement(service: str, runner_up: str, own: float, runner: float) -> dict[str, Any]:
    return {
        "service": service,
        "runner_up": runner_up,
        "own_weight": own,
        "runner_up_weight": runner,
        "reasons": [{"kind": "call", "text": f"called from {service}", "service": service}],
    }


def test_seams_to_cut_leave_out_uses_of_the_shared_library() -> None:
    document = sample_document()
    document["cuts"].insert(
        0, _cut("shop.orders.services:total", "shop.common.money:Money", "orders", "common", 9.0)
    )
    document["cuts"].insert(
        1, _cut("shop.common.money:convert", "shop.models:Order", "common", "orders", 8.0)
    )
    assert [(c["from"], c["to"]) for c in service_cuts(document)] == [
        ("orders", "payments"),
        ("payments", "orders"),
    ]
    html = render_html(document)
    table = html.split('id="cuts-table"', 1)[1].split("</table>", 1)[0]
    assert "shop.orders.services:place_order" in table
    assert "shop.common.money" not in table
    assert "Uses of the shared library" in html.split('id="cuts"', 1)[1].split("</p>", 1)[0]


def test_dependencies_are_split_into_between_services_and_library_uses() -> None:
    document = sample_document()
    between = {(d["from"], d["to"]) for d in service_dependencies(document)}
    library = {(d["from"], d["to"]) for d in library_uses(document)}
    assert between and library
    assert not between & library
    assert all("common" not in pair for pair in between)
    assert all("common" in pair for pair in library)


def test_close_calls_keep_only_runner_ups_within_the_margin() -> None:
    document = sample_document()
    document["explanations"] = {
        "shop.a:tie": _placement("orders", "payments", 4.0, 4.0),
        "shop.a:near": _placement("orders", "payments", 10.0, 8.5),
        "shop.a:edge": _placement("payments", "orders", 10.0, 8.0),
        "shop.a:far": _placement("orders", "catalog", 10.0, 7.9),
        "shop.a:against": _placement("payments", "orders", 1.0, 5.4),
        "shop.a:library": _placement("orders", "common", 5.0, 5.0),
    }
    close = close_calls(document, margin=0.2)
    assert [(r.unit, round(r.closeness, 2)) for r in close.rows] == [
        ("shop.a:tie", 1.0),
        ("shop.a:near", 0.85),
        ("shop.a:edge", 0.8),
    ]
    assert close.total == 3
    assert close.against_pull == 1

    html = render_html(document)
    section = html.split('id="borderline"', 1)[1].split("</table>", 1)[0]
    assert "at least 80% of the placement" in " ".join(section.split())
    assert "1 other unit sits against a stronger pull" in " ".join(section.split())
    assert "shop.a:far" not in section and "shop.a:against" not in section


def test_close_calls_show_the_closest_first_and_say_how_many_there_are() -> None:
    document = sample_document()
    document["explanations"] = {
        f"shop.a:f{i}": _placement("orders", "payments", 10.0, 10.0 - i * 0.1) for i in range(6)
    }
    close = close_calls(document, shown=4)
    assert close.total == 6
    assert [r.unit for r in close.rows] == ["shop.a:f0", "shop.a:f1", "shop.a:f2", "shop.a:f3"]


def test_without_close_placements_the_section_is_left_out() -> None:
    document = sample_document()
    document["explanations"] = {"shop.a:far": _placement("orders", "payments", 10.0, 2.0)}
    assert close_calls(document).total == 0
    assert 'id="borderline"' not in render_html(document)
