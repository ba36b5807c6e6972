from __future__ import annotations

import pytest

from analyzer.design.symbols.imports import resolve_import
from analyzer.extract.collectors.imports import resolve_relative
from analyzer.model.facts import ImportFact
from tests.helpers import facts_of


def imports(code: str, module: str = "pkg.sub.mod", is_package: bool = False) -> list[tuple]:
    return [
        (i.module, i.name, i.binding, i.line) for i in facts_of(code, module, is_package).imports
    ]


def test_plain_and_dotted_imports_bind_their_first_component() -> None:
    assert imports("import os\nimport a.b.c\nimport a.b.c as abc\n") == [
        ("os", None, "os", 1),
        ("a.b.c", None, "a", 2),
        ("a.b.c", None, "abc", 3),
    ]


def test_from_imports_with_aliases() -> None:
    assert imports("from pkg.models import Order, Line as L\n") == [
        ("pkg.models", "Order", "Order", 1),
        ("pkg.models", "Line", "L", 1),
    ]


@pytest.mark.parametrize(
    ("code", "module", "is_package", "expected"),
    [
        ("from . import x", "pkg.sub.mod", False, ("pkg.sub", "x")),
        ("from .. import x", "pkg.sub.mod", False, ("pkg", "x")),
        ("from .models import Order", "pkg.sub.mod", False, ("pkg.sub.models", "Order")),
        ("from . import x", "pkg.sub", True, ("pkg.sub", "x")),
        ("from .. import x", "pkg.sub", True, ("pkg", "x")),
        ("from ..core import money", "pkg.sub.mod", False, ("pkg.core", "money")),
    ],
)
def test_relative_imports_are_made_absolute(
    code: str, module: str, is_package: bool, expected: tuple
) -> None:
    facts = facts_of(code, module, is_package)
    assert [(i.module, i.name) for i in facts.imports] == [expected]


def test_relative_import_beyond_top_level_is_a_note_not_a_crash() -> None:
    facts = facts_of("import os\nfrom ... import x\n", "pkg.mod")
    assert [i.module for i in facts.imports] == ["os"]
    assert facts.notes == ("line 2: relative import beyond the top-level package (...)",)
    assert resolve_relative("manage", False, 1, "x") is None


def test_star_import_binds_nothing() -> None:
    (fact,) = facts_of("from .models import *\n").imports
    assert (fact.module, fact.name, fact.binding) == ("pkg.sub.models", "*", None)


def test_type_checking_conditional_and_local_imports_are_flagged() -> None:
    code = """\
    from typing import TYPE_CHECKING
    try:
        import orjson as json
    except ImportError:
        import json
    if TYPE_CHECKING:
        from pkg.orders import Order
    else:
        Order = None
    def f():
        from pkg.payments import charge
        return charge
    """
    flags = {
        (i.module, i.line): (i.type_checking, i.conditional, i.local)
        for i in facts_of(code).imports
    }
    assert flags == {
        ("typing", 1): (False, False, False),
        ("orjson", 3): (False, True, False),
        ("json", 5): (False, True, False),
        ("pkg.orders", 7): (True, True, False),
        ("pkg.payments", 11): (False, False, True),
    }


def test_literal_dynamic_imports_are_collected_and_flagged() -> None:
    code = """\
    import importlib
    mod = importlib.import_module("pkg.plugins.a")
    other = __import__("pkg.plugins.b")
    rel = importlib.import_module(".c", package=__name__)
    computed = importlib.import_module(name)
    """
    dynamic = [
        (i.module, i.line) for i in facts_of(code, "pkg.plugins.loader").imports if i.dynamic
    ]
    assert dynamic == [("pkg.plugins.a", 2), ("pkg.plugins.b", 3), ("pkg.plugins.c", 4)]


def test_from_package_import_submodule_resolves_to_the_submodule() -> None:
    modules = frozenset({"pkg", "pkg.orders", "pkg.orders.models", "pkg.payments"})
    assert (
        resolve_import(ImportFact("pkg.orders", "models", None, 1), modules) == "pkg.orders.models"
    )
    assert (
        resolve_import(ImportFact("pkg.orders.models", "Order", None, 1), modules)
        == "pkg.orders.models"
    )
    assert resolve_import(ImportFact("pkg.orders", "place", None, 1), modules) == "pkg.orders"
    assert (
        resolve_import(ImportFact("pkg.orders.models", None, None, 1), modules)
        == "pkg.orders.models"
    )
    assert resolve_import(ImportFact("pkg.missing", "x", None, 1), modules) is None
    assert resolve_import(ImportFact("django.db", "models", None, 1), modules) is None
