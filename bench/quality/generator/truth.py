"""The truth of a generated monolith, in the format of fixtures/*/truth.json plus ``shared``
(items set aside as the shared kernel or project wiring, not scored) and ``generator`` (the
knobs drawn, so a case can be described)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.quality.generator.plan import SHARED, Plan, Symbol

SERVING_ROLES = ("repository", "service", "dead", "view", "task", "receiver", "report", "admin")


def build_truth(
    plan: Plan,
    rendered: list[Symbol],
    modules: list[str],
    wiring: list[str],
    lines: dict[str, int],
    extra: dict[str, Any],
) -> dict[str, Any]:
    symbols = {s.id: s.capability for s in rendered}
    weight: dict[str, Counter[str]] = {}
    for s in rendered:
        weight.setdefault(s.module, Counter())[s.capability] += max(s.lines, 1)
    module_map: dict[str, str] = {}
    for module in modules:
        counts = weight.get(module)
        if counts:
            module_map[module] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        else:
            module_map[module] = _package_capability(plan, module)
    shared = sorted(
        [m for m, c in module_map.items() if c == SHARED]
        + [s.id for s in rendered if s.capability == SHARED]
    )
    tables = {e.table: e.capability for e in plan.entities}
    access: dict[str, dict[str, set[str]]] = {
        t: {"writers": set(), "readers": set()} for t in tables
    }
    for s in rendered:
        for e in s.writes:
            access[e.table]["writers"].add(s.capability)
        for e in s.reads:
            access[e.table]["readers"].add(s.capability)
    return {
        "modules": dict(sorted(module_map.items())),
        "symbols": dict(sorted(symbols.items())),
        "shared": shared,
        "tables": dict(sorted(tables.items())),
        "table_access": {
            t: {"writers": sorted(a["writers"]), "readers": sorted(a["readers"])}
            for t, a in sorted(access.items())
        },
        "generator": {
            **plan.knobs.as_dict(),
            "project": plan.project,
            "capability_names": list(plan.capabilities),
            "apps": list(plan.apps),
            "shared_tables": [
                {"table": e.table, "owner": e.capability, "also_written_by": w}
                for e, w in plan.shared_tables
            ],
            "wiring_modules": sorted(wiring),
            "lines": sum(lines.values()),
            **extra,
        },
    }


def _package_capability(plan: Plan, module: str) -> str:
    """A module without symbols (a package marker, settings, a URL conf): a capability's package
    marker or URL conf belongs to it; anything else is project wiring, set aside as shared."""
    parts = module.split(".")
    for cap in plan.capabilities:
        if len(parts) >= 2 and parts[1] == cap and cap in plan.apps:
            return cap
        if cap == plan.library and parts[1:3] == ["vendor", cap]:
            return cap
    return SHARED
