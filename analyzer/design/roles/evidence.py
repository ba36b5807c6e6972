"""evidence: what one module says about its own role, through the libraries its code uses and
the names it and its packages carry.

- **Libraries.** Most of a module's code (by lines of its top-level classes and functions) uses
  a test library (pytest, hypothesis, ``django.test``'s ``TestCase``, ``unittest.TestCase``...)
  or a model factory (factory_boy, model_bakery): test code. It uses a fake-data generator
  (faker, mimesis): fake-data code. Most of it calls a build or packaging tool (setuptools,
  distutils: a ``setup.py``): development code, which builds the distribution and serves no
  request. Product code imports these too (a ``RequestFactory`` to
  render a page, ``unittest.mock`` in a profiler, a ``TestCase`` at the end of a template tag
  module), so one use is not enough, and the names product code takes from test modules
  (``RequestFactory``, ``MULTIPART_CONTENT``, ``mock``...) are not counted at all.
- **Names.** A module or package named as test code (``test``, ``testing``, ``testutils``,
  ``testproject``, ``*_tests``...) is test code. A package named as a development or demo project
  (``devproject``, ``sandbox``, ``demo``, ``example``...) is one when it has a project's shape:
  settings, a URL conf, a WSGI/ASGI entry point or a ``manage`` script.

This is evidence only: code that product code uses stays product code (see ``assign``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analyzer.model.facts import FileFacts, ImportFact
from analyzer.model.roles import ROLES, Role


@dataclass(frozen=True, slots=True)
class Evidence:
    """``role`` and why; ``generator`` when it comes from a library that makes up data (faker,
    factory_boy...), what a command filling a database with fake data imports."""

    role: Role
    reason: str
    generator: bool = False


# Top-level packages used only to test code.
_TEST_LIBRARIES = frozenset(
    {
        "pytest",
        "_pytest",
        "hypothesis",
        "freezegun",
        "time_machine",
        "responses",
        "respx",
        "httpretty",
        "requests_mock",
        "vcr",
        "webtest",
        "django_webtest",
        "flask_testing",
        "nose",
        "nose2",
        "testfixtures",
        "parameterized",
        "ddt",
        "syrupy",
        "snapshottest",
        "asynctest",
    }
)
# Model factories: test code, and what fills a database with made-up rows.
_FACTORIES = frozenset({"factory", "model_bakery", "model_mommy", "mixer"})
# Fake-data generators.
_GENERATORS = frozenset({"faker", "mimesis"})
# Build and packaging tools: a module mostly calling them (``setup.py``) builds the project's
# distribution and is no part of the running system.
_BUILD_TOOLS = frozenset({"setuptools", "distutils", "pbr", "skbuild"})
# Test modules of frameworks (dotted prefixes).
_TEST_MODULES = (
    "django.test",
    "rest_framework.test",
    "graphene.test",
    "flask.testing",
    "starlette.testclient",
    "fastapi.testclient",
    "channels.testing",
    "django.contrib.staticfiles.testing",
    "unittest",
)
# What product code takes from those: a request built to render or replay a view, a multipart
# body, mock objects, the signal sent when settings change.
_PRODUCT_NAMES = frozenset(
    {
        "RequestFactory",
        "AsyncRequestFactory",
        "APIRequestFactory",
        "MULTIPART_CONTENT",
        "BOUNDARY",
        "encode_multipart",
        "mock",
        "signals",
        "setting_changed",
    }
)
_PRODUCT_MODULES = ("unittest.mock", "django.test.signals")

_TEST_NAME = re.compile(
    r"^(tests?|testing"
    r"|tests?_?(utils?|helpers?|support|cases?|project|app|apps|settings|runner|tools|client|base)"
    r"|(settings|conf)_?tests?|[a-z0-9]\w*_tests?)$"
)
_DEV_NAMES = frozenset({"dev", "devproject", "dev_project", "devsite", "dev_site", "sandbox"})
_DEMO_NAMES = frozenset(
    {
        f"{word}{suffix}"
        for word in ("demo", "example", "sample")
        for suffix in ("", "s", "project", "_project", "app", "_app", "site", "_site")
    }
)
# Modules that give a package a project's shape, and names a settings or URL conf module binds.
_PROJECT_MODULES = frozenset({"settings", "urls", "wsgi", "asgi", "manage"})
_PROJECT_GLOBALS = frozenset({"INSTALLED_APPS", "ROOT_URLCONF", "urlpatterns"})


_LIBRARY_TOPS = frozenset({*_TEST_LIBRARIES, *_FACTORIES, *_GENERATORS, *_BUILD_TOOLS})
_TOPS = _LIBRARY_TOPS | {m.split(".")[0] for m in _TEST_MODULES}


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _library(fact: ImportFact) -> tuple[str, Role, bool] | None:
    """(what it names, role, whether it makes up data) of an import of a test or fake-data
    library; ``None`` for anything else."""
    module = fact.module
    top = module.partition(".")[0]
    if top not in _TOPS and not top.startswith("pytest_"):
        return None  # most imports: the project's own, the framework's
    if "test" not in module and top not in _LIBRARY_TOPS:
        return None  # the framework's other modules
    if fact.name in _PRODUCT_NAMES or _within(module, _PRODUCT_MODULES):
        return None
    label = fact.target
    if top in _GENERATORS:
        return label, "fake-data", True
    if top in _BUILD_TOOLS:
        return label, "dev", False
    if top in _FACTORIES:
        return label, "test", True
    if top in _TEST_LIBRARIES or top.startswith("pytest_"):
        return label, "test", False
    if _within(module, _TEST_MODULES):
        return label, "test", False
    return None


@dataclass(frozen=True, slots=True)
class _Binding:
    label: str
    role: Role
    generator: bool


def _bindings(f: FileFacts) -> dict[str, _Binding]:
    """Local names bound to a test or fake-data library, and module-level names bound to a call
    of one (``fake = Faker()``), as their dotted prefix in code."""
    found: dict[str, _Binding] = {}
    for fact in f.imports:
        if fact.module.partition(".")[0] not in _TOPS and not fact.module.startswith("pytest_"):
            continue  # most imports: the project's own, the framework's (checked first: cheap)
        if fact.type_checking or fact.name == "*" or fact.dynamic:
            continue
        library = _library(fact)
        if library is None:
            continue
        prefix = fact.alias or (fact.name if fact.name is not None else fact.module)
        found[prefix] = _Binding(*library)
    for binding in f.bindings:
        used = _match(binding.value, found)
        if used is not None and binding.name not in found:
            found[binding.name] = used
    return found


def _match(chain: str, bindings: dict[str, _Binding]) -> _Binding | None:
    """The binding ``chain`` starts with (``pytest.fixture`` -> ``pytest``)."""
    parts = chain.split(".")
    for end in range(len(parts), 0, -1):
        found = bindings.get(".".join(parts[:end]))
        if found is not None:
            return found
    return None


def library_evidence(f: FileFacts) -> Evidence | None:
    """Test, development or fake-data code by the libraries its code uses (see the module
    docstring): most of it uses a test library or a build tool, or some of it makes up data."""
    bindings = _bindings(f)
    if not bindings:
        return None
    used: Counter[tuple[Role, bool]] = Counter()
    labels: set[str] = set()
    total = 0
    units = [
        (s.name, s.loc, [*s.bases, *s.decorators, *(r.chain for r in s.refs)]) for s in f.symbols
    ] or [("", 1, [r.chain for r in f.module_refs])]
    for name, loc, chains in units:
        total += loc
        matched = [b for b in (_match(c, bindings) for c in chains) if b is not None]
        if matched:
            first = min(matched, key=lambda b: (not b.generator, ROLES.index(b.role)))
            used[first.role, first.generator] += loc
            labels.update(b.label for b in matched)
            if name:  # a test case deriving from this one is test code too
                bindings.setdefault(name, first)
    if not used:
        return None
    # Made-up data anywhere says what the module is for; a test library has to carry most of it.
    made_up = [key for key in used if key[1]]
    if 2 * sum(used.values()) < total and not made_up:
        return None
    candidates = made_up or list(used)
    role, generator = max(candidates, key=lambda k: (used[k], -ROLES.index(k[0])))
    shown = ", ".join(sorted(labels)[:3]) + (" ..." if len(labels) > 3 else "")
    return Evidence(
        role, f"{'its code uses' if made_up else 'most of its code uses'} {shown}", generator
    )


def project_packages(files: Iterable[FileFacts]) -> set[str]:
    """Packages with a project's shape: settings, a URL conf, a WSGI/ASGI entry, ``manage``."""
    shaped = set()
    for f in files:
        parent, _, leaf = f.module.rpartition(".")
        package = f.module if f.is_package else parent
        if not package:
            continue
        if (
            leaf in _PROJECT_MODULES
            or leaf.startswith("settings")
            or _PROJECT_GLOBALS.intersection(f.globals)
        ):
            shaped.add(package)
    return shaped


