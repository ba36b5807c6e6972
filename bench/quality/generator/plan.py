"""The design of one generated monolith, before any code is written: its capabilities, their
entities (models, tables, foreign keys) and top-level symbols, and who uses whom.

Everything here is plain data drawn from the seed; ``layout`` then places the symbols in modules
and ``render`` writes them. Lists, never sets, so the same seed always gives the same plan.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from bench.quality.generator.knobs import Knobs
from bench.quality.generator.vocabulary import (
    CAPABILITIES,
    FIELDS,
    HELPER_NOUNS,
    HELPER_VERBS,
    KERNEL_PACKAGES,
    LIBRARIES,
    PROJECT_NAMES,
    READ_VERBS,
    WRITE_VERBS,
)

SHARED = "shared"
REPORTING = "reporting"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def plural(word: str) -> str:
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(eq=False)
class Entity:
    name: str
    capability: str
    table: str
    fields: list[tuple[str, str]]
    foreign_keys: list[Entity] = field(default_factory=list)

    @property
    def var(self) -> str:
        return snake(self.name)

    @property
    def many(self) -> str:
        return plural(snake(self.name))


@dataclass(eq=False)
class Use:
    """One symbol using another: a call, or a reference by a string (``string``)."""

    target: Symbol
    string: bool = False


@dataclass(eq=False)
class Symbol:
    name: str
    kind: str  # "class" | "function"
    capability: str  # a capability, or SHARED for the kernel
    role: str
    entity: Entity | None = None
    uses: list[Use] = field(default_factory=list)
    reads: list[Entity] = field(default_factory=list)
    writes: list[Entity] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    singleton: str = ""  # the module-level instance callers use, if any
    injected: bool = False  # collaborators passed to __init__
    verb: str = ""
    lines: int = 0  # estimate, for sizing
    module: str = ""  # set by layout

    @property
    def id(self) -> str:
        return f"{self.module}:{self.name}"


@dataclass
class Plan:
    knobs: Knobs
    project: str
    kernel: str  # kernel package name under the project
    capabilities: list[str]  # business capabilities, largest first, then reporting/library
    entities: list[Entity]
    symbols: list[Symbol]
    library: str = ""  # the independent sub-library's name, if any
    apps: list[str] = field(default_factory=list)  # capabilities laid out as their own package
    shared_tables: list[tuple[Entity, str]] = field(default_factory=list)  # (entity, 2nd writer)

    def of(self, capability: str, role: str | None = None) -> list[Symbol]:
        return [
            s
            for s in self.symbols
            if s.capability == capability and (role is None or s.role == role)
        ]


def _table(orm: str, capability: str, entity: str) -> str:
    if orm == "django":
        return f"{capability}_{entity.lower()}"
    return plural(snake(entity))


def _entities(rng: random.Random, knobs: Knobs, budgets: dict[str, int]) -> dict[str, list[Entity]]:
    out: dict[str, list[Entity]] = {}
    for cap, lines in budgets.items():
        names = CAPABILITIES[cap]
        count = max(1, min(len(names), round(lines / 900)))
        out[cap] = [
            Entity(n, cap, _table(knobs.orm, cap, n), sorted(rng.sample(FIELDS, rng.randint(3, 7))))
            for n in names[:count]
        ]
    caps = list(out)
    for cap, entities in out.items():
        for entity in entities[1:]:
            if rng.random() < 0.8:
                entity.foreign_keys.append(entities[0])
        for entity in entities:
            others = [c for c in caps if c != cap]
            if others and rng.random() < knobs.cross_fk_rate:
                entity.foreign_keys.append(out[rng.choice(others)][0])
    return out


class _Names:
    """Unique top-level names across the project (a generated name never shadows another)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self.taken:
            candidate = f"{name}_{n}" if name[0].islower() else f"{name}{n}"
            n += 1
        self.taken.add(candidate)
        return candidate


