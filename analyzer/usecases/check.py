"""``seams check``: the code under a path against its declared boundaries and the baseline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analyzer import __version__
from analyzer.check import baseline as baselines
from analyzer.check.run import run_check
from analyzer.config import load_config
from analyzer.extract.git import repository_prefix
from analyzer.model.boundaries import Boundaries
from analyzer.model.config import SeamsConfig
from analyzer.model.errors import SeamsError
from analyzer.model.progress import Reporter
from analyzer.model.violations import CheckResult
from analyzer.pipeline import Collected, Timings, collect
from analyzer.usecases.options import CacheFlags, Flags, resolve_options
from reports.ci_json import render_json
from reports.ci_text import render_text
from reports.github import render_github
from reports.junit import render_junit
from reports.sarif import render_sarif

FORMATS = ("text", "json", "junit", "github", "sarif")


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


def declared_boundaries(config: SeamsConfig) -> Boundaries:
    """The boundaries of the configuration, or a usage error saying how to declare them."""
    if config.boundaries is None or not config.boundaries.services:
        where = config.source or "seams.toml or [tool.seams] in pyproject.toml"
        raise SeamsError(f"no services are declared in {where}: run 'seams init PATH' first")
    return config.boundaries


def collect_for_check(
    path: Path,
    config: SeamsConfig,
    flags: Flags,
    reporter: Reporter,
    cache: CacheFlags,
    timings: Timings | None = None,
) -> Collected:
    """The facts and couplings of the code under ``path`` (git history is not needed)."""
    if not path.is_dir():
        raise SeamsError(f"path does not exist or is not a directory: {path}")
    front = Flags(
        exclude=flags.exclude, include_tests=flags.include_tests, git=False, jobs=flags.jobs
    )
    options = resolve_options(config, front)
    return collect(path, options, reporter, timings or Timings(), cache.location(path))


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def render_report(result: CheckResult, request: CheckRequest, prefix: str) -> str:
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: render_text(
            result, color=request.color, prefix=prefix, strict=request.strict
        ),
        "json": lambda: render_json(result, prefix=prefix, strict=request.strict),
        "junit": lambda: render_junit(result, prefix=prefix, strict=request.strict),
        "github": lambda: render_github(result, prefix=prefix, strict=request.strict),
        "sarif": lambda: render_sarif(result, prefix=prefix, tool_version=__version__),
    }
    return renderers[request.fmt]()


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
    timings = Timings()
    collected = collect_for_check(path, config, flags, reporter, cache, timings)
    root = Path(collected.discovery.root)
    baseline_path = request.baseline or root / boundaries.baseline
    name = _display(baseline_path, root)
    recorded = baselines.read(baseline_path)
    with timings.stage("check"):
        checked = run_check(root, collected.files, collected.couplings, boundaries, recorded, name)
    new_baseline, known = None, len(checked.current)
    if request.update_baseline:
        new_baseline = baselines.dumps(checked.current)
        checked = run_check(
            root, collected.files, collected.couplings, boundaries, checked.current, name
        )
    report = render_report(checked.result, request, repository_prefix(root))
    return CheckOutcome(
        result=checked.result,
        report=report,
        baseline_path=baseline_path,
        new_baseline=new_baseline,
        known=known,
        skipped=len(collected.skipped),
        notes=collected.scan.notes,
        timings=timings,
    )
