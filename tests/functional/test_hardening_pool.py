"""What the parallel scan and the fact cache must guarantee: a parser crash costs one file, an
interrupt reaches the workers cleanly, and a damaged or shared cache never fails a run."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run
from tests.functional.test_hardening_cli import (
    INTERRUPTED,
    grow,
    interrupt_while_parsing,
    snapshot,
    write,
)

# libcst overflows a 1 MB stack at about 190 nested brackets, below Python's own limit of 200
# that parsing checks first: the crash happens inside libcst, exactly like 1,300 levels do
# with the usual 8 MB stack, but in a second.
SMALL_STACK = 1024 * 1024
SEAMS = [sys.executable, "-m", "analyzer"]
CRASHING = "x = " + "(" * 190 + "1" + ")" * 190 + "\n"


def seams(*args: str | Path, small_stack: bool = False) -> Run:
    def limit_stack() -> None:
        resource.setrlimit(resource.RLIMIT_STACK, (SMALL_STACK, SMALL_STACK))

    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
        preexec_fn=limit_stack if small_stack else None,
        timeout=600,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def small_project(root: Path, filler_bytes: int = 0) -> Path:
    write(root / "app" / "__init__.py", "")
    write(root / "app" / "util.py", "def helper(x):\n    return x\n")
    write(root / "app" / "api.py", "from app.util import helper\n\n\ndef run():\n    helper(1)\n")
    line = "def f{i}(x):\n    return helper(x) + {i}\n\n"
    for m in range(filler_bytes // 20_000):
        write(
            root / "app" / f"fill{m:03d}.py",
            "from app.util import helper\n\n" + "".join(line.format(i=i) for i in range(500)),
        )
    return root


def decomposition(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "decomposition.json").read_text(encoding="utf-8"))


# A parser that dies.


@pytest.mark.parametrize(
    ("jobs", "filler"), [(1, 0), pytest.param(2, 1_000_000, marks=pytest.mark.slow)]
)
def test_a_parser_crash_costs_one_file_not_the_run(tmp_path: Path, jobs: int, filler: int) -> None:
    tree = small_project(tmp_path / "tree", filler)
    write(tree / "app" / "crash.py", CRASHING)
    run = seams(
        "analyze", tree, "-o", tmp_path / "out", "--no-git", "--jobs", str(jobs), small_stack=True
    )
    assert run.code == 0, run.stderr
    doc = decomposition(tmp_path / "out")
    assert [s["path"] for s in doc["skipped"]] == ["app/crash.py"]
    assert {"app", "app.api", "app.util"} <= set(doc["modules"])


def test_the_crash_used_above_is_real(tmp_path: Path) -> None:
    """Without isolation the same tree kills the whole process: the test above is meaningful."""
    tree = small_project(tmp_path / "tree")
    write(tree / "app" / "crash.py", CRASHING)
    probe = "import libcst, sys; libcst.parse_module(open(sys.argv[1]).read())"

    def limit_stack() -> None:
        resource.setrlimit(resource.RLIMIT_STACK, (SMALL_STACK, SMALL_STACK))

    proc = subprocess.run(
        [sys.executable, "-c", probe, str(tree / "app" / "crash.py")],
        preexec_fn=limit_stack,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGSEGV


# Ctrl-C in a terminal reaches every process of the group, workers included.


def test_ctrl_c_to_the_process_group_of_a_parallel_run(tmp_path: Path) -> None:
    tree = small_project(tmp_path / "tree")
    out = tmp_path / "out"
    assert seams("analyze", tree, "-o", out, "--no-git").code == 0
    before = snapshot(out)
    grow(tree, modules=300, lines=300)
    code, lines, _ = interrupt_while_parsing(
        ["analyze", str(tree), "-o", str(out), "--no-git", "--jobs", "2"],
        signal.SIGINT,
        whole_group=True,
    )
    assert code == 130
    assert lines == [INTERRUPTED]
    assert snapshot(out) == before


# The fact cache.


def cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def reference(tmp_path: Path, tree: Path) -> bytes:
    run = seams("analyze", tree, "-o", tmp_path / "reference", "--no-git", "--no-cache")
    assert run.code == 0, run.stderr
    return (tmp_path / "reference" / "decomposition.json").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["garbage", "truncated", "emptied"])
def test_a_damaged_cache_is_rebuilt_with_one_notice(tmp_path: Path, damage: str) -> None:
    tree = small_project(tmp_path / "tree", filler_bytes=100_000)
    cache = tmp_path / "cache"
    first = seams("analyze", tree, "-o", tmp_path / "a", "--no-git", "--cache-dir", cache)
    assert first.code == 0, first.stderr
    assert cache_files(cache)
    for path in cache_files(cache):
        data = path.read_bytes()
        path.write_bytes(
            {"garbage": os.urandom(len(data) or 64), "truncated": data[: len(data) // 2]}.get(
                damage, b""
            )
        )
    run = seams("analyze", tree, "-o", tmp_path / "b", "--no-git", "--cache-dir", cache)
    assert run.code == 0, run.stderr
    notices = run.stderr.strip().splitlines()
    if damage == "emptied":  # a zero-byte file is an empty SQLite database: rebuilt silently
        assert len(notices) <= 1
    else:
        assert len(notices) == 1 and "cache" in run.stderr.lower()
    assert (tmp_path / "b" / "decomposition.json").read_bytes() == reference(tmp_path, tree)


@pytest.mark.slow
def test_concurrent_runs_share_one_cache(tmp_path: Path) -> None:
    tree = small_project(tmp_path / "tree", filler_bytes=400_000)
    cache = tmp_path / "cache"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    cached = ["--no-git", "--cache-dir", str(cache)]
    procs = [
        subprocess.Popen(
            [*SEAMS, "analyze", str(tree), "-o", str(tmp_path / n), *cached],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for n in ("a", "b", "c")
    ]
    results = [(p.wait(timeout=600), p.stderr.read() if p.stderr else b"") for p in procs]
    for proc in procs:
        if proc.stderr:
            proc.stderr.close()
    assert [code for code, _ in results] == [0, 0, 0], results
    expected = reference(tmp_path, tree)
    for name in ("a", "b", "c"):
        assert (tmp_path / name / "decomposition.json").read_bytes() == expected


@pytest.mark.slow
def test_an_interrupted_run_leaves_the_cache_usable(tmp_path: Path) -> None:
    tree = small_project(tmp_path / "tree")
    cache = tmp_path / "cache"
    assert seams("analyze", tree, "-o", tmp_path / "a", "--no-git", "--cache-dir", cache).code == 0
    grow(tree, modules=300, lines=300)
    cached = ["--no-git", "--cache-dir", str(cache)]
    code, _, _ = interrupt_while_parsing(
        ["analyze", str(tree), "-o", str(tmp_path / "b"), *cached, "--jobs", "2"],
        signal.SIGTERM,
    )
    assert code == 130
    run = seams("analyze", tree, "-o", tmp_path / "c", "--no-git", "--cache-dir", cache)
    assert run.code == 0 and run.stderr == "", run.stderr
    assert (tmp_path / "c" / "decomposition.json").read_bytes() == reference(tmp_path, tree)
