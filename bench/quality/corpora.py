"""Decomposition quality on every real corpus, in automatic mode, against today's layout.

For each corpus of ../shared/corpora/fetch.sh (the speed-only django, weblate and airflow-core
left out): Seams' automatic proposal (symbol granularity, seed 0) beside the as-is layout and
import-graph Louvain (bench/quality/baselines.py, its own count), all scored by Seams' metrics on
the proposal's graph with the proposal's shared library left out alike. A corpus passes when:

- ICP <= 0.95 x the as-is layout's ICP;
- data purity >= the as-is layout's;
- services >= max(3, half the as-is layout's units);
- the shared library holds <= 15% of the lines;
- no service holds more than 30% of the lines, unless the as-is layout has a unit that large.

Usage: python bench/quality/corpora.py [NAME ...]
Writes bench/quality/results-corpora.json and .md on a full run.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.quality.baselines import import_louvain
from bench.quality.seams_api import as_is_layout, metrics, run_seams

HERE = Path(__file__).resolve().parent
CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
NAMES = [
    "saleor",
    "django-oscar",
    "pretix",
    "netbox",
    "nautobot",
    "mayan-edms",
    "reviewboard",
    "tendenci",
    "shuup",
    "misago",
    "apache-superset",
    "flaskbb",
    "lemur",
    "ckan",
    "mlflow",
]
LARGEST = 0.30
SHARED_MAX = 0.15
ICP_FACTOR = 0.95


def measure(name: str) -> dict[str, Any]:
    start = time.perf_counter()
    analysis = run_seams(CORPORA / name, cache_dir=CORPORA / ".seams-bench" / name, jobs=2)
    document = analysis.document
    nodes = [n for n in document["graph"]["nodes"] if n["kind"] != "table"]
    units = as_is_layout(analysis)
    unit_lines: Counter[str] = Counter()
    for n in nodes:
        unit_lines[units.get(n["module"], n["module"])] += n["loc"]
    total = sum(s["loc"] for s in document["services"]) or 1
    services = [s for s in document["services"] if s.get("kind") != "shared-library"]
    shared = sum(s["loc"] for s in document["services"] if s.get("kind") == "shared-library")
    proposed, as_is = document["metrics"]["proposed"], document["metrics"]["as_is"]
    labels = import_louvain(document, None, 0)
    shared_names = {s["name"] for s in document["services"] if s.get("kind") == "shared-library"}
    excluded = [n["id"] for n in nodes if n["service"] in shared_names]
    louvain = metrics(analysis, {n["id"]: labels[n["module"]] for n in nodes}, excluded) or {}
    row = {
        "corpus": name,
        "services": len(services),
        "as_is_units": len(unit_lines),
        "icp": proposed["icp"],
        "as_is_icp": as_is["icp"],
        "louvain_icp": louvain.get("icp"),
        "data_purity": proposed["data_purity"],
        "as_is_data_purity": as_is["data_purity"],
        "louvain_data_purity": louvain.get("data_purity"),
        "louvain_communities": len(set(labels.values())),
        "shared_share": round(shared / total, 4),
        "largest_share": round(max((s["loc"] for s in services), default=0) / total, 4),
        "as_is_largest_share": round(
            max(unit_lines.values(), default=0) / max(sum(unit_lines.values()), 1), 4
        ),
        "seconds": round(time.perf_counter() - start, 1),
    }
    row["checks"] = checks(row)
    return row


def checks(row: dict[str, Any]) -> dict[str, bool]:
    icp, as_is_icp = row["icp"], row["as_is_icp"]
    purity, as_is_purity = row["data_purity"], row["as_is_data_purity"]
    return {
        "icp": icp is not None and as_is_icp is not None and icp <= ICP_FACTOR * as_is_icp,
        "data_purity": purity is None or as_is_purity is None or purity >= as_is_purity,
        "services": row["services"] >= max(3, row["as_is_units"] / 2),
        "shared": row["shared_share"] <= SHARED_MAX,
        "largest": row["largest_share"] <= LARGEST
        or row["largest_share"] <= row["as_is_largest_share"],
    }


def _f(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def table(rows: list[dict[str, Any]]) -> list[str]:
    head = (
        "| corpus | services (as-is units) | ICP (as-is, Louvain) | data purity (as-is, Louvain) "
        "| shared | largest (as-is) | Louvain count | failed | |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        failed = [k for k, ok in r["checks"].items() if not ok]
        lines.append(
            f"| {r['corpus']} | {r['services']} ({r['as_is_units']}) | {_f(r['icp'])} "
            f"({_f(r['as_is_icp'])}, {_f(r['louvain_icp'])}) | {_f(r['data_purity'])} "
            f"({_f(r['as_is_data_purity'])}, {_f(r['louvain_data_purity'])}) | "
            f"{r['shared_share']:.0%} | {r['largest_share']:.0%} ({r['as_is_largest_share']:.0%}) "
            f"| {r['louvain_communities']} | {', '.join(failed) or '-'} | "
            f"{'PASS' if not failed else 'FAIL'} |"
        )
    return lines


def main() -> None:
    names = sys.argv[1:] or NAMES
    start = time.perf_counter()
    rows = []
    for name in names:
        row = measure(name)
        rows.append(row)
        failed = [k for k, ok in row["checks"].items() if not ok]
        verdict = "PASS" if not failed else "FAIL"
        print(
            f"{verdict} {name}: {', '.join(failed) or 'all criteria met'} ({row['seconds']:.0f} s)",
            flush=True,
        )
    print()
    print("\n".join(table(rows)))
    passed = sum(not any(not ok for ok in r["checks"].values()) for r in rows)
    print(f"\n{passed}/{len(rows)} corpora pass, {(time.perf_counter() - start) / 60:.1f} min")
    if not sys.argv[1:]:
        (HERE / "results-corpora.json").write_text(json.dumps(rows, indent=1) + "\n")
        text = [
            "# Decomposition quality on real corpora (automatic mode)",
            "",
            "Produced by `python bench/quality/corpora.py`; criteria in its docstring.",
            "",
            *table(rows),
            "",
            f"{passed}/{len(rows)} corpora pass.",
        ]
        (HERE / "results-corpora.md").write_text("\n".join(text) + "\n")


if __name__ == "__main__":
    main()
