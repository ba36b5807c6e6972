"""Boundary rules on small, hand-made couplings: dependencies, cycles, suppressions, baseline."""

from __future__ import annotations

from dataclasses import replace

from analyzer.check import baseline as baselines
from analyzer.check.rules import find_violations
from analyzer.check.suppress import suppress
from analyzer.model.boundaries import Boundaries, Boundary
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts, Pragma
from analyzer.model.violations import Violation

BOUNDARIES = Boundaries(
    (
        Boundary("orders", ("shop.orders",)),
        Boundary("payments", ("shop.payments",), depends_on=("orders",)),
        Boundary("catalog", ("shop.catalog",), depends_on=()),
    ),
    shared=("shop.core",),
)


def imp(source: str, target: str, line: int = 3, kind: str = "import") -> Coupling:
    path = source.split(":", 1)[0].replace(".", "/") + ".py"
    return Coupling(source, target, kind, path, line, target.replace(":", "."))  # type: ignore[arg-type]


def facts(module: str, *pragmas: Pragma) -> FileFacts:
    return FileFacts(module.replace(".", "/") + ".py", module, False, 10, 10, pragmas=pragmas)


FILES = [facts("shop.orders.api"), facts("shop.payments.api"), facts("shop.catalog.api")]


def rules_of(found: list[Violation]) -> list[tuple[str, str]]:
    return sorted((v.rule, v.pair) for v in found)


def test_undeclared_depends_on_reports_every_cross_service_dependency() -> None:
    found = find_violations(FILES, [imp("shop.orders.api", "shop.catalog.api:get")], BOUNDARIES)
    assert rules_of(found) == [("new_dependency", "orders -> catalog")]
    assert found[0].key == "new_dependency import shop.orders.api -> shop.catalog.api:get"
    assert "catalog" in found[0].hint and "--update-baseline" in found[0].hint


def test_declared_depends_on_allows_those_and_forbids_the_rest() -> None:
    couplings = [
        imp("shop.payments.api", "shop.orders.api"),
        imp("shop.payments.api:charge", "shop.catalog.api:price", kind="call"),
        imp("shop.catalog.api", "shop.core.money"),
    ]
    found = find_violations(FILES, couplings, BOUNDARIES)
    assert rules_of(found) == [("new_dependency", "payments -> catalog")]
    assert found[0].message == (
        "payments code uses shop.catalog.api.price, which the boundaries place in catalog; "
        "payments does not list catalog in depends_on (rule new_dependency)"
    )


def test_shared_code_depending_on_a_service_is_reported() -> None:
    found = find_violations(FILES, [imp("shop.core.money", "shop.orders.api")], BOUNDARIES)
    assert rules_of(found) == [("new_dependency", "shared -> orders")]
    assert found[0].message == (
        "shared library code imports shop.orders.api, which the boundaries place in orders; "
        "shared code may not depend on a service (rule new_dependency)"
    )


def test_a_message_names_what_is_imported_where_it_is_defined_and_the_rule() -> None:
    through_package = Coupling(
        "shop.orders.api",
        "shop.catalog.api:get",
        "import",
        "shop/orders/api.py",
        3,
        "shop.catalog.get",
    )
    found = find_violations(FILES, [through_package], BOUNDARIES)
    assert found[0].message == (
        "orders code imports shop.catalog.get (defined in shop.catalog.api), which the "
        "boundaries place in catalog; orders has no dependency on catalog in the baseline "
        "(rule new_dependency)"
    )
    assert str(found[0]).startswith("shop/orders/api.py:3: error new_dependency: orders code")


def test_a_cycle_between_services_is_one_violation_at_its_thinnest_edge() -> None:
    couplings = [
        imp("shop.orders.api", "shop.payments.api", 1),
        imp("shop.orders.api", "shop.payments.api:x", 2),
        imp("shop.payments.api", "shop.orders.api", 7),
    ]
    found = [v for v in find_violations(FILES, couplings, BOUNDARIES) if v.rule == "cycle"]
    assert len(found) == 1
    assert found[0].pair == "orders, payments"
    assert found[0].path == "shop/payments/api.py" and found[0].line == 7
    assert "payments -> orders has 1 coupling" in found[0].hint


