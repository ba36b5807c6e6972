"""The as-is layout: how the code is cut today, to compare a proposal against.

Each module belongs to its Django app when the project has apps (the nearest enclosing package
holding ``apps.py`` or ``models.py``/``models/``), otherwise to its second-level package
(``pkg.sub``); a module directly under a top-level package belongs to that package. A project
has apps only when it uses Django: a SQLAlchemy package with a ``models/`` folder is a layer, not
an app, and calling its parent an app would lump the whole code base into one unit. For the same
reason a package with models but no ``apps.py``, holding apps that have one, is not an app: it
is the project's package, whose ``models/`` is a layer beside its ``api/`` and ``services/``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from analyzer.model.facts import FileFacts
from analyzer.model.source import SourceFile


def _app_packages(files: Iterable[SourceFile]) -> set[str]:
    apps: set[str] = set()
    configured: set[str] = set()  # packages with an apps.py
    packages = set()
    for f in files:
        if f.is_package:
            packages.add(f.module)
    for f in files:
        parent, _, leaf = f.module.rpartition(".")
        if not f.is_package and leaf in ("apps", "models") and parent in packages:
            apps.add(parent)
            if leaf == "apps":
                configured.add(parent)
        if f.is_package and leaf == "models" and parent in packages:
            apps.add(parent)
    # A package with models but no app configuration of its own, holding apps that have one, is
    # the project's package: its models are one of its layers, beside its api/, services/ ...
    return {
        a for a in apps if a in configured or not any(b.startswith(a + ".") for b in configured)
    }


def _package_unit(f: SourceFile) -> str:
    """Second-level package; a module directly under a top-level package belongs to that package."""
    parts = f.module.split(".")
    package = parts if f.is_package else parts[:-1]
    if not package:
        return f.module
    return ".".join(package[:2])


def as_is_units(files: Iterable[SourceFile], django: bool = True) -> dict[str, str]:
    """Module name -> the unit (app or package) it belongs to today."""
    files = list(files)
    apps = _app_packages(files) if django else set()
    units: dict[str, str] = {}
    for f in files:
        unit = None
        candidate = f.module if f.is_package else f.module.rpartition(".")[0]
        while apps and candidate:
            if candidate in apps:
                unit = candidate
                break
            candidate = candidate.rpartition(".")[0]
        units[f.module] = unit or _package_unit(f)
    return units


def layout_clusters(
    files: Iterable[FileFacts], units: Mapping[str, str]
) -> tuple[list[str], list[frozenset[str]]]:
    """Today's layout as clusters of graph nodes: each module with its top-level symbols in its
    unit (``units``: module -> unit), units sorted by name, with the cluster of each."""
    groups: dict[str, set[str]] = defaultdict(set)
    for f in files:
        groups[units[f.module]].add(f.module)
        groups[units[f.module]].update(f"{f.module}:{s.name}" for s in f.symbols)
    names = sorted(groups)
    return names, [frozenset(groups[n]) for n in names]
