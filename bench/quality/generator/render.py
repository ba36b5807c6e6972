"""Write a planned, laid-out monolith as Python source: one ``Module`` per file, each symbol
rendered for its role in the project's ORM and web framework, plus the wiring modules (settings,
URL conf or app factory, the task worker) a project of that stack has."""

from __future__ import annotations

import random

from bench.quality.generator.bodies import Bodies, data_name, takes_id
from bench.quality.generator.layout import Layout
from bench.quality.generator.orm import DIALECTS, Dialect, first_field
from bench.quality.generator.plan import SHARED, Plan, Symbol, Use
from bench.quality.generator.source import Module

ACTIVE = '"active"'
TEXT_VERBS = ("format", "render", "build")
KERNEL_CODE: dict[str, list[str]] = {
    "Money": [
        "@dataclass(frozen=True)",
        "class Money:",
        '    """An amount in one currency; arithmetic keeps the currency."""',
        "",
        "    amount: Decimal",
        '    currency: str = "EUR"',
        "",
        "    def __add__(self, other: Money) -> Money:",
        "        if other.currency != self.currency:",
        '            raise ValueError("cannot add amounts in different currencies")',
        "        return Money(self.amount + other.amount, self.currency)",
        "",
        "    def is_zero(self) -> bool:",
        "        return self.amount == 0",
    ],
    "quantize": [
        "def quantize(value: object, places: int = 2) -> Decimal:",
        '    """Round half up to ``places`` decimals, accepting numbers and strings."""',
        '    if value in (None, ""):',
        '        return Decimal("0")',
        "    exponent = Decimal(1).scaleb(-places)",
        "    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)",
    ],
    "to_cents": [
        "def to_cents(value: object) -> int:",
        "    amount = Decimal(str(value or 0))",
        "    cents = int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))",
        "    if cents < 0:",
        '        raise ValueError("negative amount")',
        "    return cents",
    ],
    "utcnow": [
        "def utcnow() -> datetime:",
        "    return datetime.now(tz=timezone.utc)",
    ],
    "days_between": [
        "def days_between(start: date | None, end: date | None) -> int:",
        '    """Whole days from ``start`` to ``end``; 0 when either is missing."""',
        "    if start is None or end is None:",
        "        return 0",
        "    if end < start:",
        "        start, end = end, start",
        "    return (end - start).days",
    ],
    "start_of_day": [
        "def start_of_day(day: date | None = None) -> datetime:",
        "    day = day or date.today()",
        "    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)",
    ],
    "DomainError": [
        "class DomainError(Exception):",
        '    """Base class of the errors the business rules raise."""',
        "",
        '    code = "error"',
        "",
        "    def __init__(self, message: str, *, detail: dict | None = None) -> None:",
        "        super().__init__(message)",
        "        self.detail = detail or {}",
    ],
    "NotFound": ["class NotFound(DomainError):", '    code = "not_found"'],
    "ValidationError": ["class ValidationError(DomainError):", '    code = "invalid"'],
    "PermissionDenied": ["class PermissionDenied(DomainError):", '    code = "forbidden"'],
    "chunked": [
        "def chunked(items: list, size: int) -> Iterator[list]:",
        "    if size <= 0:",
        '        raise ValueError("size must be positive")',
        "    for start in range(0, len(items), size):",
        "        yield items[start : start + size]",
    ],
    "slugify": [
        "def slugify(text: str) -> str:",
        "    cleaned = []",
        "    for char in text.lower().strip():",
        "        if char.isalnum():",
        "            cleaned.append(char)",
        '        elif cleaned and cleaned[-1] != "-":',
        '            cleaned.append("-")',
        '    return "".join(cleaned).strip("-")',
    ],
    "paginate": [
        "def paginate(items: list, page: int = 1, per_page: int = 25) -> dict:",
        "    page = max(page, 1)",
        "    start = (page - 1) * per_page",
        "    chunk = items[start : start + per_page]",
        '    return {"page": page, "items": chunk, "has_next": start + per_page < len(items)}',
    ],
    "first_or_none": [
        "def first_or_none(items: list) -> object | None:",
        "    for item in items:",
        "        if item is not None:",
        "            return item",
        "    return None",
    ],
    "BaseService": [
        "class BaseService:",
        '    """Common plumbing of the service objects: a logger and an audit hook."""',
        "",
        "    def __init__(self) -> None:",
        "        self.log = logging.getLogger(type(self).__module__)",
        "",
        "    def audit(self, action: str, **details: object) -> None:",
        '        self.log.info("%s %s", action, details)',
    ],
    "BaseRepository": [
        "class BaseRepository:",
        '    """Data access objects share paging and a default page size."""',
        "",
        "    page_size = 100",
        "",
        "    def window(self, page: int) -> tuple[int, int]:",
        "        start = max(page - 1, 0) * self.page_size",
        "        return start, start + self.page_size",
    ],
    "Base": ["class Base(DeclarativeBase):", '    """Declarative base of every model."""'],
    "get_session": [
        "def get_session() -> Iterator[Session]:",
        "    session = SessionLocal()",
        "    try:",
        "        yield session",
        "    finally:",
        "        session.close()",
    ],
}
KERNEL_IMPORTS = {
    "Money": [("dataclasses", "dataclass"), ("decimal", "Decimal")],
    "quantize": [("decimal", "Decimal"), ("decimal", "ROUND_HALF_UP")],
    "to_cents": [("decimal", "Decimal"), ("decimal", "ROUND_HALF_UP")],
    "utcnow": [("datetime", "datetime"), ("datetime", "timezone")],
    "days_between": [("datetime", "date")],
    "start_of_day": [("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone")],
    "chunked": [("collections.abc", "Iterator")],
    "BaseService": [("logging", None)],
    "get_session": [("collections.abc", "Iterator")],
}


