"""Table recall and precision of Seams' model catalog, against the ORM's own list.

For each corpus (fetched by ``shared/corpora/fetch.sh``), the truth comes from the ORM itself:
the corpus is installed from PyPI into a throwaway virtual environment (``corpus_env``) and
imported there (``orm_truth``): SQLAlchemy's ``metadata.tables`` after importing every module
Seams analyzes, or Django's ``apps.get_models()`` after ``django.setup()``. Only tables of
models defined under the corpus' code root count (not ``auth_*``, ``ab_*`` or other packages'
tables); a table's key is the ``metadata.tables`` key (``schema.name`` where the ORM qualifies
it) or Django's ``db_table``. Seams analyzes the unpacked corpus; its tables are those its
catalog says a model, a many-to-many field or a ``Table(...)`` under the code root defines.

    recall    = truth tables Seams finds / truth tables
    precision = Seams' tables the truth has / Seams' tables

A corpus written for a newer Python's deferred annotations (names imported under
``TYPE_CHECKING`` used in annotations, which Python 3.14 never evaluates) is made importable by
adding ``from __future__ import annotations`` to the modules of its installed copy, in the
throwaway environment only (``Corpus.defer``; see ``defer_annotations``): annotations become
strings, which SQLAlchemy resolves by itself when it maps ``Mapped[...]`` columns, so the ORM's
own metadata can be read. The analyzed corpus is left as it is. Where a corpus cannot be
imported (``Corpus.scan`` says why), ``model_scan`` (a plain ``ast``
scan of the declarations) stands in, and the output says so; ``--scan NAME`` forces it.

    python bench/model_recall.py [NAME ...] [--write bench/results/model_recall]

Writes ``bench/results/model_recall.json`` and ``.md`` (figures and every miss; corpora measured
in a run replace their entries, the others stay), and prints the figures per corpus. Needs
access to PyPI the first time a corpus' environment is made (kept under
``~/.cache/seams-venvs/<name>/``); lemur's needs Debian's ``libldap2-dev libsasl2-dev``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus_env import EnvError, ensure_env  # noqa: E402
from model_scan import expected_tables, sqlalchemy_tables  # noqa: E402
from orm_truth import DJANGO, SQLALCHEMY  # noqa: E402

from analyzer.collect import collect  # noqa: E402
from analyzer.extract.discover import discover_files  # noqa: E402
from analyzer.model.options import AnalyzeOptions  # noqa: E402
from analyzer.model.progress import SilentReporter  # noqa: E402
from analyzer.pipeline import Timings  # noqa: E402

CORPORA_DIR = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache" / "seams-corpora"))
_CONTRIB = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # no admin modules imported
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.staticfiles",
]


@dataclass(frozen=True)
class Corpus:
    """How to install a corpus and ask its ORM: ``root`` is its code root in the unpacked
    corpus (``.``: every top-level package); Django corpora use ``settings`` (their own
    settings module, with ``files`` written beside it and ``env``) or a generated settings
    module with ``apps`` added to the app packages found under the root."""

    requirements: tuple[str, ...]
    root: str
    orm: str
    ignore_python: bool = False
    settings: str = ""
    env: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    apps: tuple[str, ...] = ()
    extra: str = ""
    stubs: tuple[str, ...] = ()
    no_deps: tuple[str, ...] = ()
    scan: str = ""  # why the corpus cannot be imported here: the ast scan stands in
    defer: bool = False  # its installed copy gets ``from __future__ import annotations``
    setup: str = ""  # Python run before the corpus' modules are imported


CORPORA: dict[str, Corpus] = {
    # Superset's modules expect its application (security manager, extensions) to exist;
    # its cache manager predates Flask-Caching 2.4's memoize signature.
    "apache-superset": Corpus(
        ("apache-superset==6.1.0", "flask-caching<2.4"),
        "superset",
        "sqlalchemy",
        env={"SUPERSET_SECRET_KEY": "seams-model-recall-" + "x" * 32},
        setup="import os\n"
        "_config = 'CACHE_CONFIG = {\"CACHE_TYPE\": \"NullCache\"}\\n' + ''.join(\n"
        "    f'{k} = CACHE_CONFIG\\n' for k in ('DATA_CACHE_CONFIG', 'FILTER_STATE_CACHE_CONFIG',"
        " 'EXPLORE_FORM_DATA_CACHE_CONFIG'))\n"
        "open('superset_config.py', 'w').write(_config)\n"
        "os.environ['SUPERSET_CONFIG_PATH'] = os.path.abspath('superset_config.py')\n"
        "from superset.app import create_app\n"
        "_app = create_app()\n_app.app_context().push()\n",
    ),
    "airflow-core": Corpus(
        ("apache-airflow-core==3.3.2",),
        "airflow",
        "sqlalchemy",
        env={"AIRFLOW__CORE__UNIT_TEST_MODE": "False"},
    ),
    # flaskbb declares Python 3.12, as do two of its Flask extensions (stubbed: see orm_truth);
    # it relies on Python 3.14's deferred annotations (a name imported under TYPE_CHECKING
    # annotates a parameter of plugins/manager.py): its installed copy defers them.
    "flaskbb": Corpus(
        ("flaskbb==2.2.0",),
        "flaskbb",
        "sqlalchemy",
        ignore_python=True,
        defer=True,
    ),
    "lemur": Corpus(("lemur==1.9.3",), "lemur", "sqlalchemy"),
    # ckan's wheel lists its libraries under the ``requirements`` extra.
    "ckan": Corpus(("ckan[requirements]==2.12.0",), "ckan", "sqlalchemy"),
    # mlflow 3.18.0 pins an mlflow-tracing release the index does not have: the release is
    # installed without its pins, beside the libraries it needs.
    "mlflow": Corpus(
        (
            "mlflow-skinny==3.18.0",
            "sqlalchemy>=1.4,<3",
            "alembic<2",
            "flask<4",
            "graphene<4",
            "pandas<4",
            "pyarrow",
        ),
        "mlflow",
        "sqlalchemy",
        no_deps=("mlflow==3.18.0",),
    ),
    "saleor": Corpus(
        ("saleor==2.10.1",),
        "saleor",
        "django",
        ignore_python=True,
        scan="saleor 2.10.1 is for Python 3.8: it pins releases the index has no longer for 3.11"
        " (braintree 3.49), and no set of its model libraries resolves beside Django 3.2 here"
        " (django-prices 2 with Django < 4, graphene-django 2 as wheels)",
    ),
    # Oscar publishes the apps a shop installs and the settings they read.
    "django-oscar": Corpus(
        ("django-oscar==4.2.1",),
        "oscar",
        "django",
        extra="from oscar.defaults import *\nfrom oscar import INSTALLED_APPS\n"
        "HAYSTACK_CONNECTIONS = {'default': {'ENGINE':"
        " 'haystack.backends.simple_backend.SimpleEngine'}}\n",
    ),
    "netbox": Corpus(
        ("netbox==4.7.3",),
        ".",
        "django",
        ignore_python=True,
        scan="netbox 4.7 runs on Django 6.1, which needs Python 3.12 (it imports"
        " inspect.markcoroutinefunction); this machine has 3.11",
    ),
    # Their own settings, on sqlite: the apps they install and the options their models read.
    "nautobot": Corpus(
        ("nautobot==3.2.7",),
        "nautobot",
        "django",
        extra="from nautobot.core.settings import *\nSECRET_KEY = 'seams-model-recall'\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n",
    ),
    "mayan-edms": Corpus(
        ("mayan-edms==4.12.2",),
        "mayan",
        "django",
        extra="from mayan.settings import *\nSECRET_KEY = 'seams-model-recall'\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n",
    ),
    # Review Board's settings read a settings_local module that a site's install writes.
    "reviewboard": Corpus(
        ("reviewboard==8.1",),
        "reviewboard",
        "django",
        settings="reviewboard.settings",
        files={
            "settings_local.py": "SECRET_KEY = 'seams-model-recall'\nDATABASES = {'default':"
            " {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n"
        },
    ),
}


@dataclass
class Outcome:
    name: str
    method: str
    truth: dict[str, str]
    found: dict[str, str]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return len(self.truth.keys() & self.found.keys()) / len(self.truth) if self.truth else 1.0

    @property
    def precision(self) -> float:
        return len(self.truth.keys() & self.found.keys()) / len(self.found) if self.found else 1.0


def _packages(directory: Path, root: str) -> list[str]:
    """The top-level packages of a code root."""
    if root != ".":
        return [root]
    return sorted(p.name for p in directory.iterdir() if (p / "__init__.py").is_file())


def seams_tables(directory: Path, packages: list[str]) -> dict[str, str]:
    """Tables Seams' catalog says code under ``packages`` defines, with the defining node."""
    collected = collect(directory, AnalyzeOptions(git=False), SilentReporter(), Timings())
    prefixes = tuple(f"{p}/" for p in packages)
    return {
        t.name: t.definer or ",".join(t.models)
        for t in collected.data.tables
        if t.kind in ("model", "m2m", "table") and t.path.startswith(prefixes)
    }


