"""``seams check --format junit``: JUnit XML, one test case per rule and service pair.

Each enabled rule is a class of tests; each service pair with violations of it (new or known)
is a case, failed when a new violation of error severity is among them. A rule with no
violations at all is one passing case, so the report always lists what was checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from analyzer.model.violations import CheckResult, Violation
from reports.ci_common import repo_path


def _lines(violations: list[Violation], prefix: str) -> str:
    return "\n".join(
        f"{repo_path(prefix, v.path)}:{v.line}: {v.message}\n    fix: {v.hint}" for v in violations
    )


def render_junit(result: CheckResult, *, prefix: str = "", strict: bool = False) -> str:
    cases: dict[tuple[str, str], dict[str, list[Violation]]] = defaultdict(
        lambda: {"new": [], "known": []}
    )
    for v in result.violations:
        cases[(v.rule, v.pair)]["new"].append(v)
    for v in result.known:
        cases[(v.rule, v.pair)]["known"].append(v)
    suite = ET.Element("testsuite", name="seams check")
    failures = tests = 0
    for rule in (r.id for r in result.enabled_rules()):
        pairs = sorted(p for (r, p) in cases if r == rule) or ["all services"]
        for pair in pairs:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=f"seams.{rule}", name=pair)
            found = cases.get((rule, pair), {"new": [], "known": []})
            errors = [v for v in found["new"] if v.severity == "error"]
            if errors:
                failures += 1
                failure = ET.SubElement(
                    case, "failure", message=f"{len(errors)} new violation(s)", type=rule
                )
                failure.text = _lines(errors, prefix)
            notes = [v for v in found["new"] if v.severity != "error"]
            if notes or found["known"]:
                out = ET.SubElement(case, "system-out")
                known = f"{len(found['known'])} known violation(s) in the baseline"
                out.text = "\n".join(filter(None, [_lines(notes, prefix), known]))
    if result.stale:
        tests += 1
        case = ET.SubElement(suite, "testcase", classname="seams.baseline", name="stale entries")
        text = "\n".join(str(s) for s in result.stale)
        if strict:
            failures += 1
            ET.SubElement(case, "failure", message="stale baseline", type="stale").text = text
        else:
            ET.SubElement(case, "system-out").text = text
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    root = ET.Element("testsuites", name="seams", tests=str(tests), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