class Renderer:
    def __init__(self, plan: Plan, lay: Layout) -> None:
        self.plan, self.lay = plan, lay
        self.p = plan.project
        self.dialect: Dialect = type(DIALECTS[plan.knobs.orm])()
        self.dialect.project = self.p
        self.fw = lay.framework
        self.models = {id(s.entity): s for s in plan.symbols if s.role == "model" and s.entity}
        self.bodies = Bodies(plan, self.dialect, self.fw, self.models)
        self.modules: dict[str, Module] = {}
        self.rendered: list[Symbol] = []  # symbols actually written, in order
        self.wiring: list[str] = []  # modules with module-level code only

    def module(self, name: str) -> Module:
        if name not in self.modules:
            self.modules[name] = Module(name, self.p, self.plan.knobs.call_styles)
        return self.modules[name]

    def need_session(self, m: Module) -> None:
        if self.dialect.name == "sqlmodel":
            m.need("sqlmodel", "Session")
        elif self.dialect.session:
            m.need("sqlalchemy.orm", "Session")

    def need_db(self, m: Module) -> str:
        return m.need(f"{self.p}.extensions", "db")

    # -- symbols ---------------------------------------------------------------------------
    def render(self) -> dict[str, str]:
        for module, symbols in self.lay.modules.items():
            m = self.module(module)
            for s in symbols:
                block = self.symbol(m, s)
                if block:
                    m.blocks.append(block)
                    self.rendered.append(s)
                if s.singleton:
                    m.tail.append(f"{s.singleton} = {s.name}()")
        self.wire()
        files: dict[str, str] = {}
        for name, m in sorted(self.modules.items()):
            text = "\n".join(line.rstrip() for line in m.text().splitlines()) + "\n"
            if "logger." in text and "logger = " not in text:
                m.need("logging")
                m.top.insert(0, "logger = logging.getLogger(__name__)")
                text = "\n".join(line.rstrip() for line in m.text().splitlines()) + "\n"
            files[name] = text
        return files

    def symbol(self, m: Module, s: Symbol) -> list[str]:
        handler = getattr(self, f"r_{s.role.replace('-', '_')}")
        return handler(m, s)

    def r_kernel(self, m: Module, s: Symbol) -> list[str]:
        for module, name in KERNEL_IMPORTS.get(s.name, []):
            m.need(module, name)
        if s.name == "Base":
            m.need("sqlalchemy.orm", "DeclarativeBase")
        if s.name in ("Base", "get_session"):
            self.db_module(m)
        if s.name in ("NotFound", "ValidationError", "PermissionDenied"):
            pass
        return list(KERNEL_CODE[s.name])

    def db_module(self, m: Module) -> None:
        if m.top:
            return
        if self.dialect.name == "sqlmodel":
            m.need("sqlmodel", "Session")
            m.need("sqlmodel", "create_engine")
            m.top += [f'engine = create_engine("sqlite:///{self.p}.db")']
            m.need("functools", "partial")
            m.top += ["SessionLocal = partial(Session, engine)"]
            return
        m.need("sqlalchemy", "create_engine")
        m.need("sqlalchemy.orm", "Session")
        m.need("sqlalchemy.orm", "sessionmaker")
        m.top += [
            f'engine = create_engine("postgresql://localhost/{self.p}", pool_pre_ping=True)',
            "SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)",
        ]

    def r_model(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        assert e is not None
        base = ""
        if self.dialect.name == "sqlalchemy":
            base = m.ref(self.plan_kernel("Base"))
        if self.dialect.name == "flask-sqlalchemy":
            self.need_db(m)
        fks = []
        for target in e.foreign_keys:
            model = self.models[id(target)]
            if self.dialect.name == "django":
                if target.capability != e.capability and target.capability in self.plan.apps:
                    ref = f'"{target.capability}.{target.name}"'
                elif model.module == m.name and self.rendered_before(model):
                    ref = target.name
                elif model.module == m.name:
                    ref = f'"{target.name}"'
                else:
                    ref = m.ref(model)
                fks.append((target, ref))
            else:
                fks.append((target, ""))
        return self.dialect.model(m, e, base, fks)

    def rendered_before(self, s: Symbol) -> bool:
        return any(r is s for r in self.rendered)

    def plan_kernel(self, name: str) -> Symbol:
        return next(s for s in self.plan.of(SHARED) if s.name == name)

    def base_of(self, m: Module, s: Symbol, name: str) -> str:
        for u in s.uses:
            if u.target.name == name:
                return m.ref(u.target)
        return ""

    def r_repository(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        assert e is not None
        model = m.ref(self.models[id(e)])
        d = self.dialect
        if d.name == "flask-sqlalchemy":
            self.need_db(m)
        if s.kind == "function":
            return self.repo_function(m, s, model)
        base = self.base_of(m, s, "BaseRepository")
        status = first_field(e, "str")
        field = status[0] if status else "id"
        lines = [
            f"class {s.name}{f'({base})' if base else ''}:",
            f'    """Reads and writes {e.many.replace("_", " ")}."""',
            "",
        ]
        lines += [f"    model = {model}", ""]
        if d.session:
            self.need_session(m)
            lines += [
                "    def __init__(self, session: Session) -> None:",
                "        self.session = session",
                "",
            ]
        fix = (lambda x: x.replace("session.", "self.session.")) if d.session else (lambda x: x)
        lines += [
            f"    def get(self, {e.var}_id: int):",
            f"        return {fix(d.get(m, model, e.var + '_id'))}",
            "",
        ]
        lines += [
            "    def list_active(self, limit: int = 100) -> list:",
            f"        rows = {fix(d.filter(m, model, field, chr(34) + 'active' + chr(34)))}",
            "        return list(rows)[:limit]",
            "",
            "    def create(self, payload: dict):",
            "        values = {key: value for key, value in payload.items() if value is not None}",
        ]
        lines += [f"        {fix(x)}" for x in d.create(m, model, "record", "values")]
        lines += [
            "        return record",
            "",
            f"    def update_status(self, {e.var}_id: int, status: str) -> None:",
        ]
        lines += ["        if not status:", '            raise ValueError("status is required")']
        lines += [f"        {fix(x)}" for x in d.update(m, model, f"{e.var}_id", field, "status")]
        return lines

    def repo_function(self, m: Module, s: Symbol, model: str) -> list[str]:
        e = s.entity
        assert e is not None
        d = self.dialect
        params = self.bodies.params(s)
        if d.session:
            self.need_session(m)
        head = f"def {s.name}({', '.join(params)}):"
        status = first_field(e, "str")
        field = status[0] if status else "id"
        key = f"{e.var}_id"
        if s.verb == "get":
            body = [
                f"{e.var} = {d.get(m, model, key)}",
                f"if {e.var} is None:",
                f'    raise LookupError(f"{e.var.replace("_", " ")} {{{key}}} does not exist")',
                f"return {e.var}",
            ]
        elif s.verb == "list":
            body = [
                "filters = dict(filters or {})",
                f"rows = {d.filter(m, model, field, f'filters.get({field!r}, {ACTIVE})')}",
                'limit = int(filters.get("limit", 100))',
                "return list(rows)[:limit]",
            ]
        elif s.verb == "create":
            body = [
                "values = dict(filters or {})",
                "if not values:",
                '    raise ValueError("nothing to create")',
            ]
            body += [*d.create(m, model, e.var, "values"), f"return {e.var}"]
        else:
            body = [f"if {key} is None:", '    raise ValueError("an id is required")']
            body += [*d.update(m, model, key, field, '"updated"'), f"return {key}"]
        return [head, *("    " + x for x in body)]

    def r_form(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        assert e is not None
        model = m.ref(self.models[id(e)])
        names = [n for n, _k in e.fields][:4]
        if self.fw == "django":
            m.need("django", "forms")
            first = names[0]
            return [
                f"class {s.name}(forms.ModelForm):",
                "    class Meta:",
                f"        model = {model}",
                f"        fields = {names!r}",
                "",
                f"    def clean_{first}(self):",
                f'        value = self.cleaned_data.get("{first}")',
                '        if value in (None, ""):',
                f'            raise forms.ValidationError("{first.replace("_", " ")} is required")',
                "        return value",
            ]
        m.need("pydantic", "BaseModel")
        from bench.quality.generator.orm import PYTHON_TYPES

        lines = [f"class {s.name}(BaseModel):", "    id: int | None = None"]
        for n, k in e.fields:
            if k in ("decimal", "datetime", "date"):
                m.need("decimal" if k == "decimal" else "datetime", PYTHON_TYPES[k])
            lines.append(f"    {n}: {PYTHON_TYPES[k]} | None = None")
        args = ", ".join(f"{n}=obj.{n}" for n in names)
        lines += ["", "    @classmethod", f"    def from_model(cls, obj: {model}) -> {s.name}:"]
        lines += [f"        return cls(id=obj.id, {args})"]
        return lines

    def r_admin(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        assert e is not None
        model = m.ref(self.models[id(e)])
        names = tuple(n for n, _k in e.fields[:3])
        services = [
            u.target for u in s.uses if u.target.role == "service" and u.target.kind == "function"
        ]
        if self.fw == "django":
            m.need("django.contrib", "admin")
            lines = [f"@admin.register({model})", f"class {s.name}(admin.ModelAdmin):"]
            lines += [
                f"    list_display = {('id', *names)!r}",
                f"    search_fields = {names[:1]!r}",
            ]
            if services:
                t = services[0]
                lines += [
                    '    actions = ["apply_bulk"]',
                    "",
                    '    @admin.action(description="Apply to the selected rows")',
                    "    def apply_bulk(self, request, queryset):",
                    "        for obj in queryset:",
                    f"            {m.ref(t)}({self.bodies.args(m, 'obj.pk', '{}', t)})",
                    '        self.message_user(request, f"{queryset.count()} updated")',
                ]
            return lines
        if self.fw == "flask":
            m.need("flask_admin.contrib.sqla", "ModelView")
            lines = [f"class {s.name}(ModelView):", f"    column_list = {('id', *names)!r}"]
            lines += ["    can_delete = False", "", "    def __init__(self, session, **kwargs):"]
            lines += [f"        super().__init__({model}, session, **kwargs)"]
        else:
            m.need("sqladmin", "ModelView")
            lines = [f"class {s.name}(ModelView, model={model}):"]
            lines += [f"    column_list = {['id', *names]!r}", "    can_delete = False"]
        if services:
            t = services[0]
            lines += [
                "",
                "    def after_model_change(self, data, model, is_created, request=None):",
            ]
            if self.dialect.session:
                lines.append(f"        session = next({m.ref(self.plan_kernel('get_session'))}())")
            lines += [f"        {m.ref(t)}({self.bodies.args(m, 'model.id', 'data', t)})"]
        return lines

    def r_config(self, m: Module, s: Symbol) -> list[str]:
        m.need("django.apps", "AppConfig")
        lines = [
            f"class {s.name}(AppConfig):",
            '    default_auto_field = "django.db.models.BigAutoField"',
            f'    name = "{self.p}.{s.capability}"',
            f'    label = "{s.capability}"',
        ]
        signals = f"{self.p}.{s.capability}.signals"
        if signals in self.lay.modules:
            lines += [
                "",
                "    def ready(self) -> None:",
                f"        from {self.p}.{s.capability} import signals  # noqa: F401",
            ]
        return lines

    def r_service(self, m: Module, s: Symbol) -> list[str]:
        if s.kind == "class":
            return self.service_class(m, s)
        key = f"{s.entity.var}_id" if s.entity and takes_id(s) else ""
        data = data_name(s)
        if self.dialect.session:
            self.need_session(m)
        head = f"def {s.name}({', '.join(self.bodies.params(s))}):"
        return [head, *self.bodies.function_body(m, s, key, data)]

    r_dead = r_service

    def service_class(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        assert e is not None
        base = self.base_of(m, s, "BaseService")
        uses = [u for u in s.uses if u.target.capability != SHARED or u.target.kind == "function"]
        injected: dict[int, str] = {}
        lines = [
            f"class {s.name}{f'({base})' if base else ''}:",
            f'    """{e.name} operations: {", ".join(s.methods)}."""',
            "",
        ]
        params, assigns = ["self"], []
        if self.dialect.session:
            self.need_session(m)
            params.append("session: Session")
            assigns.append("self.session = session")
        if s.injected:
            for u in uses:
                t = u.target
                if t.kind == "class" and t.role == "repository" and not u.string:
                    attr = f"{t.entity.var}_repository" if t.entity else "repository"
                    cls = m.ref(t)
                    arg = "session" if self.dialect.session else ""
                    params.append(f"{attr}: {cls} | None = None")
                    assigns.append(f"self.{attr} = {attr} or {cls}({arg})")
                    injected[id(t)] = f"self.{attr}"
        if len(params) > 1 or base:
            lines.append(f"    def __init__({', '.join(params)}) -> None:")
            if base:
                lines.append("        super().__init__()")
            lines += [f"        {a}" for a in assigns] + [""]
        per_method: list[list[Use]] = [[] for _ in s.methods]
        for i, u in enumerate(uses):
            per_method[i % len(s.methods)].append(u)
        for i, (method, own) in enumerate(zip(s.methods, per_method, strict=True)):
            writes = s.writes if i == 0 else []
            fake = Symbol(
                method,
                "function",
                s.capability,
                "service",
                e,
                own,
                s.reads if i == 0 else [],
                writes,
                verb=method,
            )
            fake.module = s.module
            key = f"{e.var}_id"
            prelude = ["payload = dict(payload or {})"]
            if self.dialect.session:
                prelude.insert(0, "session = self.session")
            body = self.bodies.function_body(
                m, fake, key, "payload", injected, own, "        ", prelude
            )
            lines.append(
                f"    def {method}(self, {key}: int, payload: dict | None = None) -> dict:"
            )
            lines += [*body, ""]
        return lines[:-1]

    def r_helper(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        fields = [n for n, _k in e.fields] if e else ["name"]
        rng = random.Random(f"helper-{s.name}")
        lines = [f"def {s.name}(data: dict) -> {'str' if s.verb in TEXT_VERBS else 'dict'}:"]
        if rng.random() < 0.5:
            lines.append(f'    """{s.verb.title()} {s.name.split("_", 1)[1].replace("_", " ")}."""')
        body: list[str] = []
        for u in s.uses:
            lines_ = []
            self.bodies.use(m, rng, u, "", "data", lines_, s, {})
            body += lines_
        if s.verb in ("format", "render", "build"):
            body += [
                f'parts = [str(data.get(key, "")) for key in {tuple(fields[:3])!r}]',
                'text = " / ".join(part for part in parts if part)',
                "if len(text) > 80:",
                '    text = text[:77] + "..."',
                "return text",
            ]
        else:
            body += [
                "result = {}",
                "for key, value in data.items():",
                "    if value is None:",
                "        continue",
                "    if isinstance(value, str):",
                "        value = value.strip()",
                "    result[key.lower()] = value",
                f"result.setdefault({fields[0]!r}, None)",
                "return result",
            ]
        return lines + ["    " + x for x in body]

    def r_view(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        assert e is not None
        routed = "routes" not in self.lay.hubs
        path = f"/{e.many.replace('_', '-')}"
        key = ""
        if self.fw == "django":
            m.need("django.http", "JsonResponse")
            key = "pk" if takes_id(s) else ""
            prelude = [
                'payload = request.POST.dict() if request.method == "POST" else request.GET.dict()'
            ]
            params = ["request", *(["pk: int"] if key else [])]
            ret = 'JsonResponse({{"result": {0}}})'
        elif self.fw == "flask":
            m.need("flask", "jsonify")
            m.need("flask", "request")
            key = f"{e.var}_id" if takes_id(s) else ""
            prelude = ["payload = request.get_json(silent=True) or {}"]
            params = [f"{key}: int"] if key else []
            ret = "jsonify({0})"
        else:
            key = f"{e.var}_id" if takes_id(s) else ""
            prelude = ["payload = dict(payload or {})"]
            params = [*([f"{key}: int"] if key else []), "payload: dict | None = None"]
            self.need_session(m)
            dep = m.ref(self.plan_kernel("get_session"))
            m.need("fastapi", "Depends")
            params.append(f"session: Session = Depends({dep})")
            ret = '{{"result": {0}}}'
        if s.kind == "class":
            return self.view_class(m, s, key, prelude, params, ret, path, routed)
        lines: list[str] = []
        if routed or self.app_routed(m.name):
            lines += self.route_decorator(m, s, path, key)
        elif self.fw == "django" and random.Random(s.name).random() < 0.4:
            m.need("django.contrib.auth.decorators", "login_required")
            lines.append("@login_required")
        lines.append(f"def {s.name}({', '.join(params)}):")
        body = self.bodies.function_body(m, s, key, "payload", prelude=prelude)
        return lines + _returning(body, ret)

    def app_routed(self, module: str) -> bool:
        """Older Flask modules (and the single-file app a god module grew from) route on the
        app itself, whether or not a route table registers the rest."""
        if self.fw != "flask":
            return False
        return module in self.lay.god_modules or random.Random(module).random() < 0.25

    def route_decorator(self, m: Module, s: Symbol, path: str, key: str) -> list[str]:
        if self.fw == "django":
            return []
        method = (
            "post" if s.verb in ("create", "update") else "delete" if s.verb == "delete" else "get"
        )
        if self.fw == "flask":
            suffix = f"/<int:{key}>" if key else ""
            if self.app_routed(m.name):
                app = m.need(f"{self.p}.app", "app")
                return [f'@{app}.route("{path}{suffix}", methods=["{method.upper()}"])']
            m.need("flask", "Blueprint")
            if not any(t.startswith("bp = ") for t in m.top):
                m.top.append(f'bp = Blueprint("{m.name.rsplit(".", 1)[-1]}", __name__)')
            return [f'@bp.route("{path}{suffix}", methods=["{method.upper()}"])']
        m.need("fastapi", "APIRouter")
        if not any(t.startswith("router = ") for t in m.top):
            m.top.append("router = APIRouter()")
        suffix = f"/{{{key}}}" if key else ""
        return [f'@router.{method}("{path}{suffix}")']

    def view_class(
        self,
        m: Module,
        s: Symbol,
        key: str,
        prelude: list[str],
        params: list[str],
        ret: str,
        path: str,
        routed: bool,
    ) -> list[str]:
        halves = [s.uses[::2], s.uses[1::2]]
        if self.fw == "django":
            m.need("django.views", "View")
            m.need("django.contrib.auth.mixins", "LoginRequiredMixin")
            head = f"class {s.name}(LoginRequiredMixin, View):"
            sig = [f"self, {', '.join(params)}"] * 2
        elif self.fw == "flask":
            m.need("flask.views", "MethodView")
            head = f"class {s.name}(MethodView):"
            sig = [", ".join(["self", *params])] * 2
            if routed:
                m.need("flask", "Blueprint")
                if not any(t.startswith("bp = ") for t in m.top):
                    m.top.append(f'bp = Blueprint("{m.name.rsplit(".", 1)[-1]}", __name__)')
                m.tail.append(
                    f'bp.add_url_rule("{path}/{s.verb}", '
                    f'view_func={s.name}.as_view("{s.name.lower()}"))'
                )
        else:
            head = f"class {s.name}:"
            sig = [", ".join(["self", *params])] * 2
            if routed:
                m.need("fastapi", "APIRouter")
                if not any(t.startswith("router = ") for t in m.top):
                    m.top.append("router = APIRouter()")
                m.tail.append(
                    f'router.add_api_route("{path}/{s.verb}", {s.name}().get, methods=["GET"])'
                )
        lines = [head, f'    """{s.verb.title()} {s.entity.many.replace("_", " ")}."""', ""]
        for i, (method, own) in enumerate(zip(("get", "post"), halves, strict=True)):
            fake = Symbol(
                s.name,
                "function",
                s.capability,
                "view",
                s.entity,
                own,
                s.reads if i == 0 else [],
                [],
                verb=s.verb,
            )
            fake.module = s.module
            body = self.bodies.function_body(
                m, fake, key, "payload", uses=own, indent="        ", prelude=prelude
            )
            lines += [f"    def {method}({sig[i]}):", *_returning(body, ret), ""]
        return lines[:-1]

    def r_task(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        assert e is not None
        m.need("celery", "shared_task")
        key = f"{e.var}_id"
        prelude = [f'payload = {{"id": {key}}}']
        if self.dialect.session:
            prelude.insert(0, f"session = next({m.ref(self.plan_kernel('get_session'))}())")
        lines = [
            f'@shared_task(name="{s.capability}.{s.name}", ignore_result=True)',
            f"def {s.name}({key}: int):",
        ]
        return lines + self.bodies.function_body(m, s, key, "payload", prelude=prelude)

    def r_receiver(self, m: Module, s: Symbol) -> list[str]:
        e = s.entity
        assert e is not None
        sender = next((u.target for u in s.uses if u.target.role == "model"), self.models[id(e)])
        uses = [u for u in s.uses if u.target is not sender]
        model = m.ref(sender)
        if self.fw == "django":
            m.need("django.dispatch", "receiver")
            signal = "post_delete" if s.verb == "deleted" else "post_save"
            m.need("django.db.models.signals", signal)
            head = [
                f"@receiver({signal}, sender={model})",
                f"def {s.name}(sender, instance, created=False, **kwargs):",
            ]
            key, prelude = "instance.pk", ['payload = {"id": instance.pk, "created": created}']
        else:
            m.need("sqlalchemy", "event")
            hook = (
                "after_delete"
                if s.verb == "deleted"
                else "after_update"
                if s.verb == "changed"
                else "after_insert"
            )
            head = [
                f'@event.listens_for({model}, "{hook}")',
                f"def {s.name}(mapper, connection, target):",
            ]
            key, prelude = "target.id", ['payload = {"id": target.id}']
            if self.dialect.session:
                prelude.insert(0, f"session = next({m.ref(self.plan_kernel('get_session'))}())")
        return head + self.bodies.function_body(m, s, key, "payload", uses=uses, prelude=prelude)

    def r_report(self, m: Module, s: Symbol) -> list[str]:
        prelude = ['filters = {"since": since, "until": until}']
        if self.dialect.session:
            prelude.insert(0, f"session = next({m.ref(self.plan_kernel('get_session'))}())")
        head = f"def {s.name}(since=None, until=None) -> dict:"
        body = self.bodies.function_body(m, s, "", "filters", prelude=prelude)
        totals = ", ".join(f'"{e.many}": len(active_{e.many})' for e in dict.fromkeys(s.reads))
        body[-1] = f"    return {{{totals}}}"
        return [head, *body]

    def r_route(self, m: Module, s: Symbol) -> list[str]:
        lines = [f"def {s.name}(app) -> None:", f'    """URL rules of {s.capability}."""']
        for u in s.uses:
            v = u.target
            if v.kind == "function" and self.app_routed(v.module):
                continue
            ref = m.ref(v)
            path = f"/{v.entity.many.replace('_', '-')}/{v.verb}" if v.entity else f"/{v.name}"
            if self.fw == "flask":
                func = f'{ref}.as_view("{v.name.lower()}")' if v.kind == "class" else ref
                lines.append(f'    app.add_url_rule("{path}", view_func={func})')
            else:
                func = f"{ref}().get" if v.kind == "class" else ref
                lines.append(f'    app.add_api_route("{path}", {func}, methods=["GET"])')
        if len(lines) == 2:
            lines.append("    return None")
        return lines

    def r_lib(self, m: Module, s: Symbol) -> list[str]:
        rng = random.Random(f"lib-{s.name}")
        lines = [f"def {s.name}(value: str, width: int = {rng.choice((8, 12, 16, 32))}) -> str:"]
        body = [
            "chars = []",
            "for index, char in enumerate(value):",
            f"    if index % {rng.randint(2, 5)} == 0 and char.isalnum():",
            "        chars.append(char.upper())",
            "    elif char.isdigit():",
            f"        chars.append(str((int(char) * {rng.randint(3, 9)}) % 10))",
            'result = "".join(chars).ljust(width, "0")',
        ]
        for u in s.uses:
            body.append(f"result = {m.ref(u.target)}(result, width)")
        body.append("return result[:width]")
        return lines + ["    " + x for x in body]

    # -- wiring modules --------------------------------------------------------------------
    def wire(self) -> None:
        from bench.quality.generator.wiring import add_wiring

        add_wiring(self)


def _returning(body: list[str], template: str) -> list[str]:
    """``body`` with its last line, a return statement, wrapping its value in ``template``."""
    last = body[-1]
    indent = last[: len(last) - len(last.lstrip())]
    value = last.strip().removeprefix("return ")
    return [*body[:-1], indent + "return " + template.format(value)]