def _modules(directory: Path, packages: list[str]) -> list[str]:
    discovery = discover_files(directory)
    return [
        f.module
        for f in discovery.files
        if f.module.split(".")[0] in packages and not f.module.endswith("__main__")
    ]


def sqlalchemy_truth(
    name: str, corpus: Corpus, directory: Path, packages: list[str]
) -> dict[str, Any]:
    env = ensure_env(
        name, corpus.requirements, no_deps=corpus.no_deps, ignore_python=corpus.ignore_python
    )
    modules = _modules(directory, packages)
    deferred = [defer_annotations(env.site_packages / p) for p in packages if corpus.defer]
    args = [json.dumps(modules), json.dumps(packages), json.dumps(corpus.stubs), corpus.setup]
    result = env.run(SQLALCHEMY, args=args, env=_env(corpus), timeout=1800)
    assert isinstance(result, dict)
    if corpus.defer:
        result["deferred"] = sum(deferred)
    return result


def defer_annotations(package: Path) -> int:
    """Add ``from __future__ import annotations`` to every module of an installed ``package``
    that lacks it (after the docstring, where Python wants it); how many were changed. Only
    for a copy in a throwaway environment: the analyzed corpus is never touched."""
    changed = 0
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        if any(
            isinstance(node, ast.ImportFrom)
            and node.module == "__future__"
            and any(a.name == "annotations" for a in node.names)
            for node in tree.body
        ):
            continue
        first = tree.body[0] if tree.body else None
        docstring = (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        )
        at = (first.end_lineno or 0) if docstring and first is not None else 0
        lines = text.splitlines(keepends=True)
        if at and at <= len(lines) and not lines[at - 1].endswith("\n"):
            lines[at - 1] += "\n"
        lines.insert(at, "from __future__ import annotations\n")
        path.write_text("".join(lines), encoding="utf-8")
        changed += 1
    return changed


