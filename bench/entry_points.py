"""Entry-point recall and precision on real monoliths, against the framework's own view.

The truth comes from the frameworks themselves: each corpus is installed from PyPI into a
throwaway virtual environment (``corpus_env``) and imported there with its own settings, never
in this process:

- URL-routed views: Django's URL resolver (``get_resolver().url_patterns``, followed through
  every ``include``); a pattern's view is its class for class-based views and DRF views and
  viewsets (``view_class``, ``cls``), else its function, unwrapped (``__wrapped__``, and the
  closures of decorators that keep the view without ``functools.wraps``);
- management commands: ``django.core.management.get_commands()``;
- tasks: Celery's task registry after autodiscovery, or for netbox (RQ, no registry) every
  subclass of its ``JobRunner`` and every function decorated with ``django_rq``'s ``job``,
  after importing every module named ``jobs`` or ``webhooks``;
- GraphQL: the fields of the graphene schema's query and mutation types.

saleor 2.10 cannot be installed any more (it pins libraries PyPI no longer serves for a Python at
hand), so for it an independent count made with the standard ``ast`` stands in (``ast_truth``):
its schema's root classes and the classes they derive from, their attributes camel-cased, and
the functions decorated as Celery tasks.

Only handlers defined in the corpus' own, analyzed modules count (not Django's admin, not a
library's views). Seams analyzes the unpacked corpus (``shared/corpora/fetch.sh``); a view or
task is compared by the class or function that handles it (``module:Name``), a command by its
name, a GraphQL field by its name in the schema.

    recall    = truth items Seams lists as entry points of that kind / truth items
    precision = Seams' entry points of that kind the truth has / Seams' entry points of that kind

    python bench/entry_points.py [pretix netbox saleor] [--write bench/results/entry_points]

Writes ``bench/results/entry_points.json`` and ``.md`` (figures and every miss) and prints the
figures. Making an environment needs PyPI the first time (kept under ``~/.cache/seams-venvs/``).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from analyzer.collect import collect  # noqa: E402
from analyzer.design.cost.callgraph import code_node  # noqa: E402
from analyzer.design.cost.flows import build_flows  # noqa: E402
from analyzer.design.symbols.resolve import SymbolTable  # noqa: E402
from analyzer.model.options import AnalyzeOptions  # noqa: E402
from analyzer.model.progress import SilentReporter  # noqa: E402
from analyzer.pipeline import Timings  # noqa: E402

CORPORA_DIR = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache" / "seams-corpora"))


@dataclass(frozen=True)
class Corpus:
    """How to install and ask a corpus: its code root in the unpacked corpus and the packages
    it defines, its requirement, the Python it needs, its settings and the truth to ask."""

    requirement: str
    root: str
    packages: tuple[str, ...]
    python: str
    settings: str
    env: dict[str, str] = field(default_factory=dict)
    celery: str = ""  # "module:attribute" of the Celery app
    jobs: str = ""  # "module:Class" of a job runner base class (RQ)
    graphql: str = ""  # "module:attribute" of the graphene schema
    categories: tuple[str, ...] = ("views", "tasks", "commands")
    truth: str = "framework"  # or "ast": an independent count (see ast_truth)


_NETBOX_APPS = (
    "account circuits core dcim extras ipam netbox tenancy users utilities virtualization vpn "
    "wireless"
).split()

CORPORA: dict[str, Corpus] = {
    "pretix": Corpus(
        "pretix==2026.8.0",
        "pretix",
        ("pretix",),
        "3.12",
        "pretix.settings",
        celery="pretix.celery_app:app",
    ),
    # netbox 4.7 needs Python 3.12 (Django 6.1); its testing configuration needs no database.
    "netbox": Corpus(
        "netbox==4.7.3",
        ".",
        tuple(_NETBOX_APPS),
        "3.12",
        "netbox.settings",
        env={"NETBOX_CONFIGURATION": "netbox.configuration_testing"},
        jobs="netbox.jobs:JobRunner",
    ),
    # saleor 2.10 pins libraries PyPI no longer serves for any Python at hand (braintree 3.49 on
    # 3.8): its schema and task registry cannot be imported, so an independent count stands in.
    "saleor": Corpus(
        "saleor==2.10.1",
        "saleor",
        ("saleor",),
        "3.8",
        "saleor.settings",
        graphql="saleor.graphql.api",
        categories=("graphql", "tasks"),
        truth="ast",
    ),
}

# Runs inside the corpus' environment: ``emit`` hands the result back (see corpus_env).
TRUTH = """\
import importlib, json, os, pkgutil, sys
config = json.loads(sys.argv[1])
os.environ.update(config["env"])
os.environ["DJANGO_SETTINGS_MODULE"] = config["settings"]
import django
django.setup()
found = {"views": {}, "commands": {}, "tasks": {}, "graphql": {}, "errors": []}

