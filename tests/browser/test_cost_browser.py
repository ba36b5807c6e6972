"""The report's "Cost of the cut" section in a real browser: no errors, searchable, linked from
the service cards."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.conftest import Visit
from tests.conftest import FIXTURES, run_seams

pytestmark = pytest.mark.browser
Open = Callable[..., Visit]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report-checkout")
    run = run_seams("analyze", FIXTURES / "checkout", "-o", out, "--no-git", "--jobs", "1")
    assert run.code == 0, run.stderr
    return out / "report.html"


def visible_rows(visit: Visit, table: str) -> list[str]:
    return [str(text) for text in visit.page.locator(f"{table} tbody tr:visible").all_inner_texts()]


def test_the_cost_section_loads_without_errors_and_names_the_saga(
    visit: Open, report: Path
) -> None:
    seen = visit(report)
    assert seen.console == [] and seen.errors == []
    assert seen.foreign_requests() == []
    section = seen.page.locator("#cost")
    assert section.is_visible()
    text = section.inner_text()
    assert "checkout/: 5 services, writes inventory, orders and payments in one transaction" in text
    assert "orders/views.py:25" in text  # the transaction
    assert "orders/services.py:40" in text  # the join
    assert "orders/services.py:21" in text  # the chatty call
    assert seen.page.locator('nav a[href="#cost"]').count() == 1


def test_the_section_filters_its_rows_as_one_types(visit: Open, report: Path) -> None:
    seen = visit(report)
    entries = "#cost-entries-table"
    everything = visible_rows(seen, entries)
    assert len(everything) > 5
    seen.page.fill("#cost-filter", "payments")
    shown = visible_rows(seen, entries)
    assert 0 < len(shown) < len(everything)
    assert all("payments" in row.lower() for row in shown)
    assert any("checkout/" in row for row in shown)
    seen.page.fill("#cost-filter", "no such thing anywhere")
    assert visible_rows(seen, entries) == []
    assert seen.page.locator("article.cost-card:visible").count() == 0
    seen.page.fill("#cost-filter", "")
    assert len(visible_rows(seen, entries)) == len(everything)
    assert seen.errors == []


def test_each_service_card_links_to_its_cost(visit: Open, report: Path) -> None:
    seen = visit(report)
    document = json.loads((report.parent / "decomposition.json").read_text())
    orders = document["tables"]["orders_order"]["owner"]
    card = seen.page.locator(f'#services article.card[data-service="{orders}"]')
    link = card.locator("p.cost-link a")
    assert "distributed transaction" in card.locator("p.cost-link").inner_text()
    link.click()
    target = seen.page.locator(f'article.cost-card[data-service="{orders}"]')
    assert seen.page.evaluate("location.hash") == f"#{target.get_attribute('id')}"
    assert target.is_visible()
    assert "Needs synchronously:" in target.inner_text()
    assert target.locator('a[href^="#card-"]').count() == 1
    assert seen.errors == []
