"""The plain types of the data catalog: models, the relations between them, access modes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analyzer.design.data.frameworks import Framework

Mode = Literal["read", "write"]

RelationKind = Literal["fk", "o2o", "m2m", "rel"]


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation declared on ``model`` (in class ``owner``), resolved to its ``target`` model.

    ``table`` is the join table of a many-to-many relation or an SQLAlchemy ``secondary``;
    ``accessor`` and ``query_name`` the names the target side uses (``""``: none).
    """

    model: str
    name: str
    kind: RelationKind
    target: str | None
    path: str
    line: int
    table: str | None = None
    through: str | None = None
    accessor: str = ""
    query_name: str = ""


@dataclass(frozen=True, slots=True)
class Model:
    """An ORM model class; ``table`` is ``None`` for abstract models and bases.

    ``imperative``: a plain class mapped onto a ``Table(...)`` (``mapper(User, users)``), which
    defines the table; ``note`` says what was assumed to take the class as a model.
    """

    id: str
    module: str
    name: str
    path: str
    line: int
    framework: Framework
    table: str | None
    app_label: str = ""
    proxy: bool = False
    imperative: bool = False
    note: str = ""

    def __str__(self) -> str:
        return f"{self.id} -> {self.table or '(abstract)'} [{self.framework}]"
