from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_seams(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run the real command in a subprocess, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=600,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def installed(tool: str) -> str:
    """The command ``tool`` of the environment running the tests (its ``bin`` directory), not
    whatever a bare name finds first on PATH."""
    path = Path(sysconfig.get_path("scripts")) / tool
    assert path.is_file(), f"{tool} is not installed in {sys.prefix} (pip install -e '.[test]')"
    return str(path)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
