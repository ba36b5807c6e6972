"""``seams init``: write a proposal (a ``seams/decomposition@1`` document) as declared boundaries.

The result is TOML for ``seams.toml`` (or, with ``pyproject=True``, the same keys under
``[tool.seams]``): one ``[[service]]`` per proposed service with compressed module patterns and
``module:Symbol`` exceptions for split modules, the tables each service owns, the shared library,
and the check settings with every rule at its default severity.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from analyzer.check.layout import compress
from analyzer.model.boundaries import DEFAULT_BASELINE, SHARED
from analyzer.model.coupling import module_of
from analyzer.model.violations import RULES

HEADER = """\
# Declared service boundaries, checked by `seams check` (docs/check.md).
# Written by `seams init` from the proposed decomposition; edit freely.
# modules: "pkg.mod" holds that module and everything below it (a longer pattern wins);
#          "pkg.*.views" is a glob over whole module names; "pkg.mod:Name" is one class or function.
# depends_on: when present, dependencies on services not listed are violations; when absent,
#             every cross-service dependency found today is in the baseline and new ones fail.
"""


def toml_value(value: Any) -> str:
    """A TOML literal for a str, bool, number, list or flat table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _array(key: str, values: list[str]) -> list[str]:
    if len(values) <= 2:
        return [f"{key} = {toml_value(values)}"]
    return [f"{key} = [", *(f"  {toml_value(v)}," for v in values), "]"]


def _assignment(document: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """module -> service, and service -> symbols it holds in modules mostly held by others."""
    shared = {s["name"] for s in document["services"] if s.get("kind") == "shared-library"}

    def label(service: str) -> str:
        return SHARED if service in shared else service

    modules = {m: label(s) for m, s in document["modules"].items()}
    exceptions: dict[str, list[str]] = defaultdict(list)
    for symbol, service in sorted(document.get("symbols", {}).items()):
        if modules.get(module_of(symbol)) not in (None, label(service)):
            exceptions[label(service)].append(symbol)
    return modules, exceptions


def _dependencies(document: Mapping[str, Any]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for dep in document.get("dependencies", []):
        if isinstance(dep, dict) and dep.get("from") and dep.get("to"):
            found[str(dep["from"])].add(str(dep["to"]))
    return {k: sorted(v) for k, v in found.items()}


def render_boundaries(
    document: Mapping[str, Any], analysis: Mapping[str, Any], *, pyproject: bool = False
) -> str:
    """The boundaries of ``document`` as TOML; ``analysis`` keys (exclude, seed...) come first."""
    modules, exceptions = _assignment(document)
    patterns = compress(modules)
    depends = _dependencies(document)
    prefix = "tool.seams." if pyproject else ""
    lines = [HEADER.rstrip("\n")]
    if pyproject:
        lines += ["", "[tool.seams]"]
    if analysis:
        lines += [
            *([] if pyproject else [""]),
            *(f"{k} = {toml_value(v)}" for k, v in analysis.items()),
        ]
    for service in document["services"]:
        name = service["name"]
        if service.get("kind") == "shared-library":
            continue
        lines += ["", f"[[{prefix}service]]", f"name = {toml_value(name)}"]
        lines += _array("modules", [*patterns.get(name, []), *exceptions.get(name, [])])
        today = depends.get(name, [])
        lines += [
            "# today's dependencies; uncomment to allow only these:",
            f"# depends_on = {toml_value(today)}",
        ]
        tables = sorted(service.get("tables_owned", []))
        if tables:
            lines += _array("tables", tables)
    shared = [*patterns.get(SHARED, []), *exceptions.get(SHARED, [])]
    if shared:
        lines += ["", f"[{prefix}shared]", *_array("modules", shared)]
    rules = {rule: info.default for rule, info in sorted(RULES.items())}
    lines += [
        "",
        f"[{prefix}check]",
        f"baseline = {toml_value(DEFAULT_BASELINE)}",
        "# error: fails the check; warn: reported only; off: not checked",
        f"[{prefix}check.rules]",
        *(f"{rule} = {toml_value(severity)}" for rule, severity in rules.items()),
    ]
    return "\n".join(lines) + "\n"
