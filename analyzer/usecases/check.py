"""``seams check``: the code under a path against its declared boundaries and the baseline.

A check whose inputs are all unchanged since the last one (every file, the boundaries, the
baseline, Seams' own code) reuses its stored outcome: nothing is loaded, resolved or checked
again. The rest of the work is imported only when it has to be done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import __version__
from analyzer.check import baseline as baselines
from analyzer.check import stored
from analyzer.config import load_config
from analyzer.extract.cache import FactCache, code_digest, open_cache
from analyzer.extract.discover import DiscoverOptions, discover_files
from analyzer.extract.git import repository_prefix
from analyzer.extract.scan import ReadFiles, read_files
from analyzer.forked import Forked
from analyzer.model.boundaries import Boundaries
from analyzer.model.config import SeamsConfig
from analyzer.model.errors import SeamsError
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import Reporter
from analyzer.model.timings import Timings
from analyzer.model.violations import CheckResult
from analyzer.usecases.options import CacheFlags, Flags, front_options

if TYPE_CHECKING:
    from analyzer.design.signals.incremental import CouplingState

FORMATS = ("text", "json", "junit", "github", "sarif")
FLOW_RULES = ("distributed_transaction", "cross_service_join")


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """What to check against and how to report it."""

    baseline: Path | None = None
    update_baseline: bool = False
    fmt: str = "text"
    strict: bool = False
    color: bool = False


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """The result, rendered; the baseline to write when asked to update it."""

    result: CheckResult
    report: str
    baseline_path: Path
    new_baseline: str | None
    known: int
    skipped: int
    notes: tuple[str, ...]
    timings: Timings

    def exit_code(self, strict: bool, exit_zero: bool) -> int:
        return 0 if exit_zero or not self.result.failed(strict) else 1


@dataclass(frozen=True, slots=True)
class _Found:
    """A check's result, the baseline recording what it found, how many files were skipped."""

    result: CheckResult
    current: baselines.Baseline
    skipped: int
    notes: tuple[str, ...] = ()


def declared_boundaries(config: SeamsConfig) -> Boundaries:
    """The boundaries of the configuration, or a usage error saying how to declare them."""
    if config.boundaries is None or not config.boundaries.services:
        where = config.source or "seams.toml or [tool.seams] in pyproject.toml"
        raise SeamsError(f"no services are declared in {where}: run 'seams init PATH' first")
    return config.boundaries


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def render_report(result: CheckResult, request: CheckRequest, prefix: str) -> str:
    from reports.ci_text import render_text  # noqa: PLC0415 - each format loads its own

    if request.fmt == "text":
        return render_text(result, color=request.color, prefix=prefix, strict=request.strict)
    renderers: dict[str, Callable[[], str]] = {
        "json": lambda: _json(result, prefix, request.strict),
        "junit": lambda: _junit(result, prefix, request.strict),
        "github": lambda: _github(result, prefix, request.strict),
        "sarif": lambda: _sarif(result, prefix),
    }
    return renderers[request.fmt]()


def _json(result: CheckResult, prefix: str, strict: bool) -> str:
    from reports.ci_json import render_json  # noqa: PLC0415

    return render_json(result, prefix=prefix, strict=strict)


def _junit(result: CheckResult, prefix: str, strict: bool) -> str:
    from reports.junit import render_junit  # noqa: PLC0415

    return render_junit(result, prefix=prefix, strict=strict)


def _github(result: CheckResult, prefix: str, strict: bool) -> str:
    from reports.github import render_github  # noqa: PLC0415

    return render_github(result, prefix=prefix, strict=strict)


def _sarif(result: CheckResult, prefix: str) -> str:
    from reports.sarif import render_sarif  # noqa: PLC0415

    return render_sarif(result, prefix=prefix, tool_version=__version__)


def _key(
    read: ReadFiles,
    boundaries: Boundaries,
    recorded: baselines.Baseline | None,
    name: str,
    include_tests: bool = False,
) -> bytes:
    """What a check's outcome depends on (empty, never reused, without a digest of the files).
    ``include_tests`` counts even when it finds no other files: it keeps the code set aside by
    its role."""
    if not read.digest:
        return b""
    digest = hashlib.blake2b(code_digest(), digest_size=20)
    for part in (
        read.digest,
        b"include-tests" if include_tests else b"",
        repr(boundaries).encode(),
        baselines.dumps(recorded).encode() if recorded is not None else b"(none)",
        name.encode(),
        repr(read.discovery.skipped).encode(),
        read.discovery.root.encode(),
    ):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.digest()


