"""Function and class bodies: several lines each, with loops, conditions and the calls the plan
asks for, written in the dialect of the project's ORM and web framework."""

from __future__ import annotations

import random

from bench.quality.generator.orm import Dialect, first_field, sample
from bench.quality.generator.plan import SHARED, Entity, Plan, Symbol, Use
from bench.quality.generator.source import Module
from bench.quality.generator.vocabulary import STATUSES, WRITE_VERBS

ID_VERBS = {"get", "update", "detail", "delete", *WRITE_VERBS}


SESSION_ROLES = ("repository", "service", "dead")


def data_name(s: Symbol) -> str:
    """The dict parameter of a service function: a payload to write, or filters to read."""
    return "payload" if s.verb in WRITE_VERBS else "filters"


def takes_id(s: Symbol) -> bool:
    if s.entity is None:
        return False
    if s.role == "repository":
        return s.verb in ("get", "update")
    return s.verb in ID_VERBS or s.role == "task"


class Bodies:
    def __init__(self, plan: Plan, dialect: Dialect, framework: str, models: dict[int, Symbol]):
        self.plan = plan
        self.dialect = dialect
        self.framework = framework
        self.models = models  # id(entity) -> its model symbol
        self.kernel = {s.name: s for s in plan.of(SHARED)}

    # -- signatures -----------------------------------------------------------------------
    def params(self, s: Symbol) -> list[str]:
        out = ["session: Session"] if self.dialect.session and s.role in SESSION_ROLES else []
        if takes_id(s):
            out.append(f"{s.entity.var}_id: int")  # type: ignore[union-attr]
        if s.role in ("service", "dead"):
            out.append(f"{data_name(s)}: dict | None = None")
        elif s.role == "repository" and not takes_id(s):
            out.append("filters: dict | None = None")
        elif s.role == "helper":
            out.append("data: dict")
        return out

    def args(self, m: Module, caller_id: str, data: str, target: Symbol) -> str:
        out = ["session"] if self.dialect.session and target.role in SESSION_ROLES else []
        if takes_id(target):
            out.append(caller_id)
        if target.role in ("service", "dead", "helper") or (
            target.role == "repository" and not takes_id(target)
        ):
            out.append(data)
        return ", ".join(out)

    # -- statements -----------------------------------------------------------------------
    def model_ref(self, m: Module, entity: Entity) -> str:
        return m.ref(self.models[id(entity)])

    def read(self, m: Module, rng: random.Random, entity: Entity, out: list[str]) -> str:
        """Query rows of ``entity`` into a variable, and a loop over them; the variable."""
        model = self.model_ref(m, entity)
        by_label = self.dialect.name == "django" and entity.capability in self.plan.apps
        if by_label and rng.random() < self.plan.knobs.string_ref_rate * 2:
            m.need("django.apps", "apps")
            out.append(f'{entity.name} = apps.get_model("{entity.capability}", "{entity.name}")')
            model = entity.name
        status = first_field(entity, "str")
        flag = first_field(entity, "bool")
        number = first_field(entity, "int", "decimal")
        field, value = (
            (flag[0], "True")
            if flag
            else (status[0], '"active"')
            if status
            else (
                "id",
                "1",
            )
        )
        rows = f"active_{entity.many}"
        out.append(f"{rows} = {self.dialect.filter(m, model, field, value)}")
        if number:
            acc = f"{number[0]}_total"
            start = 'Decimal("0")' if number[1] == "decimal" else "0"
            if number[1] == "decimal":
                m.need("decimal", "Decimal")
            out += [
                f"{acc} = {start}",
                f"for {entity.var} in {rows}:",
                f"    if getattr({entity.var}, {field!r}, None) is None:",
                "        continue",
                f"    {acc} += {entity.var}.{number[0]} or 0",
            ]
        else:
            out += [
                f"seen = [{entity.var}.id for {entity.var} in {rows} if {entity.var}.id]",
                'logger.debug("%d rows", len(seen))',
            ]
        return rows

    def write(
        self, m: Module, rng: random.Random, entity: Entity, key: str, data: str, out: list[str]
    ) -> None:
        model = self.model_ref(m, entity)
        status = first_field(entity, "str")
        if key and rng.random() < 0.5:
            field = status[0] if status else "id"
            value = f'"{rng.choice(STATUSES)}"' if status else key
            out += self.dialect.update(m, model, key, field, value)
            return
        names = [n for n, k in entity.fields if k not in ("datetime",)][:3]
        pairs = ", ".join(
            f'"{n}": {data}.get("{n}", {sample(k)})' for n, k in entity.fields if n in names
        )
        if "Decimal(" in pairs:
            m.need("decimal", "Decimal")
        out.append(f"values = {{{pairs}}}")
        out += self.dialect.create(m, model, f"new_{entity.var}", "values")
        out.append(f'logger.info("created {entity.var.replace("_", " ")} %s", new_{entity.var}.id)')

    def use(
        self,
        m: Module,
        rng: random.Random,
        u: Use,
        key: str,
        data: str,
        out: list[str],
        owner: Symbol,
        injected: dict[int, str],
    ) -> None:
        t = u.target
        if t.capability == SHARED:
            out += self.kernel_use(m, t, data)
            return
        if u.string:
            out += self.string_use(m, t, key, data)
            return
        if id(t) in injected:
            method = self.method_of(rng, t)
            out += self.call(rng, f"{injected[id(t)]}.{method}({key or data})", t, data)
            return
        if t.role == "task":
            out.append(f"{m.ref(t)}.delay({key or data})")
        elif t.kind == "class" and t.role in ("service", "repository", "dead"):
            method = self.method_of(rng, t)
            if t.singleton:
                target = m.ref(t, t.singleton)
            else:
                session = "session" if self.dialect.session and owner.role != "view" else ""
                target = f"{m.ref(t)}({session})"
            out += self.call(rng, f"{target}.{method}({key or data})", t, data)
        elif t.role == "form":
            out += self.form_use(m, t, data)
        elif t.role == "model":
            out.append(f"if not isinstance({data}.get('instance'), {m.ref(t)}):")
            out.append('    logger.debug("no instance given")')
        else:
            out += self.call(rng, f"{m.ref(t)}({self.args(m, key or '0', data, t)})", t, data)

    def call(self, rng: random.Random, expr: str, t: Symbol, data: str) -> list[str]:
        """A call statement in one of the shapes people write: kept in the payload, checked,
        or made for its effect."""
        shape = rng.random()
        word = t.entity.var if t.entity else t.name.split("_")[0]
        if shape < 0.35:
            return [f'{data}["{word}"] = {expr}']
        if shape < 0.7:
            return [
                f"{word} = {expr}",
                f"if {word} is None:",
                f'    logger.warning("no {word.replace("_", " ")} for %s", {data})',
            ]
        return [expr]

    def method_of(self, rng: random.Random, t: Symbol) -> str:
        return rng.choice(t.methods) if t.methods else "run"

    def form_use(self, m: Module, t: Symbol, data: str) -> list[str]:
        if self.framework == "django":
            return [
                f"form = {m.ref(t)}(data={data})",
                "if not form.is_valid():",
                '    return JsonResponse({"errors": form.errors}, status=400)',
            ]
        return [f"body = {m.ref(t)}(**{data})", f"{data} = body.model_dump(exclude_unset=True)"]

    def string_use(self, m: Module, t: Symbol, key: str, data: str) -> list[str]:
        path = f"{t.module}.{t.name}"
        if t.role == "task":
            worker = m.need(f"{self.plan.project}.worker", "celery_app")
            return [f'{worker}.send_task("{t.capability}.{t.name}", args=[{key or data}])']
        if self.framework == "django":
            m.need("django.utils.module_loading", "import_string")
            return [
                f'handler = import_string("{path}")',
                f"handler({self.args(m, key or '0', data, t)})",
            ]
        m.need("importlib")
        return [
            f'handler = getattr(importlib.import_module("{t.module}"), "{t.name}")',
            f"handler({self.args(m, key or '0', data, t)})",
        ]

    def kernel_use(self, m: Module, t: Symbol, data: str) -> list[str]:
        if t.name in ("get_session", "Base", "BaseService", "BaseRepository"):
            return []
        ref = m.ref(t)
        return {
            "Money": [
                f'{data}["amount"] = {ref}({data}.get("amount", 0), {data}.get("currency", "EUR"))'
            ],
            "quantize": [f'{data}["total"] = {ref}({data}.get("total", 0))'],
            "to_cents": [f'{data}["amount_cents"] = {ref}({data}.get("amount", 0))'],
            "utcnow": [f'{data}.setdefault("updated_at", {ref}())'],
            "days_between": [
                f'age = {ref}({data}.get("since"), {data}.get("until"))',
                "if age > 30:",
                '    logger.info("stale by %d days", age)',
            ],
            "start_of_day": [f'{data}["day"] = {ref}({data}.get("day"))'],
            "DomainError": ["if " + data + '.get("blocked"):', f'    raise {ref}("blocked")'],
            "NotFound": [f"if not {data}:", f'    raise {ref}("nothing to work on")'],
            "ValidationError": [
                f'if {data}.get("quantity", 0) < 0:',
                f'    raise {ref}("quantity must not be negative")',
            ],
            "PermissionDenied": [f'if {data}.get("locked"):', f'    raise {ref}("locked")'],
            "chunked": [
                f"for batch in {ref}(sorted({data}), 50):",
                '    logger.debug("batch of %d keys", len(batch))',
            ],
            "slugify": [f'{data}["slug"] = {ref}(str({data}.get("name", "")))'],
            "paginate": [f'{data}["page"] = {ref}(sorted({data}), int({data}.get("page", 1)))'],
            "first_or_none": [f'{data}["first"] = {ref}(list({data}.values()))'],
            "get_session": [],
            "Base": [],
            "BaseService": [],
            "BaseRepository": [],
        }[t.name]

    # -- a whole function body ------------------------------------------------------------
    def function_body(
        self,
        m: Module,
        s: Symbol,
        key: str,
        data: str,
        injected: dict[int, str] | None = None,
        uses: list[Use] | None = None,
        indent: str = "    ",
        prelude: list[str] | None = None,
    ) -> list[str]:
        rng = random.Random(f"body-{s.module}-{s.name}-{key}")
        injected = injected or {}
        out: list[str] = []
        if rng.random() < 0.5:
            out.append(f'"""{_doc(s)}"""')
        if key and rng.random() < 0.6:
            out += [
                f"if {key} is None or {key} <= 0:",
                f'    raise ValueError(f"invalid id: {{{key}}}")',
            ]
        out += prelude if prelude is not None else [f"{data} = dict({data} or {{}})"]
        result = "None"
        for e in s.reads:
            result = self.read(m, rng, e, out)
        calls = list(s.uses if uses is None else uses)
        wrap = len(calls) > 1 and rng.random() < 0.3
        for i, u in enumerate(calls):
            lines: list[str] = []
            self.use(m, rng, u, key, data, lines, s, injected)
            if wrap and i == len(calls) - 1 and lines and not lines[-1].startswith(" "):
                m.need("logging")
                out += [
                    "try:",
                    *("    " + x for x in lines),
                    "except (KeyError, ValueError) as exc:",
                    f'    logger.warning("{s.name} failed: %s", exc)',
                    "    raise",
                ]
            else:
                out += lines
        for e in s.writes:
            self.write(m, rng, e, key, data, out)
        if rng.random() < 0.4:
            out.append(f'logger.debug("{s.name} done for %s", {key or "len(" + data + ")"})')
        if s.reads:
            result = f"list({result})"
        elif s.writes:
            result = data
        out.append(f"return {result}" if result != "None" else f"return {data}")
        if out and any(line.startswith("session = ") for line in out):
            rest = "\n".join(line for line in out if not line.startswith("session = "))
            if "session" not in rest:
                out = [line for line in out if not line.startswith("session = ")]
        return [indent + line if line else line for line in out]


def _doc(s: Symbol) -> str:
    subject = s.entity.var.replace("_", " ") if s.entity else s.capability
    verb = s.verb or s.role
    return {
        "service": f"{verb.title()} the {subject} and record what changed.",
        "view": f"{verb.title()} endpoint for {subject}.",
        "helper": f"{verb.title()} a {subject} value for display or storage.",
        "task": f"Background job: {verb} {subject} records.",
        "receiver": f"Keep {s.capability} in step when a {subject} is {verb}.",
        "report": f"{verb.title()} figures across the business.",
        "repository": f"{verb.title()} {subject} rows.",
        "dead": f"Old {verb} path for {subject}; kept for reference.",
    }.get(s.role, f"{verb.title()} {subject}.")
