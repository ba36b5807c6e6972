"""``seams init``: declare a proposal as boundaries, and record today's violations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.check import baseline as baselines
from analyzer.check.init import declare, render_boundaries
from analyzer.check.run import run_check
from analyzer.collect import Collected, derive
from analyzer.config import ANALYSIS_KEYS, load_config
from analyzer.model.boundaries import DEFAULT_BASELINE
from analyzer.model.config import SeamsConfig
from analyzer.model.errors import SeamsError
from analyzer.model.progress import Reporter
from analyzer.model.timings import Timings
from analyzer.pipeline import analyze
from analyzer.usecases.facts import collect_for_check
from analyzer.usecases.options import CacheFlags, Flags, resolve_options
from reports.json_report import load_document

CONFIG_NAME = "seams.toml"


@dataclass(frozen=True, slots=True)
class Initialized:
    """The configuration and the baseline to write, and what they hold."""

    config_path: Path
    config_text: str
    baseline_path: Path
    baseline_text: str
    services: int
    known: int
    notes: tuple[str, ...]


def carried_settings(config: SeamsConfig, flags: Flags) -> dict[str, Any]:
    """Analysis keys the new configuration keeps: those of the existing one, and the
    ``--exclude`` and ``--include-tests`` given now, so that checks see the same files."""
    carried = {k: config.raw[k] for k in sorted(ANALYSIS_KEYS) if k in config.raw}
    if flags.exclude:
        carried["exclude"] = [*config.exclude, *flags.exclude]
    if flags.include_tests:
        carried["include_tests"] = True
    return dict(sorted(carried.items()))


def init_boundaries(
    path: Path,
    config_file: Path | None,
    flags: Flags,
    cache: CacheFlags,
    reporter: Reporter,
    *,
    source: Path | None = None,
    pyproject: bool = False,
    force: bool = False,
) -> Initialized:
    """The proposal for ``path`` (analysed now, or read from ``source``) as boundaries, and
    a baseline holding every violation of them in today's code."""
    config = load_config(path, config_file) if path.is_dir() else SeamsConfig()
    target, baseline_path = path / CONFIG_NAME, path / DEFAULT_BASELINE
    for existing in ([] if pyproject else [target]) + [baseline_path]:
        if existing.exists() and not force:
            raise SeamsError(f"{existing} already exists: pass --force to overwrite it")
    notes: tuple[str, ...] = ()
    collected: Collected
    if source is not None:
        document = load_document(source)
        collected = collect_for_check(path, config, flags, reporter, cache)
    else:
        options = resolve_options(config, flags)
        result = analyze(path, options, reporter, cache.location(path))
        notes = result.scan.notes
        document = result.document
        # A reused analysis comes without its couplings: derive them from its scanned facts.
        collected = result.collected or derive(result.discovery, result.scan, options, Timings())
    declaration = declare(document)
    text = render_boundaries(declaration, carried_settings(config, flags), pyproject=pyproject)
    root = Path(collected.discovery.root)
    boundaries = declaration.boundaries
    checked = run_check(
        root, collected.files, collected.couplings, boundaries, None, "", collected.flows
    )
    return Initialized(
        config_path=target,
        config_text=text,
        baseline_path=baseline_path,
        baseline_text=baselines.dumps(checked.current),
        services=len(boundaries.services),
        known=len(checked.current),
        notes=notes,
    )
