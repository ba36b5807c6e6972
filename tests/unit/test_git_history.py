"""Co-change from real git repositories built in the test, and git treated as untrusted input."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import zlib
from pathlib import Path

import pytest

from analyzer.design.signals.cochange import cochange_couplings
from analyzer.extract import git as git_module
from analyzer.extract.cache import FactCache
from analyzer.extract.git import read_history
from analyzer.model.history import Commit, History

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "a",
    "GIT_AUTHOR_EMAIL": "a@example.invalid",
    "GIT_COMMITTER_NAME": "a",
    "GIT_COMMITTER_EMAIL": "a@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=ENV
    ).stdout


def commit(repo: Path, *files: str) -> None:
    for name in files:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(path.read_text() + "x = 1\n" if path.exists() else "x = 0\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, "app/orders.py", "app/billing.py", "app/shipping.py")
    commit(root, "app/orders.py", "app/billing.py")
    commit(root, "app/orders.py", "app/billing.py")
    commit(root, "app/shipping.py")
    return root


def test_history_lists_commits_newest_first_with_relative_paths(repo: Path) -> None:
    history = read_history(repo / "app")
    assert [c.paths for c in history.commits] == [
        ("shipping.py",),
        ("billing.py", "orders.py"),
        ("billing.py", "orders.py"),
        ("billing.py", "orders.py", "shipping.py"),
    ]
    assert history.head == git(repo, "rev-parse", "HEAD").strip()
    assert not history.shallow


def test_cochange_needs_support_and_confidence(repo: Path) -> None:
    history = read_history(repo)
    modules = {
        "app/orders.py": "app.orders",
        "app/billing.py": "app.billing",
        "app/shipping.py": "app.shipping",
    }
    couplings = cochange_couplings(history, modules)
    assert [(c.source, c.target, c.count, c.detail) for c in couplings] == [
        ("app.billing", "app.orders", 3, "changed together in 3 of 3 commits"),
    ]


def test_huge_commits_are_ignored() -> None:
    paths = tuple(f"m{i}.py" for i in range(40))
    history = History((Commit("a", paths), Commit("b", paths)))
    assert cochange_couplings(history, {p: p[:-3] for p in paths}) == []


def test_repository_configuration_cannot_run_programs(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for key in ("core.fsmonitor", "core.pager", "core.sshCommand", "diff.external", "gpg.program"):
        git(repo, "config", key, f"touch {marker}")
    git(repo, "config", "log.showSignature", "true")
    hooks = repo / ".git" / "hooks"
    for hook in ("post-checkout", "pre-commit", "reference-transaction"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / hook).chmod(0o755)
    assert read_history(repo).available
    assert not marker.exists()


def test_shallow_clone_is_detected(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True, env=ENV
    )
    history = read_history(clone)
    assert history.shallow
    assert history.note == "shallow clone: history is truncated"
    assert len(history.commits) == 1


def test_no_repository_and_a_damaged_one_mean_no_history(tmp_path: Path, repo: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert read_history(plain) == History(note="not a git repository")
    (repo / ".git" / "HEAD").write_text("garbage\n")
    damaged = read_history(repo)
    assert not damaged.available
    assert damaged.note


def test_history_is_cached_by_head_commit(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs: list[str] = []
    real = git_module._git

    def counting(root: Path, *args: str) -> str:
        if args[0] == "log":
            logs.append(str(root))
        return real(root, *args)

    monkeypatch.setattr(git_module, "_git", counting)
    cache = FactCache.open(tmp_path / "cache")
    try:
        first = read_history(repo, cache=cache)
        again = read_history(repo, cache=cache)
        assert again == first and first.commits
        assert len(logs) == 1  # the second read came from the cache
        commit(repo, "shop/orders.py")
        moved = read_history(repo, cache=cache)
        assert len(logs) == 2 and moved.head != first.head
        assert moved.commits[1:] == first.commits
        assert read_history(repo, max_commits=1, cache=cache).commits == moved.commits[:1]
    finally:
        cache.close()


def test_a_damaged_cached_history_is_read_again(repo: Path, tmp_path: Path) -> None:
    cache = FactCache.open(tmp_path / "cache")
    try:
        first = read_history(repo, cache=cache)
        db = sqlite3.connect(tmp_path / "cache" / "facts.sqlite3")
        db.execute("UPDATE blobs SET data = ?", (zlib.compress(b'{"commits": 5}'),))
        db.commit()
        db.close()
        assert read_history(repo, cache=cache) == first
    finally:
        cache.close()
