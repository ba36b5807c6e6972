"""Capability truths of real corpora, by a written rule per corpus (bench/quality/README.md).

Each rule maps a module name to its capability, or to ``SHARED`` (kernel, project shell:
set aside, not scored). Symbols get their module's capability; their ids are the keys of Seams'
own ``symbols`` map, so they match the proposal's exactly.

Usage: python bench/quality/truths.py [NAME ...]   (prints capability sizes per corpus)
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

SHARED = "shared"

OSCAR_DASHBOARD = {
    "catalogue": "catalogue",
    "communications": "communication",
    "offers": "offer",
    "orders": "order",
    "partners": "partner",
    "ranges": "offer",
    "reports": "analytics",
    "reviews": "catalogue",
    "shipping": "shipping",
    "users": "customer",
    "vouchers": "voucher",
    "pages": "dashboard",
}
MAYAN_SHARED = {
    "common",
    "views",
    "navigation",
    "appearance",
    "rest_api",
    "databases",
    "dependencies",
}
NAUTOBOT_SHARED = {"core", "apps", "ui"}
NETBOX_APPS = {
    "circuits",
    "dcim",
    "extras",
    "ipam",
    "tenancy",
    "users",
    "virtualization",
    "vpn",
    "wireless",
}
FLASKBB_CAPABILITIES = {"auth", "forum", "management", "user", "plugins"}
SHUUP_SHARED = {"admin", "apps", "addons", "utils", "testing", "themes", "_version"}


def _part(parts: list[str], index: int) -> str | None:
    return parts[index] if len(parts) > index else None


def oscar(module: str) -> str:
    parts = module.split(".")
    if parts[:2] != ["oscar", "apps"] or len(parts) < 3:
        return SHARED
    app = parts[2]
    if app == "dashboard":
        sub = _part(parts, 3)
        return OSCAR_DASHBOARD.get(sub or "", SHARED)
    return app


def shuup(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "shuup" or len(parts) < 2:
        return SHARED
    if parts[1:3] == ["admin", "modules"] and len(parts) > 3:
        return parts[3]
    if parts[1:3] == ["front", "apps"] and len(parts) > 3:
        return parts[3]
    app = parts[1]
    return SHARED if app in SHUUP_SHARED or app.endswith("configuration") else app


def netbox(module: str) -> str:
    app = module.split(".", maxsplit=1)[0]
    if app == "account":  # the signed-in user's own pages: the users app's UI
        return "users"
    return app if app in NETBOX_APPS else SHARED


def nautobot(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "nautobot" or len(parts) < 2:
        return SHARED
    app = parts[1]
    package = Path(_root("nautobot"), "nautobot", app, "__init__.py")
    return app if package.is_file() and app not in NAUTOBOT_SHARED else SHARED


def _apps_under(prefix: list[str], shared: set[str]) -> Callable[[str], str]:
    def rule(module: str) -> str:
        parts = module.split(".")
        if parts[: len(prefix)] != prefix or len(parts) <= len(prefix):
            return SHARED
        app = parts[len(prefix)]
        return SHARED if app in shared else app

    return rule


def flaskbb(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "flaskbb" or len(parts) < 2:
        return SHARED
    if parts[1] in FLASKBB_CAPABILITIES:
        return parts[1]
    if parts[1] == "core" and len(parts) > 2:
        # flaskbb.core holds the interfaces of its features: core.auth, core.user, core.tokens
        return {"auth": "auth", "user": "user", "tokens": "auth"}.get(parts[2], SHARED)
    if parts[1] == "tokens":
        return "auth"
    return SHARED


RULES: dict[str, Callable[[str], str]] = {
    "django-oscar": oscar,
    "shuup": shuup,
    "netbox": netbox,
    "nautobot": nautobot,
    "mayan-edms": _apps_under(["mayan", "apps"], MAYAN_SHARED),
    "tendenci": _apps_under(["tendenci", "apps"], {"base"}),
    "flaskbb": flaskbb,
}


def _root(name: str) -> Path:
    corpora = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
    return corpora / name


def derive_truth(name: str, modules: Iterable[str], symbols: Iterable[str]) -> dict[str, Any]:
    """The truth of corpus ``name`` over Seams' own module and symbol ids."""
    rule = RULES[name]
    module_map = {m: rule(m) for m in sorted(modules)}
    symbol_map = {s: module_map.get(s.split(":")[0]) or rule(s.split(":")[0]) for s in symbols}
    shared = sorted(m for m, c in module_map.items() if c == SHARED)
    shared += sorted(s for s, c in symbol_map.items() if c == SHARED)
    return {
        "modules": module_map,
        "symbols": dict(sorted(symbol_map.items())),
        "shared": shared,
        "rule": name,
    }


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.quality.seams_api import run_seams

    for name in sys.argv[1:] or sorted(RULES):
        root = _root(name)
        cache = root.parent / ".seams-bench" / name
        document = run_seams(root, cache_dir=cache, jobs=2).document
        truth = derive_truth(name, document["modules"], document["symbols"])
        loc = {n["id"]: n["loc"] for n in document["graph"]["nodes"]}
        lines: Counter[str] = Counter()
        count: Counter[str] = Counter()
        for symbol, capability in truth["symbols"].items():
            lines[capability] += loc.get(symbol, 0)
            count[capability] += 1
        scored = [c for c in count if c != SHARED]
        print(f"\n{name}: {len(scored)} capabilities, {len(truth['symbols'])} symbols")
        for capability, n in lines.most_common():
            print(f"  {capability:32s} {count[capability]:6d} symbols {n:8d} lines")
        json.dumps(truth)


if __name__ == "__main__":
    main()