def _check(
    read: ReadFiles,
    options: AnalyzeOptions,
    boundaries: Boundaries,
    recorded: baselines.Baseline | None,
    name: str,
    reporter: Reporter,
    timings: Timings,
    cache: FactCache | None,
    update: bool = False,
) -> _Found:
    """Load or parse the facts, resolve the couplings and check them; with ``update``, the
    result is that of the check against the new baseline (everything found is known)."""
    # Imported here: a check reusing its stored outcome needs none of this.
    from analyzer.check.run import run_check  # noqa: PLC0415
    from analyzer.collect import WantedFlows, derive  # noqa: PLC0415
    from analyzer.design.signals.incremental import encode as encode_couplings  # noqa: PLC0415
    from analyzer.extract.scan import scan_read  # noqa: PLC0415
    from analyzer.extract.stages import background  # noqa: PLC0415

    root = Path(read.discovery.root)
    slot = f"couplings:{root}"
    loaded: list[CouplingState | None] = []
    with timings.stage("parse"):
        # The last check's couplings are read while changed files may still be parsed.
        scanned = scan_read(
            read, options.jobs, reporter, cache, lambda _: loaded.append(_previous(cache, slot))
        )
    previous = loaded[0] if loaded else None
    keys = None  # without a cache, nothing is kept for the next check
    if cache is not None and cache.usable:
        keys = {s.path: k for s, k in zip(read.discovery.files, read.keys, strict=True) if k}
    # The flows are built only for the transaction and join rules, which read them.
    on = any(boundaries.severity(r) != "off" for r in FLOW_RULES)
    wanted: WantedFlows = "rules" if on else "none"
    collected = derive(read.discovery, scanned, options, timings, keys, previous, wanted)
    state = collected.coupling_state
    # Encoded for the next check on a second core, while this one checks.
    encoded = Forked(encode_couplings, state, enabled=background(options)) if state else None
    files, couplings = collected.files, collected.couplings
    with timings.stage("check"):
        flows = collected.flows
        checked = run_check(root, files, couplings, boundaries, recorded, name, flows)
        result = checked.result
        if update:
            current = checked.current
            result = run_check(root, files, couplings, boundaries, current, name, flows).result
    if cache is not None and encoded is not None:
        with timings.stage("store"):
            cache.put_blob(slot, code_digest(), encoded.result())
    return _Found(result, checked.current, len(collected.skipped), scanned.notes)


def _previous(cache: FactCache | None, slot: str) -> CouplingState | None:
    """The couplings the last check on this tree resolved, file by file (see
    ``analyzer.design.signals.incremental``)."""
    from analyzer.design.signals.incremental import decode  # noqa: PLC0415

    data = cache.get_blob(slot, code_digest()) if cache is not None else None
    return decode(data) if data is not None else None


def check_project(
    path: Path,
    config_file: Path | None,
    flags: Flags,
    request: CheckRequest,
    reporter: Reporter,
    cache: CacheFlags,
) -> CheckOutcome:
    """Check ``path``: new violations fail, known ones (in the baseline) pass."""
    config = load_config(path, config_file)
    boundaries = declared_boundaries(config)
    if not path.is_dir():
        raise SeamsError(f"path does not exist or is not a directory: {path}")
    options = front_options(config, flags)
    timings = Timings()
    with timings.stage("discover"):
        discovery = discover_files(path, DiscoverOptions(options.excludes, options.include_tests))
    root = Path(discovery.root)
    baseline_path = request.baseline or root / boundaries.baseline
    name = _display(baseline_path, root)
    recorded = baselines.read(baseline_path)
    with open_cache(cache.location(path)) as facts:
        with timings.stage("parse"):
            read = read_files(discovery, facts)
        update = request.update_baseline
        slot = f"check:{root}"
        key = b"" if update else _key(read, boundaries, recorded, name, options.include_tests)
        found = _reuse(facts, slot, key)
        if found is None:
            work = (options, boundaries, recorded, name, reporter, timings, facts)
            found = _check(read, *work, update=update)
            if facts is not None and key:
                facts.put_blob(slot, key, stored.encode(found.result, found.current, found.skipped))
        notes = tuple(dict.fromkeys([*found.notes, *(facts.notes if facts else [])]))
    new_baseline = baselines.dumps(found.current) if update else None
    return CheckOutcome(
        result=found.result,
        report=render_report(found.result, request, repository_prefix(root)),
        baseline_path=baseline_path,
        new_baseline=new_baseline,
        known=len(found.current),
        skipped=found.skipped,
        notes=notes,
        timings=timings,
    )


def _reuse(cache: FactCache | None, slot: str, key: bytes) -> _Found | None:
    if cache is None or not key:
        return None
    data = cache.get_blob(slot, key)
    found = stored.decode(data) if data is not None else None
    return None if found is None else _Found(*found)