def name_of(obj):
    return f"{obj.__module__}:{obj.__qualname__}"

# The view behind a URL pattern's callback, through functools.wraps and through the closures of
# decorators that do not use it (event_permission_required(...)(view)).
def handler(callback, depth=0):
    for attr in ("view_class", "cls"):
        cls = getattr(callback, attr, None)
        if isinstance(cls, type):
            return name_of(cls)
    if hasattr(callback, "__wrapped__") and depth < 8:
        return handler(callback.__wrapped__, depth + 1)
    if not hasattr(callback, "__qualname__"):
        return None
    if "<locals>" in callback.__qualname__ and depth < 8:
        for cell in getattr(callback, "__closure__", None) or ():
            try:
                inner = cell.cell_contents
            except ValueError:
                continue
            if callable(inner) and inner is not callback and hasattr(inner, "__qualname__"):
                found = handler(inner, depth + 1)
                if found and "<locals>" not in found:
                    return found
    return name_of(callback)

from django.urls import URLResolver, get_resolver
def walk(patterns, prefix):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            view = handler(pattern.callback)
            if view:
                found["views"].setdefault(view, prefix + str(pattern.pattern))
if "views" in config["categories"]:
    walk(get_resolver().url_patterns, "")

from django.core.management import get_commands
found["commands"] = dict(get_commands())

def attribute(spec):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)

if config["celery"]:
    app = attribute(config["celery"])
    app.loader.import_default_modules()
    for name, task in sorted(app.tasks.items()):
        run = getattr(task, "run", None)
        if not name.startswith("celery.") and run is not None and hasattr(run, "__qualname__"):
            found["tasks"][name] = name_of(getattr(run, "__func__", run))
