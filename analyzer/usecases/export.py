"""``seams export``: the declared boundaries as tach or import-linter contracts."""

from __future__ import annotations

from pathlib import Path

from analyzer.check import baseline as baselines
from analyzer.check.export import to_import_linter, to_tach
from analyzer.check.run import run_check
from analyzer.config import load_config
from analyzer.model.progress import Reporter
from analyzer.usecases.check import declared_boundaries
from analyzer.usecases.facts import collect_for_check
from analyzer.usecases.options import CacheFlags, Flags

# Violations that mark an import the contracts must not allow.
DEPENDENCY_RULES = frozenset({"new_dependency", "cycle"})


def export_contracts(
    path: Path,
    config_file: Path | None,
    flags: Flags,
    cache: CacheFlags,
    reporter: Reporter,
    *,
    target: str,
    baseline: Path | None = None,
) -> str:
    """The text of tach.toml or .importlinter for the boundaries declared for ``path``: what
    ``seams check`` passes today passes the contracts, and an import between services that the
    check finds new (an error) is not allowed by them."""
    config = load_config(path, config_file)
    boundaries = declared_boundaries(config)
    collected = collect_for_check(path, config, flags, reporter, cache)
    root = Path(collected.discovery.root)
    recorded = baselines.read(baseline or root / boundaries.baseline)
    checked = run_check(
        root, collected.files, collected.couplings, boundaries, recorded, "", collected.flows
    )
    blocked = {(v.path, v.line) for v in checked.result.errors if v.rule in DEPENDENCY_RULES}
    if target == "import-linter":
        return to_import_linter(collected.files, boundaries, blocked)
    return to_tach(
        collected.files,
        boundaries,
        blocked,
        source_roots=collected.discovery.source_roots,
        excludes=(*config.exclude, *flags.exclude),
        include_tests=bool(flags.include_tests or config.include_tests),
    )
