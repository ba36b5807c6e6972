"""A synthetic monolith with exact ground truth: independent pure-Python libraries under one
root package.

Downloads pinned wheels from PyPI (cached in $SEAMS_CORPORA/synthetic), unpacks their packages
under ``monolith/`` and rewrites their absolute imports of each other's top-level names
(``import click`` -> ``from monolith import click``, ``from click.core import X`` ->
``from monolith.click.core import X``) so they still resolve. None of the libraries imports
another, so "each library is one service" is unambiguous. Scores ARI, NMI and MoJoFM at symbol
granularity (the goal: ARI >= 0.95 in automatic mode) and at module granularity, at the number of
libraries and in automatic mode.

Usage: python bench/quality/synthetic.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.quality.seams_api import agreement, run_seams

CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
ROOT = "monolith"
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
PACKAGES = [p for packages in LIBRARIES.values() for p in packages]
_NAMES = "|".join(sorted(PACKAGES, key=len, reverse=True))
# An import statement at the start of a line; the name must end there (no `import clickx`).
_IMPORT = re.compile(rf"^(\s*)import ({_NAMES})(\.[\w.]+)?(\s+as\s+\w+)?\s*$", re.MULTILINE)
_FROM = re.compile(rf"^(\s*)from ({_NAMES})(\.[\w.]+)?(\s+import\s)", re.MULTILINE)


def rewrite_imports(source: str) -> str:
    """Absolute imports of the bundled libraries, made to point under ``monolith``."""

    def plain(match: re.Match[str]) -> str:
        indent, name, sub, alias = match.groups()
        if sub is None and alias is None:
            return f"{indent}from {ROOT} import {name}"
        if alias is not None:
            return f"{indent}import {ROOT}.{name}{sub or ''}{alias}"
        # `import click.core` binds `click`: keep that name bound, and import the submodule
        return f"{indent}from {ROOT} import {name}\n{indent}import {ROOT}.{name}{sub}"

    def from_(match: re.Match[str]) -> str:
        indent, name, sub, rest = match.groups()
        return f"{indent}from {ROOT}.{name}{sub or ''}{rest}"

    return _FROM.sub(from_, _IMPORT.sub(plain, source))


def fetch(dest: Path) -> Path:
    """The combined source tree (built once per version of this layout)."""
    tree = dest / "tree-rooted"
    if tree.is_dir():
        return tree
    wheels = dest / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    for requirement in LIBRARIES:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary",
             ":all:", "-d", str(wheels), requirement],
            check=True,
        )  # fmt: skip
    staging = Path(tempfile.mkdtemp(dir=dest))
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(staging)
    building = dest / "tree-building"
    shutil.rmtree(building, ignore_errors=True)
    (building / ROOT).mkdir(parents=True)
    (building / ROOT / "__init__.py").write_text('"""Libraries bundled as one code base."""\n')
    for package in PACKAGES:
        shutil.copytree(staging / package, building / ROOT / package)
    for path in sorted((building / ROOT).rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        path.write_text(rewrite_imports(text), encoding="utf-8", errors="surrogateescape")
    shutil.rmtree(staging)
    building.rename(tree)
    return tree


def library_of(module: str) -> str | None:
    owner = {p: req.split("==")[0] for req, packages in LIBRARIES.items() for p in packages}
    parts = module.split(".")
    return owner.get(parts[1]) if len(parts) > 1 and parts[0] == ROOT else None


def main() -> None:
    tree = fetch(CORPORA / "synthetic")
    lines = sum(len(p.read_text(errors="replace").splitlines()) for p in tree.rglob("*.py"))
    print(f"synthetic monolith: {len(LIBRARIES)} libraries, {lines:,} lines under {tree}/{ROOT}")
    cache = CORPORA / ".seams-bench" / "synthetic"
    for granularity in ("symbol", "module"):
        key = "symbols" if granularity == "symbol" else "modules"
        for services in (len(LIBRARIES), None):
            document = run_seams(
                tree, services=services, cache_dir=cache, jobs=2, granularity=granularity
            ).document
            items = document[key]
            reference = {
                item: lib for item in items if (lib := library_of(item.split(":")[0])) is not None
            }
            scores = agreement(items, reference)
            count = len([s for s in document["services"] if s["kind"] == "service"])
            goal = ""
            if granularity == "symbol" and services is None:
                goal = "  PASS" if scores["ari"] >= 0.95 else "  FAIL (goal ARI >= 0.95)"
            print(
                f"{granularity:6s} --services {services or 'auto'!s:>4}: {count} services, "
                f"{scores['items']} {key}: ARI {scores['ari']:.3f}  NMI {scores['nmi']:.3f}  "
                f"MoJoFM {scores['mojofm']:.1f}{goal}"
            )


if __name__ == "__main__":
    main()