def _kernel_symbols(names: _Names, orm: str) -> list[Symbol]:
    spec = [
        ("Money", "class", "money"),
        ("quantize", "function", "money"),
        ("to_cents", "function", "money"),
        ("utcnow", "function", "dates"),
        ("days_between", "function", "dates"),
        ("start_of_day", "function", "dates"),
        ("DomainError", "class", "exceptions"),
        ("NotFound", "class", "exceptions"),
        ("ValidationError", "class", "exceptions"),
        ("PermissionDenied", "class", "exceptions"),
        ("chunked", "function", "utils"),
        ("slugify", "function", "utils"),
        ("paginate", "function", "utils"),
        ("first_or_none", "function", "utils"),
        ("BaseService", "class", "base"),
        ("BaseRepository", "class", "base"),
    ]
    if orm == "sqlalchemy":
        spec.append(("Base", "class", "db"))
    if orm in ("sqlalchemy", "sqlmodel"):
        spec.append(("get_session", "function", "db"))
    return [Symbol(names(n), k, SHARED, "kernel", verb=v, lines=10) for n, k, v in spec]


def _capability_symbols(
    rng: random.Random, knobs: Knobs, cap: str, entities: list[Entity], budget: int, names: _Names
) -> list[Symbol]:
    out: list[Symbol] = []

    def add(symbol: Symbol) -> Symbol:
        out.append(symbol)
        return symbol

    for e in entities:
        add(Symbol(names(e.name), "class", cap, "model", e, lines=8 + 2 * len(e.fields)))
        if rng.random() < 0.5:
            methods = ["get", "list_active", "create", "update_status"]
            repo = add(Symbol(names(f"{e.name}Repository"), "class", cap, "repository", e))
            repo.methods, repo.lines = methods, 40
            repo.reads.append(e)
            repo.writes.append(e)
        else:
            for verb in ("get", "list", "create", "update"):
                name = f"{verb}_{e.many if verb == 'list' else e.var}"
                repo = add(Symbol(names(name), "function", cap, "repository", e, verb=verb))
                (repo.writes if verb in ("create", "update") else repo.reads).append(e)
                repo.lines = 10
        suffix = "Form" if knobs.orm == "django" else "Schema"
        add(Symbol(names(f"{e.name}{suffix}"), "class", cap, "form", e, lines=12))
        if knobs.orm == "django" or "admin" in knobs.hubs:
            add(Symbol(names(f"{e.name}Admin"), "class", cap, "admin", e, lines=10))
    used = sum(s.lines for s in out)
    roles = (
        ("service", 34),
        ("view", 26),
        ("helper", 16),
        ("service-class", 8),
        ("task", 8),
        ("receiver", 5),
        ("read-service", 12),
    )
    population = [r for r, w in roles for _ in range(w)]
    turn = 0
    while used < budget:
        e = entities[turn % len(entities)]
        turn += 1
        role = rng.choice(population)
        symbol = _operation(rng, cap, e, role, names)
        for _ in range(4):  # prefer another verb to a numbered duplicate name
            if not symbol.name[-1].isdigit():
                break
            names.taken.discard(symbol.name)
            symbol = _operation(rng, cap, e, role, names)
        if symbol.kind == "function" and rng.random() < knobs.dead_code_rate:
            symbol.role, symbol.name = "dead", names(f"legacy_{symbol.name.lower()}")
        used += symbol.lines
        add(symbol)
    return out


def _operation(rng: random.Random, cap: str, e: Entity, role: str, names: _Names) -> Symbol:
    if role == "service":
        verb = rng.choice(WRITE_VERBS)
        return Symbol(names(f"{verb}_{e.var}"), "function", cap, "service", e, verb=verb, lines=18)
    if role == "read-service":
        verb = rng.choice(READ_VERBS)
        noun = e.many if verb in ("list", "find", "rank", "count", "export") else e.var
        return Symbol(names(f"{verb}_{noun}"), "function", cap, "service", e, verb=verb, lines=14)
    if role == "service-class":
        words = ("Service", "Manager", "Workflow", "Processor", "Coordinator")
        s = Symbol(names(f"{e.name}{rng.choice(words)}"), "class", cap, "service", e, lines=45)
        s.methods = rng.sample([*WRITE_VERBS[:8], *READ_VERBS[:6]], rng.randint(2, 4))
        return s
    if role == "view":
        verb = rng.choice(("list", "detail", "create", "update", "delete", "export", "search"))
        if rng.random() < 0.35:  # a class-based view
            name = names(f"{e.name}{verb.title()}View")
            return Symbol(name, "class", cap, "view", e, verb=verb, lines=20)
        return Symbol(names(f"{e.var}_{verb}"), "function", cap, "view", e, verb=verb, lines=16)
    if role == "helper":
        verb, noun = rng.choice(HELPER_VERBS), rng.choice(HELPER_NOUNS)
        name = f"{verb}_{e.var}_{noun}"
        return Symbol(names(name), "function", cap, "helper", e, verb=verb, lines=11)
    if role == "task":
        verb = rng.choice(("send", "refresh", "purge", "rebuild", "notify", "reconcile"))
        name = f"{verb}_{e.var}_task" if rng.random() < 0.3 else f"{verb}_{e.many}"
        return Symbol(names(name), "function", cap, "task", e, verb=verb, lines=12)
    verb = rng.choice(("saved", "deleted", "changed"))
    return Symbol(names(f"on_{e.var}_{verb}"), "function", cap, "receiver", e, verb=verb, lines=11)


