"""Code roles end to end: fixtures/roles (a forum shipping test, dev and fake-data code, see its
EXPECTED.md) analyzed as a user would, with and without ``--include-tests``."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from analyzer.collect import collect
from analyzer.design.data.ownership import assign_ownership
from analyzer.design.evaluate.asis import as_is_units
from analyzer.designing import uses_django
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import SilentReporter
from analyzer.pipeline import Timings
from reports.json_report import schema
from tests.conftest import FIXTURES, run_seams

ROLES = FIXTURES / "roles"
SET_ASIDE = {
    "agora/users/test.py": "test",
    "agora/threads/test.py": "test",
    "agora/core/testproject/__init__.py": "test",
    "agora/core/testproject/urls.py": "test",
    "agora/core/testproject/views.py": "test",
    "agora/faker/__init__.py": "fake-data",
    "agora/faker/apps.py": "fake-data",
    "agora/faker/threads.py": "fake-data",
    "agora/faker/management/__init__.py": "fake-data",
    "agora/faker/management/commands/__init__.py": "fake-data",
    "agora/faker/management/commands/createfakefollowers.py": "fake-data",
    "agora/faker/management/commands/createfakethreads.py": "fake-data",
    "agora/faker/management/commands/createfakeusers.py": "fake-data",
    "agora/core/management/commands/cleardb.py": "dev",
    "devproject/__init__.py": "dev",
    "devproject/settings.py": "dev",
    "devproject/urls.py": "dev",
    "devproject/wsgi.py": "dev",
}
# Product code that looks like the above: a sample maker webhooks use, maintenance commands.
KEPT = (
    "agora.core.sample",
    "agora.threads.management.commands.prunethreads",
    "agora.core.management.commands.rebuildcounters",
)


def _module(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("roles")
    run = run_seams("analyze", ROLES, "-o", out, "--no-git", "--jobs", "1")
    assert run.code == 0, run.stderr
    return {
        "document": json.loads((out / "decomposition.json").read_text()),
        "summary": (out / "summary.md").read_text(),
        "html": (out / "report.html").read_text(),
        "stdout": run.stdout,
    }


def test_test_dev_and_fake_data_code_is_in_no_service_and_skipped_with_its_role(
    analyzed: dict[str, Any],
) -> None:
    document = analyzed["document"]
    jsonschema.validate(document, schema())
    roles = {s["path"]: s["role"] for s in document["skipped"] if "role" in s}
    assert roles == SET_ASIDE
    modules = {s["path"]: s["module"] for s in document["skipped"] if "role" in s}
    assert modules == {path: _module(path) for path in SET_ASIDE}
    assert not set(modules.values()) & set(document["modules"])
    assert not any(
        n["module"] in set(modules.values()) for n in document["graph"]["nodes"] if n["module"]
    )
    for module in KEPT:
        assert module in document["modules"]


def test_each_entry_says_what_showed_its_role(analyzed: dict[str, Any]) -> None:
    reasons = {s["path"]: s["reason"] for s in analyzed["document"]["skipped"]}
    assert reasons["agora/users/test.py"] == (
        "test code: most of its code uses django.test.TestCase"
    )
    assert reasons["agora/threads/test.py"] == "test code: its name says test code"
    assert reasons["agora/faker/threads.py"] == (
        "fake-data code: only fake-data code uses it"
        " (agora.faker.management.commands.createfakethreads)"
    )
    assert reasons["agora/core/management/commands/cleardb.py"] == (
        "dev code: a management command that only empties 5 tables whole"
    )
    assert reasons["devproject/wsgi.py"] == (
        "dev code: part of devproject, a dev project (named so, with settings or URLs)"
    )


def test_set_aside_code_decides_no_owner_and_writes_no_table(analyzed: dict[str, Any]) -> None:
    document = analyzed["document"]
    files = {s["file"] for t in document["tables"].values() for s in t["sites"]}
    assert not files & set(SET_ASIDE)
    for table, entry in document["tables"].items():
        if entry["owner_reason"] == "model":
            assert entry["owner"] == document["symbols"][entry["models"][0]], table


def test_the_summary_and_the_report_say_why_files_were_skipped(analyzed: dict[str, Any]) -> None:
    summary = analyzed["summary"]
    assert f"## Skipped files ({len(SET_ASIDE)})" in summary
    assert "- `agora/core/management/commands/cleardb.py`: dev code: a management command" in (
        summary
    )
    assert "test code: most of its code uses django.test.TestCase" in analyzed["html"]
    assert "set aside as test, development, demo or fake-data code" in analyzed["stdout"]


def test_include_tests_brings_them_back(tmp_path: Path) -> None:
    run = run_seams("analyze", ROLES, "-o", tmp_path, "--no-git", "--jobs", "1", "--include-tests")
    assert run.code == 0, run.stderr
    document = json.loads((tmp_path / "decomposition.json").read_text())
    assert document["skipped"] == []
    assert {_module(path) for path in SET_ASIDE} <= set(document["modules"])
    assert document["parameters"]["include_tests"] is True
    # Analyzed, the fake-data commands and cleardb write tables.
    writers = {s["symbol"].split(":")[0] for t in document["tables"].values() for s in t["sites"]}
    assert "agora.faker.management.commands.createfakeusers" in writers
    assert "agora.core.management.commands.cleardb" in writers


def test_check_leaves_out_the_same_code_as_analyze(tmp_path: Path) -> None:
    repo = tmp_path / "agora"
    shutil.copytree(ROLES, repo, ignore=shutil.ignore_patterns(".seams-cache"))
    init = run_seams("init", repo, "-q")
    assert init.code == 0, init.stderr
    config = (repo / "seams.toml").read_text()
    assert "agora.faker" not in config and "devproject" not in config
    run = run_seams("check", repo)
    assert run.code == 0, run.stdout + run.stderr
    # Without the one file left out by its name, --include-tests finds the same files as a plain
    # check but looks at more of them: it must not reuse the outcome the plain check stored.
    (repo / "devproject" / "test_settings.py").unlink()
    product = len(list(repo.rglob("*.py"))) - len(SET_ASIDE)
    run = run_seams("check", repo)
    assert f" in {product} files" in run.stdout + run.stderr
    run = run_seams("check", repo, "--include-tests")
    assert f" in {product + len(SET_ASIDE)} files" in run.stdout + run.stderr


TODAYS_OWNERS = {
    "notifications_notification": ("notifications", "model", {"notifications": 2}),
    # Its model is notifications', but threads writes it, from three functions.
    "notifications_subscription": ("threads", "writes", {"threads": 3}),
    # The spam plugin's two writing functions do not outvote threads' three.
    "threads_post": ("threads", "model", {"moderation": 2, "threads": 3}),
    # prunethreads (maintenance) writes it too, uncounted.
    "threads_thread": ("threads", "model", {"threads": 3}),
    "users_follow": ("users", "model", {"users": 2}),
    # rebuildcounters (maintenance, in core) writes it: a conflict, but no vote.
    "users_user": ("users", "model", {"users": 2}),
}


@pytest.mark.parametrize("include_tests", [False, True], ids=["default", "include-tests"])
def test_under_todays_layout_owners_follow_the_model_unless_the_code_says_otherwise(
    include_tests: bool,
) -> None:
    """Cut along today's apps. With --include-tests the code set aside is analyzed, writes
    tables (the fake-data app, cleardb) and takes part in conflicts, but decides no owner."""
    options = AnalyzeOptions(git=False, jobs=1, include_tests=include_tests)
    collected = collect(ROLES, options, SilentReporter(), Timings())
    units = as_is_units(collected.discovery.files, django=uses_django(collected.files))
    groups: dict[str, set[str]] = defaultdict(set)
    for f in collected.files:
        groups[units[f.module]].add(f.module)
        groups[units[f.module]].update(f"{f.module}:{s.name}" for s in f.symbols)
    names = [n.removeprefix("agora.") for n in sorted(groups)]
    node_of = {node: node for members in groups.values() for node in members}
    clusters = [frozenset(groups[n]) for n in sorted(groups)]
    ownership = assign_ownership(collected.data, node_of, clusters)
    found = {
        t.table: (
            names[t.owner] if t.owner is not None else None,
            t.reason,
            {names[i]: n for i, n in t.units},
        )
        for t in ownership.tables
    }
    assert found == TODAYS_OWNERS
    writers = {t.table: [names[w] for w in t.writers] for t in ownership.tables}
    if include_tests:
        assert writers["threads_post"] == ["core", "faker", "moderation", "threads"]
        assert writers["users_follow"] == ["core", "faker", "users"]
    else:
        assert writers["threads_post"] == ["moderation", "threads"]
        assert writers["users_follow"] == ["users"]
        assert [t.table for t in ownership.conflicts()] == ["threads_post", "users_user"]
