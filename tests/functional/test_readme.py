"""The README's first command works verbatim with the system's Python, in a fresh checkout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SYSTEM_PYTHON = Path("/usr/bin/python3")


def first_command() -> str:
    """The command of the first code block under "Try it"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Try it", 1)[1]
    found = re.search(r"```\n(.+?)\n```", section, re.DOTALL)
    assert found is not None, "the README's Try it section has no code block"
    return found.group(1).strip()


def checkout(target: Path) -> Path:
    """The project's tracked files, as a fresh clone would have them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.mark.slow
def test_the_first_command_installs_seams_and_writes_the_report(tmp_path: Path) -> None:
    if not SYSTEM_PYTHON.is_file() or shutil.which("git") is None:
        _unavailable(f"needs git and the system's Python at {SYSTEM_PYTHON}")
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import ensurepip"], capture_output=True)
    if check.returncode != 0:
        _unavailable("the system's Python cannot make virtual environments (python3-venv)")
    repo = checkout(tmp_path / "seams")
    command = first_command()
    assert command.startswith("python3 -m venv ")
    # Only the system's directories on PATH: `python3` is the system's Python.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["PATH"] = "/usr/bin:/bin"
    run = subprocess.run(
        ["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, timeout=1200
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = repo / "seams-report" / "report.html"
    assert report.is_file() and "<html" in report.read_text(encoding="utf-8")[:500].lower()
    assert (repo / ".venv" / "bin" / "seams").is_file()
    # pip's own output comes first; the analysis then opens with what it proposes
    proposed = [line for line in run.stdout.splitlines() if line.startswith("Proposed: ")]
    assert len(proposed) == 1 and "services plus a shared library of" in proposed[0]
