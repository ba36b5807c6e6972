"""`seams check` after an edit, resolving only what changed, reports what a cold check reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.check_support import check, git_copy, init


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(old, new, text, count=1, flags=re.S)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


@pytest.mark.slow
def test_check_after_edits_equals_a_check_without_the_cache(tmp_path: Path) -> None:
    repo = git_copy("shop", tmp_path / "shop")
    assert init(repo).code == 0
    assert check(repo).code == 0  # keeps the couplings for the next check
    edits = [
        # a new cross-service import, used by a new function
        (
            "shop/inventory/services.py",
            r"\A",
            "from shop.payments.services import payment_status\n",
        ),
        (
            "shop/inventory/services.py",
            r"\Z",
            "\n\ndef _status(order_id):\n    return payment_status(order_id)\n",
        ),
        # a function other services use, removed
        ("shop/catalog/services.py", r"\ndef get_sellable_product\(.*?\n(?=def )", "\n"),
        # a new model referring to another one
        (
            "shop/catalog/models.py",
            r"\Z",
            "\n\nclass Supplier(models.Model):\n"
            "    brand = models.ForeignKey(Brand, on_delete=models.CASCADE)\n",
        ),
    ]
    outputs = []
    for path, old, new in edits:
        _edit(repo / path, old, new)
        incremental = check(repo, "--format", "json")
        cold = check(repo, "--format", "json", "--no-cache")
        assert incremental.code == cold.code
        assert incremental.stdout == cold.stdout
        outputs.append(incremental.stdout)
    assert len(set(outputs)) > 1  # the edits change what the check finds