def test_unmapped_modules_are_warned_about() -> None:
    found = find_violations([*FILES, facts("tools.script")], [], BOUNDARIES)
    assert [(v.rule, v.severity, v.path) for v in found] == [
        ("unmapped_module", "warn", "tools/script.py")
    ]


def test_rules_switched_off_report_nothing() -> None:
    quiet = replace(BOUNDARIES, rules=(("new_dependency", "off"), ("unmapped_module", "off")))
    couplings = [imp("shop.orders.api", "shop.catalog.api")]
    assert find_violations([*FILES, facts("x")], couplings, quiet) == []


def test_a_pragma_suppresses_its_line_and_bad_pragmas_are_reported() -> None:
    files = [
        facts("shop.orders.api", Pragma(3, ("new_dependency",), "legacy, removed in Q3")),
        facts("shop.payments.api", Pragma(5, (), ""), Pragma(9, ("cycle",), "why")),
        facts("shop.catalog.api", Pragma(2, ("no_such_rule",), "typo")),
    ]
    couplings = [imp("shop.orders.api", "shop.catalog.api"), imp("shop.payments.api", "x.y", 5)]
    found = find_violations(files, couplings, BOUNDARIES)
    kept, suppressed, problems = suppress(found, files, BOUNDARIES, lambda m: m.split(".")[1])
    assert [v.pair for v in suppressed] == ["orders -> catalog"]
    assert kept == []
    assert sorted((p.rule, p.path, p.line) for p in problems) == [
        ("ignore_without_reason", "shop/payments/api.py", 5),
        ("unused_ignore", "shop/catalog/api.py", 2),
        ("unused_ignore", "shop/payments/api.py", 5),
        ("unused_ignore", "shop/payments/api.py", 9),
    ]
    assert "unknown rule(s) no_such_rule" in next(p.message for p in problems if p.line == 2)


def violation(key: str, line: int, pair: tuple[str, str] = ("orders", "catalog")) -> Violation:
    return Violation("new_dependency", "error", pair[0], pair[1], "a.py", line, "m", "h", key)


def test_the_baseline_counts_known_occurrences_and_reports_fixed_ones_as_stale() -> None:
    recorded = baselines.build([violation("k1", 1), violation("k1", 2), violation("k2", 3)], {})
    new, known, stale = baselines.compare([violation("k1", 10), violation("k1", 40)], recorded)
    assert (len(new), len(known)) == (0, 2)
    assert [(s.key, s.recorded, s.found) for s in stale] == [("k2", 1, 0)]
    new, known, stale = baselines.compare(
        [violation("k1", 1), violation("k1", 2), violation("k1", 3)], recorded
    )
    assert [v.line for v in new] == [3] and len(known) == 2


def test_the_same_key_under_another_service_pair_is_new() -> None:
    recorded = baselines.build([violation("k", 1)], {})
    new, _, stale = baselines.compare([violation("k", 1, ("orders", "payments"))], recorded)
    assert len(new) == 1 and len(stale) == 1


def test_a_smaller_cycle_is_known_and_a_larger_one_is_new() -> None:
    def cycle(members: str) -> Violation:
        return Violation("cycle", "error", members, "", "a.py", 1, "m", "h", f"cycle {members}")

    recorded = baselines.build([cycle("a, b, c")], {})
    new, known, stale = baselines.compare([cycle("a, b")], recorded)
    assert (len(new), len(known), len(stale)) == (0, 1, 1)
    new, _, _ = baselines.compare([cycle("a, b, c, d")], recorded)
    assert len(new) == 1


def test_baseline_text_round_trips_sorted() -> None:
    recorded = baselines.build(
        [violation("z", 1), violation("a", 2, ("b", "c")), violation("a", 3, ("b", "c"))],
        {"icp": 0.25, "data_purity": None},
    )
    text = baselines.dumps(recorded)
    assert baselines.loads(text, "b.json") == recorded
    assert text.index('"b -> c"') < text.index('"orders -> catalog"')
    assert '"a": 2' in text