if config["jobs"]:
    import inspect
    modules = []
    for package in config["packages"]:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if info.name.rsplit(".", 1)[-1] in ("jobs", "webhooks") and ".tests" not in info.name:
                try:
                    modules.append(importlib.import_module(info.name))
                except ImportError:
                    pass
    base = attribute(config["jobs"])
    todo = list(base.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if "run" in vars(cls):
            found["tasks"][name_of(cls)] = name_of(cls)
    # RQ's job decorator gives the function itself a ``delay``.
    for module in modules:
        for value in vars(module).values():
            if inspect.isfunction(value) and hasattr(value, "delay"):
                found["tasks"][name_of(value)] = name_of(value)
if config["graphql"]:
    schema = attribute(config["graphql"])
    for kind, getter in (("query", "get_query_type"), ("mutation", "get_mutation_type")):
        root = getattr(schema, getter)()
        for name in root.fields:
            found["graphql"][f"{kind} {name}"] = name
emit(found)
"""


_TASK_DECORATORS = ("task", "shared_task")


def ast_truth(corpus: Corpus, code: Path) -> dict[str, dict[str, str]]:
    """An independent count with the standard ``ast``, for a corpus whose framework cannot be
    imported: the GraphQL fields are the attributes of the schema's root classes and of the
    classes they derive from (followed through ``from .x import Name``), camel-cased as
    graphene names them; the tasks are the functions decorated with ``@<app>.task`` or
    ``@shared_task``."""
    found: dict[str, dict[str, str]] = {"graphql": {}, "tasks": {}}
    if corpus.graphql:
        api = code.parent / (corpus.graphql.replace(".", "/") + ".py")
        for kind, root in _schema_roots(api):
            for name in _fields(api, root, set()):
                found["graphql"][f"{kind} {_camel(name)}"] = name
    for path in sorted(code.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(code.parent).with_suffix("").parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                _decorator_name(d) in _TASK_DECORATORS for d in node.decorator_list
            ):
                found["tasks"][f"{module}:{node.name}"] = f"{module}:{node.name}"
    return found


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def _schema_roots(api: Path) -> list[tuple[str, str]]:
    tree = ast.parse(api.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _decorator_name(node) in ("build_schema", "Schema"):
            roots = [("query", node.args[0])] if node.args else []
            roots += [(k.arg, k.value) for k in node.keywords if k.arg in ("query", "mutation")]
            return [(kind, value.id) for kind, value in roots if isinstance(value, ast.Name)]
    return []


def _fields(path: Path, name: str, seen: set[tuple[Path, str]]) -> list[str]:
    """The field names class ``name`` of ``path`` declares and inherits."""
    if (path, name) in seen or not path.is_file():
        return []
    seen.add((path, name))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.asname or alias.name: (node.module or "", node.level, alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name == name):
            continue
        fields = [
            t.id
            for item in node.body
            if isinstance(item, ast.Assign)
            for t in item.targets
            if isinstance(t, ast.Name) and not t.id.startswith("_")
        ]
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in imported:
                module, level, original = imported[base.id]
                where = path.parent
                for _ in range(level - 1):
                    where = where.parent
                target = where.joinpath(*module.split(".")).with_suffix(".py") if module else where
                fields += _fields(target, original, seen)
            elif isinstance(base, ast.Name):
                fields += _fields(path, base.id, seen)
        return fields
    return []


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def seams_entries(directory: Path) -> dict[str, dict[str, str]]:
    """Seams' entry points by category: an item (as the truth names it) -> where it is."""
    cache = Path(os.environ.get("TMPDIR", "/tmp")) / f"seams-entry-cache-{directory.name}"
    collected = collect(directory, AnalyzeOptions(git=False), SilentReporter(), Timings(), cache)
    files = collected.files
    flows = build_flows(files, SymbolTable(files), collected.data)
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for entry in flows.entries:
        where = f"{entry.path}:{entry.line}"
        if entry.kind in ("view", "viewset"):
            found["views"].setdefault(code_node(entry.handler), where)
        elif entry.kind == "task":
            found["tasks"].setdefault(code_node(entry.handler), where)
        elif entry.kind == "command":
            found["commands"].setdefault(entry.name, where)
        elif entry.kind in ("graphql_query", "graphql_mutation"):
            kind = entry.kind.removeprefix("graphql_")
            found["graphql"].setdefault(f"{kind} {entry.name}", where)
    return found


def analyzed_modules(directory: Path) -> set[str]:
    collected = collect(directory, AnalyzeOptions(git=False), SilentReporter(), Timings(), None)
    return {f.module for f in collected.files}


def _top(qualified: str) -> str:
    """``module:Outer.Inner`` -> ``module:Outer`` (the graph's node)."""
    module, _, name = qualified.partition(":")
    return f"{module}:{name.split('.', 1)[0]}"


def truth_items(
    corpus: Corpus, found: dict[str, dict[str, str]], modules: set[str]
) -> dict[str, set[str]]:
    """The truth, as Seams names items, restricted to the corpus' own analyzed code."""

    def own(qualified: str) -> bool:
        return qualified.partition(":")[0] in modules

    truth: dict[str, set[str]] = {}
    if "views" in corpus.categories:
        truth["views"] = {_top(v) for v in found["views"] if own(v)}
    if "tasks" in corpus.categories:
        truth["tasks"] = {_top(v) for v in found["tasks"].values() if own(v)}
    if "commands" in corpus.categories:
        truth["commands"] = {
            name
            for name, app in found["commands"].items()
            if app.split(".")[0] in corpus.packages
            and f"{app}.management.commands.{name}" in modules
        }
    if "graphql" in corpus.categories:
        truth["graphql"] = set(found["graphql"])
    return truth


@dataclass
class Figure:
    corpus: str
    category: str
    truth: set[str]
    found: set[str]
    method: str = "framework"

    @property
    def recall(self) -> float:
        return len(self.truth & self.found) / len(self.truth) if self.truth else 1.0

    @property
    def precision(self) -> float:
        return len(self.truth & self.found) / len(self.found) if self.found else 1.0


def measure(name: str) -> list[Figure]:
    from corpus_env import EnvError, ensure_env

    corpus = CORPORA[name]
    directory = CORPORA_DIR / name
    if not directory.is_dir():
        print(f"{name}: not found under {CORPORA_DIR} (fetch it with shared/corpora/fetch.sh)")
        return []
    code = directory / corpus.root if corpus.root != "." else directory
    modules = analyzed_modules(code)
    seams = seams_entries(code)
    if corpus.truth == "ast":
        found = ast_truth(corpus, code)
        truth = {c: {_top(v) if c == "tasks" else k for k, v in found[c].items()} for c in found}
        return [Figure(name, c, truth[c], set(seams.get(c, {})), "ast") for c in corpus.categories]
    env = ensure_env(f"entry-{name}", [corpus.requirement], python=corpus.python)
    config = {
        "settings": corpus.settings,
        "env": corpus.env,
        "celery": corpus.celery,
        "jobs": corpus.jobs,
        "graphql": corpus.graphql,
        "packages": list(corpus.packages),
        "categories": list(corpus.categories),
    }
    try:
        found = env.run(TRUTH, args=[json.dumps(config)], timeout=1800)
    except EnvError as exc:
        print(f"{name}: {exc}")
        return []
    assert isinstance(found, dict)
    truth = truth_items(corpus, found, modules)
    return [Figure(name, c, truth[c], set(seams.get(c, {}))) for c in corpus.categories]


def _table(figures: Iterable[Figure]) -> list[str]:
    lines = ["| corpus | entry points | truth from | truth | Seams | found | recall | precision |"]
    lines.append("|---|---|---|---:|---:|---:|---:|---:|")
    for f in figures:
        lines.append(
            f"| {f.corpus} | {f.category} | {f.method} | {len(f.truth)} | {len(f.found)} | "
            f"{len(f.truth & f.found)} | {f.recall:.3f} | {f.precision:.3f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(CORPORA))
    parser.add_argument("--write", default=str(ROOT / "bench" / "results" / "entry_points"))
    args = parser.parse_args()
    figures: list[Figure] = []
    start = time.perf_counter()
    for name in args.names:
        figures += measure(name)
    lines = ["# Entry points: Seams against the frameworks' own view", "", *_table(figures)]
    for f in figures:
        missed, extra = sorted(f.truth - f.found), sorted(f.found - f.truth)
        lines += ["", f"## {f.corpus}, {f.category}", ""]
        lines += [f"- missed: `{m}`" for m in missed] or ["- nothing missed"]
        lines += [f"- not in the truth: `{e}`" for e in extra]
    print("\n".join(_table(figures)))
    out = Path(args.write)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = [
        {
            "corpus": f.corpus,
            "category": f.category,
            "truth_from": f.method,
            "truth": len(f.truth),
            "seams": len(f.found),
            "recall": round(f.recall, 4),
            "precision": round(f.precision, 4),
            "missed": sorted(f.truth - f.found),
            "extra": sorted(f.found - f.truth),
        }
        for f in figures
    ]
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.with_suffix('.md')} and .json ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
