"""The report on code roles and table owners: skipped files set aside by role, moved owners."""

from __future__ import annotations

import copy
import re
from typing import Any

from reports.html import render_html
from reports.markdown import render_markdown
from reports.ownership import table_rows
from tests.browser.documents import sample_document


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _moved() -> dict[str, Any]:
    """The sample shop with ``payments_payment`` written by orders from three functions and by
    payments from one: orders owns it although payments holds its model."""
    document = copy.deepcopy(sample_document())
    payment = document["tables"]["payments_payment"]
    payment.update(
        owner="orders",
        owner_reason="writes",
        model_service="payments",
        writing_units={"orders": 3, "payments": 1},
    )
    return document


def test_a_table_taken_from_its_models_service_says_so_in_the_data_section() -> None:
    rows = {r.name: r for r in table_rows(_moved())}
    assert rows["payments_payment"].moved
    assert not rows["orders_order"].moved
    data = _text(render_html(_moved()).split('id="data"', 1)[1].split("</section>", 1)[0])
    assert (
        "orders moved from payments, which holds its model: written from 3 code units here, 1"
        " there" in data
    )
    assert data.count("moved from") == 1
    summary = render_markdown(_moved())
    assert "| `payments_payment` | orders (moved from payments) |" in summary
    assert "moved from" not in render_markdown(sample_document())


def test_an_owner_kept_by_its_model_shows_no_move() -> None:
    data = render_html(sample_document()).split('id="data"', 1)[1].split("</section>", 1)[0]
    assert "moved from" not in data


def test_code_set_aside_by_role_is_listed_with_its_reason() -> None:
    document = copy.deepcopy(sample_document())
    document["skipped"].append(
        {
            "path": "shop/core/management/commands/cleardb.py",
            "reason": "dev code: a management command that only empties 4 tables whole",
            "role": "dev",
            "module": "shop.core.management.commands.cleardb",
        }
    )
    html = _text(render_html(document))
    assert "dev code: a management command that only empties 4 tables whole" in html
    assert "set aside by what it contains and imports: --include-tests analyzes them" in html
    summary = render_markdown(document)
    assert (
        "- `shop/core/management/commands/cleardb.py`: dev code: a management command that only"
        " empties 4 tables whole" in summary
    )
    # Without such entries, the report does not mention roles.
    assert "--include-tests analyzes them" not in _text(render_html(sample_document()))
