"""Which ORM a class belongs to, and Django's app labels.

An outside base class (its absolute name) marks a model root: ``django.db.models.Model``,
third-party model bases imported from a ``models`` module (``AbstractUser``, ``MPTTModel``,
``PolymorphicModel``...), treebeard nodes; SQLAlchemy's ``DeclarativeBase``, a
``declarative_base()`` or Flask-SQLAlchemy ``db.Model`` binding; ``sqlmodel.SQLModel``;
``peewee.Model``. A Django model's app is the longest enclosing app package (a package with
``apps.py`` or ``models``, or named by an ``AppConfig``), its label the ``AppConfig.label`` or the
package's last name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from analyzer.model.data import ClassFact
from analyzer.model.facts import FileFacts

Framework = Literal["django", "sqlalchemy", "sqlmodel", "peewee"]

_DJANGO_EXACT = frozenset(
    {
        "django.db.models.Model",
        "django.db.models.base.Model",
        "django.contrib.gis.db.models.Model",
        "treebeard.mp_tree.MP_Node",
        "treebeard.ns_tree.NS_Node",
        "treebeard.al_tree.AL_Node",
    }
)
_DJANGO_SUFFIXES = ("Model", "User", "Mixin", "Node", "ItemBase")
SA_BASES = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
        "sqlalchemy.orm.decl_api.DeclarativeBaseNoMeta",
    }
)
SA_FACTORIES = ("declarative_base", "generate_base", "as_declarative")
# Declarative bases installed packages publish (Flask-AppBuilder's ``Model``).
SA_THIRD_PARTY = frozenset({"flask_appbuilder.Model", "flask_appbuilder.models.sqla.Model"})
_SQLMODEL = frozenset({"sqlmodel.SQLModel", "sqlmodel.main.SQLModel"})
# Tables of the models Django itself ships, which name their tables explicitly.
CONTRIB_TABLES = {
    "django.contrib.auth.models.User": "auth_user",
    "django.contrib.auth.models.Group": "auth_group",
    "django.contrib.auth.models.Permission": "auth_permission",
    "django.contrib.contenttypes.models.ContentType": "django_content_type",
    "django.contrib.sites.models.Site": "django_site",
    "django.contrib.sessions.models.Session": "django_session",
    "django.contrib.admin.models.LogEntry": "django_admin_log",
    "django.contrib.flatpages.models.FlatPage": "django_flatpage",
    "django.contrib.redirects.models.Redirect": "django_redirect",
}
_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# Flask-SQLAlchemy 3's ``camel_to_snake_case``: an underscore before an upper-case letter that
# follows a lower-case letter or digit, or that starts a word (``HTTPRequest`` -> ``http_request``).
_FLASK_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


def snake_case(name: str) -> str:
    return _SNAKE.sub("_", name).lower()


def table_snake_case(name: str) -> str:
    """The table name Flask-SQLAlchemy gives a model that names none."""
    return _FLASK_SNAKE.sub(r"_\1", name).lower().lstrip("_")


def root_of(name: str) -> Framework | None:
    """The ORM whose root model class ``name`` (absolute) is, by its exact name."""
    if name in SA_BASES:
        return "sqlalchemy"
    if name in _SQLMODEL:
        return "sqlmodel"
    if name == "peewee.Model":
        return "peewee"
    return "django" if name in _DJANGO_EXACT else None


def by_django_suffix(name: str) -> bool:
    """Whether ``name`` is taken for a third-party Django model base only by its shape (a
    class of a ``models`` module named like ``...Model``/``...Mixin``), not by name."""
    return name not in _DJANGO_EXACT and framework_of(name) == "django"


def framework_of(name: str) -> Framework | None:
    """The ORM an outside base class (absolute name) belongs to, if it is a model base."""
    if name.startswith("="):
        value = name[1:]
        if value.rsplit(".", 1)[-1] in SA_FACTORIES:
            return "sqlalchemy"
        if value.startswith("flask_sqlalchemy.") and value.endswith(".Model"):
            return "sqlalchemy"
        return None
    if name in SA_BASES or name in SA_THIRD_PARTY:
        return "sqlalchemy"
    if name in _SQLMODEL:
        return "sqlmodel"
    if name in ("peewee.Model",) or (name.startswith("playhouse.") and name.endswith("Model")):
        return "peewee"
    if name in _DJANGO_EXACT:
        return "django"
    if name.startswith("django.") and not name.startswith("django.contrib."):
        return None  # Django's own model bases are exact names; ``models.Field`` is no model
    if ".models." in f".{name}" and name.rsplit(".", 1)[-1].endswith(_DJANGO_SUFFIXES):
        return "django" if not name.startswith(("sqlalchemy.", "peewee", "sqlmodel")) else None
    return None


class AppLabels:
    """Django app of a module: the longest enclosing app package, and that app's label."""

    def __init__(
        self, files: Mapping[str, FileFacts], configs: Iterable[tuple[str, ClassFact]]
    ) -> None:
        """``configs``: (module, class body) of every ``AppConfig`` subclass."""
        packages = {m for m, f in files.items() if f.is_package}
        self.apps: dict[str, str] = {}
        for module in files:
            parent, _, leaf = module.rpartition(".")
            if parent.rsplit(".", 1)[-1] == "models":
                continue  # ``app.models.models``: a module of the models package, not an app
            if leaf in ("apps", "models") and parent in packages:
                self.apps.setdefault(parent, parent.rsplit(".", 1)[-1])
        for module, fact in configs:
            name = fact.string("name") or module.rpartition(".")[0]
            label = fact.string("label") or name.rsplit(".", 1)[-1]
            if name and (name not in self.apps or fact.string("label")):
                self.apps[name] = label

    def label(self, module: str) -> str:
        candidate = module
        while candidate:
            if candidate in self.apps:
                return self.apps[candidate]
            candidate = candidate.rpartition(".")[0]
        parts = module.split(".")
        if "models" in parts[1:]:
            index = len(parts) - 1 - parts[::-1].index("models")
            return parts[index - 1]
        return parts[-2] if len(parts) > 1 else parts[0]