def name_evidence(files: Sequence[FileFacts], shaped: set[str]) -> dict[str, Evidence]:
    """Modules named as test code, or inside a development or demo project (``shaped``: the
    packages with a project's shape); see the module docstring. A top-level package is taken
    into account only beside other packages: a tree that is one ``demo`` package (and its
    ``manage.py``) is the product."""
    tops = {f.module.split(".", 1)[0] for f in files if f.is_package or "." in f.module}
    named = _role_names(files)
    found: dict[str, Evidence] = {}
    for f in files:
        parts = f.module.split(".")
        for i in range(0 if len(tops) > 1 else 1, len(parts)):
            if parts[i] not in named:
                continue
            evidence = _named(parts, i, f.is_package, shaped)
            if evidence is not None:
                found[f.module] = evidence
                break
    return found


def _role_names(files: Iterable[FileFacts]) -> set[str]:
    """The parts of module names that name test, development or demo code."""
    parts = {part for f in files for part in f.module.split(".")}
    return {p for p in parts if p in _DEV_NAMES or p in _DEMO_NAMES or _TEST_NAME.match(p)}


def _named(parts: list[str], i: int, is_package: bool, shaped: set[str]) -> Evidence | None:
    part = parts[i]
    package = ".".join(parts[: i + 1])
    own = i == len(parts) - 1
    if _TEST_NAME.match(part):
        where = "its name" if own and not is_package else f"the name of {package}"
        return Evidence("test", f"{where} says test code")
    role: Role | None = "dev" if part in _DEV_NAMES else "demo" if part in _DEMO_NAMES else None
    if role is not None and (not own or is_package) and package in shaped:
        return Evidence(
            role, f"part of {package}, a {role} project (named so, with settings or URLs)"
        )
    return None
