"""Mapping code to declared services: package patterns, globs, symbols, precedence, layout."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analyzer.check.layout import compress
from analyzer.check.mapping import ServiceMap
from analyzer.model.boundaries import Boundaries, Boundary


def services(*specs: tuple[str, list[str]], shared: tuple[str, ...] = ()) -> ServiceMap:
    return ServiceMap(
        Boundaries(tuple(Boundary(name, tuple(patterns)) for name, patterns in specs), shared)
    )


def test_a_plain_name_holds_the_module_and_everything_below_it() -> None:
    mapping = services(("orders", ["shop.orders"]))
    assert mapping.module("shop.orders") == "orders"
    assert mapping.module("shop.orders.api.v2") == "orders"
    assert mapping.module("shop.ordersx") is None
    assert mapping.module("shop") is None


def test_the_longest_pattern_wins_and_a_symbol_pattern_beats_its_module() -> None:
    mapping = services(
        ("web", ["shop", "shop.*.views"]),
        ("orders", ["shop.orders", "shop.catalog.models:Order*"]),
        ("catalog", ["shop.catalog"]),
        shared=("shop.core",),
    )
    assert mapping.module("shop.urls") == "web"
    assert mapping.module("shop.orders.views") == "web"  # 12 characters beat 11
    assert mapping.module("shop.orders.models") == "orders"
    assert mapping.node("shop.catalog.models:OrderLine") == "orders"
    assert mapping.node("shop.catalog.models:Product") == "catalog"
    assert mapping.node("shop.core.money:Money") == "shared"


def test_an_exact_name_beats_a_longer_glob() -> None:
    mapping = services(("a", ["pkg.mod"]), ("b", ["pkg.mod*"]))
    assert mapping.module("pkg.mod") == "a"
    assert mapping.module("pkg.module") == "b"


def test_tables_map_to_their_owner() -> None:
    boundaries = Boundaries(
        (Boundary("orders", ("shop.orders",), tables=("orders_*",)),),
    )
    mapping = ServiceMap(boundaries)
    assert mapping.node("table::orders_order") == "orders"
    assert mapping.table("catalog_product") is None


names = st.lists(st.text(alphabet="abc", min_size=1, max_size=2), min_size=1, max_size=4).map(
    ".".join
)


@given(st.dictionaries(names, st.sampled_from(["s1", "s2", "s3"]), min_size=1, max_size=30))
def test_compressed_patterns_map_every_module_back_to_its_service(
    assignment: dict[str, str],
) -> None:
    patterns = compress(assignment)
    mapping = services(*patterns.items())
    assert {m: mapping.module(m) for m in assignment} == assignment
    assert sum(len(p) for p in patterns.values()) <= len(assignment)
