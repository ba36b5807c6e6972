"""stages: the front end's two stages as every command runs them, timed and reported.

Discovery, then the facts of every file (from the fact cache, else parsed). They load nothing of
the design stages, so a command gets to parsing without waiting for those to load.
"""

from __future__ import annotations

from pathlib import Path

from analyzer.extract.cache import FactCache
from analyzer.extract.discover import DiscoverOptions, discover_files
from analyzer.extract.scan import Meanwhile, ScanResult, default_jobs, scan
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import Reporter
from analyzer.model.source import Discovery
from analyzer.model.timings import Timings


def background(options: AnalyzeOptions) -> bool:
    """Whether work may overlap in a forked process: not when one process was asked for."""
    return (options.jobs or default_jobs()) > 1


def discover_stage(
    path: Path, options: AnalyzeOptions, reporter: Reporter, timings: Timings
) -> Discovery:
    """The files to analyze. Called before the cache is opened: a tree with nothing to analyze
    gets no cache directory."""
    with timings.stage("discover"):
        reporter.start("Discovering files")
        discovery = discover_files(path, DiscoverOptions(options.excludes, options.include_tests))
        reporter.done()
    return discovery


def scan_stage(
    discovery: Discovery,
    options: AnalyzeOptions,
    reporter: Reporter,
    timings: Timings,
    cache: FactCache | None,
    meanwhile: Meanwhile | None = None,
) -> ScanResult:
    """Facts of every file, from the cache where it has them, else parsed; ``meanwhile`` is
    called once, with whether files are parsed (``scan.scan_read``)."""
    with timings.stage("parse"):
        return scan(discovery, options.jobs, reporter, cache, meanwhile)
