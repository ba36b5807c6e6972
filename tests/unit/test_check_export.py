"""The contracts `seams export` writes, read back: which imports they allow, and why."""

from __future__ import annotations

import configparser
import tomllib
from typing import Any

from analyzer.check.export import layout, to_import_linter, to_tach
from analyzer.model.boundaries import Boundaries, Boundary
from analyzer.model.facts import FileFacts
from tests.helpers import facts_of

# orders imports Table through the package app.tables, which re-exports it from shared code:
# no dependency between services for Seams, an import of billing's package for tach and grimp.
FILES = [
    facts_of("", "app", is_package=True),
    facts_of("from app.tables import Table\n", "app.orders", is_package=True),
    facts_of(
        "from app.tables import Table\n\ndef place():\n    return Table()\n", "app.orders.api"
    ),
    facts_of("from app.tables.base import Table\n", "app.tables", is_package=True),
    facts_of("class Table:\n    pass\n", "app.tables.base"),
    facts_of("", "app.billing", is_package=True),
    facts_of("def charge():\n    pass\n\ndef refund():\n    pass\n", "app.billing.api"),
    facts_of("def ship():\n    pass\n\ndef bill():\n    pass\n", "app.mixed"),
    facts_of("from app.billing.api import charge\n", "app.shipping"),
]
BOUNDARIES = Boundaries(
    services=(
        Boundary("orders", ("app.orders", "app.mixed")),
        Boundary("billing", ("app.billing", "app.tables", "app.mixed:bill")),
        Boundary("shipping", ("app.shipping",), depends_on=("billing",)),
    ),
    shared=("app", "app.tables.base"),
)


def tach(files: list[FileFacts], blocked: set[tuple[str, int]] | None = None) -> dict[str, Any]:
    config = tomllib.loads(to_tach(files, BOUNDARIES, blocked or set()))
    return {m.get("path") or m["paths"][0]: m for m in config["modules"]}


def test_split_modules_are_units_of_their_own_held_by_their_services() -> None:
    plan = layout(FILES, BOUNDARIES)
    assert plan.split == {"app.mixed": ("billing", "orders")}
    assert plan.owner["app.mixed"] == "app.mixed"
    assert plan.owner["app.tables"] == "billing" and plan.owner["app.tables.base"] == "shared"
    assert plan.allowed("shipping") == {"shipping", "billing", "app.mixed"}
    assert plan.allowed("app.mixed") == {"app.mixed", "billing", "orders"}
    assert plan.allowed("orders") == {"orders", "app.mixed"}


def test_tach_allows_todays_imports_the_shared_library_and_nothing_new() -> None:
    modules = tach(FILES)
    assert modules["app.orders"]["depends_on"] == ["app.mixed", "app.tables"]
    assert modules["app"]["utility"] is True
    assert set(modules["app"]["paths"]) == {"app", "app.tables.base"}
    assert "app.billing" not in modules["app.orders"]["depends_on"]
    assert modules["app.mixed"]["depends_on"] == ["app.billing", "app.orders", "app.tables"]


def test_an_import_at_a_site_the_check_finds_new_is_not_allowed() -> None:
    site = ("app/orders/api.py", 1)
    assert "app.tables" in tach(FILES, {site})["app.orders"]["depends_on"]  # still in __init__
    blocked = {site, ("app/orders/__init__.py", 1)}
    assert tach(FILES, blocked)["app.orders"]["depends_on"] == ["app.mixed"]


def test_import_linter_ignores_todays_crossing_imports_only() -> None:
    ini = configparser.ConfigParser()
    ini.read_string(to_import_linter(FILES, BOUNDARIES, set()))
    orders = ini["importlinter:contract:seams-orders"]
    assert orders["source_modules"].split() == ["app.orders", "app.orders.api"]
    forbidden = ["app.billing", "app.billing.api", "app.shipping", "app.tables"]
    assert orders["forbidden_modules"].split() == forbidden
    assert orders["ignore_imports"].split("\n")[1:] == [
        "app.orders -> app.tables",
        "app.orders.api -> app.tables",
    ]
    split = ini["importlinter:contract:seams-split-billing-orders"]
    assert split["source_modules"].split() == ["app.mixed"]
    assert split["forbidden_modules"].split() == ["app.shipping"]
    shipping = ini["importlinter:contract:seams-shipping"]  # declares billing in depends_on
    assert shipping["forbidden_modules"].split() == ["app.orders", "app.orders.api"]
    assert "ignore_imports" not in shipping


def test_import_linter_leaves_out_modules_grimp_cannot_see() -> None:
    files = [*FILES, facts_of("import app.billing.api\n", "app.orders.serializers.json")]
    ini = configparser.ConfigParser()
    ini.read_string(to_import_linter(files, BOUNDARIES, set()))
    assert (
        "app.orders.serializers.json"
        not in ini["importlinter:contract:seams-orders"]["source_modules"].split()
    )
