"""`seams init` declares a proposal as boundaries; the TOML it writes reads back as the same."""

from __future__ import annotations

import tomllib
from typing import Any

from analyzer.check.init import declare, render_boundaries
from analyzer.config import parse_config
from analyzer.model.boundaries import SHARED

DOCUMENT: dict[str, Any] = {
    "services": [
        {"name": "orders", "kind": "service", "tables_owned": ["orders_order", "orders_line"]},
        {"name": "payments", "kind": "service", "tables_owned": []},
        {"name": "core", "kind": "shared-library", "tables_owned": []},
    ],
    "modules": {
        "shop.orders": "orders",
        "shop.orders.api": "orders",
        "shop.orders.models": "orders",
        "shop.payments": "payments",
        "shop.payments.api": "payments",
        "shop.core": "core",
        "shop.core.money": "core",
    },
    "symbols": {
        "shop.orders.models:Order": "orders",
        "shop.orders.models:Refund": "payments",
        "shop.core.money:Money": "core",
    },
    "dependencies": [{"from": "orders", "to": "payments"}, {"from": "payments", "to": "core"}],
}


def test_a_proposal_becomes_one_boundary_per_service_and_the_shared_library() -> None:
    declared = declare(DOCUMENT).boundaries
    assert [(s.name, s.modules, s.tables) for s in declared.services] == [
        ("orders", ("shop.orders",), ("orders_line", "orders_order")),
        ("payments", ("shop.payments", "shop.orders.models:Refund"), ()),
    ]
    assert declared.shared == ("shop.core",)
    assert all(s.depends_on is None for s in declared.services)
    assert SHARED not in declared.names


def test_the_written_toml_reads_back_as_the_declared_boundaries() -> None:
    declaration = declare(DOCUMENT)
    for pyproject in (False, True):
        text = render_boundaries(declaration, {"exclude": ["legacy/"]}, pyproject=pyproject)
        table = tomllib.loads(text)
        config = parse_config(table["tool"]["seams"] if pyproject else table, "seams.toml")
        assert config.boundaries == declaration.boundaries
        assert config.exclude == ("legacy/",)
    assert '# depends_on = ["payments"]' in render_boundaries(declaration, {})
