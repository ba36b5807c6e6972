"""scan: parse every discovered file, in worker processes when it pays; results in module order."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from analyzer.extract.parse import parse_file
from analyzer.model.facts import FileFacts, ParseResult, Skipped
from analyzer.model.source import Discovery, SourceFile

Progress = Callable[[int], None]
# Below this many lines a process pool costs more than it saves (pool start-up ~0.3 s).
_POOL_MIN_BYTES = 400_000


@dataclass(frozen=True, slots=True)
class ScanResult:
    facts: tuple[FileFacts, ...]
    skipped: tuple[Skipped, ...]


def default_jobs() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def _parse_batch(root: str, batch: list[SourceFile]) -> list[ParseResult]:
    gc.disable()  # parse trees are dropped by reference counting; collections only slow libcst
    try:
        return [parse_file(Path(root), source) for source in batch]
    finally:
        gc.enable()


def _batches(files: Iterable[SourceFile], jobs: int) -> list[list[SourceFile]]:
    """Largest files first, dealt round-robin into small batches so workers finish together."""
    ordered = sorted(files, key=lambda f: (-f.size, f.module))
    size = max(1, min(16, len(ordered) // (jobs * 8) or 1))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def scan(discovery: Discovery, jobs: int = 0, progress: Progress | None = None) -> ScanResult:
    """Parse every file of ``discovery``; ``jobs`` 0 means one per CPU."""
    jobs = jobs or default_jobs()
    results: list[ParseResult] = []
    total_bytes = sum(f.size for f in discovery.files)
    if jobs == 1 or total_bytes < _POOL_MIN_BYTES or len(discovery.files) < 2:
        for batch in _batches(discovery.files, 1):
            results.extend(_parse_batch(discovery.root, batch))
            if progress:
                progress(len(batch))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [
                pool.submit(_parse_batch, discovery.root, b)
                for b in _batches(discovery.files, jobs)
            ]
            for future in futures:
                batch_results = future.result()
                results.extend(batch_results)
                if progress:
                    progress(len(batch_results))
    facts = sorted((r for r in results if isinstance(r, FileFacts)), key=lambda f: f.module)
    skipped = sorted((r for r in results if isinstance(r, Skipped)), key=lambda s: s.path)
    return ScanResult(tuple(facts), tuple(skipped))
