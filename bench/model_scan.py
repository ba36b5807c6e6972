"""An independent count of a Django corpus' tables, without importing it (Python's ``ast``).

``bench/model_recall.py`` takes the truth from Django itself; where a corpus cannot be imported,
this scan stands in. It (Python's ``ast``, none of Seams' collectors) counts the concrete Django
models of a code base: classes whose bases end in ``Model`` (``models.Model``, ``MPTTModel``...)
in files that import Django, plus, by class name, every class deriving from one of those,
minus the abstract ones (``Meta.abstract = True``). Its expected table name is
``Meta.db_table``, else ``<app_label>_<class name lower-cased>``, the app label being
``Meta.app_label`` (own, or an abstract parent's when the class declares no ``Meta``), else the
``label`` of an ``AppConfig`` in the app's ``apps.py``, else the app directory's name (the
directory holding ``models.py`` or ``models/``). A proxy (``Meta.proxy = True``) expects its
parent's table.
"""

from __future__ import annotations

import ast
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


def scan(root: Path) -> tuple[list[ScannedClass], dict[str, str]]:
    """Every top-level class with its bases and Meta, and AppConfig labels by directory."""
    classes: list[ScannedClass] = []
    labels: dict[str, str] = {}
    for path in _python_files(root):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        rel = path.relative_to(root).as_posix()
        django = any(
            isinstance(n, (ast.Import, ast.ImportFrom))
            and any((getattr(n, "module", None) or a.name).startswith("django") for a in n.names)
            for n in ast.walk(tree)
        )
        for cls in _top_classes(tree.body):
            bases = [_dotted(b) for b in cls.bases]
            if path.name == "apps.py" and any(b.endswith("Config") for b in bases):
                for stmt in cls.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and isinstance(stmt.targets[0], ast.Name)
                        and stmt.targets[0].id == "label"
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        labels[str(Path(rel).parent)] = str(stmt.value.value)
            meta, has_meta = _meta(cls)
            classes.append(ScannedClass(rel, cls.name, bases, meta, has_meta, django))
    return classes, labels


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
    models = {id(c) for c in classes if c.django and any(b.endswith("Model") for b in c.bases)}
    changed = True
    while changed:
        changed = False
        for c in classes:
            if id(c) in models:
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
        base = parent(c)
        if c.meta.get("proxy") and base is not None and depth < 10:
            return table(base, depth + 1)
        db_table = inherited(c, "db_table")
        if db_table:
            return str(db_table)
        label = inherited(c, "app_label") or _app_label(c.path, root, labels)
        return f"{label}_{c.name.lower()}"

    return {(c.path, c.name): table(c) for c in chosen if not c.meta.get("abstract")}
