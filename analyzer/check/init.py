"""``seams init``: write a proposal (a ``seams/decomposition`` document) as declared boundaries.

The result is TOML for ``seams.toml`` (or, with ``pyproject=True``, the same keys under
``[tool.seams]``): one ``[[service]]`` per proposed service with compressed module patterns and
``module:Symbol`` exceptions for split modules, the tables each service owns, the shared library,
and the check settings with every rule at its default severity.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analyzer.check.layout import compress
from analyzer.model.boundaries import SHARED, Boundaries, Boundary
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


@dataclass(frozen=True, slots=True)
class Declaration:
    """Boundaries declared from a proposal, and each service's dependencies today (written
    as a comment beside it, ready to become its ``depends_on``)."""

    boundaries: Boundaries
    today: Mapping[str, Sequence[str]]


def declare(document: Mapping[str, Any]) -> Declaration:
    """The proposal's services as boundaries: every rule at its default severity, no
    ``depends_on`` (the baseline tracks today's dependencies)."""
    modules, exceptions = _assignment(document)
    patterns = compress(modules)
    services = tuple(
        Boundary(
            name=s["name"],
            modules=(*patterns.get(s["name"], []), *exceptions.get(s["name"], [])),
            tables=tuple(sorted(s.get("tables_owned", []))),
        )
        for s in document["services"]
        if s.get("kind") != "shared-library"
    )
    boundaries = Boundaries(
        services=services,
        shared=(*patterns.get(SHARED, []), *exceptions.get(SHARED, [])),
        rules=tuple(sorted((rule, info.default) for rule, info in RULES.items())),
    )
    return Declaration(boundaries, _dependencies(document))


def render_boundaries(
    declaration: Declaration, analysis: Mapping[str, Any], *, pyproject: bool = False
) -> str:
    """The declared boundaries as TOML; ``analysis`` keys (exclude, seed...) come first."""
    boundaries = declaration.boundaries
    prefix = "tool.seams." if pyproject else ""
    lines = [HEADER.rstrip("\n")]
    if pyproject:
        lines += ["", "[tool.seams]"]
    if analysis:
        lines += [
            *([] if pyproject else [""]),
            *(f"{k} = {toml_value(v)}" for k, v in analysis.items()),
        ]
    for service in boundaries.services:
        lines += ["", f"[[{prefix}service]]", f"name = {toml_value(service.name)}"]
        lines += _array("modules", list(service.modules))
        lines += [
            "# today's dependencies; uncomment to allow only these:",
            f"# depends_on = {toml_value(list(declaration.today.get(service.name, [])))}",
        ]
        if service.tables:
            lines += _array("tables", list(service.tables))
    if boundaries.shared:
        lines += ["", f"[{prefix}shared]", *_array("modules", list(boundaries.shared))]
    lines += [
        "",
        f"[{prefix}check]",
        f"baseline = {toml_value(boundaries.baseline)}",
        "# error: fails the check; warn: reported only; off: not checked",
        f"[{prefix}check.rules]",
        *(f"{rule} = {toml_value(severity)}" for rule, severity in boundaries.rules),
    ]
    return "\n".join(lines) + "\n"