def _library_symbols(rng: random.Random, library: str, names: _Names) -> list[Symbol]:
    out = []
    for module in LIBRARIES[library]:
        for i in range(rng.randint(3, 6)):
            verb = rng.choice(("encode", "decode", "measure", "check", "pad", "split", "join"))
            s = Symbol(names(f"{verb}_{module}_{i}"), "function", library, "lib", verb=verb)
            s.lines, s.module = 12, module  # module: the library file it belongs in
            out.append(s)
    return out


def build_plan(knobs: Knobs) -> Plan:
    rng = random.Random(f"plan-{knobs.seed}")

    caps = rng.sample(sorted(CAPABILITIES), knobs.capabilities)
    weights = [1 / (i + 1) ** knobs.zipf_exponent for i in range(len(caps))]
    business = int(knobs.lines * 1.15)
    budgets = {
        c: max(350, int(business * w / sum(weights))) for c, w in zip(caps, weights, strict=False)
    }
    by_cap = _entities(rng, knobs, budgets)
    names = _Names()
    symbols = _kernel_symbols(names, knobs.orm)
    for cap in caps:
        symbols.extend(_capability_symbols(rng, knobs, cap, by_cap[cap], budgets[cap], names))
    capabilities = list(caps)
    if knobs.reporting:
        capabilities.append(REPORTING)
        for i in range(rng.randint(3, 8)):
            verb = rng.choice(("daily", "weekly", "monthly", "top", "overdue", "churn", "margin"))
            s = Symbol(names(f"{verb}_report"), "function", REPORTING, "report", lines=20)
            s.verb = verb if i else "dashboard"
            symbols.append(s)
    library = ""
    if knobs.independent_library:
        library = rng.choice(sorted(LIBRARIES))
        capabilities.append(library)
        symbols.extend(_library_symbols(rng, library, names))
    plan = Plan(
        knobs,
        rng.choice(PROJECT_NAMES),
        rng.choice(KERNEL_PACKAGES),
        capabilities,
        [e for c in caps for e in by_cap[c]],
        symbols,
        library,
        _apps(rng, knobs, [c for c in capabilities if c != library]),
    )
    for cap in plan.apps if knobs.orm == "django" else ():
        symbols.append(Symbol(names(f"{cap.title()}Config"), "class", cap, "config", lines=5))
    if "routes" in knobs.hubs and knobs.orm != "django":
        for cap in caps:
            route = Symbol(names(f"register_{cap}_routes"), "function", cap, "route", lines=8)
            route.uses = [Use(v) for v in plan.of(cap, "view")]
            symbols.append(route)
    for s in symbols:
        if s.role == "service" and s.kind == "class" and rng.random() < knobs.singleton_rate:
            s.singleton = names(snake(s.name))
    _wire(rng, plan)
    return plan


def _apps(rng: random.Random, knobs: Knobs, business: list[str]) -> list[str]:
    if knobs.organisation == "capability":
        return list(business)
    if knobs.organisation != "mixed":
        return []
    apps = [c for c in business if rng.random() < 0.5] or business[:1]
    return apps[:-1] if len(apps) == len(business) > 1 else apps


def _pick(rng: random.Random, pool: list[Symbol], k: int = 1) -> list[Symbol]:
    return rng.sample(pool, min(k, len(pool))) if pool else []


