"""Load and validate configuration: ``[tool.seams]`` in pyproject.toml, or ``seams.toml``.

Every problem is collected and reported at once, each with its key path.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analyzer.model.boundaries import (
    DEFAULT_BASELINE,
    DEFAULT_DEPENDENCY_KINDS,
    DEFAULT_TOLERANCE,
    SHARED,
    Boundaries,
    Boundary,
)
from analyzer.model.config import SeamsConfig
from analyzer.model.errors import ConfigError, SeamsError
from analyzer.model.options import Weights
from analyzer.model.signals import signals
from analyzer.model.steering import Steering
from analyzer.model.violations import RULES, SEVERITIES, Severity

ANALYSIS_KEYS = frozenset(
    {
        "exclude",
        "granularity",
        "services",
        "seed",
        "weights",
        "include_tests",
        "git",
        "min_service_lines",
    }
)
KNOWN_KEYS = ANALYSIS_KEYS | {"service", "check", "shared", "steering", "roots"}
SERVICE_KEYS = frozenset({"name", "modules", "depends_on", "tables", "description"})
CHECK_KEYS = frozenset({"baseline", "rules", "tolerance", "dependency_kinds"})
SHARED_KEYS = frozenset({"modules"})
METRICS = frozenset(name for name, _ in DEFAULT_TOLERANCE)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# A part is anything but whitespace, "." (between parts), ":" (before a symbol) and "/": module
# names come from directory and file names, which may hold "-" (a checkout of several
# projects side by side) or non-ASCII letters.
_GLOB_PART = r"[^\s.:/]+"
_PATTERN = re.compile(rf"{_GLOB_PART}(?:\.{_GLOB_PART})*(?::{_GLOB_PART}(?:\.{_GLOB_PART})*)?")
Bad = Callable[[str, str], None]


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


def _integer(value: object, least: int) -> bool:
    """Whether ``value`` is an integer (TOML's, not a boolean) of at least ``least``."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


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
    if services is not None and not services_auto and not _integer(services, 1):
        bad("services", f"must be a positive integer or 'auto', got {services!r}")
        services = None
    seed = table.get("seed")
    if seed is not None and not _integer(seed, 0):
        bad("seed", f"must be a non-negative integer, got {seed!r}")
        seed = None
    smallest = table.get("min_service_lines")
    if smallest is not None and not _integer(smallest, 1):
        bad("min_service_lines", f"must be a positive integer, got {smallest!r}")
        smallest = None
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
    steering = parse_steering(table.get("steering", {}), f"{prefix}steering", problems)
    boundaries = parse_boundaries(table, bad)
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
        min_service_lines=smallest,
        raw=table,
        steering=steering,
        boundaries=boundaries,
    )


def parse_boundaries(table: dict[str, Any], bad: Bad) -> Boundaries | None:
    """The ``service``, ``shared`` and ``check`` keys; ``None`` when none of them is present."""
    if not any(key in table for key in ("service", "shared", "check")):
        return None
    services = _services(table.get("service", []), bad)
    names = {s.name for s in services}
    _check_references(services, names, bad)
    shared = _shared(table.get("shared", {}), bad)
    check = table.get("check", {})
    if not isinstance(check, dict):
        bad("check", "must be a table")
        check = {}
    _unknown(check, CHECK_KEYS, "check", bad)
    baseline = check.get("baseline", DEFAULT_BASELINE)
    if not isinstance(baseline, str) or not baseline.strip():
        bad("check.baseline", f"must be a file path, got {baseline!r}")
        baseline = DEFAULT_BASELINE
    return Boundaries(
        services=tuple(services),
        shared=shared,
        rules=_rules(check.get("rules", {}), bad),
        baseline=baseline,
        tolerance=_tolerance(check.get("tolerance", {}), bad),
        dependency_kinds=_kinds(check.get("dependency_kinds"), bad),
    )


