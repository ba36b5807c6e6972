"""Load and validate configuration: ``[tool.seams]`` in pyproject.toml, or ``seams.toml``.

Every problem is collected and reported at once, each with its key path.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from analyzer.model.config import SeamsConfig
from analyzer.model.errors import ConfigError, SeamsError
from analyzer.model.options import Weights

ANALYSIS_KEYS = frozenset(
    {"exclude", "granularity", "services", "seed", "weights", "include_tests", "git"}
)
KNOWN_KEYS = ANALYSIS_KEYS | {"service", "check", "shared", "steering", "roots"}


def find_config(root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The config of the repository at ``root``: seams.toml first, then pyproject's [tool.seams]."""
    seams_toml = root / "seams.toml"
    if seams_toml.is_file():
        return seams_toml, _read(seams_toml)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _tool_seams(pyproject, _read(pyproject))
        if table is not None:
            return pyproject, table
    return None


def _tool_seams(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The [tool.seams] table of a parsed pyproject.toml (``None`` when there is none)."""
    tool = data.get("tool")
    table = tool.get("seams") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise SeamsError(f"{path}: tool.seams must be a table, got {table!r}")
    return table


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SeamsError(f"{path} is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeamsError(f"cannot read {path}: {exc}") from None


def load_config(root: Path, explicit: Path | None = None) -> SeamsConfig:
    """The validated configuration for ``root`` (empty when there is none)."""
    if explicit is not None:
        if not explicit.is_file():
            raise SeamsError(f"config file not found: {explicit}")
        data = _read(explicit)
        table = data
        if explicit.name == "pyproject.toml":
            table = _tool_seams(explicit, data) or {}
        found: tuple[Path, dict[str, Any]] | None = (explicit, table)
    else:
        found = find_config(root)
    if found is None:
        return SeamsConfig()
    path, table = found
    return parse_config(table, str(path))


def parse_config(table: dict[str, Any], source: str) -> SeamsConfig:
    problems: list[str] = []
    prefix = "tool.seams." if source.endswith("pyproject.toml") else ""

    def bad(key: str, text: str) -> None:
        problems.append(f"{prefix}{key}: {text}")

    for key in sorted(set(table) - KNOWN_KEYS):
        bad(key, f"unknown key (known: {', '.join(sorted(KNOWN_KEYS))})")
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        bad("exclude", "must be a list of glob strings")
        exclude = []
    granularity = table.get("granularity")
    if granularity is not None and granularity not in ("module", "symbol"):
        bad("granularity", f"must be 'module' or 'symbol', got {granularity!r}")
        granularity = None
    services = table.get("services")
    services_auto = services == "auto"
    if (
        services is not None
        and not services_auto
        and (isinstance(services, bool) or not isinstance(services, int) or services < 1)
    ):
        bad("services", f"must be a positive integer or 'auto', got {services!r}")
        services = None
    seed = table.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        bad("seed", f"must be a non-negative integer, got {seed!r}")
        seed = None
    weights = None
    if "weights" in table:
        if not isinstance(table["weights"], dict):
            bad("weights", "must be a table of kind = number")
        else:
            try:
                weights = Weights.parse(table["weights"])
            except SeamsError as exc:
                bad("weights", exc.message.removeprefix("weights: "))
    flags = {}
    for key in ("include_tests", "git"):
        value = table.get(key)
        if value is not None and not isinstance(value, bool):
            bad(key, f"must be true or false, got {value!r}")
            value = None
        flags[key] = value
    if problems:
        raise ConfigError(source, problems)
    return SeamsConfig(
        source=source,
        exclude=tuple(exclude),
        granularity=granularity,
        services=None if services_auto else services,
        services_auto=services_auto,
        seed=seed,
        weights=weights,
        include_tests=flags["include_tests"],
        git=flags["git"],
        raw=table,
    )
