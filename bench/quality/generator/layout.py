"""Where each symbol of a plan goes: the module tree of one organisation style.

- capability: ``proj/<cap>/models.py, services.py, views.py ...`` (a large role becomes a package);
- layer: ``proj/models/, repositories/, services/, api/ ...`` with short files that each hold the
  tail of one capability and the head of the next;
- layer-per-capability: ``proj/<layer>/<cap>.py`` (a package per capability when large);
- mixed: some capabilities as apps, the others spread over layers.

Hubs (one module for every capability's tasks, admin classes or signal receivers) and god
modules (one 1,000-3,000-line module holding a role for many capabilities) are laid over any
style. The kernel lives in ``proj/<kernel>/``, an independent library in ``proj/vendor/<lib>/``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.quality.generator.plan import REPORTING, SHARED, Plan, Symbol

FRAMEWORKS = {
    "django": "django",
    "sqlalchemy": "fastapi",
    "flask-sqlalchemy": "flask",
    "sqlmodel": "fastapi",
}
# role -> (file name inside an app, layer package)
ROLE_FILES = {
    "model": ("models", "models"),
    "repository": ("repositories", "repositories"),
    "form": ("forms", "forms"),
    "admin": ("admin", "admin"),
    "service": ("services", "services"),
    "view": ("views", "api"),
    "task": ("tasks", "tasks"),
    "receiver": ("signals", "handlers"),
    "helper": ("utils", "utils"),
    "report": ("reports", "services"),
    "config": ("apps", "apps"),
}
HUB_ROLES = {"tasks": "task", "admin": "admin", "signals": "receiver"}
BIG_ROLE = 24  # symbols of one role in one capability before the role becomes a package


@dataclass
class Layout:
    framework: str
    apps: list[str]  # capabilities laid out as their own package
    modules: dict[str, list[Symbol]] = field(default_factory=dict)  # module -> its symbols
    packages: list[str] = field(default_factory=list)
    hubs: dict[str, str] = field(default_factory=dict)  # hub -> module
    god_modules: list[str] = field(default_factory=list)


def _file(framework: str, role: str) -> tuple[str, str]:
    app_file, layer = ROLE_FILES[role]
    if role == "form" and framework != "django":
        return ("schemas", "schemas")
    if role == "view" and framework == "fastapi":
        return ("routes", "api")
    return app_file, layer


def _role(s: Symbol) -> str:
    if s.role == "dead":
        return "service" if s.entity is not None and s.verb else "helper"
    return s.role


def layout(plan: Plan) -> Layout:
    rng = random.Random(f"layout-{plan.knobs.seed}")
    knobs, p = plan.knobs, plan.project
    framework = FRAMEWORKS[knobs.orm]
    business = [c for c in plan.capabilities if c != plan.library]
    style = knobs.organisation
    apps = plan.apps
    out = Layout(framework, apps)
    placed: dict[int, str] = {}
    for s in plan.of(SHARED):
        placed[id(s)] = f"{p}.{plan.kernel}.{s.verb}"
    if plan.library:
        for s in plan.of(plan.library):
            placed[id(s)] = f"{p}.vendor.{plan.library}.{s.module}"
    if "routes" in knobs.hubs:
        out.hubs["routes"] = f"{p}.urls" if framework == "django" else f"{p}.routing"
        for s in plan.symbols:
            if s.role == "route":
                placed[id(s)] = out.hubs["routes"]
    hubs = {h: role for h, role in HUB_ROLES.items() if h in knobs.hubs}
    for hub, role in hubs.items():
        module = f"{p}.{ {'tasks': 'tasks', 'admin': 'admin', 'signals': 'signals'}[hub] }"
        out.hubs[hub] = module
        for s in plan.symbols:
            if s.role == role and s.capability in business:
                placed[id(s)] = module
    _god_modules(rng, plan, out, placed)
    layered: list[Symbol] = []
    for s in plan.symbols:
        if id(s) in placed:
            continue
        app_file, _layer = _file(framework, _role(s))
        if s.capability in apps:
            placed[id(s)] = f"{p}.{s.capability}.{app_file}"
        elif style == "layer-per-capability":
            placed[id(s)] = f"{p}.{_layer}.{s.capability}"
        else:
            layered.append(s)
    _chunk_layers(rng, plan, framework, layered, placed)
    _split_big(plan, placed)
    for s in plan.symbols:
        s.module = placed[id(s)]
        out.modules.setdefault(s.module, []).append(s)
    out.modules = dict(sorted(out.modules.items()))
    out.packages = sorted(
        {".".join(m.split(".")[:i]) for m in out.modules for i in range(1, m.count(".") + 1)} | {p}
    )
    return out


def _god_modules(rng: random.Random, plan: Plan, out: Layout, placed: dict[int, str]) -> None:
    p = plan.project
    roles = [("view", f"{p}.views" if out.framework != "fastapi" else f"{p}.endpoints")]
    roles.append(("helper", f"{p}.helpers"))
    for (role, module), target in zip(roles, plan.knobs.god_modules, strict=False):
        pool = [s for s in plan.symbols if s.role == role and id(s) not in placed]
        rng.shuffle(pool)
        lines = 0
        for s in pool:
            if lines >= target:
                break
            placed[id(s)] = module
            lines += s.lines
        out.god_modules.append(module)


def _chunk_layers(
    rng: random.Random,
    plan: Plan,
    framework: str,
    symbols: list[Symbol],
    placed: dict[int, str],
) -> None:
    """Short layer files, cut without regard to capability boundaries: a file holds the tail of
    one capability's symbols and the head of the next one's."""
    order = {c: i for i, c in enumerate(plan.capabilities)}
    by_layer: dict[str, list[Symbol]] = {}
    for s in symbols:
        by_layer.setdefault(_file(framework, _role(s))[1], []).append(s)
    for layer, members in by_layer.items():
        members.sort(key=lambda s: order[s.capability])
        taken: set[str] = set()
        i = 0
        while i < len(members):
            size = rng.randint(3, 12)
            chunk = members[i : i + size]
            i += size
            head = chunk[0]
            stem = (
                head.entity.many
                if head.entity
                else ("reports" if head.capability == REPORTING else head.capability)
            )
            name, n = stem, 2
            while name in taken:
                name, n = f"{stem}_{n}", n + 1
            taken.add(name)
            for s in chunk:
                placed[id(s)] = f"{plan.project}.{layer}.{name}"


def _split_big(plan: Plan, placed: dict[int, str]) -> None:
    """A capability's role with many symbols becomes a package with a module per entity."""
    modules: dict[str, list[Symbol]] = {}
    for s in plan.symbols:
        modules.setdefault(placed[id(s)], []).append(s)
    for module, members in modules.items():
        caps = {s.capability for s in members}
        if len(members) <= BIG_ROLE or len(caps) != 1 or SHARED in caps:
            continue
        for s in members:
            leaf = s.entity.many if s.entity else "common"
            placed[id(s)] = f"{module}.{leaf}"
