"""The facts and couplings of the code under a path, as ``init``, ``check`` and ``export`` read
them: no git history, the configured excludes and tests setting."""

from __future__ import annotations

from pathlib import Path

from analyzer.collect import Collected, collect
from analyzer.model.config import SeamsConfig
from analyzer.model.errors import SeamsError
from analyzer.model.progress import Reporter
from analyzer.model.timings import Timings
from analyzer.usecases.options import CacheFlags, Flags, front_options


def checked_directory(path: Path) -> Path:
    if not path.is_dir():
        raise SeamsError(f"path does not exist or is not a directory: {path}")
    return path


def collect_for_check(
    path: Path,
    config: SeamsConfig,
    flags: Flags,
    reporter: Reporter,
    cache: CacheFlags,
    timings: Timings | None = None,
) -> Collected:
    """The facts and couplings of the code under ``path``."""
    options = front_options(config, flags)
    return collect(
        checked_directory(path), options, reporter, timings or Timings(), cache.location(path)
    )