def _env(corpus: Corpus) -> dict[str, str]:
    home = Path.home() / ".cache" / "seams-venvs" / "home"
    home.mkdir(parents=True, exist_ok=True)
    return {"AIRFLOW_HOME": str(home / "airflow"), "HOME": str(home), **corpus.env}


def _app_packages(directory: Path, packages: list[str]) -> list[str]:
    """Apps under the code root: each package whose ``models`` module Seams analyzes (so not
    test apps), named by the one ``AppConfig`` class its ``apps.py`` defines when there is one
    (Django would not pick it among several imported there), else by the package."""
    found: list[str] = []
    for module in _modules(directory, packages):
        package, _, leaf = module.rpartition(".")
        if leaf != "models" or not package:
            continue
        config = _app_config(directory.joinpath(*package.split("."), "apps.py"))
        found.append(f"{package}.apps.{config}" if config else package)
    return found


def _app_config(path: Path) -> str | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef) and "Config" in n.name]
    return classes[0] if len(classes) == 1 else None


def django_truth(name: str, corpus: Corpus, directory: Path, packages: list[str]) -> dict[str, Any]:
    env = ensure_env(
        name, corpus.requirements, no_deps=corpus.no_deps, ignore_python=corpus.ignore_python
    )
    apps = [*_CONTRIB, *corpus.apps, *_app_packages(directory, packages)]
    tried: set[str] = set()
    while True:
        config = {
            "prefixes": packages,
            "settings": corpus.settings,
            "env": _env(corpus),
            "files": corpus.files,
            "apps": list(dict.fromkeys(apps)),
            "extra": corpus.extra,
            "stubs": corpus.stubs,
        }
        result = env.run(DJANGO, args=[json.dumps(config)], timeout=900)
        assert isinstance(result, dict)
        missing = result.get("missing", "")
        if not missing or missing in tried:
            return result
        # A model of an app left out of INSTALLED_APPS: add the package before ``models``.
        tried.add(missing)
        parts = missing.split(".")
        app = ".".join(parts[: parts.index("models")]) if "models" in parts else missing
        apps.append(app)


def measure(name: str) -> Outcome | None:
    corpus = CORPORA[name]
    directory = CORPORA_DIR / name
    if not directory.is_dir():
        print(f"{name}: not found under {CORPORA_DIR} (fetch it with shared/corpora/fetch.sh)")
        return None
    packages = _packages(directory, corpus.root)
    start = time.perf_counter()
    notes: list[str] = []
    try:
        if corpus.orm == "sqlalchemy":
            result = sqlalchemy_truth(name, corpus, directory, packages)
        else:
            result = django_truth(name, corpus, directory, packages)
    except EnvError as exc:
        print(f"{name}: {exc}")
        return None
    if "error" in result:
        print(f"{name}: the ORM could not be set up: {result['error']}")
        return None
    method = str(result["orm"])
    truth = dict(result["tables"])
    failed = result.get("failed", {})
    if failed:
        notes.append(f"{len(failed)} modules failed to import")
        notes += [f"import {m}: {why}" for m, why in sorted(failed.items())[:15]]
    if "deferred" in result:
        notes.append(
            "imported with `from __future__ import annotations` added to the modules of its"
            " installed copy (Python 3.14 defers annotations; the analyzed corpus is unchanged)"
        )
    if result.get("stubbed"):
        notes.append(f"stubbed (syntax of a newer Python): {', '.join(result['stubbed'])}")
    if result.get("unanalyzed"):
        outside = ", ".join(f"{t} ({w})" for t, w in sorted(result["unanalyzed"].items()))
        notes.append(f"defined in files Seams leaves out (not counted): {outside}")
    if result.get("unowned"):
        notes.append(f"tables of no known module (not counted): {result['unowned'][:20]}")
    found = seams_tables(directory, packages)
    return Outcome(name, method, truth, found, notes, time.perf_counter() - start)


