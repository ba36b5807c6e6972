"""Decomposition quality on the bundled fixtures, against their truth.json.

For each fixture: symbol ARI/NMI/MoJoFM of the proposal (symbol granularity, services auto, and
--services = the number of capabilities in truth), averaged over seeds 0-2; and how many tables
come out exact, i.e. with owner, writers and readers equal to the truth once each proposed
service is mapped to the capability holding most of its code (by lines).

Usage: python bench/quality/fixtures.py [NAME ...]
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from analyzer.design.evaluate.agreement import agreement
from analyzer.model.options import AnalyzeOptions
from analyzer.pipeline import analyze

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NAMES = ["layered", "shop", "orm_django", "orm_sqlalchemy", "orm_sqlmodel", "orm_peewee"]
SHARED = {"shared", "core", "project", "common"}


def exact_tables(document: dict[str, Any], truth: dict[str, Any]) -> int:
    loc = {n["id"]: n["loc"] for n in document["graph"]["nodes"]}
    share: dict[str, Counter[str]] = defaultdict(Counter)
    for symbol, service in document["symbols"].items():
        share[service][truth["symbols"].get(symbol, "?")] += loc.get(symbol, 1) + 1
    capability = {s: c.most_common(1)[0][0] for s, c in share.items()}
    exact = 0
    for table, want in truth.get("table_access", {}).items():
        got = document["tables"].get(table)
        if got is None:
            continue
        owner = capability.get(got["owner"]) if got["owner"] else None
        same = (
            owner == truth["tables"][table]
            and sorted({capability.get(w) for w in got["writers"]}) == sorted(want["writers"])
            and sorted({capability.get(r) for r in got["readers"]}) == sorted(want["readers"])
        )
        exact += same
    return exact


def main() -> None:
    for name in sys.argv[1:] or NAMES:
        truth = json.loads((FIXTURES / name / "truth.json").read_text())
        count = len(set(truth["symbols"].values()) - SHARED)
        for services in (None, count):
            runs = []
            for seed in (0, 1, 2):
                options = AnalyzeOptions(git=False, seed=seed, services=services, jobs=1)
                document = analyze(FIXTURES / name, options).document
                scores = agreement(document["symbols"], truth["symbols"])
                runs.append((scores, exact_tables(document, truth), len(document["services"])))
            mean = {k: statistics.mean(r[0][k] for r in runs) for k in ("ari", "nmi", "mojofm")}
            tables = statistics.mean(r[1] for r in runs)
            print(
                f"{name:15s} services {services or 'auto'!s:>4s}: ARI {mean['ari']:.2f} "
                f"NMI {mean['nmi']:.2f} MoJoFM {mean['mojofm']:5.1f}  tables exact "
                f"{tables:4.1f}/{len(truth.get('table_access', {}))}  ({runs[0][2]} services)"
            )


if __name__ == "__main__":
    main()
