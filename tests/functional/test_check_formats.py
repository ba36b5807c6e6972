"""The machine-readable outputs of `seams check`: SARIF, JUnit, GitHub annotations, JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sarif import loader

from tests.check_support import Edit, check, git_copy, init, new_dependency
from tests.conftest import installed


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Edit]:
    """An initialised shop copy (inside a larger git repository) with one new violation."""
    outer = tmp_path_factory.mktemp("outer")
    repo = git_copy("shop", outer / "apps" / "shop")
    shutil.move(repo / ".git", outer / ".git")
    assert init(repo).code == 0
    return repo, new_dependency(repo)


def test_sarif_follows_the_2_1_0_structure(broken: tuple[Path, Edit], tmp_path: Path) -> None:
    repo, edit = broken
    out = tmp_path / "seams.sarif"
    run = check(repo, "--format", "sarif", "-o", str(out))
    assert run.code == 1 and run.stdout == ""
    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "seams" and driver["version"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert "new_dependency" in rules
    assert rules["new_dependency"]["shortDescription"]["text"]
    assert rules["new_dependency"]["defaultConfiguration"]["level"] == "error"
    results = sarif["runs"][0]["results"]
    assert results
    mine = [
        r
        for r in results
        if r["locations"][0]["physicalLocation"]["region"]["startLine"] == edit.line
    ]
    assert len(mine) == 1
    result = mine[0]
    assert result["ruleId"] == "new_dependency" and result["level"] == "error"
    assert driver["rules"][result["ruleIndex"]]["id"] == "new_dependency"
    text = result["message"]["text"]
    assert text.startswith(f"{edit.source} code imports ") and "(rule new_dependency)" in text
    assert f"which the boundaries place in {edit.target}" in text
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"apps/shop/{edit.path}"  # repository-relative
    assert result["partialFingerprints"]["seamsKey/v1"]


def test_sarif_tools_read_the_report(broken: tuple[Path, Edit], tmp_path: Path) -> None:
    repo, edit = broken
    out = tmp_path / "seams.sarif"
    check(repo, "--format", "sarif", "-o", str(out))
    sarif_file = loader.load_sarif_file(str(out))
    records = sarif_file.get_records()
    assert any(
        r["Location"] == f"apps/shop/{edit.path}" and int(r["Line"]) == edit.line for r in records
    ), records
    assert sarif_file.get_result_count() == len(records) >= 1
    assert "error" in sarif_file.get_severities()
    assert sarif_file.get_rules_by_id("new_dependency")
    summary = subprocess.run(
        [installed("sarif"), "summary", str(out)], capture_output=True, text=True, check=True
    )
    assert "new_dependency" in summary.stdout


def test_junit_is_standard_xml_with_a_failed_case_per_rule_and_pair(
    broken: tuple[Path, Edit],
) -> None:
    repo, edit = broken
    run = check(repo, "--format", "junit")
    assert run.code == 1
    root = ET.fromstring(run.stdout)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "0")) == len(cases)
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures", "0")) == len(failed) >= 1
    pair = f"{edit.source} -> {edit.target}"
    mine = [c for c in failed if c.get("name") == pair]
    assert [c.get("classname") for c in mine] == ["seams.new_dependency"]
    failure = mine[0].find("failure")
    assert failure is not None and f"{edit.path}:{edit.line}" in (failure.text or "")
    names = {(c.get("classname"), c.get("name")) for c in cases}
    assert len(names) == len(cases)  # one case per rule and pair


def test_github_annotations_use_the_workflow_command_format(broken: tuple[Path, Edit]) -> None:
    repo, edit = broken
    run = check(repo, "--format", "github")
    assert run.code == 1
    commands = [line for line in run.stdout.splitlines() if line.startswith("::")]
    pattern = re.compile(r"^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::.+$")
    assert commands and all(pattern.match(c) for c in commands), commands
    mine = [c for c in commands if f"file=apps/shop/{edit.path},line={edit.line}," in c]
    assert len(mine) == 1 and mine[0].startswith("::error ")
    assert "title=seams new_dependency (" in mine[0]
    assert "\n" not in mine[0]


def test_json_lists_new_violations_with_location_and_hint(broken: tuple[Path, Edit]) -> None:
    repo, edit = broken
    run = check(repo, "--format", "json")
    assert run.code == 1
    report = json.loads(run.stdout)
    assert report["schema"] == "seams/check@1" and report["passed"] is False
    mine = [v for v in report["violations"] if v["line"] == edit.line]
    assert mine[0]["file"] == f"apps/shop/{edit.path}"
    assert mine[0]["services"] == [edit.source, edit.target]
    assert mine[0]["code"].startswith("import ") and mine[0]["hint"]
    assert report["summary"]["errors"] == len(
        [v for v in report["violations"] if v["severity"] == "error"]
    )
    assert check(repo, "--format", "json").stdout == run.stdout  # deterministic
