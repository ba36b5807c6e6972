"""A synthetic monolith with exact ground truth: independent pure-Python libraries side by side.

Downloads pinned wheels from PyPI (cached in $SEAMS_CORPORA/synthetic), unpacks their packages
under one root, runs `seams analyze` at module granularity with --services = number of libraries
(and once with --services auto), and prints ARI, NMI and MoJoFM against "each library is one
service". None of the libraries imports another, so the truth is unambiguous.

Usage: python bench/quality/synthetic.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from analyzer.design.evaluate.agreement import agreement

CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
# requirement -> top-level packages it ships (attrs ships two that form one library)
LIBRARIES = {
    "attrs==25.3.0": ("attr", "attrs"),
    "click==8.1.8": ("click",),
    "jinja2==3.1.6": ("jinja2",),
    "pyparsing==3.2.3": ("pyparsing",),
    "sqlparse==0.5.3": ("sqlparse",),
    "tomlkit==0.13.2": ("tomlkit",),
    "packaging==25.0": ("packaging",),
    "docutils==0.21.2": ("docutils",),
}


def fetch(dest: Path) -> Path:
    """The combined source tree (built once)."""
    tree = dest / "tree"
    if tree.is_dir():
        return tree
    wheels = dest / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    for requirement in LIBRARIES:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--only-binary",
                ":all:",
                "-d",
                str(wheels),
                requirement,
            ],
            check=True,
        )
    staging = Path(tempfile.mkdtemp(dir=dest))
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(staging)
    tree.mkdir()
    for packages in LIBRARIES.values():
        for package in packages:
            shutil.copytree(staging / package, tree / package)
    shutil.rmtree(staging)
    return tree


def truth(document: dict) -> dict[str, str]:
    owner = {
        package: req.split("==")[0] for req, packages in LIBRARIES.items() for package in packages
    }
    return {module: owner[module.split(".")[0]] for module in document["modules"]}


def run(tree: Path, out: Path, services: str) -> dict:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "analyzer",
            "analyze",
            str(tree),
            "-o",
            str(out),
            "--granularity",
            "module",
            "--services",
            services,
            "--no-git",
            "--quiet",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads((out / "decomposition.json").read_text())


def main() -> None:
    tree = fetch(CORPORA / "synthetic")
    lines = sum(len(p.read_text(errors="replace").splitlines()) for p in tree.rglob("*.py"))
    print(f"synthetic monolith: {len(LIBRARIES)} libraries, {lines:,} lines under {tree}")
    with tempfile.TemporaryDirectory() as tmp:
        for services in (str(len(LIBRARIES)), "auto"):
            document = run(tree, Path(tmp) / services, services)
            reference = truth(document)
            scores = agreement(document["modules"], reference)
            count = len([s for s in document["services"] if s["kind"] == "service"])
            print(
                f"--services {services:>4}: {count} services, {scores['items']} modules: "
                f"ARI {scores['ari']:.3f}  NMI {scores['nmi']:.3f}  MoJoFM {scores['mojofm']:.1f}"
            )


if __name__ == "__main__":
    main()
