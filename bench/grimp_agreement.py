"""Agreement of Seams' import resolution with grimp's import graph (the reference for Python).

Usage: python bench/grimp_agreement.py [CORPUS_DIR PACKAGE]   (default: django-oscar's ``oscar``)

Both tools see every module of the package (tests and migrations included). An edge is an
internal module-to-module import; Seams' literal dynamic imports are left out because grimp does
not see them. Prints recall (grimp's edges Seams finds), precision (Seams' edges grimp confirms)
and the Jaccard index, and lists a sample of the differences.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import grimp

from analyzer.design.symbols.imports import resolve_import
from analyzer.extract.discover import DiscoverOptions, discover_files
from analyzer.extract.scan import scan

CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))


def seams_edges(root: Path, package: str) -> tuple[set[tuple[str, str]], set[str]]:
    discovery = discover_files(root, DiscoverOptions(include_tests=True, include_migrations=True))
    result = scan(discovery)
    modules = frozenset(
        f.module for f in result.facts if f.module == package or f.module.startswith(package + ".")
    )
    edges = set()
    for file in result.facts:
        if file.module not in modules:
            continue
        for fact in file.imports:
            if fact.dynamic:
                continue
            target = resolve_import(fact, modules)
            if target is not None and target != file.module:
                edges.add((file.module, target))
    return edges, set(modules)


def grimp_edges(root: Path, package: str) -> tuple[set[tuple[str, str]], set[str]]:
    sys.path.insert(0, str(root))
    graph = grimp.build_graph(package, cache_dir=None)
    edges = {
        (m, imported)
        for m in graph.modules
        for imported in graph.find_modules_directly_imported_by(m)
    }
    return edges, set(graph.modules)


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPORA / "django-oscar"
    package = sys.argv[2] if len(sys.argv) > 2 else "oscar"
    t0 = time.perf_counter()
    ours, our_modules = seams_edges(root, package)
    t1 = time.perf_counter()
    theirs, their_modules = grimp_edges(root, package)
    t2 = time.perf_counter()
    common = our_modules & their_modules
    ours = {e for e in ours if e[0] in common and e[1] in common}
    theirs = {e for e in theirs if e[0] in common and e[1] in common}
    both = ours & theirs
    print(
        f"corpus {root} package {package}: {len(common)} modules in common "
        f"(seams {len(our_modules)}, grimp {len(their_modules)})"
    )
    print(f"edges: seams {len(ours)}, grimp {len(theirs)}, both {len(both)}")
    print(f"recall (grimp edges found by seams): {len(both) / max(1, len(theirs)):.4f}")
    print(f"precision (seams edges confirmed by grimp): {len(both) / max(1, len(ours)):.4f}")
    print(f"jaccard: {len(both) / max(1, len(ours | theirs)):.4f}")
    print(f"time: seams discover+parse {t1 - t0:.2f} s, grimp build_graph {t2 - t1:.2f} s")
    for label, diff in (
        ("only seams", sorted(ours - theirs)),
        ("only grimp", sorted(theirs - ours)),
    ):
        print(f"{label}: {len(diff)}")
        for a, b in diff[:15]:
            print(f"  {a} -> {b}")


if __name__ == "__main__":
    main()