def _wire(rng: random.Random, plan: Plan) -> None:
    """Who uses whom: within a capability mostly, across at the knob's rate, the kernel
    everywhere, reporting reading many capabilities' tables."""
    knobs = plan.knobs
    caps = [c for c in plan.capabilities if c not in (REPORTING, plan.library)]
    kernel = plan.of(SHARED)
    role: dict[tuple[str, str], list[Symbol]] = {}
    for s in plan.symbols:
        role.setdefault((s.capability, s.role), []).append(s)

    def pool(cap: str, *roles: str) -> list[Symbol]:
        return [s for r in roles for s in role.get((cap, r), [])]

    def other(cap: str) -> str:
        return rng.choice([c for c in caps if c != cap]) if len(caps) > 1 else cap

    def use(s: Symbol, targets: list[Symbol], string_rate: float = 0.0) -> None:
        for t in targets:
            if t is not s and all(u.target is not t for u in s.uses):
                s.uses.append(Use(t, rng.random() < string_rate))

    for s in plan.symbols:
        cap, e = s.capability, s.entity
        if s.role in ("kernel", "model", "lib", "config", "route"):
            continue
        own = [x for x in pool(cap, "repository") if x.entity is e] or pool(cap, "repository")
        services = pool(cap, "service")
        if s.role == "view":
            use(
                s, _pick(rng, [x for x in services if x.entity is e] or services, rng.randint(1, 2))
            )
            use(s, [x for x in pool(cap, "form") if x.entity is e][: rng.random() < 0.6])
            if rng.random() < knobs.cross_call_rate:
                use(s, _pick(rng, pool(other(cap), "service")))
            if e and rng.random() < knobs.direct_orm_rate:
                s.reads.append(e)
        elif s.role in ("service", "dead"):
            if e and rng.random() < knobs.direct_orm_rate:
                (s.writes if s.verb in WRITE_VERBS else s.reads).append(e)
            else:
                use(s, _pick(rng, own, rng.randint(1, 2)))
            use(s, _pick(rng, [x for x in services if x.kind == "function"], rng.random() < 0.4))
            use(s, _pick(rng, pool(cap, "helper"), rng.random() < 0.4))
            use(s, _pick(rng, pool(cap, "task"), rng.random() < 0.2), knobs.string_ref_rate * 4)
            if rng.random() < knobs.cross_call_rate:
                use(s, _pick(rng, pool(other(cap), "service", "repository")))
            if s.kind == "class":
                use(s, _pick(rng, own, 2))
                s.injected = rng.random() < knobs.injection_rate
        elif s.role == "task":
            use(s, _pick(rng, [x for x in services if x.kind == "function"] or services))
        elif s.role == "receiver":
            source = other(cap) if rng.random() < 0.5 else cap
            use(s, _pick(rng, pool(source, "model")))
            use(s, _pick(rng, services))
        elif s.role == "helper":
            use(s, _pick(rng, pool(cap, "helper"), rng.random() < 0.3))
        elif s.role in ("admin", "form"):
            use(s, [x for x in pool(cap, "model") if x.entity is e])
            if s.role == "admin" and rng.random() < 0.3:
                use(s, _pick(rng, services))
        elif s.role == "report":
            for c in _pick_caps(rng, caps, rng.randint(2, 5)):
                s.reads.append(rng.choice([x.entity for x in pool(c, "model") if x.entity]))
        if s.role not in ("report",) and rng.random() < knobs.kernel_use_rate:
            use(s, _pick(rng, kernel, rng.randint(1, 2)))
    for s in plan.symbols:
        if s.role == "service" and s.capability in caps and rng.random() < knobs.string_ref_rate:
            # a few references by dotted path or app label: import_string, apps.get_model
            s.uses.extend(
                Use(t, True) for t in _pick(rng, pool(s.capability, "service")) if t is not s
            )
    if plan.library:
        lib = pool(plan.library, "lib")
        for s in lib:
            use(s, _pick(rng, [x for x in lib if x.module != s.module], rng.randint(0, 2)))
            use(s, _pick(rng, [x for x in lib if x.module == s.module], 1))
    _shared_tables(rng, plan, caps, pool)


def _pick_caps(rng: random.Random, caps: list[str], k: int) -> list[str]:
    return rng.sample(caps, min(k, len(caps)))


def _shared_tables(rng: random.Random, plan: Plan, caps: list[str], pool) -> None:  # type: ignore[no-untyped-def]
    for _ in range(plan.knobs.shared_tables):
        if len(caps) < 2:
            return
        owner, writer = rng.sample(caps, 2)
        entity = rng.choice([e for e in plan.entities if e.capability == owner])
        candidates = [s for s in pool(writer, "service") if s.kind == "function"]
        if not candidates or any(e is entity for e, _ in plan.shared_tables):
            continue
        rng.choice(candidates).writes.append(entity)
        plan.shared_tables.append((entity, writer))
