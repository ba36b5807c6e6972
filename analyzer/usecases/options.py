"""The options of a run: the command line over the configuration file over the defaults."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from analyzer.extract.cache import CACHE_DIRNAME
from analyzer.model.config import SeamsConfig
from analyzer.model.errors import SeamsError
from analyzer.model.options import AnalyzeOptions, Granularity, Weights

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Flags:
    """What the command line said about the analysis; ``None`` where an option was not given."""

    services: str | None = None
    granularity: Granularity | None = None
    weights: str | None = None
    seed: int | None = None
    exclude: tuple[str, ...] = ()
    include_tests: bool | None = None
    git: bool | None = None
    jobs: int = 0
    min_service_lines: int | None = None


@dataclass(frozen=True, slots=True)
class CacheFlags:
    """``--no-cache`` and ``--cache-dir``."""

    disabled: bool = False
    directory: Path | None = None

    def location(self, path: Path) -> Path | None:
        """The fact cache of a run on ``path``: ``PATH/.seams-cache`` unless moved or off."""
        if self.disabled:
            return None
        return self.directory if self.directory is not None else path / CACHE_DIRNAME


def parse_services(value: str) -> int | None:
    """A positive number of services, or ``None`` for ``auto``."""
    if value == "auto":
        return None
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise SeamsError(f"--services must be a positive number or 'auto', got {value!r}")
    return count


def resolve_options(config: SeamsConfig, flags: Flags) -> AnalyzeOptions:
    """The analysis options: each flag given overrides the file, which overrides the default."""
    defaults = AnalyzeOptions()
    if flags.services is not None:
        services = parse_services(flags.services)
    else:
        services = None if config.services_auto else config.services
    weights = config.weights or defaults.weights
    if flags.weights:
        weights = Weights.parse(flags.weights, base=weights)
        _check_cochange(flags.weights, flags.git)
    smallest = _first(flags.min_service_lines, config.min_service_lines, defaults.engine.min_lines)
    return AnalyzeOptions(
        granularity=flags.granularity or config.granularity or defaults.granularity,
        services=services,
        seed=_first(flags.seed, config.seed, defaults.seed),
        weights=weights,
        excludes=(*config.exclude, *flags.exclude),
        include_tests=bool(flags.include_tests or config.include_tests),
        git=_first(flags.git, config.git, defaults.git),
        jobs=flags.jobs,
        steering=config.steering,
        engine=defaults.engine.with_(min_lines=smallest),
    )


def front_options(config: SeamsConfig, flags: Flags) -> AnalyzeOptions:
    """The options of a run that reads the code without proposing services (init from a
    file, check, export): which files, how many parser processes; no git history."""
    given = Flags(exclude=flags.exclude, include_tests=flags.include_tests, jobs=flags.jobs)
    return resolve_options(config, replace(given, git=False))


def _first(given: T | None, configured: T | None, default: T) -> T:
    if given is not None:
        return given
    return configured if configured is not None else default


def _check_cochange(spec: str, git: bool | None) -> None:
    """Weights given on the command line must not ask for history that --no-git turns off."""
    given = Weights.parse(spec, base=Weights(tuple((k, 0.0) for k, _ in Weights().values)))
    if git is False and given.of("cochange") > 0:
        raise SeamsError(
            "--weights gives co-change a weight but --no-git turns git history off; "
            "drop one of them"
        )
