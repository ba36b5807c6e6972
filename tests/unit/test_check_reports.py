"""The check renderers on a hand-made result: escaping, grouping, colour, JUnit counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from analyzer.model.violations import RULES, CheckResult, StaleEntry, Violation
from reports.ci_text import render_text
from reports.github import command, render_github
from reports.junit import render_junit

RULE_SET = tuple(sorted((r, info.default) for r, info in RULES.items()))


def v(rule: str, source: str, target: str, line: int, severity: str = "error") -> Violation:
    return Violation(
        rule,
        severity,
        source,
        target,
        "shop/a.py",
        line,
        f"{source} uses {target}",
        "fix",
        "k",  # type: ignore[arg-type]
    )


RESULT = CheckResult(
    violations=(
        v("new_dependency", "a", "b", 3),
        v("new_dependency", "a", "b", 9),
        v("cycle", "a, b", "", 4, "warn"),
    ),
    stale=(StaleEntry("a -> c", "new_dependency import x -> y", 1, 0),),
    rules=RULE_SET,
    files=2,
)


def test_workflow_commands_escape_data_and_properties() -> None:
    line = command("error", "50% done\nnext", file="a,b.py", line=3, title="x: y")
    assert line == "::error file=a%2Cb.py,line=3,title=x%3A y::50%25 done%0Anext"


def test_github_output_has_an_annotation_per_violation_and_stale_entry() -> None:
    lines = render_github(RESULT, prefix="apps/shop").splitlines()
    assert lines[0].startswith("::error file=apps/shop/shop/a.py,line=3,")
    assert lines[2].startswith("::warning file=apps/shop/shop/a.py,line=4,")
    assert lines[3].startswith("::warning title=seams stale baseline::")
    assert render_github(RESULT, strict=True).splitlines()[3].startswith("::error ")


def test_text_groups_by_service_pair_and_colours_only_when_asked() -> None:
    plain = render_text(RESULT)
    assert plain.count("\na -> b\n") == 1 and "\na, b\n" in plain
    assert "\033[" not in plain and "FAILED: 2 error(s)" in plain
    assert "\033[31merror\033[0m" in render_text(RESULT, color=True)


def test_junit_counts_cases_and_failures() -> None:
    root = ET.fromstring(render_junit(RESULT, strict=True))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == str(len(failed))
    assert sorted(c.get("name") for c in failed) == ["a -> b", "stale entries"]
