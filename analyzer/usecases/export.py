"""``seams export``: the declared boundaries as tach or import-linter contracts."""

from __future__ import annotations

from pathlib import Path

from analyzer.check import baseline as baselines
from analyzer.check.export import to_import_linter, to_tach
from analyzer.config import load_config
from analyzer.extract.discover import DiscoverOptions, discover_files
from analyzer.usecases.check import declared_boundaries
from analyzer.usecases.options import Flags


def export_contracts(
    path: Path, config_file: Path | None, flags: Flags, target: str, baseline: Path | None
) -> str:
    """The text of tach.toml or .importlinter for the boundaries declared for ``path``."""
    config = load_config(path, config_file)
    boundaries = declared_boundaries(config)
    discovery = discover_files(
        path,
        DiscoverOptions(
            (*config.exclude, *flags.exclude), bool(flags.include_tests or config.include_tests)
        ),
    )
    root = Path(discovery.root)
    recorded = baselines.read(baseline or root / boundaries.baseline) or baselines.Baseline()
    render = to_tach if target == "tach" else to_import_linter
    return render(discovery.files, boundaries, recorded)
