"""The CI integrations in the docs work: the pre-commit hook and the GitHub Actions workflow."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from pre_commit.clientlib import load_manifest

from tests.check_support import git_copy, init
from tests.conftest import ROOT, run_seams


def test_the_pre_commit_hook_definition_is_valid_and_runs(tmp_path: Path) -> None:
    hooks = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    (hook,) = hooks
    assert hook["id"] == "seams-check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    command = shlex.split(hook["entry"])
    assert command[0] == "seams"
    repo = git_copy("shop", tmp_path / "shop")
    assert init(repo).code == 0
    run = run_seams(*command[1:], *hook["args"], "-q", cwd=repo)
    assert run.code == 0, run.stdout + run.stderr


def workflow() -> dict[str, object]:
    text = (ROOT / "docs" / "check.md").read_text()
    block = re.search(r"## In GitHub Actions\n\n```yaml\n(.*?)```", text, re.S)
    assert block is not None
    return dict(yaml.safe_load(block.group(1)))


def test_the_documented_workflow_runs_its_seams_steps(tmp_path: Path) -> None:
    steps = workflow()["jobs"]["seams"]["steps"]  # type: ignore[index]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert "github/codeql-action/upload-sarif" in uses
    commands = [shlex.split(s["run"]) for s in steps if s.get("run", "").startswith("seams ")]
    assert len(commands) == 2
    repo = git_copy("shop", tmp_path / "shop")
    assert init(repo).code == 0
    for command in commands:
        run = run_seams(*command[1:], "-q", cwd=repo)
        assert run.code == 0, (command, run.stdout, run.stderr)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql"))
    assert (repo / upload["with"]["sarif_file"]).is_file()