def _unknown(table: dict[str, Any], known: frozenset[str], path: str, bad: Bad) -> None:
    for key in sorted(set(table) - known):
        bad(f"{path}.{key}", f"unknown key (known: {', '.join(sorted(known))})")


def _strings(value: object, path: str, bad: Bad, what: str) -> list[str] | None:
    if not isinstance(value, list):
        bad(path, f"must be a list of {what}, got {type(value).__name__}")
        return None
    good = True
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            bad(f"{path}[{i}]", f"must be a non-empty string, got {item!r}")
            good = False
    return [str(x) for x in value] if good else None


def _patterns(value: object, path: str, bad: Bad) -> tuple[str, ...]:
    items = _strings(value, path, bad, "module patterns")
    if items is None:
        return ()
    for i, item in enumerate(items):
        if not _PATTERN.fullmatch(item):
            bad(
                f"{path}[{i}]",
                f"{item!r} is not a module pattern ('pkg.mod', 'pkg.*', 'pkg.mod:Name*')",
            )
    return tuple(items)


def _services(value: object, bad: Bad) -> list[Boundary]:
    if not isinstance(value, list):
        bad("service", "must be an array of tables ([[service]] or [[tool.seams.service]])")
        return []
    services: list[Boundary] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(value):
        path = f"service[{i}]"
        if not isinstance(entry, dict):
            bad(path, "must be a table with name and modules")
            continue
        _unknown(entry, SERVICE_KEYS, path, bad)
        name = entry.get("name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            bad(f"{path}.name", f"must be a name of letters, digits, '_', '-' or '.', got {name!r}")
            name = f"#{i}"
        elif name == SHARED:
            bad(f"{path}.name", f"{SHARED!r} is reserved for the shared library ([shared])")
        elif name in seen:
            bad(f"{path}.name", f"duplicate service name {name!r} (also service[{seen[name]}])")
        seen.setdefault(name, i)
        if "modules" not in entry:
            bad(f"{path}.modules", "is required: the module patterns of this service")
        modules = _patterns(entry.get("modules", []), f"{path}.modules", bad)
        depends = entry.get("depends_on")
        depends_on = None
        if depends is not None:
            items = _strings(depends, f"{path}.depends_on", bad, "service names")
            depends_on = tuple(items) if items is not None else ()
        tables = _strings(entry.get("tables", []), f"{path}.tables", bad, "table names") or []
        description = entry.get("description", "")
        if not isinstance(description, str):
            bad(f"{path}.description", f"must be a string, got {description!r}")
            description = ""
        services.append(Boundary(name, modules, depends_on, tuple(tables), description))
    return services


def _check_references(services: list[Boundary], names: set[str], bad: Bad) -> None:
    """depends_on names declared services; no module pattern or table is claimed twice."""
    module_owner: dict[str, str] = {}
    table_owner: dict[str, str] = {}
    for i, service in enumerate(services):
        for j, other in enumerate(service.depends_on or ()):
            if other == service.name:
                bad(f"service[{i}].depends_on[{j}]", "a service does not depend on itself")
            elif other not in names and other != SHARED:
                known = ", ".join(sorted(names))
                bad(f"service[{i}].depends_on[{j}]", f"unknown service {other!r} (known: {known})")
        for j, pattern in enumerate(service.modules):
            first = module_owner.setdefault(pattern, service.name)
            if first != service.name:
                bad(f"service[{i}].modules[{j}]", f"{pattern!r} is already a pattern of {first!r}")
        for j, pattern in enumerate(service.tables):
            first = table_owner.setdefault(pattern, service.name)
            if first != service.name:
                bad(f"service[{i}].tables[{j}]", f"table {pattern!r} is already owned by {first!r}")


def _shared(value: object, bad: Bad) -> tuple[str, ...]:
    if not isinstance(value, dict):
        bad("shared", "must be a table with 'modules' (shared-library module patterns)")
        return ()
    _unknown(value, SHARED_KEYS, "shared", bad)
    return _patterns(value.get("modules", []), "shared.modules", bad)


def _rules(value: object, bad: Bad) -> tuple[tuple[str, Severity], ...]:
    rules: dict[str, Severity] = {rule: info.default for rule, info in RULES.items()}
    if not isinstance(value, dict):
        bad("check.rules", "must be a table of rule = 'error' | 'warn' | 'off'")
        return tuple(sorted(rules.items()))
    for rule, severity in sorted(value.items()):
        if rule not in RULES:
            bad(f"check.rules.{rule}", f"unknown rule (rules: {', '.join(sorted(RULES))})")
        elif severity not in SEVERITIES:
            bad(f"check.rules.{rule}", f"must be 'error', 'warn' or 'off', got {severity!r}")
        else:
            rules[rule] = severity
    return tuple(sorted(rules.items()))


def _tolerance(value: object, bad: Bad) -> tuple[tuple[str, float], ...]:
    tolerance = dict(DEFAULT_TOLERANCE)
    if not isinstance(value, dict):
        bad("check.tolerance", "must be a table of metric = number")
        return tuple(sorted(tolerance.items()))
    for metric, number in sorted(value.items()):
        if metric not in METRICS:
            bad(
                f"check.tolerance.{metric}",
                f"unknown metric (metrics: {', '.join(sorted(METRICS))})",
            )
        elif (
            isinstance(number, bool)
            or not isinstance(number, int | float)
            or not math.isfinite(number)
            or not 0 <= number <= 1
        ):
            bad(f"check.tolerance.{metric}", f"must be a number from 0 to 1, got {number!r}")
        else:
            tolerance[metric] = float(number)
    return tuple(sorted(tolerance.items()))


def _kinds(value: object, bad: Bad) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_DEPENDENCY_KINDS
    items = _strings(value, "check.dependency_kinds", bad, "coupling kinds")
    if items is None:
        return DEFAULT_DEPENDENCY_KINDS
    # Only couplings between pieces of code make dependencies; data has rules of its own.
    code = [s.kind for s in signals() if s.between == "code"]
    for i, kind in enumerate(items):
        if kind not in code:
            allowed = ", ".join(code)
            bad(f"check.dependency_kinds[{i}]", f"unknown kind {kind!r} (kinds: {allowed})")
    return tuple(k for k in items if k in code)


def _steer_patterns(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    return None


def parse_steering(table: object, where: str, problems: list[str]) -> Steering:
    """``[steering]``: pin, together, apart, rename. Problems are appended with their key path."""
    if not isinstance(table, dict):
        problems.append(f"{where}: must be a table")
        return Steering()
    for key in sorted(set(table) - {"pin", "together", "apart", "rename"}):
        problems.append(f"{where}.{key}: unknown key (known: apart, pin, rename, together)")
    pin = []
    pins = table.get("pin", {})
    if not isinstance(pins, dict):
        problems.append(f"{where}.pin: must be a table of service name = pattern(s)")
        pins = {}
    for name, value in pins.items():
        patterns = _steer_patterns(value)
        if patterns is None:
            problems.append(
                f"{where}.pin.{name}: must be a pattern or a non-empty list of patterns"
            )
        else:
            pin.append((str(name), patterns))
    groups = {}
    for key in ("together", "apart"):
        value = table.get(key, [])
        found = []
        if not isinstance(value, list):
            problems.append(f"{where}.{key}: must be a list of pattern lists")
            value = []
        for i, group in enumerate(value):
            patterns = _steer_patterns(group)
            if patterns is None or len(patterns) < 2:
                problems.append(f"{where}.{key}[{i}]: must be a list of at least two patterns")
            else:
                found.append(patterns)
        groups[key] = tuple(found)
    rename = table.get("rename", {})
    if not isinstance(rename, dict) or not all(isinstance(v, str) and v for v in rename.values()):
        problems.append(f"{where}.rename: must be a table of proposed name = new name")
        rename = {}
    return Steering(tuple(pin), groups["together"], groups["apart"], tuple(sorted(rename.items())))
