"""`seams check` beside `tach check` on a large monolith, as ratios measured in the same run.

Usage: python bench/check_speed.py [CORPUS_DIR] [--rounds N] [--file REL_PATH]
                                   [--exclude PATTERN]... [--write FILE]
       (default: netbox from ~/.cache/seams-corpora without extras/data/, 7 rounds,
       dcim/models/devices.py, writes bench/CHECK_SPEED.md)

This is the check-speed benchmark: its targets are the ones `seams check` is held to.

On a temporary git copy: `seams init` declares the proposal, `seams export --to tach` writes
the same boundaries as a tach.toml, and one run of each warms the caches. Then, round by round
(the order of the two commands alternates between rounds, so that load from other work on the
machine falls on both):

- nothing changed: `seams check` and `tach check`;
- after a one-file change: a function using a name the file imports from its own project is
  appended to FILE (new facts, so Seams parses the file again and resolves every coupling),
  then `seams check` and `tach check`, both on the changed code.

Each figure is the wall time of the whole command, interpreter start-up included; the ratio
seams/tach is taken within a round, then the median over the rounds is reported, with the CPU
time ratio (user + system of the command and its children) beside it.
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
TARGETS = {"nothing changed": 2.0, "after a one-file change": 3.0}


@dataclass
class Scenario:
    name: str
    seams: list[tuple[float, float]] = field(default_factory=list)  # (wall, cpu)
    tach: list[tuple[float, float]] = field(default_factory=list)

    def ratios(self, index: int) -> list[float]:
        return [s[index] / t[index] for s, t in zip(self.seams, self.tach, strict=True)]


def timed(command: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds of ``command`` and its children."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def seams(*args: str) -> list[str]:
    return [sys.executable, "-m", "analyzer", *args]


def tach() -> list[str]:
    path = Path(sysconfig.get_path("scripts")) / "tach"
    if not path.is_file():
        sys.exit(f"tach is not installed beside {sys.executable}: pip install -e '.[bench]'")
    return [str(path), "check"]


def imported_name(path: Path, packages: set[str]) -> str:
    """A name ``path`` imports from its own project (a use the resolver must follow)."""
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").split(".")[0] in packages
        ):
            for alias in node.names:
                if alias.name != "*":
                    return alias.asname or alias.name
    sys.exit(f"{path} imports nothing from its own project: choose another --file")


def run_round(scenario: Scenario, repo: Path, seams_first: bool) -> None:
    pairs = [("seams", seams("check", ".", "-q")), ("tach", tach())]
    for name, command in pairs if seams_first else reversed(pairs):
        wall, cpu, proc = timed(command, repo)
        if proc.returncode not in (0, 1):
            sys.exit(f"{' '.join(command)} failed: {proc.stderr[-2000:]}")
        getattr(scenario, name).append((wall, cpu))


def stages(repo: Path) -> str:
    _, _, proc = timed(seams("check", ".", "-q", "--timings"), repo)
    rows = [line.split() for line in proc.stderr.splitlines()[2:] if line.strip()]
    return ", ".join(f"{row[0]} {row[1]} s" for row in rows if len(row) > 2)


def report(scenarios: list[Scenario], header: list[str], notes: dict[str, str]) -> str:
    lines = ["# `seams check` speed, beside `tach check`", "", *header, ""]
    lines += ["| measurement | rounds | seams (median) | tach (median) | wall ratio (median) "]
    lines[-1] += "| CPU ratio (median) | target (wall) | met |"
    lines.append("|---|---|---|---|---|---|---|---|")
    for s in scenarios:
        wall = statistics.median(s.ratios(0))
        cpu = statistics.median(s.ratios(1))
        target = TARGETS[s.name]
        lines.append(
            f"| {s.name} | {len(s.seams)} | {statistics.median(w for w, _ in s.seams):.2f} s "
            f"| {statistics.median(w for w, _ in s.tach):.2f} s | {wall:.2f} | {cpu:.2f} "
            f"| <= {target:g} | {'yes' if wall <= target else 'NO'} |"
        )
    lines += ["", "Per round (seams / tach wall seconds):", ""]
    for s in scenarios:
        rounds = ", ".join(f"{a[0]:.2f}/{b[0]:.2f}" for a, b in zip(s.seams, s.tach, strict=True))
        lines.append(f"- {s.name}: {rounds}")
    lines += ["", "`seams check --timings`, once more after the rounds:", ""]
    lines += [f"- {name}: {text}" for name, text in notes.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(CORPORA / "netbox"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--file", default="dcim/models/devices.py")
    parser.add_argument("--exclude", action="append", default=None)
    parser.add_argument("--write", type=Path, default=ROOT / "bench" / "CHECK_SPEED.md")
    args = parser.parse_args()
    excludes = args.exclude if args.exclude is not None else ["extras/data/"]
    with tempfile.TemporaryDirectory(prefix="seams-check-speed-") as tmp:
        repo = Path(tmp) / Path(args.corpus).name
        shutil.copytree(args.corpus, repo, symlinks=True)
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        exclude = [arg for pattern in excludes for arg in ("--exclude", pattern)]
        for step in (
            seams("init", ".", "-q", *exclude),
            seams("export", ".", "--to", "tach", "-o", "tach.toml", "-q"),
        ):
            _, _, proc = timed(step, repo)
            if proc.returncode != 0:
                sys.exit(f"{' '.join(step)} failed: {proc.stderr[-2000:]}")
        for command in (seams("check", ".", "-q"), tach()):  # warm-up, not counted
            timed(command, repo)
        unchanged = Scenario("nothing changed")
        for round_ in range(args.rounds):
            run_round(unchanged, repo, seams_first=round_ % 2 == 0)
        notes = {unchanged.name: stages(repo)}
        changed = Scenario("after a one-file change")
        target = repo / args.file
        packages = {p.name for p in repo.iterdir() if (p / "__init__.py").is_file()}
        name = imported_name(target, packages)
        for round_ in range(args.rounds + 1):
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"\n\ndef _check_speed_{round_}():\n    return {name}\n")
            if round_ == args.rounds:
                notes[changed.name] = stages(repo)
            else:
                run_round(changed, repo, seams_first=round_ % 2 == 0)
    header = [
        f"Produced by `python bench/check_speed.py` on {Path(args.corpus).name} "
        f"(excluded: {', '.join(excludes)}); tach runs on the tach.toml `seams export` writes.",
        f"- {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at end {os.getloadavg()[0]:.1f}",
        f"- the changed file: {args.file} (a function returning `{name}` appended per round)",
    ]
    text = report([unchanged, changed], header, notes)
    print(text)
    args.write.write_text(text)


if __name__ == "__main__":
    main()
