"""The four ORM dialects: how a model is declared and how code reads and writes it.

Each dialect writes model classes and query statements as a person using that library would,
and asks the module being written for the imports they need (``Module.need``).
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from bench.quality.generator.plan import Entity

PYTHON_TYPES = {
    "str": "str",
    "text": "str",
    "int": "int",
    "decimal": "Decimal",
    "bool": "bool",
    "datetime": "datetime",
    "date": "date",
}
SAMPLE = {
    "str": '"{status}"',
    "text": '""',
    "int": "0",
    "decimal": 'Decimal("0.00")',
    "bool": "True",
    "datetime": "None",
    "date": "None",
}


class Needs(Protocol):
    def need(self, module: str, name: str | None = None) -> None: ...


def sample(kind: str, status: str = "active") -> str:
    return SAMPLE[kind].format(status=status)


def first_field(entity: Entity, *kinds: str) -> tuple[str, str] | None:
    return next(((n, k) for n, k in entity.fields if k in kinds), None)


class Dialect:
    """What every dialect offers; ``session`` says whether code passes a session around."""

    name = ""
    session = False
    project = ""  # the generated project's package, for its own imports

    def model(
        self, m: Needs, entity: Entity, base: str, fks: list[tuple[Entity, str]]
    ) -> list[str]:
        raise NotImplementedError

    def get(self, m: Needs, model: str, key: str) -> str:
        raise NotImplementedError

    def filter(self, m: Needs, model: str, field: str, value: str) -> str:
        raise NotImplementedError

    def create(self, m: Needs, model: str, var: str, kwargs: str) -> list[str]:
        raise NotImplementedError

    def update(self, m: Needs, model: str, key: str, field: str, value: str) -> list[str]:
        raise NotImplementedError


class Django(Dialect):
    name = "django"
    FIELD: ClassVar[dict[str, str]] = {
        "str": "models.CharField(max_length=120, blank=True)",
        "text": "models.TextField(blank=True)",
        "int": "models.IntegerField(default=0)",
        "decimal": "models.DecimalField(max_digits=12, decimal_places=2, default=0)",
        "bool": "models.BooleanField(default=False)",
        "datetime": "models.DateTimeField(auto_now_add=True)",
        "date": "models.DateField(null=True, blank=True)",
    }

    def model(
        self, m: Needs, entity: Entity, base: str, fks: list[tuple[Entity, str]]
    ) -> list[str]:
        m.need("django.db", "models")
        lines = [f"class {entity.name}({base or 'models.Model'}):"]
        for target, ref in fks:
            lines.append(
                f"    {target.var} = models.ForeignKey({ref}, on_delete=models.CASCADE, "
                f'related_name="{entity.many}")'
            )
        lines += [f"    {n} = {self.FIELD[k]}" for n, k in entity.fields]
        lines += ["", "    class Meta:", f'        db_table = "{entity.table}"']
        label = first_field(entity, "str")
        if label:
            lines += ["", "    def __str__(self) -> str:", f"        return self.{label[0]}"]
        return lines

    def get(self, m: Needs, model: str, key: str) -> str:
        return f"{model}.objects.filter(pk={key}).first()"

    def filter(self, m: Needs, model: str, field: str, value: str) -> str:
        return f"{model}.objects.filter({field}={value})"

    def create(self, m: Needs, model: str, var: str, kwargs: str) -> list[str]:
        return [f"{var} = {model}.objects.create(**{kwargs})"]

    def update(self, m: Needs, model: str, key: str, field: str, value: str) -> list[str]:
        return [f"{model}.objects.filter(pk={key}).update({field}={value})"]


class SqlAlchemy(Dialect):
    name = "sqlalchemy"
    session = True
    TYPE: ClassVar[dict[str, str]] = {
        "str": "String(120)",
        "text": "Text",
        "int": "Integer",
        "decimal": "Numeric(12, 2)",
        "bool": "Boolean",
        "datetime": "DateTime",
        "date": "Date",
    }

    def model(
        self, m: Needs, entity: Entity, base: str, fks: list[tuple[Entity, str]]
    ) -> list[str]:
        if fks:
            m.need("sqlalchemy", "ForeignKey")
        m.need("sqlalchemy.orm", "Mapped")
        m.need("sqlalchemy.orm", "mapped_column")
        lines = [
            f"class {entity.name}({base}):",
            f'    __tablename__ = "{entity.table}"',
            "",
            "    id: Mapped[int] = mapped_column(primary_key=True)",
        ]
        for target, _ref in fks:
            lines.append(
                f"    {target.var}_id: Mapped[int] = "
                f'mapped_column(ForeignKey("{target.table}.id"), index=True)'
            )
        for n, k in entity.fields:
            m.need("sqlalchemy", self.TYPE[k].split("(")[0])
            if k in ("decimal", "datetime", "date"):
                m.need("decimal" if k == "decimal" else "datetime", PYTHON_TYPES[k])
            lines.append(f"    {n}: Mapped[{PYTHON_TYPES[k]}] = mapped_column({self.TYPE[k]})")
        return lines

    def get(self, m: Needs, model: str, key: str) -> str:
        return f"session.get({model}, {key})"

    def filter(self, m: Needs, model: str, field: str, value: str) -> str:
        m.need("sqlalchemy", "select")
        return f"session.scalars(select({model}).where({model}.{field} == {value})).all()"

    def create(self, m: Needs, model: str, var: str, kwargs: str) -> list[str]:
        return [f"{var} = {model}(**{kwargs})", f"session.add({var})", "session.flush()"]

    def update(self, m: Needs, model: str, key: str, field: str, value: str) -> list[str]:
        m.need("sqlalchemy", "update")
        return [
            f"session.execute(update({model}).where({model}.id == {key}).values({field}={value}))"
        ]


class FlaskSqlAlchemy(Dialect):
    name = "flask-sqlalchemy"
    TYPE: ClassVar[dict[str, str]] = {
        "str": "db.String(120)",
        "text": "db.Text",
        "int": "db.Integer",
        "decimal": "db.Numeric(12, 2)",
        "bool": "db.Boolean",
        "datetime": "db.DateTime",
        "date": "db.Date",
    }

    def model(
        self, m: Needs, entity: Entity, base: str, fks: list[tuple[Entity, str]]
    ) -> list[str]:
        lines = [
            f"class {entity.name}({base or 'db.Model'}):",
            f'    __tablename__ = "{entity.table}"',
            "",
            "    id = db.Column(db.Integer, primary_key=True)",
        ]
        for target, _ref in fks:
            lines.append(
                f"    {target.var}_id = db.Column(db.Integer, "
                f'db.ForeignKey("{target.table}.id"), nullable=False)'
            )
        lines += [f"    {n} = db.Column({self.TYPE[k]})" for n, k in entity.fields]
        return lines

    def get(self, m: Needs, model: str, key: str) -> str:
        return f"{model}.query.get({key})"

    def filter(self, m: Needs, model: str, field: str, value: str) -> str:
        return f"{model}.query.filter_by({field}={value}).all()"

    def create(self, m: Needs, model: str, var: str, kwargs: str) -> list[str]:
        m.need(f"{self.project}.extensions", "db")
        return [f"{var} = {model}(**{kwargs})", f"db.session.add({var})", "db.session.commit()"]

    def update(self, m: Needs, model: str, key: str, field: str, value: str) -> list[str]:
        m.need(f"{self.project}.extensions", "db")
        return [
            f'{model}.query.filter_by(id={key}).update({{"{field}": {value}}})',
            "db.session.commit()",
        ]


class SqlModel(Dialect):
    name = "sqlmodel"
    session = True

    def model(
        self, m: Needs, entity: Entity, base: str, fks: list[tuple[Entity, str]]
    ) -> list[str]:
        m.need("sqlmodel", "Field")
        m.need("sqlmodel", "SQLModel")
        lines = [
            f"class {entity.name}({base or 'SQLModel'}, table=True):",
            f'    __tablename__ = "{entity.table}"',
            "",
            "    id: int | None = Field(default=None, primary_key=True)",
        ]
        for target, _ref in fks:
            lines.append(f'    {target.var}_id: int = Field(foreign_key="{target.table}.id")')
        for n, k in entity.fields:
            if k in ("decimal", "datetime", "date"):
                m.need("decimal" if k == "decimal" else "datetime", PYTHON_TYPES[k])
            default = "None" if k in ("datetime", "date") else sample(k, "new")
            hint = PYTHON_TYPES[k] + (" | None" if default == "None" else "")
            lines.append(f"    {n}: {hint} = Field(default={default})")
        return lines

    def get(self, m: Needs, model: str, key: str) -> str:
        return f"session.get({model}, {key})"

    def filter(self, m: Needs, model: str, field: str, value: str) -> str:
        m.need("sqlmodel", "select")
        return f"session.exec(select({model}).where({model}.{field} == {value})).all()"

    def create(self, m: Needs, model: str, var: str, kwargs: str) -> list[str]:
        return [f"{var} = {model}(**{kwargs})", f"session.add({var})", "session.commit()"]

    def update(self, m: Needs, model: str, key: str, field: str, value: str) -> list[str]:
        return [
            f"record = session.get({model}, {key})",
            f"record.{field} = {value}",
            "session.add(record)",
            "session.commit()",
        ]


DIALECTS: dict[str, Dialect] = {
    d.name: d for d in (Django(), SqlAlchemy(), FlaskSqlAlchemy(), SqlModel())
}
