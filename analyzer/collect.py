"""The front end shared by every command: discover, parse (from the fact cache), couplings.

``seams check`` and ``seams export`` need no more than this; ``analyzer.pipeline`` goes on to
the design stages from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from analyzer.design.data.catalog import DataCatalog, build_catalog, data_couplings
from analyzer.design.roles.assign import assign_roles
from analyzer.design.signals.couplings import (
    import_couplings,
    reference_couplings,
    string_couplings,
)
from analyzer.design.signals.incremental import CouplingState, resolve_couplings
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.extract.cache import FactCache, open_cache
from analyzer.extract.discover import DiscoverOptions, discover_files
from analyzer.extract.scan import ScanResult, default_jobs, scan
from analyzer.forked import Forked
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts, Skipped
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import Reporter
from analyzer.model.roles import Roles
from analyzer.model.source import Discovery
from analyzer.model.timings import Timings


@dataclass(frozen=True, slots=True)
class Collected:
    """The facts of a code base and the couplings found in them: what check and analyze share."""

    discovery: Discovery
    scan: ScanResult
    couplings: tuple[Coupling, ...]
    external_imports: int
    data: DataCatalog = field(default_factory=DataCatalog)
    roles: Roles = field(default_factory=Roles)
    coupling_state: CouplingState | None = None

    @property
    def files(self) -> tuple[FileFacts, ...]:
        """The facts of the analyzed files: test, development and demo code set aside."""
        aside = self.roles.modules
        if not aside:
            return self.scan.facts
        return tuple(f for f in self.scan.facts if f.module not in aside)

    @property
    def skipped(self) -> list[Skipped]:
        return [*self.discovery.skipped, *self.scan.skipped]


def background(options: AnalyzeOptions) -> bool:
    """Whether work may overlap in a forked process: not when one process was asked for."""
    return (options.jobs or default_jobs()) > 1


def collect(
    path: Path,
    options: AnalyzeOptions,
    reporter: Reporter,
    timings: Timings,
    cache_dir: Path | None = None,
) -> Collected:
    """discover -> parse (facts of unchanged files from the cache in ``cache_dir``) -> couplings."""
    discovery = discover_stage(path, options, reporter, timings)
    with open_cache(cache_dir) as cache:
        scanned = scan_stage(discovery, options, reporter, timings, cache)
    return derive(discovery, scanned, options, timings)


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
) -> ScanResult:
    """Facts of every file, from the cache where it has them, else parsed."""
    with timings.stage("parse"):
        return scan(discovery, options.jobs, reporter, cache)


def derive(
    discovery: Discovery,
    scanned: ScanResult,
    options: AnalyzeOptions,
    timings: Timings,
    keys: Mapping[str, bytes] | None = None,
    previous: CouplingState | None = None,
    keep: Callable[[CouplingState], None] | None = None,
) -> Collected:
    """The roles of the scanned files, and the couplings and the data catalog of those that are
    product code (all of them with ``--include-tests``). With ``keys`` (each file's fact key by
    path), the couplings are resolved file by file, those of ``previous`` (the last run's state)
    reused where they cannot have changed, and the new state is in the result; ``keep`` is given
    it as soon as it is known (while the data catalog may still be in the making)."""
    state = None
    with timings.stage("roles"):
        roles = assign_roles(scanned.facts)
        if options.include_tests:
            roles = Roles(peripheral=roles.peripheral)
        aside = roles.modules
        files = tuple(f for f in scanned.facts if f.module not in aside)
    with timings.stage("couplings"):
        table = SymbolTable(files)
        # On a second core, the data catalog is built while the couplings are resolved.
        catalog_job = Forked(build_catalog, files, table, enabled=background(options))
        if keys is not None:
            resolved = resolve_couplings(files, table, keys, previous)
            couplings, external, state = list(resolved.couplings), resolved.external, resolved.state
        else:
            imports, external = import_couplings(files, table)
            couplings = [*imports, *reference_couplings(files, table)]
            couplings += string_couplings(files, table)
    if keep is not None and state is not None:
        with timings.stage("store"):
            keep(state)
    with timings.stage("data"):
        catalog = replace(catalog_job.result(), peripheral=roles.peripheral)
        couplings.extend(data_couplings(catalog))
    return Collected(discovery, scanned, tuple(couplings), external, catalog, roles, state)
