"""`seams export`: tach and import-linter accept the contracts, pass on the code they come from,
and fail on an import that makes a dependency the baseline lacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from importlinter.adapters.user_options import IniFileUserOptionReader
from importlinter.configuration import configure

from tests.check_support import check, git_copy, init, module_file, new_dependency
from tests.conftest import installed, run_seams


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = git_copy("shop", tmp_path_factory.mktemp("export") / "shop")
    assert init(repo).code == 0
    return repo


@pytest.fixture
def repo(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "shop"))


def tool(repo: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    command = [installed(name), *args]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, timeout=300)


def tach_check(repo: Path) -> subprocess.CompletedProcess[str]:
    return tool(repo, "tach", "check")


def lint_imports(repo: Path) -> subprocess.CompletedProcess[str]:
    return tool(repo, "lint-imports", "--config", str(repo / ".importlinter"))


def export(repo: Path) -> None:
    for target, name in (("tach", "tach.toml"), ("import-linter", ".importlinter")):
        run = run_seams("export", repo, "--to", target, "-o", repo / name, "--jobs", "1")
        assert run.code == 0, run.stderr


def test_tach_lists_every_module_of_every_service_and_passes_on_the_unchanged_code(
    repo: Path,
) -> None:
    # a boundary drawn through a module: one function of the catalog's services is pricing's
    with (repo / "seams.toml").open("a") as declared:
        declared.write(
            '\n[[service]]\nname = "pricing"\nmodules = ["shop.catalog.services:update_price"]\n'
        )
    export(repo)
    config = tomllib.loads((repo / "tach.toml").read_text())
    seams = tomllib.loads((repo / "seams.toml").read_text())
    paths = {p for m in config["modules"] for p in m.get("paths", [m.get("path")])}
    for service in seams["service"]:
        assert any(p.split(":")[0] in paths for p in service["modules"]), service["name"]
    split = {p.split(":")[0] for s in seams["service"] for p in s["modules"] if ":" in p}
    assert split and split <= paths, "modules split between services are units of their own"
    shared = [m for m in config["modules"] if m.get("utility")]
    assert len(shared) == 1 and set(seams["shared"]["modules"]) & set(shared[0]["paths"])
    for module in config["modules"]:
        assert set(module["depends_on"]) <= paths
    passed = tach_check(repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_lint_imports_reads_the_contracts_and_passes_on_the_unchanged_code(repo: Path) -> None:
    export(repo)
    configure()
    options = IniFileUserOptionReader().read_options(str(repo / ".importlinter"))
    assert options is not None
    assert options.session_options["root_packages"] == ["shop"]
    seams = tomllib.loads((repo / "seams.toml").read_text())
    contracts = {c["id"]: c for c in options.contracts_options}
    assert {c["type"] for c in contracts.values()} == {"forbidden"}
    names = {f"seams-{s['name']}" for s in seams["service"]} | {"seams-shared"}
    assert names & set(contracts) and any(c.startswith("seams-split-") for c in contracts)
    kept = lint_imports(repo)
    assert kept.returncode == 0, kept.stdout + kept.stderr


@pytest.mark.slow
def test_an_import_making_a_new_dependency_fails_seams_tach_and_lint_imports(
    repo: Path,
) -> None:
    export(repo)
    edit = new_dependency(repo)
    assert check(repo).code == 1
    tach = tach_check(repo)
    assert tach.returncode == 1, tach.stdout
    assert f"{edit.path}:{edit.line}" in tach.stdout + tach.stderr
    lint = lint_imports(repo)
    assert lint.returncode == 1, lint.stdout
    module = edit.path.removesuffix(".py").replace("/", ".")
    assert f"seams: {edit.source} BROKEN" in lint.stdout
    assert f"{module} is not allowed to import" in lint.stdout


@pytest.mark.slow
def test_using_the_shared_library_from_anywhere_passes_all_three(repo: Path) -> None:
    export(repo)
    seams = tomllib.loads((repo / "seams.toml").read_text())
    shared = next(m for m in seams["shared"]["modules"] if m.startswith("shop.core."))
    for service in seams["service"]:
        module = next(p for p in service["modules"] if ":" not in p and p != "shop.core")
        path = module_file(repo, module)
        assert path is not None
        path.write_text(path.read_text() + f"\nimport {shared}  # shared\n")
    assert check(repo).code == 0
    assert tach_check(repo).returncode == 0
    assert lint_imports(repo).returncode == 0


@pytest.mark.slow
def test_exporting_code_that_fails_the_check_gives_contracts_that_fail_too(repo: Path) -> None:
    edit = new_dependency(repo)
    export(repo)
    tach = tach_check(repo)
    assert f"{edit.path}:{edit.line}" in tach.stdout + tach.stderr
    assert f"seams: {edit.source} BROKEN" in lint_imports(repo).stdout


def test_export_without_boundaries_is_a_usage_error(tmp_path: Path) -> None:
    repo = git_copy("shop", tmp_path / "shop")
    run = run_seams("export", repo, "--to", "tach")
    assert run.code == 2 and "seams init" in run.stderr
