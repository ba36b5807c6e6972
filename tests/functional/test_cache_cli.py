"""`seams analyze` with its fact cache, --no-cache, --cache-dir and --timings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.model.options import AnalyzeOptions
from analyzer.pipeline import analyze
from reports.html import render_html
from reports.json_report import dumps
from tests.conftest import FIXTURES, ROOT, run_seams


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", root, ignore=shutil.ignore_patterns(".seams-cache"))
    return root


def test_the_cache_lives_in_the_tree_and_gives_the_same_document(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    cold = run_seams("analyze", root, "-o", tmp_path / "cold", "--no-git")
    warm = run_seams("analyze", root, "-o", tmp_path / "warm", "--no-git")
    assert cold.code == warm.code == 0, cold.stderr + warm.stderr
    assert (root / ".seams-cache" / "facts.sqlite3").is_file()
    cold_json = (tmp_path / "cold" / "decomposition.json").read_bytes()
    assert cold_json == (tmp_path / "warm" / "decomposition.json").read_bytes()
    assert warm.stderr == ""


@pytest.mark.slow
def test_no_cache_writes_nothing_and_cache_dir_moves_it(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    run = run_seams("analyze", root, "-o", tmp_path / "out", "--no-git", "--no-cache")
    assert run.code == 0, run.stderr
    assert not (root / ".seams-cache").exists()
    elsewhere = tmp_path / "elsewhere"
    run = run_seams("analyze", root, "-o", tmp_path / "out", "--no-git", "--cache-dir", elsewhere)
    assert run.code == 0, run.stderr
    assert (elsewhere / "facts.sqlite3").is_file()
    assert not (root / ".seams-cache").exists()


@pytest.mark.slow
def test_a_corrupt_cache_gets_one_line_and_the_run_succeeds(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert run_seams("analyze", root, "-o", tmp_path / "a", "--no-git").code == 0
    (root / ".seams-cache" / "facts.sqlite3").write_bytes(b"\x00garbage" * 1000)
    run = run_seams("analyze", root, "-o", tmp_path / "b", "--no-git")
    assert run.code == 0, run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith("seams: note: cache ") and line.endswith("rebuilt it")
    again = run_seams("analyze", root, "-o", tmp_path / "c", "--no-git")
    assert again.code == 0 and again.stderr == ""


@pytest.mark.slow
def test_two_runs_sharing_a_cache_both_succeed(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "analyzer",
                "analyze",
                str(root),
                "-o",
                str(tmp_path / n),
                "--no-git",
                "--jobs",
                j,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for n, j in (("one", "1"), ("two", "2"))
    ]
    outcomes = [(p.wait(timeout=600), p.stderr.read() if p.stderr else b"") for p in procs]
    for proc in procs:
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
    assert outcomes == [(0, b""), (0, b"")]
    one = (tmp_path / "one" / "decomposition.json").read_bytes()
    assert one == (tmp_path / "two" / "decomposition.json").read_bytes()


def test_timings_list_each_stage_with_time_and_memory(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    run = run_seams("analyze", root, "-o", tmp_path / "out", "--no-git", "--timings")
    assert run.code == 0, run.stderr
    rows = {line.split()[0]: line for line in run.stderr.splitlines() if line.strip()}
    for stage in ("discover", "parse", "graph", "cluster", "total"):
        assert stage in rows, run.stderr
        assert " s " in rows[stage] and "MB" in rows[stage]


def test_an_unchanged_tree_reuses_the_last_analysis(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    cache = tmp_path / "cache"
    fresh = analyze(root, AnalyzeOptions(git=False), cache_dir=cache)
    reused = analyze(root, AnalyzeOptions(git=False), cache_dir=cache)
    assert fresh.graph is not None and reused.graph is None  # nothing was recomputed
    assert dumps(reused.document) == dumps(fresh.document)
    assert render_html(reused.document) == render_html(fresh.document)
    # Another seed, or a changed file, is a new analysis.
    assert analyze(root, AnalyzeOptions(git=False, seed=3), cache_dir=cache).graph is not None
    orders = root / "shop" / "orders" / "services.py"
    orders.write_text(orders.read_text() + "\n\ndef audit_trail():\n    return []\n")
    changed = analyze(root, AnalyzeOptions(git=False, seed=3), cache_dir=cache)
    assert changed.graph is not None
    assert "shop.orders.services:audit_trail" in changed.document["symbols"]


@pytest.mark.slow
def test_reused_and_fresh_outputs_are_byte_identical(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    outputs = []
    for name, extra in (("fresh", ["--no-cache"]), ("first", []), ("reused", [])):
        run = run_seams("analyze", root, "-o", tmp_path / name, "--no-git", *extra)
        assert run.code == 0, run.stderr
        outputs.append(
            [(tmp_path / name / f).read_bytes() for f in ("decomposition.json", "summary.md")]
        )
    assert outputs[0] == outputs[1] == outputs[2]