def scan_outcome(name: str) -> Outcome:
    """The ``ast`` scan standing in where the corpus cannot be imported."""
    corpus = CORPORA[name]
    directory = CORPORA_DIR / name
    packages = _packages(directory, corpus.root)
    start = time.perf_counter()
    if corpus.orm == "sqlalchemy":
        truth = {}
        for package in packages:
            found = sqlalchemy_tables(directory / package)
            truth.update({t: f"{package}/{where}" for t, where in found.items()})
    else:
        expected = expected_tables(directory)
        truth = {table: f"{path}:{cls}" for (path, cls), table in expected.items()}
    found = seams_tables(directory, packages)
    notes = [f"not imported: {corpus.scan}"] if corpus.scan else []
    return Outcome(name, "ast scan", truth, found, notes, time.perf_counter() - start)


def entry(o: Outcome) -> dict[str, object]:
    """One corpus' figures, as the results file keeps them."""
    return {
        "truth_from": o.method,
        "truth_tables": len(o.truth),
        "seams_tables": len(o.found),
        "recall": round(o.recall, 4),
        "precision": round(o.precision, 4),
        "missed": {t: o.truth[t] for t in sorted(o.truth.keys() - o.found.keys())},
        "extra": {t: o.found[t] for t in sorted(o.found.keys() - o.truth.keys())},
        "notes": o.notes,
        "seconds": round(o.seconds),
    }


def report(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Model recall: Seams' tables against the ORM's own list",
        "",
        "Produced by `python bench/model_recall.py`. Truth: the tables the ORM registers for",
        "models defined under the corpus' code root, in the files Seams analyzes (see the",
        "script's docstring); `ast scan` where the corpus cannot be imported here (the notes say",
        "why). Recall: truth tables Seams finds; precision: Seams' tables the truth has.",
        "",
        "| corpus | truth from | truth tables | Seams tables | recall | precision |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in sorted(results.items()):
        lines.append(
            f"| {name} | {r['truth_from']} | {r['truth_tables']} | {r['seams_tables']} |"
            f" {r['recall']:.1%} | {r['precision']:.1%} |"
        )
    for name, r in sorted(results.items()):
        if not (r["missed"] or r["extra"] or r["notes"]):
            continue
        lines += ["", f"## {name}", ""]
        lines += [f"- missed `{t}` ({where})" for t, where in r["missed"].items()]
        lines += [f"- not in the truth: `{t}` ({where})" for t, where in r["extra"].items()]
        lines += [f"- note: {n}" for n in r["notes"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(CORPORA), metavar="NAME")
    parser.add_argument("--scan", nargs="*", default=[], metavar="NAME")
    parser.add_argument("--write", default=str(ROOT / "bench" / "results" / "model_recall"))
    args = parser.parse_args(argv)
    outcomes: list[Outcome] = []
    for name in args.names:
        if name not in CORPORA:
            parser.error(f"unknown corpus {name} (known: {', '.join(CORPORA)})")
        scan = name in args.scan or bool(CORPORA[name].scan)
        outcome = scan_outcome(name) if scan else measure(name)
        if outcome is None:
            continue
        outcomes.append(outcome)
        print(
            f"{name}: recall {outcome.recall:.1%}, precision {outcome.precision:.1%}"
            f" ({len(outcome.truth)} tables by {outcome.method}, Seams {len(outcome.found)};"
            f" {outcome.seconds:.0f} s)",
            flush=True,
        )
    if args.write and outcomes:
        # Corpora measured now replace their entries; the others keep theirs.
        target = Path(args.write)
        target.parent.mkdir(parents=True, exist_ok=True)
        results_file = target.with_suffix(".json")
        results = json.loads(results_file.read_text()) if results_file.exists() else {}
        results.update({o.name: entry(o) for o in outcomes})
        results_file.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
        target.with_suffix(".md").write_text(report(results), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
