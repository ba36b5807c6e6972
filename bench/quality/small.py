"""Small or cohesive code bases: what Seams proposes when there is little or nothing to cut.

Downloads pinned wheels from PyPI (cached in $SEAMS_CORPORA/small), analyzes each package in
automatic mode and prints the number of services, the largest service's share of the lines, the
shared library's share and the document's verdict on splitting when it has one. Criteria:
requests, flask and httpx get at most 3 services (or a verdict against splitting them: a library,
or too cohesive; docs/metrics.md, Worth splitting?); no service of celery holds more than 30% of
the lines.

Usage: python bench/quality/small.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.quality.seams_api import run_seams

CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
# requirement -> (package, criterion)
PACKAGES = {
    "requests==2.32.3": ("requests", "few"),
    "flask==3.1.0": ("flask", "few"),
    "httpx==0.28.1": ("httpx", "few"),
    "celery==5.4.0": ("celery", "balanced"),
}
FEW = 3
LARGEST = 0.30


def fetch(requirement: str, dest: Path) -> Path:
    tree = dest / requirement.replace("==", "-")
    if tree.is_dir():
        return tree
    wheels = dest / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
         "-d", str(wheels), requirement],
        check=True,
    )  # fmt: skip
    name, version = requirement.split("==")
    wheel = next(
        w for w in sorted(wheels.glob("*.whl")) if w.name.lower().startswith(f"{name}-{version}")
    )
    building = tree.with_suffix(".building")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(building)
    building.rename(tree)
    return tree


def verdict(document: dict[str, Any]) -> str | None:
    """The document's verdict against splitting (library, cohesive), ``None`` when it has none."""
    found = (document.get("splitting") or {}).get("verdict")
    return None if found in (None, "split") else str(found)


def main() -> None:
    dest = CORPORA / "small"
    for requirement, (package, criterion) in PACKAGES.items():
        tree = fetch(requirement, dest)
        cache = CORPORA / ".seams-bench" / f"small-{package}"
        document = run_seams(tree, cache_dir=cache, jobs=2).document
        services = [s for s in document["services"] if s.get("kind") != "shared-library"]
        total = sum(s["loc"] for s in document["services"]) or 1
        shared = sum(s["loc"] for s in document["services"] if s.get("kind") == "shared-library")
        largest = max((s["loc"] for s in services), default=0) / total
        said = verdict(document)
        if criterion == "few":
            ok = len(services) <= FEW or said is not None
            goal = f"at most {FEW} services or a verdict against splitting"
        else:
            ok = largest <= LARGEST
            goal = f"no service above {LARGEST:.0%} of the lines"
        sizes = ", ".join(f"{s['name']} {s['loc']}" for s in services[:8])
        print(
            f"{'PASS' if ok else 'FAIL'} {requirement:18s} {len(services)} services, largest "
            f"{largest:.0%}, shared library {shared / total:.0%}, {total:,} lines; verdict: "
            f"{said!r}  ({goal})\n       {sizes}{' ...' if len(services) > 8 else ''}"
        )


if __name__ == "__main__":
    main()
