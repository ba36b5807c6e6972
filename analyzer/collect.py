"""The front end shared by every command: discover, parse (from the fact cache), couplings.

``seams check`` and ``seams export`` need no more than this; ``analyzer.pipeline`` goes on to
the design stages from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from analyzer.design.cost.flows import Flows, build_flows
from analyzer.design.data.catalog import DataCatalog, build_catalog, data_couplings
from analyzer.design.data.plain import catalog_from, catalog_values
from analyzer.design.data.reuse import build_tracked, catalog_holds
from analyzer.design.roles.assign import assign_roles
from analyzer.design.signals.couplings import (
    import_couplings,
    reference_couplings,
    string_couplings,
)
from analyzer.design.signals.incremental import (
    Changes,
    CouplingState,
    changes_since,
    resolve_couplings,
)
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.extract.cache import open_cache
from analyzer.extract.scan import ScanResult
from analyzer.extract.stages import background, discover_stage, scan_stage
from analyzer.forked import Forked
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts, Skipped
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import Reporter
from analyzer.model.roles import Roles
from analyzer.model.source import Discovery
from analyzer.model.timings import Timings

WantedFlows = Literal["all", "rules", "none"]
"""The flows to build: all of them, those the transaction and join rules read, or none."""


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
    flows: Flows | None = None

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


def derive(
    discovery: Discovery,
    scanned: ScanResult,
    options: AnalyzeOptions,
    timings: Timings,
    keys: Mapping[str, bytes] | None = None,
    previous: CouplingState | None = None,
    flows: WantedFlows = "all",
) -> Collected:
    """The roles of the scanned files, and the couplings, the data catalog and the flows
    (``flows``: all of them, those the check's rules read, or none) of those that are product
    code (all of them with ``--include-tests``). With ``keys`` (each file's fact key by path),
    they are re-derived from ``previous`` (the last run's state; see ``_since``), and the new
    state is in the result."""
    with timings.stage("roles"):
        roles = assign_roles(scanned.facts)
        if options.include_tests:
            roles = Roles(peripheral=roles.peripheral)
        aside = roles.modules
        files = tuple(f for f in scanned.facts if f.module not in aside)
    if keys is not None:
        since = _since(files, roles, options, timings, keys, previous, flows)
        found, external, catalog, state, built = since
        return Collected(discovery, scanned, found, external, catalog, roles, state, built)
    with timings.stage("couplings"):
        table = SymbolTable(files)
        # On a second core, the data catalog is built while the couplings are resolved.
        catalog_job = Forked(build_catalog, files, table, enabled=background(options))
        imports, external = import_couplings(files, table)
        couplings = [*imports, *reference_couplings(files, table), *string_couplings(files, table)]
    with timings.stage("data"):
        catalog = replace(catalog_job.result(), peripheral=roles.peripheral)
        couplings.extend(data_couplings(catalog))
    built = _flows(files, table, catalog, timings, flows)
    return Collected(discovery, scanned, tuple(couplings), external, catalog, roles, flows=built)


def _flows(
    files: tuple[FileFacts, ...],
    table: SymbolTable,
    catalog: DataCatalog,
    timings: Timings,
    wanted: WantedFlows,
) -> Flows | None:
    if wanted == "none":
        return None
    with timings.stage("flows"):
        return build_flows(files, table, catalog, rules_only=wanted == "rules")


def _since(
    files: tuple[FileFacts, ...],
    roles: Roles,
    options: AnalyzeOptions,
    timings: Timings,
    keys: Mapping[str, bytes],
    previous: CouplingState | None,
    flows: WantedFlows,
) -> tuple[tuple[Coupling, ...], int, DataCatalog, CouplingState, Flows | None]:
    """``derive`` of product ``files`` from the last run's state: the couplings of files that
    cannot have changed come from it (``analyzer.design.signals.incremental``), and so does the
    data catalog when it still holds (``analyzer.design.data.reuse``). The couplings, the catalog
    and the flows are those a full derivation gives, the couplings in the same order."""
    with timings.stage("couplings"):
        table = SymbolTable(files)
        changes = changes_since(files, table, keys, previous)
        kept = _kept_catalog(files, changes, previous)
        catalog_job = None
        if kept is None:
            known = {}
            if previous is not None and changes is not None:
                known = {m: d for m, d in previous.projections.items() if m not in changes}
            # On a second core, the data catalog is built while the couplings are resolved.
            job = Forked(build_tracked, files, table, known, enabled=background(options))
            catalog_job = job
        resolved = resolve_couplings(files, table, keys, previous, changes)
        couplings = list(resolved.couplings)
    with timings.stage("data"):
        values: tuple[object, ...] | None
        if catalog_job is not None:
            catalog, asked, projections = catalog_job.result()
            values = catalog_values(catalog)
        else:
            assert previous is not None and kept is not None
            catalog, asked, projections = kept, previous.data_asked, dict(previous.projections)
            values = previous.catalog
        catalog = replace(catalog, peripheral=roles.peripheral)
        couplings.extend(data_couplings(catalog))
        state = replace(resolved.state, catalog=values, data_asked=asked, projections=projections)
    built = _flows(files, table, catalog, timings, flows)
    return tuple(couplings), resolved.external, catalog, state, built


def _kept_catalog(
    files: tuple[FileFacts, ...], changes: Changes | None, previous: CouplingState | None
) -> DataCatalog | None:
    """The last run's data catalog, when it is the one ``files`` give."""
    if previous is None or changes is None or previous.catalog is None:
        return None
    if not catalog_holds(changes, files, previous.data_asked, previous.projections):
        return None
    return catalog_from(previous.catalog)
