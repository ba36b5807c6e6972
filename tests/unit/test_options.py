"""Options of a run: a flag given overrides the configuration file, which overrides the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import parse_config
from analyzer.model.errors import ConfigError, SeamsError
from analyzer.model.options import AnalyzeOptions
from analyzer.usecases.init import carried_settings
from analyzer.usecases.options import CacheFlags, Flags, resolve_options

CONFIG = parse_config(
    {"services": 4, "seed": 7, "granularity": "module", "exclude": ["a/"], "git": False},
    "seams.toml",
)


def test_nothing_given_and_nothing_configured_gives_the_defaults() -> None:
    assert resolve_options(parse_config({}, "seams.toml"), Flags()) == AnalyzeOptions()


def test_the_configuration_fills_what_the_command_line_leaves_out() -> None:
    options = resolve_options(CONFIG, Flags(exclude=("b/",), jobs=2))
    assert (options.services, options.seed, options.granularity) == (4, 7, "module")
    assert (options.excludes, options.git, options.jobs) == (("a/", "b/"), False, 2)


def test_flags_override_the_configuration() -> None:
    flags = Flags(services="auto", seed=0, granularity="symbol", git=True, weights="data=3")
    options = resolve_options(CONFIG, flags)
    assert (options.services, options.seed, options.granularity, options.git) == (
        None,
        0,
        "symbol",
        True,
    )
    assert options.weights.of("data") == 3.0


@pytest.mark.parametrize("services", ["0", "-2", "many"])
def test_a_bad_service_count_is_a_usage_error(services: str) -> None:
    with pytest.raises(SeamsError, match="--services must be a positive number or 'auto'"):
        resolve_options(CONFIG, Flags(services=services))


def test_cochange_weight_with_no_git_is_refused() -> None:
    with pytest.raises(SeamsError, match="--no-git"):
        resolve_options(CONFIG, Flags(weights="cochange=1", git=False))


def test_the_cache_lives_in_the_tree_unless_moved_or_turned_off(tmp_path: Path) -> None:
    assert CacheFlags().location(tmp_path) == tmp_path / ".seams-cache"
    assert CacheFlags(directory=tmp_path / "c").location(tmp_path) == tmp_path / "c"
    assert CacheFlags(disabled=True).location(tmp_path) is None


def test_init_keeps_configured_settings_and_the_excludes_given_now() -> None:
    carried = carried_settings(CONFIG, Flags(exclude=("b/",), include_tests=True))
    assert carried == {
        "exclude": ["a/", "b/"],
        "git": False,
        "granularity": "module",
        "include_tests": True,
        "seed": 7,
        "services": 4,
    }


def test_the_smallest_service_worth_deploying_comes_from_the_flag_the_file_or_the_default() -> None:
    default = AnalyzeOptions().engine.min_lines
    configured = parse_config({"min_service_lines": 800}, "seams.toml")
    assert resolve_options(parse_config({}, "seams.toml"), Flags()).engine.min_lines == default
    assert resolve_options(configured, Flags()).engine.min_lines == 800
    flagged = resolve_options(configured, Flags(min_service_lines=1200))
    assert flagged.engine.min_lines == 1200
    # only that tunable changes
    assert flagged.engine.with_(min_lines=default) == AnalyzeOptions().engine


@pytest.mark.parametrize("value", [0, -5, 2.5, "1000", True])
def test_a_bad_smallest_service_is_reported_with_its_key(value: object) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config({"min_service_lines": value}, "seams.toml")
    assert "min_service_lines: must be a positive integer" in str(raised.value)
