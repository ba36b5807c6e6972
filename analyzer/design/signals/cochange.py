"""Co-change: modules that keep changing in the same commits are coupled, whatever the imports say.

A commit counts when it touches between two and ``MAX_FILES`` analyzed modules: bigger ones are
sweeps (formatting, renames, dependency bumps) that say nothing about design. A pair is coupled
when it changed together in at least ``MIN_SUPPORT`` commits and in at least ``MIN_CONFIDENCE`` of
the commits touching the less often changed of the two. History is per file, so co-change links
modules (their own top-level code at symbol granularity), never individual symbols.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from itertools import combinations

from analyzer.model.coupling import Coupling
from analyzer.model.history import History

MAX_FILES = 30
MIN_SUPPORT = 2
MIN_CONFIDENCE = 0.3


def cochange_couplings(history: History, modules_by_path: Mapping[str, str]) -> list[Coupling]:
    together: Counter[tuple[str, str]] = Counter()
    changes: Counter[str] = Counter()
    for commit in history.commits:
        modules = sorted({modules_by_path[p] for p in commit.paths if p in modules_by_path})
        if not 2 <= len(modules) <= MAX_FILES:
            continue
        changes.update(modules)
        together.update(combinations(modules, 2))
    paths = {module: path for path, module in modules_by_path.items()}
    out = []
    for (a, b), count in sorted(together.items()):
        base = min(changes[a], changes[b])
        if count >= MIN_SUPPORT and count / base >= MIN_CONFIDENCE:
            detail = f"changed together in {count} of {base} commits"
            out.append(Coupling(a, b, "cochange", paths[a], 0, detail, count))
    return out
