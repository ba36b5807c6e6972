"""Wall time and peak memory of each stage of a run, for ``--timings``."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(slots=True)
class Timings:
    """Wall time of each stage, and the peak resident memory (bytes) reached by its end: of this
    process, and of its largest finished child process (parser workers)."""

    stages: dict[str, float] = field(default_factory=dict)
    memory: dict[str, tuple[int, int]] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start
            self.memory[name] = peak_memory()


def peak_memory() -> tuple[int, int]:
    """Peak resident set size so far (ru_maxrss, cheap) of this process and of its largest
    finished child; (0, 0) where the platform cannot tell."""
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:  # pragma: no cover - Windows
        return (0, 0)
    unit = 1 if sys.platform == "darwin" else 1024
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit,
    )
