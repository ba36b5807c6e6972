"""`seams export` on a real monolith: the contracts pass on the code they come from and fail on
one import that makes a dependency the baseline lacks, for tach and import-linter alike.

Usage: python bench/export_check.py [CORPUS_DIR] [--exclude PATTERN]... [--write FILE]
       (default: netbox from ~/.cache/seams-corpora without extras/data/, writes
       bench/EXPORT.md)

On a temporary git copy: `seams init`, `seams export --to tach` and `--to import-linter`, then
`seams check`, `tach check` and `lint-imports` on the unchanged code (each must pass), then one
module of a service imports a module of another service it has no dependency on in the
baseline, and the three run again (each must fail). tach and lint-imports are those installed
beside this Python (pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analyzer.check.mapping import ServiceMap
from analyzer.config import parse_config

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))


@dataclass(frozen=True)
class Run:
    tool: str
    code: int
    seconds: float
    summary: str


def _run(name: str, command: list[str], repo: Path) -> tuple[Run, str]:
    env = {**os.environ, "PYTHONPATH": f"{repo}{os.pathsep}{ROOT}", "NO_COLOR": "1"}
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    output = proc.stdout + proc.stderr
    return Run(name, proc.returncode, seconds, _summary(name, output)), output


def _summary(name: str, output: str) -> str:
    if name == "tach check":
        failures = output.count("[FAIL]")
        return f"{failures} error(s)" if failures else "all modules validated"
    if name == "lint-imports":
        line = next((x for x in output.splitlines() if x.startswith("Contracts:")), "")
        return line.removeprefix("Contracts: ") or output.strip().splitlines()[-1]
    line = next((x for x in output.splitlines() if x.startswith("seams check:")), "")
    return line.removeprefix("seams check: ").split(" in ", 1)[0]


def _tool(name: str) -> str:
    path = Path(sysconfig.get_path("scripts")) / name
    if not path.is_file():
        sys.exit(f"{name} is not installed beside {sys.executable}: pip install -e '.[bench]'")
    return str(path)


def _seams(*args: str) -> list[str]:
    return [sys.executable, "-m", "analyzer", *args]


def _round(repo: Path) -> list[tuple[Run, str]]:
    return [
        _run("seams check", _seams("check", ".", "-q"), repo),
        _run("tach check", [_tool("tach"), "check"], repo),
        _run("lint-imports", [_tool("lint-imports"), "--config", ".importlinter"], repo),
    ]


def _module_file(repo: Path, module: str) -> Path | None:
    base = repo / module.replace(".", "/")
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _importable(repo: Path, module: str) -> bool:
    """A module grimp sees: every directory above it holds an __init__.py."""
    parts = module.split(".")
    return all((repo.joinpath(*parts[:i]) / "__init__.py").is_file() for i in range(1, len(parts)))


def new_dependency(repo: Path) -> tuple[str, str, str, str]:
    """Append to a module of one service an import of a module of another service, the two
    having no dependency either way in the baseline; (file, line, source, target)."""
    table = tomllib.loads((repo / "seams.toml").read_text())
    boundaries = parse_config(table, "seams.toml").boundaries
    assert boundaries is not None
    services = ServiceMap(boundaries)
    recorded = json.loads((repo / ".seams-baseline.json").read_text())["violations"]
    split = {p.split(":", 1)[0] for s in boundaries.services for p in s.modules if ":" in p}
    modules: dict[str, list[str]] = {name: [] for name in boundaries.names}
    for path in sorted(repo.rglob("*.py")):
        parts = path.relative_to(repo).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        owner = services.module(module)
        wanted = not {"tests", "migrations", "data"} & set(parts) and module not in split
        if owner in modules and wanted and _importable(repo, module):
            modules[owner].append(module)
    for source, own in sorted(modules.items()):
        for target, others in sorted(modules.items()):
            pairs = (f"{source} -> {target}", f"{target} -> {source}")
            if source == target or any(p in recorded for p in pairs) or not others:
                continue
            files = [f for m in own if (f := _module_file(repo, m)) and f.name != "__init__.py"]
            if files:
                text = files[0].read_text()
                files[0].write_text(text + f"\nimport {others[0]}  # new dependency\n")
                line = len((text + "\n").splitlines()) + 1
                return files[0].relative_to(repo).as_posix(), str(line), source, target
    raise SystemExit("every service already depends on every other")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(CORPORA / "netbox"))
    parser.add_argument("--exclude", action="append", default=None)
    parser.add_argument("--write", type=Path, default=ROOT / "bench" / "EXPORT.md")
    args = parser.parse_args()
    excludes = args.exclude if args.exclude is not None else ["extras/data/"]
    name = Path(args.corpus).name
    with tempfile.TemporaryDirectory(prefix="seams-export-") as tmp:
        repo = Path(tmp) / name
        shutil.copytree(args.corpus, repo, symlinks=True)
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        exclude = [arg for pattern in excludes for arg in ("--exclude", pattern)]
        for args_ in (
            ("init", ".", "-q", *exclude),
            ("export", ".", "--to", "tach", "-o", "tach.toml", "-q"),
            ("export", ".", "--to", "import-linter", "-o", ".importlinter", "-q"),
        ):
            run, output = _run(f"seams {args_[0]}", _seams(*args_), repo)
            if run.code != 0:
                sys.exit(f"seams {' '.join(args_)} failed: {output}")
        before = _round(repo)
        path, line, source, target = new_dependency(repo)
        after = _round(repo)
    rows = [(run, "unchanged code", run.code == 0) for run, _ in before]
    rows += [(run, f"after {path}:{line}", run.code != 0) for run, _ in after]
    module = path.removesuffix(".py").replace("/", ".")
    located = [f"{path}:{line}" in out or module in out for _, out in after]
    lines = [
        "# `seams export` on a real monolith",
        "",
        f"Produced by `python bench/export_check.py` on {name} (excluded: {', '.join(excludes)}).",
        f"The new dependency: {source} -> {target}, one `import` appended to {path}.",
        "",
        "| tool | code | exit | expected | wall | result |",
        "|---|---|---|---|---|---|",
        *(
            f"| {run.tool} | {where} | {run.code} | {'pass' if where.startswith('un') else 'fail'}"
            f" {'(met)' if met else '(NOT met)'} | {run.seconds:.2f} s | {run.summary} |"
            for run, where, met in rows
        ),
        "",
        f"Each failing run names the edited file: {'yes' if all(located) else 'no'}.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    args.write.write_text(report)
    if not all(met for _, _, met in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
