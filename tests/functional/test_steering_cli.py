"""Steering from seams.toml on a copy of the layered bookstore."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, run_seams

STEERING = """\
[steering]
rename = { nothing_called_this = "x" }
together = [["bookstore.services.cart", "bookstore.services.checkout"]]
apart = [["bookstore.services.shipping", "bookstore.services.checkout"]]

[steering.pin]
reporting = "bookstore.reporting.*"
billing = ["bookstore.services.billing", "bookstore.models.commerce:Invoice*"]
"""


def copy_layered(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "bookstore"
    shutil.copytree(FIXTURES / "layered", root)
    (root / "seams.toml").write_text(config)
    return root


def test_pins_together_apart_are_honoured_and_reported(tmp_path: Path) -> None:
    root = copy_layered(tmp_path, STEERING)
    run = run_seams("analyze", root, "-o", tmp_path / "out", "--no-git")
    assert run.code == 0, run.stderr
    document = json.loads((tmp_path / "out" / "decomposition.json").read_text())
    modules, symbols = document["modules"], document["symbols"]
    assert {modules[m] for m in modules if m.startswith("bookstore.reporting.")} == {"reporting"}
    assert modules["bookstore.services.billing"] == "billing"
    assert symbols["bookstore.models.commerce:Invoice"] == "billing"
    assert modules["bookstore.services.cart"] == modules["bookstore.services.checkout"]
    assert modules["bookstore.services.shipping"] != modules["bookstore.services.checkout"]
    applied = document["parameters"]["steering"]["applied"]
    assert "pinned to reporting: 18 node(s)" in applied
    assert "rename nothing_called_this -> x: no service is called nothing_called_this" in applied


def test_broken_steering_lists_every_error(tmp_path: Path) -> None:
    root = copy_layered(
        tmp_path, '[steering]\npin = { a = 3 }\ntogether = [["only.one"]]\nfoo = 1\n'
    )
    run = run_seams("analyze", root, "-o", tmp_path / "out", "--no-git")
    assert run.code == 2
    assert "3 configuration error(s)" in run.stderr
    for message in (
        "steering.foo: unknown key",
        "steering.pin.a: must be a pattern or a non-empty list of patterns",
        "steering.together[0]: must be a list of at least two patterns",
    ):
        assert message in run.stderr
