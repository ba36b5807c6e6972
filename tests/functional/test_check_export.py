"""`seams export`: the generated contracts are accepted by tach and import-linter themselves."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from importlinter.adapters.user_options import IniFileUserOptionReader
from importlinter.configuration import configure

from tests.check_support import git_copy, init, new_dependency
from tests.conftest import run_seams


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = git_copy("shop", tmp_path_factory.mktemp("export") / "shop")
    assert init(repo).code == 0
    return repo


@pytest.fixture
def repo(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "shop"))


def tool(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run(args, cwd=repo, capture_output=True, text=True, env=env, timeout=300)


def test_tach_config_lists_every_service_package_and_tach_accepts_it(repo: Path) -> None:
    run = run_seams("export", repo, "--to", "tach", "-o", repo / "tach.toml")
    assert run.code == 0, run.stderr
    config = tomllib.loads((repo / "tach.toml").read_text())
    seams = tomllib.loads((repo / "seams.toml").read_text())
    paths = {m["path"] for m in config["modules"]}
    header = (repo / "tach.toml").read_text().split("[[modules]]")[0]
    for service in seams["service"]:
        literal = [p for p in service["modules"] if ":" not in p]
        if literal:
            assert any(p in paths for p in literal), service["name"]
        else:  # only symbols split out of modules: tach cannot express it, the header says so
            assert all(p.split(":")[0] in header for p in service["modules"]), service["name"]
    for module in config["modules"]:
        for dependency in module.get("depends_on", []):
            assert dependency in paths
    passed = tool(repo, "tach", "check")
    assert passed.returncode == 0 and "[FAIL]" not in passed.stdout + passed.stderr, passed.stdout

    edit = new_dependency(repo)
    failed = tool(repo, "tach", "check")
    assert failed.returncode != 0, failed.stdout
    assert f"{edit.path}:{edit.line}" in failed.stdout + failed.stderr


def test_import_linter_reads_the_contracts_and_enforces_them(repo: Path) -> None:
    target = repo / ".importlinter"
    run = run_seams("export", repo, "--to", "import-linter", "-o", target)
    assert run.code == 0, run.stderr
    configure()
    options = IniFileUserOptionReader().read_options(str(target))
    assert options is not None
    assert options.session_options["root_packages"] == ["shop"]
    seams = tomllib.loads((repo / "seams.toml").read_text())
    contracts = {c["id"]: c for c in options.contracts_options}
    assert {c["type"] for c in contracts.values()} == {"forbidden"}
    assert set(contracts) <= {f"seams-{s['name']}" for s in seams["service"]} | {"seams-shared"}
    kept = tool(repo, "lint-imports", "--config", str(target))
    assert kept.returncode == 0, kept.stdout + kept.stderr

    edit = new_dependency(repo)
    broken = tool(repo, "lint-imports", "--config", str(target))
    assert broken.returncode == 1
    assert f"seams: {edit.source} BROKEN" in broken.stdout
    module = edit.path.removesuffix(".py").replace("/", ".")
    assert f"{module} is not allowed to import" in broken.stdout


def test_export_without_boundaries_is_a_usage_error(tmp_path: Path) -> None:
    repo = git_copy("shop", tmp_path / "shop")
    run = run_seams("export", repo, "--to", "tach")
    assert run.code == 2 and "seams init" in run.stderr
