"""A long fuzz pass: the properties of tests/fuzz with many more cases, plus the whole pipeline on
random trees. Prints how many cases ran, what became of them, and every crash found.

    PYTHONPATH=$PWD python3 bench/fuzz.py --examples 5000 [--seed 1] [--pipeline 300]

A segmentation fault ends the pass; faulthandler then prints where it happened.
"""

from __future__ import annotations

import argparse
import faulthandler
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from analyzer.model.facts import FileFacts, ParseResult
from analyzer.model.options import AnalyzeOptions
from analyzer.pipeline import analyze
from reports.json_report import dumps
from tests.fuzz.strategies import Tree, source_bytes, sources, trees
from tests.fuzz.test_fuzz_parse import check_bytes, check_source, check_tree, materialize


def outcome(result: ParseResult) -> str:
    if isinstance(result, FileFacts):
        return "analyzed"
    return re.split(r"[:(;,]| at line", result.reason)[0].strip()


def check_pipeline(tree: Tree) -> list[ParseResult]:
    """The whole analysis on a random tree: never raises, same JSON twice."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        materialize(tree, root)
        if not any(p.suffix == ".py" for p in root.rglob("*")):
            return []
        options = AnalyzeOptions(git=False, jobs=1)
        try:
            first = analyze(root, options)
        except Exception as exc:
            if type(exc).__name__ == "SeamsError":
                return []
            raise
        assert dumps(analyze(root, options).document) == dumps(first.document)
        return [*first.discovery.skipped, *first.scan.skipped, *first.scan.facts]


def run(
    name: str,
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], Iterable[ParseResult]],
    examples: int,
    random_seed: int | None,
) -> tuple[int, Counter[str], str | None]:
    stats: Counter[str] = Counter()
    cases = 0

    def counted(value: Any) -> None:
        nonlocal cases
        cases += 1
        for result in check(value):
            stats[outcome(result)] += 1

    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )(given(strategy)(counted))
    if random_seed is not None:
        test = seed(random_seed)(test)
    start = time.perf_counter()
    crash = None
    try:
        test()
    except Exception as exc:  # hypothesis has printed the minimal failing case above
        crash = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    print(f"{name}: {cases} cases in {time.perf_counter() - start:.0f} s; crash: {crash or 'none'}")
    for key, count in stats.most_common(12):
        print(f"    {count:7d}  {key}")
    return cases, stats, crash


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="cases per property")
    parser.add_argument("--pipeline", type=int, default=200, help="random trees fully analyzed")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    faulthandler.enable()
    properties: list[
        tuple[str, st.SearchStrategy[Any], Callable[[Any], Iterable[ParseResult]], int]
    ]
    properties = [
        ("parse source text", sources, check_source, args.examples),
        ("read and parse bytes", source_bytes(), check_bytes, args.examples),
        ("discover and parse trees", trees(), check_tree, max(1, args.examples // 4)),
        ("analyze trees end to end", trees(), check_pipeline, args.pipeline),
    ]
    total, crashes = 0, []
    for name, strategy, check, examples in properties:
        if examples:
            cases, _, crash = run(name, strategy, check, examples, args.seed)
            total += cases
            crashes += [f"{name}: {crash}"] if crash else []
    print(f"total: {total} cases, {len(crashes)} crash(es)")
    for crash in crashes:
        print(f"  {crash}")


if __name__ == "__main__":
    main()
