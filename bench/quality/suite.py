"""The decomposition-quality suite: Seams' proposal against capability truths, beside today's
layout and import-graph Louvain, on one split (bench/quality/split.py).

Cases are generated monoliths (bench/quality/generator, written once to
$SEAMS_CORPORA/generated/<seed>/ and rewritten when the generator changes) and real corpora
(truths by bench/quality/truths.py). Per case, at symbol granularity, for each clustering seed:
ARI, NMI and MoJoFM over the truth's symbols minus its ``shared`` items, at the truth's
capability count (--services N) and in automatic mode; ICP and data purity. Figures are medians
over the seeds. The proposal's shared library is one cluster like any other.

Usage:
  python bench/quality/suite.py --split dev|test [--cases NAME,...] [--seeds 0,1,2] [--jobs 2]
      [--weights KIND=N,...]

A full run writes bench/quality/results-<split>.json and .md; a run limited by --cases prints
only (or writes where --output says).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.quality.baselines import import_louvain
from bench.quality.generator import generate, generator_digest
from bench.quality.report import criteria, summarize, write_markdown
from bench.quality.seams_api import (
    DEFAULT_PARAMS,
    EngineParams,
    agreement,
    as_is_layout,
    metrics,
    run_seams,
)
from bench.quality.split import CLUSTERING_SEEDS, CORPORA, GENERATED, SPLITS
from bench.quality.truths import SHARED, derive_truth

HERE = Path(__file__).resolve().parent
CORPORA_DIR = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
MODES = ("count", "auto")
SCORES = ("ari", "nmi", "mojofm")


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "generated" | "corpus"
    seed: int | None = None

    @property
    def path(self) -> Path:
        if self.seed is not None:
            return CORPORA_DIR / "generated" / str(self.seed)
        return CORPORA_DIR / self.name

    @property
    def cache(self) -> Path:
        return CORPORA_DIR / ".seams-bench" / self.name


def cases_of(split: str) -> list[Case]:
    corpora = [Case(name, "corpus") for name in CORPORA[split]]
    return corpora + [Case(f"gen-{seed}", "generated", seed) for seed in GENERATED[split]]


def generated_tree(seed: int) -> Path:
    """The project of ``seed``, written once per version of the generator."""
    dest = CORPORA_DIR / "generated" / str(seed)
    stamp = dest / ".generator"
    digest = generator_digest()
    if stamp.is_file() and stamp.read_text() == digest:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    generate(seed, dest)
    stamp.write_text(digest)
    return dest


def _reference(truth: dict[str, Any]) -> dict[str, str]:
    shared = set(truth.get("shared", ()))
    return {
        s: c
        for s, c in truth["symbols"].items()
        if c != SHARED and s not in shared and s.split(":")[0] not in shared
    }


def _by_symbol(labels: dict[str, str], symbols: Iterable[str]) -> dict[str, str]:
    return {s: labels.get(s.split(":")[0], "?") for s in symbols}


def _shared_nodes(document: dict[str, Any]) -> list[str]:
    shared = {s["name"] for s in document["services"] if s.get("kind") == "shared-library"}
    return [n["id"] for n in document["graph"]["nodes"] if n["service"] in shared]


def _louvain_metrics(analysis: Any, labels: dict[str, str]) -> dict[str, Any] | None:
    document = analysis.document
    nodes = [n for n in document["graph"]["nodes"] if n["kind"] != "table"]
    assignment = {n["id"]: labels.get(n["module"], "?") for n in nodes}
    return metrics(analysis, assignment, _shared_nodes(document))


def _figures(scores: dict[str, Any], measured: dict[str, Any] | None, services: int) -> dict:
    out = {k: scores[k] for k in SCORES}
    out["services"] = services
    out["icp"] = measured.get("icp") if measured else None
    out["data_purity"] = measured.get("data_purity") if measured else None
    return out


def run_case(
    case: Case, seeds: tuple[int, ...], weights: str = "", engine: EngineParams = DEFAULT_PARAMS
) -> dict[str, Any]:
    start = time.perf_counter()
    if case.seed is not None:
        generated_tree(case.seed)
        truth = json.loads((case.path / "truth.json").read_text())
    first = run_seams(
        case.path, seed=seeds[0], cache_dir=case.cache, weights=weights, engine=engine
    )
    if case.seed is None:
        truth = derive_truth(case.name, first.document["modules"], first.document["symbols"])
    reference = _reference(truth)
    count = len(set(reference.values()))
    units = as_is_layout(first)
    as_is = agreement(_by_symbol(units, reference), reference)
    runs: dict[str, list[dict[str, Any]]] = {"count": [], "auto": []}
    as_is_metrics: list[dict[str, Any]] = []
    for mode in MODES:
        for seed in seeds:
            if mode == "auto" and seed == seeds[0]:
                analysis = first
            else:
                services = count if mode == "count" else None
                analysis = run_seams(
                    case.path,
                    services=services,
                    seed=seed,
                    cache_dir=case.cache,
                    weights=weights,
                    engine=engine,
                )
            document = analysis.document
            kinds = [s for s in document["services"] if s.get("kind") != "shared-library"]
            proposal = _figures(
                agreement(document["symbols"], reference),
                document["metrics"]["proposed"],
                len(kinds),
            )
            labels = import_louvain(document, count if mode == "count" else None, seed)
            louvain = _figures(
                agreement(_by_symbol(labels, reference), reference),
                _louvain_metrics(analysis, labels),
                len(set(labels.values())),
            )
            as_is_metrics.append(document["metrics"]["as_is"])
            runs[mode].append({"seed": seed, "proposal": proposal, "louvain": louvain})
    generator = truth.get("generator", {})
    return {
        "case": case.name,
        "kind": case.kind,
        "style": generator.get("organisation", "corpus"),
        "orm": generator.get("orm"),
        "lines": generator.get("lines"),
        "capabilities": count,
        "symbols": len(reference),
        "as_is": {
            **{k: as_is[k] for k in SCORES},
            "units": len(set(units.values())),
            "icp": _median(m.get("icp") for m in as_is_metrics),
            "data_purity": _median(m.get("data_purity") for m in as_is_metrics),
        },
        **{mode: _medians(runs[mode]) for mode in MODES},
        "runs": runs,
        "seconds": round(time.perf_counter() - start, 1),
    }


def _median(values: Iterable[Any]) -> float | None:
    present = [v for v in values if isinstance(v, int | float)]
    return round(statistics.median(present), 4) if present else None


def _medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        side: {k: _median(r[side][k] for r in runs) for k in runs[0][side]}
        for side in ("proposal", "louvain")
    }


def _line(result: dict[str, Any]) -> str:
    c, a = result["count"], result["auto"]
    return (
        f"{result['case']:14s} {result['style']:22s} N={result['capabilities']:3d} "
        f"ARI count {c['proposal']['ari']:.2f} (as-is {result['as_is']['ari']:.2f}, "
        f"Louvain {c['louvain']['ari']:.2f})  auto {a['proposal']['ari']:.2f} "
        f"[{a['proposal']['services']:.0f} svc] (Louvain {a['louvain']['ari']:.2f})  "
        f"{result['seconds']:.0f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=SPLITS, required=True)
    parser.add_argument("--cases", help="comma-separated case names (gen-<seed>, corpus name)")
    parser.add_argument("--seeds", default=",".join(map(str, CLUSTERING_SEEDS)))
    parser.add_argument("--jobs", type=int, default=2, help="cases analyzed in parallel")
    parser.add_argument("--output", type=Path, help="results file stem (default: per split)")
    parser.add_argument(
        "--weights", default="", help="weights instead of the defaults: transaction=0,couse=0.5"
    )
    args = parser.parse_args(argv)
    seeds = tuple(int(s) for s in args.seeds.split(","))
    cases = cases_of(args.split)
    if args.cases:
        wanted = args.cases.split(",")
        unknown = sorted(set(wanted) - {c.name for c in cases})
        if unknown:
            parser.error(f"not in split {args.split}: {', '.join(unknown)}")
        cases = [c for c in cases if c.name in wanted]
    start = time.perf_counter()
    for case in cases:  # written once, before workers start
        if case.seed is not None:
            generated_tree(case.seed)
    results: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        futures = [pool.submit(run_case, case, seeds, args.weights) for case in cases]
        for future in futures:
            result = future.result()
            print(_line(result), flush=True)
            results.append(result)
    seconds = time.perf_counter() - start
    summary = summarize(results)
    verdicts = criteria(summary)
    document = {
        "split": args.split,
        "seeds": list(seeds),
        "weights": args.weights or "default",
        "seconds": round(seconds, 1),
        "summary": summary,
        "criteria": verdicts,
        "cases": results,
    }
    print(f"\n{len(results)} cases in {seconds / 60:.1f} min")
    for verdict in verdicts:
        print(
            f"{'PASS' if verdict['pass'] else 'FAIL'}  {verdict['criterion']}: {verdict['value']}"
        )
    stem = args.output or (None if args.cases else HERE / f"results-{args.split}")
    if stem is not None:
        Path(f"{stem}.json").write_text(json.dumps(document, indent=1) + "\n")
        write_markdown(document, Path(f"{stem}.md"))
        print(f"wrote {stem}.json and {stem}.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
