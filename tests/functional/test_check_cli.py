"""`seams init`, `seams check` and the baseline ratchet on a temporary git copy of the shop."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from analyzer.config import parse_config
from tests.check_support import check, git_copy, init, new_dependency
from tests.conftest import ROOT, run_seams


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = git_copy("shop", tmp_path_factory.mktemp("template") / "shop")
    run = init(repo)
    assert run.code == 0, run.stderr
    return repo


@pytest.fixture
def repo(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "shop", symlinks=True))


def test_init_writes_valid_boundaries_and_a_baseline_that_passes(repo: Path) -> None:
    config = tomllib.loads((repo / "seams.toml").read_text())
    boundaries = parse_config(config, "seams.toml").boundaries
    assert boundaries is not None and len(boundaries.services) >= 2
    baseline = json.loads((repo / ".seams-baseline.json").read_text())
    assert baseline["schema"] == "seams/baseline@1" and baseline["violations"]
    run = check(repo)
    assert run.code == 0, run.stdout + run.stderr
    assert "0 new violations" in run.stdout and "passed" in run.stdout


def test_a_corrupt_cache_is_said_in_one_line_and_the_check_still_runs(repo: Path) -> None:
    (repo / ".seams-cache" / "facts.sqlite3").write_bytes(b"\x00garbage" * 1000)
    run = check(repo)
    assert run.code == 0, run.stdout + run.stderr
    assert "passed" in run.stdout
    [line] = [x for x in run.stderr.splitlines() if x.startswith("seams: note:")]
    assert line.startswith("seams: note: cache ") and line.endswith("rebuilt it")


def test_init_refuses_to_overwrite_without_force(repo: Path) -> None:
    before = (repo / "seams.toml").read_text()
    baseline = (repo / ".seams-baseline.json").read_text()
    run = init(repo)
    assert run.code == 2 and "--force" in run.stderr and "Traceback" not in run.stderr
    assert (repo / "seams.toml").read_text() == before
    # Nothing changed since the first init, so its analysis is reused from the cache (which
    # brings no couplings: init derives them from the scanned facts for the baseline).
    forced = run_seams("init", repo, "--force", "--jobs", "1", "-q")
    assert forced.code == 0, forced.stderr
    assert (repo / "seams.toml").read_text() == before  # same input, same boundaries
    assert (repo / ".seams-baseline.json").read_text() == baseline


def test_init_prints_the_pyproject_form_on_request(repo: Path, tmp_path: Path) -> None:
    fresh = git_copy("shop", tmp_path / "fresh")
    run = run_seams("init", fresh, "--pyproject", "--jobs", "1", "-q")
    assert run.code == 0, run.stderr
    assert not (fresh / "seams.toml").exists()
    table = tomllib.loads(run.stdout)["tool"]["seams"]
    assert parse_config(table, "pyproject.toml").boundaries is not None
    assert (fresh / ".seams-baseline.json").is_file()


def test_init_from_a_decomposition_file(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_seams("analyze", repo, "-o", out, "--no-git", "--jobs", "1", "-q").code == 0
    fresh = git_copy("shop", tmp_path / "fresh")
    run = run_seams("init", fresh, "--from", out / "decomposition.json", "--jobs", "1", "-q")
    assert run.code == 0, run.stderr
    assert (fresh / "seams.toml").read_text() == (repo / "seams.toml").read_text()
    assert check(fresh).code == 0


def test_the_ratchet_new_violation_update_then_stale(repo: Path) -> None:
    edit = new_dependency(repo)
    failed = check(repo)
    assert failed.code == 1, failed.stdout + failed.stderr
    assert f"{edit.path}:{edit.line}" in failed.stdout
    assert f"{edit.source} -> {edit.target}" in failed.stdout
    assert "new_dependency" in failed.stdout and "fix:" in failed.stdout

    updated = check(repo, "--update-baseline")
    assert updated.code == 0, updated.stdout + updated.stderr
    assert check(repo).code == 0
    text = (repo / ".seams-baseline.json").read_text()
    assert f'"{edit.source} -> {edit.target}"' in text

    subprocess.run(["git", "checkout", "-q", edit.path], cwd=repo, check=True)
    stale = check(repo)
    assert stale.code == 0
    assert "1 stale baseline entry" in stale.stdout
    assert f"{edit.source} -> {edit.target}: new_dependency import" in stale.stdout
    assert check(repo, "--strict").code == 1


def test_line_shifts_do_not_disturb_the_baseline(repo: Path) -> None:
    path = next(repo.glob("shop/*/services.py"))
    path.write_text("# a comment\n\n\n" + path.read_text())
    run = check(repo)
    assert run.code == 0 and "0 stale" in run.stdout, run.stdout


def test_exit_zero_reports_but_passes(repo: Path) -> None:
    edit = new_dependency(repo)
    run = check(repo, "--exit-zero")
    assert run.code == 0 and f"{edit.path}:{edit.line}" in run.stdout


def test_a_suppression_with_reason_silences_the_line(repo: Path) -> None:
    edit = new_dependency(repo)
    path = repo / edit.path
    path.write_text(path.read_text().replace("# new", "# seams: ignore[new_dependency] spike"))
    run = check(repo)
    assert run.code == 0, run.stdout
    assert "1 suppressed" in run.stdout


def test_a_suppression_without_reason_is_an_error(repo: Path) -> None:
    edit = new_dependency(repo)
    path = repo / edit.path
    path.write_text(path.read_text().replace("# new", "# seams: ignore[new_dependency]"))
    run = check(repo)
    assert run.code == 1
    assert "ignore_without_reason" in run.stdout and f"{edit.path}:{edit.line}" in run.stdout


def test_an_unused_suppression_is_a_warning(repo: Path) -> None:
    path = next(repo.glob("shop/*/services.py"))
    path.write_text(path.read_text() + "\nX = 1  # seams: ignore[new_dependency] nothing here\n")
    run = check(repo)
    assert run.code == 0
    assert "unused_ignore" in run.stdout and "warning" in run.stdout


def test_declared_depends_on_allows_listed_services_and_forbids_others(repo: Path) -> None:
    edit = new_dependency(repo)
    config = repo / "seams.toml"
    text = config.read_text()
    anchor = f'name = "{edit.source}"\n'
    config.write_text(text.replace(anchor, anchor + f'depends_on = ["{edit.target}"]\n'))
    allowed = check(repo)
    assert allowed.code == 0, allowed.stdout
    assert f"{edit.path}:{edit.line}" not in allowed.stdout

    config.write_text(text.replace(anchor, anchor + "depends_on = []\n"))
    forbidden = check(repo)
    assert forbidden.code == 1
    assert f"{edit.path}:{edit.line}" in forbidden.stdout
    assert f"{edit.source} does not list {edit.target} in depends_on" in forbidden.stdout


def test_a_broken_config_lists_every_error(repo: Path) -> None:
    (repo / "seams.toml").write_text(
        "\n".join(
            [
                'granularity = "files"',
                "[[service]]",
                'name = "orders"',
                'modules = ["shop.orders"]',
                'depends_on = ["nowhere"]',
                "[[service]]",
                'name = "orders"',
                "[check]",
                'rules = { cycle = "sometimes" }',
            ]
        )
    )
    run = check(repo)
    assert run.code == 2
    assert "Traceback" not in run.stderr
    for path in (
        "granularity",
        "service[0].depends_on[0]",
        "service[1].name",
        "service[1].modules",
        "check.rules.cycle",
    ):
        assert f"{path}: " in run.stderr, (path, run.stderr)
    assert "5 configuration error(s)" in run.stderr


def test_check_without_boundaries_says_to_run_init(tmp_path: Path) -> None:
    repo = git_copy("shop", tmp_path / "shop")
    run = check(repo)
    assert run.code == 2 and "seams init" in run.stderr


def test_a_malformed_baseline_is_an_input_error(repo: Path) -> None:
    (repo / ".seams-baseline.json").write_text("{not json")
    run = check(repo)
    assert run.code == 2 and ".seams-baseline.json is not valid JSON" in run.stderr


def _tty_run(repo: Path, env: dict[str, str]) -> str:
    """Run check with stdout on a pseudo-terminal, as in an interactive shell."""
    leader, follower = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update({"PYTHONPATH": str(ROOT), **env})
    proc = subprocess.Popen(
        [sys.executable, "-m", "analyzer", "check", str(repo), "--jobs", "1", "-q"],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=full_env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=300)
    os.close(leader)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color(repo: Path) -> None:
    new_dependency(repo)
    assert "\033[31m" in _tty_run(repo, {})
    plain = _tty_run(repo, {"NO_COLOR": "1"})
    assert "new_dependency" in plain and "\033[" not in plain


def stages(run_stderr: str) -> list[str]:
    """The stage names of a `--timings` table."""
    rows = [line.split() for line in run_stderr.splitlines()]
    return [row[0] for row in rows if len(row) > 2 and row[1][0].isdigit()]


@pytest.mark.slow
def test_an_unchanged_check_reuses_its_outcome_until_an_input_changes(repo: Path) -> None:
    first = check(repo, "--timings")
    assert first.code == 0 and "check" in stages(first.stderr)
    again = check(repo, "--timings")
    assert again.stdout == first.stdout
    assert stages(again.stderr) == ["discover", "parse", "total"]
    assert check(repo, "--format", "json").stdout == check(repo, "--format", "json").stdout

    edit = new_dependency(repo)
    changed = check(repo, "--timings")
    assert changed.code == 1 and "check" in stages(changed.stderr)
    assert f"{edit.path}:{edit.line}" in changed.stdout
    assert check(repo, "--update-baseline").code == 0
    after = check(repo, "--timings")
    assert after.code == 0 and "check" in stages(after.stderr)  # the baseline changed
    config = repo / "seams.toml"
    config.write_text(config.read_text().replace('cycle = "error"', 'cycle = "warn"', 1))
    assert "check" in stages(check(repo, "--timings").stderr)  # so did the boundaries
