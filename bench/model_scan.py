"""An independent count of a corpus' tables, without importing it (Python's ``ast``).

``bench/model_recall.py`` takes the truth from the ORM itself; where a corpus cannot be
imported, these scans (Python's ``ast``, none of Seams' collectors) stand in.
``sqlalchemy_tables`` is described in its docstring. ``expected_tables`` counts the concrete
Django models of a code base: classes whose bases end in ``Model`` (``models.Model``,
``MPTTModel``...) in files that import Django, plus, by class name, every class deriving from
one of those, minus the abstract ones (``Meta.abstract = True``). Its expected table name is
``Meta.db_table``, else ``<app_label>_<class name lower-cased>``, the app label being
``Meta.app_label`` (own, or an abstract parent's when the class declares no ``Meta``), else the
``label`` of an ``AppConfig`` in the app's ``apps.py``, else the app directory's name (the
directory holding ``models.py`` or ``models/``). A proxy (``Meta.proxy = True``) expects its
parent's table; a class deriving from a model base imported from another package's ``models``
module (``AbstractUser``, ``GenericTaggedItemBase``) is a model too. Only classes of ``models``
modules (``models.py`` or a ``models/`` package) count, where Django expects them. A
``ManyToManyField`` without ``through``, own or of an abstract parent, adds ``<table>_<field>``
(or its ``db_table``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = {"tests", "test", "migrations", "__pycache__", "node_modules", ".git"}


@dataclass
class ScannedClass:
    path: str
    name: str
    bases: list[str]
    meta: dict[str, object]
    has_meta: bool
    django: bool
    m2m: list[tuple[str, str]]  # (field, its db_table or "") of auto-created join tables
    in_models: bool = True
    outside: bool = False  # derives from a model base of an installed package


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Subscript):
        return _dotted(node.value)
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ""


def _top_classes(body: list[ast.stmt]) -> list[ast.ClassDef]:
    found: list[ast.ClassDef] = []
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            found.append(stmt)
        elif isinstance(stmt, ast.If):
            found += _top_classes(stmt.body) + _top_classes(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            found += _top_classes(stmt.body) + _top_classes(stmt.orelse)
            for handler in stmt.handlers:
                found += _top_classes(handler.body)
    return found


def _meta(cls: ast.ClassDef) -> tuple[dict[str, object], bool]:
    for stmt in cls.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            options: dict[str, object] = {}
            for item in stmt.body:
                if (
                    isinstance(item, ast.Assign)
                    and len(item.targets) == 1
                    and isinstance(item.targets[0], ast.Name)
                    and isinstance(item.value, ast.Constant)
                ):
                    options[item.targets[0].id] = item.value.value
            return options, True
    return {}, False


def _python_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*.py")
        if not (SKIP_DIRS & set(p.relative_to(root).parts[:-1])) and not p.name.startswith("test_")
    )


def _parsed(root: Path) -> Iterator[tuple[str, ast.Module]]:
    """Each Python file under ``root`` that parses: its path relative to ``root`` and its tree."""
    for path in _python_files(root):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        yield path.relative_to(root).as_posix(), tree


def scan(root: Path) -> tuple[list[ScannedClass], dict[str, str]]:
    """Every top-level class with its bases and Meta, and AppConfig labels by directory."""
    classes: list[ScannedClass] = []
    labels: dict[str, str] = {}
    for rel, tree in _parsed(root):
        django = any(
            isinstance(n, (ast.Import, ast.ImportFrom))
            and any((getattr(n, "module", None) or a.name).startswith("django") for a in n.names)
            for n in ast.walk(tree)
        )
        top = rel.split("/")[0]
        imported = {
            alias.asname or alias.name: node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and not node.level
            for alias in node.names
        }
        for cls in _top_classes(tree.body):
            bases = [_dotted(b) for b in cls.bases]
            outside = any(
                imported.get(b, "").endswith(".models")
                and not imported.get(b, "").startswith((top, "django.db."))
                and b[:1].isupper()
                and not b.endswith(("Manager", "QuerySet", "Field", "Form"))
                for b in bases
            )
            if Path(rel).name == "apps.py" and any(b.endswith("Config") for b in bases):
                for stmt in cls.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and isinstance(stmt.targets[0], ast.Name)
                        and stmt.targets[0].id == "label"
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        labels[str(Path(rel).parent)] = str(stmt.value.value)
            meta, has_meta = _meta(cls)
            in_models = Path(rel).name == "models.py" or "models" in Path(rel).parts[:-1]
            m2m = _m2m(cls)
            for base in bases:
                m2m += _INHERITED_M2M.get(f"{imported.get(base, '')}.{base}", [])
            classes.append(
                ScannedClass(rel, cls.name, bases, meta, has_meta, django, m2m, in_models, outside)
            )
    return classes, labels


# Join tables Django's own abstract user bases declare.
_INHERITED_M2M = {
    "django.contrib.auth.models.AbstractUser": [("groups", ""), ("user_permissions", "")],
    "django.contrib.auth.models.PermissionsMixin": [("groups", ""), ("user_permissions", "")],
}


def _m2m(cls: ast.ClassDef) -> list[tuple[str, str]]:
    """``ManyToManyField``s without ``through``: Django creates their join tables."""
    found: list[tuple[str, str]] = []
    for stmt in cls.body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
            continue
        if not _dotted(stmt.value.func).endswith("ManyToManyField"):
            continue
        keywords = {k.arg: k.value for k in stmt.value.keywords if k.arg}
        if "through" in keywords:
            continue
        table = keywords.get("db_table")
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                name = table.value if isinstance(table, ast.Constant) else ""
                found.append((target.id, str(name)))
    return found


def _app_label(path: str, root: Path, labels: dict[str, str]) -> str:
    directory = Path(path).parent
    if directory.name == "models":
        directory = directory.parent
    probe = directory
    while str(probe) not in (".", ""):
        if str(probe) in labels:
            return labels[str(probe)]
        if (root / probe / "models.py").exists() or (root / probe / "models").is_dir():
            return probe.name
        probe = probe.parent
    return directory.name


def expected_tables(root: Path) -> dict[tuple[str, str], str]:
    """(path, class) -> expected table of every concrete Django model the scan finds."""
    classes, labels = scan(root)
    by_name: dict[str, list[ScannedClass]] = {}
    for c in classes:
        by_name.setdefault(c.name, []).append(c)
    models = {
        id(c)
        for c in classes
        if c.django and c.in_models and (c.outside or any(b.endswith("Model") for b in c.bases))
    }
    changed = True
    while changed:
        changed = False
        for c in classes:
            if id(c) in models or not (c.in_models and c.django):
                continue
            if any(id(p) in models for b in c.bases for p in by_name.get(b.rsplit(".", 1)[-1], [])):
                models.add(id(c))
                changed = True
    chosen = [c for c in classes if id(c) in models]

    def nearness(a: str, b: str) -> int:
        common = 0
        for x, y in zip(Path(a).parts, Path(b).parts, strict=False):
            if x != y:
                break
            common += 1
        return common

    def parent(c: ScannedClass) -> ScannedClass | None:
        for b in c.bases:
            found = [p for p in by_name.get(b.rsplit(".", 1)[-1], []) if id(p) in models]
            found = [p for p in found if p is not c]
            if found:
                return max(found, key=lambda p: (nearness(p.path, c.path), p.path))
        return None

    def inherited(c: ScannedClass, key: str, depth: int = 0) -> object:
        """A Meta option of c, or of its abstract parent when c declares no Meta."""
        if key in c.meta:
            return c.meta[key]
        base = parent(c)
        if not c.has_meta and base is not None and base.meta.get("abstract") and depth < 10:
            return inherited(base, key, depth + 1)
        return None

    def table(c: ScannedClass, depth: int = 0) -> str:
        concrete = [p for p in parents(c) if not p.meta.get("abstract")]
        if c.meta.get("proxy") and concrete and depth < 10:
            return table(concrete[0], depth + 1)
        db_table = inherited(c, "db_table")
        if db_table:
            return str(db_table)
        label = inherited(c, "app_label") or _app_label(c.path, root, labels)
        return f"{label}_{c.name.lower()}"

    def parents(c: ScannedClass) -> list[ScannedClass]:
        found = []
        for b in c.bases:
            same = [p for p in by_name.get(b.rsplit(".", 1)[-1], []) if id(p) in models]
            same = [p for p in same if p is not c]
            if same:
                found.append(max(same, key=lambda p: (nearness(p.path, c.path), p.path)))
        return found

    def m2m(c: ScannedClass, depth: int = 0) -> list[tuple[str, str]]:
        """Own many-to-many fields and those of abstract parents."""
        inherited = [
            field
            for base in parents(c)
            if base.meta.get("abstract") and depth < 10
            for field in m2m(base, depth + 1)
        ]
        return list(dict.fromkeys([*c.m2m, *inherited]))

    found: dict[tuple[str, str], str] = {}
    for c in chosen:
        if c.meta.get("abstract"):
            continue
        if c.meta.get("proxy") and not [p for p in parents(c) if not p.meta.get("abstract")]:
            continue  # a proxy of another package's model: that package's table
        own = table(c)
        found[(c.path, c.name)] = own
        if c.meta.get("proxy"):
            continue
        for field, db_table in m2m(c):
            found[(c.path, f"{c.name}.{field}")] = db_table or f"{own}_{field}"
    return found


_FLASK_NAME = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _schema(value: ast.expr) -> str | None:
    if isinstance(value, ast.Tuple) and value.elts:
        value = value.elts[-1]
    if isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=True):
            if key is not None and _string(key) == "schema":
                return _string(item)
    return None


def sqlalchemy_tables(root: Path) -> dict[str, str]:
    """Table -> where it is declared, for SQLAlchemy code that cannot be imported: every
    ``__tablename__`` string in a class body (``schema.name`` with a ``__table_args__`` schema),
    every ``Table("name", ..., schema=...)`` call, and every class deriving from ``db.Model``
    directly that names no table, is not ``__abstract__`` and declares a primary key column
    (Flask-SQLAlchemy names its table: the class name in snake case)."""
    found: dict[str, str] = {}
    for rel, tree in _parsed(root):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _dotted(node.func).rsplit(".", 1)[-1] == "Table":
                name = _string(node.args[0]) if node.args else None
                schema = next((_string(k.value) for k in node.keywords if k.arg == "schema"), None)
                if name:
                    found.setdefault(f"{schema}.{name}" if schema else name, f"{rel}:{node.lineno}")
            if isinstance(node, ast.ClassDef):
                table = _class_table(node)
                if table:
                    found.setdefault(table, f"{rel}:{node.name}")
    return found


def _class_table(cls: ast.ClassDef) -> str | None:
    options: dict[str, ast.expr] = {}
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign):
            pairs = [(t, stmt.value) for t in stmt.targets]
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            pairs = [(stmt.target, stmt.value)]
        else:
            pairs = []
        for target, value in pairs:
            if isinstance(target, ast.Name):
                options[target.id] = value
    schema = _schema(options["__table_args__"]) if "__table_args__" in options else None
    name = _string(options.get("__tablename__"))
    if name:
        return f"{schema}.{name}" if schema else name
    if "__table__" in options or "__abstract__" in options:
        return None
    if not any(_dotted(b) == "db.Model" for b in cls.bases):
        return None
    if "primary_key=True" not in ast.unparse(cls):
        return None
    return _FLASK_NAME.sub(r"_\1", cls.name).lower().lstrip("_")
