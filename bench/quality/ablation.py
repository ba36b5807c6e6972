"""Ablation of the engine's switchable passes, on the dev split only.

Each pass ``EngineParams`` can switch off (the shared library set aside, today's layout with its
layers dissolved as a start, Leiden on the symbols as starts, the refinement on the symbols) is
switched off in turn and the dev split of the quality suite is run again: clustering seeds 0-2,
medians per case, mean symbol ARI at the truth's count and in automatic mode, generated
monoliths and real corpora apart. A pass stays only if switching it off loses on dev.

The analyses of an ablated engine are never taken from, nor written to, the result cache (their
parsed facts are), so the suite's own results are not touched.

Usage: python bench/quality/ablation.py [--seeds 0,1,2] [--jobs 2] [--baseline results-dev.json]
Writes bench/quality/results-ablation.md (and .json).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.quality.seams_api import DEFAULT_PARAMS
from bench.quality.split import CLUSTERING_SEEDS
from bench.quality.suite import cases_of, generated_tree, run_case

HERE = Path(__file__).resolve().parent
SWITCHES = ("shared_library", "dissolve_layers", "symbol_starts", "symbol_refine")
MODES = ("count", "auto")


def means(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean ARI of the proposal per kind of case and mode."""
    found: dict[str, dict[str, float]] = {}
    for kind in ("generated", "corpus"):
        chosen = [r for r in results if r["kind"] == kind]
        found[kind] = {
            mode: round(statistics.mean(r[mode]["proposal"]["ari"] for r in chosen), 4)
            for mode in MODES
        }
    return found


def run(switch: str, seeds: tuple[int, ...], jobs: int) -> list[dict[str, Any]]:
    cases = cases_of("dev")
    engine = DEFAULT_PARAMS.with_(**({switch: False} if switch else {}))
    with ProcessPoolExecutor(jobs) as pool:
        return [f.result() for f in [pool.submit(run_case, c, seeds, "", engine) for c in cases]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default=",".join(map(str, CLUSTERING_SEEDS)))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", type=Path, default=HERE / "results-dev.json")
    parser.add_argument(
        "--switches",
        default=",".join(SWITCHES),
        help="switches to run; the others keep their rows from results-ablation.json",
    )
    args = parser.parse_args()
    seeds = tuple(int(s) for s in args.seeds.split(","))
    for case in cases_of("dev"):
        if case.seed is not None:
            generated_tree(case.seed)
    baseline = json.loads(args.baseline.read_text())
    stored = HERE / "results-ablation.json"
    earlier = json.loads(stored.read_text()) if stored.is_file() else {}
    rows = {"every pass on": means(baseline["cases"])}
    start = time.perf_counter()
    chosen = args.switches.split(",")
    for switch in SWITCHES:
        if switch not in chosen:
            if f"{switch} off" in earlier:
                rows[f"{switch} off"] = earlier[f"{switch} off"]
            continue
        rows[f"{switch} off"] = means(run(switch, seeds, args.jobs))
        print(f"{switch} off: {rows[f'{switch} off']}", flush=True)
    minutes = (time.perf_counter() - start) / 60
    stored.write_text(json.dumps(rows, indent=1) + "\n")
    lines = [
        "# Ablation of the engine's passes (dev split)",
        "",
        f"Produced by `python bench/quality/ablation.py`: clustering seeds {args.seeds}, "
        f"medians per case, {minutes:.1f} min. Mean symbol ARI of the proposal, at the truth's "
        "count / automatic; the first row is the suite's own dev results.",
        "",
        "| engine | generated | corpora |",
        "|---|---|---|",
    ]
    for name, row in rows.items():
        gen, corp = row["generated"], row["corpus"]
        lines.append(
            f"| {name} | {gen['count']:.3f} / {gen['auto']:.3f} "
            f"| {corp['count']:.3f} / {corp['auto']:.3f} |"
        )
    (HERE / "results-ablation.md").write_text("\n".join(lines) + "\n")
    print("wrote bench/quality/results-ablation.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
