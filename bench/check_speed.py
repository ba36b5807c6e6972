"""Wall time of `seams check` on a large monolith, warm, after touching one file.

Usage: python bench/check_speed.py [CORPUS_DIR] [--runs N] [--file REL_PATH]
       (default: netbox from ~/.cache/seams-corpora, 5 runs, dcim/models/devices.py)

Works on a temporary copy: `seams init` declares the proposal and records the baseline, one
`seams check` warms whatever caches exist, then each run appends a comment to one file (new
content, so a content-hash cache must re-parse it) and times the whole `seams check` command,
interpreter start-up included. Prints each run and the median; the target is under 2 s.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))

# An installed package has its bytecode compiled (pip does it); this environment may forbid
# writing it, which would add ~0.15 s of compiling to every run. Compile once, up front.
for _package in ("analyzer", "reports"):
    compileall.compile_dir(ROOT / _package, quiet=1)


def seams(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(CORPORA / "netbox"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", default="dcim/models/devices.py")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seams-check-speed-") as tmp:
        repo = Path(tmp) / Path(args.corpus).name
        shutil.copytree(args.corpus, repo, symlinks=True)
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        exclude = ["--exclude", "extras/data/"]
        took, proc = seams("init", str(repo), "-q", *exclude)
        if proc.returncode != 0:
            sys.exit(f"seams init failed: {proc.stderr}")
        print(f"seams init: {took:.1f} s ({proc.stdout.splitlines()[0]})")
        (repo / "seams.toml").write_text(
            (repo / "seams.toml")
            .read_text()
            .replace("# Declared service", 'exclude = ["extras/data/"]\n# Declared service', 1)
        )
        took, proc = seams("check", str(repo), "-q")
        print(f"first check: {took:.2f} s, exit {proc.returncode}")
        touched = repo / args.file
        times = []
        for run in range(args.runs):
            with touched.open("a", encoding="utf-8") as handle:
                handle.write(f"\n# touched {run}\n")
            took, proc = seams("check", str(repo), "-q", "--timings")
            if proc.returncode not in (0, 1):
                sys.exit(f"seams check failed: {proc.stderr}")
            times.append(took)
            stages = ", ".join(" ".join(line.split()) for line in proc.stderr.splitlines())
            print(f"check after touching {args.file}: {took:.2f} s ({stages})")
        print(f"median of {args.runs}: {statistics.median(times):.2f} s (target < 2 s)")


if __name__ == "__main__":
    main()
