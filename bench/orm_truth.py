"""What an ORM itself reports a corpus declares: snippets run inside the corpus' environment.

Each snippet runs in a virtual environment holding the corpus (``corpus_env``), imports the
corpus' code and hands back, through ``emit``, the tables its ORM registered for models defined
under the given packages:

Libraries that cannot be imported on the Python running (a release with syntax of a newer
Python: named in ``stubs``, or found failing with a syntax error while the corpus' top package
is imported) are replaced by stand-ins that accept any use; the output lists them. Python
3.12's ``typing.override``, a decorator doing nothing at run time, is given to older Pythons.

- ``SQLALCHEMY``: runs the corpus' set-up code, if any (an application some modules need at
  import time), imports every module Seams analyzes (the benchmark passes their names), then
  collects the tables of every ``MetaData`` alive. A table belongs to the module of the class
  mapped onto it (``mapper.local_table``) or, for an unmapped ``Table``, to the module holding it
  in a global; its key is the ``metadata.tables`` key (``schema.name`` with a schema). Tables of
  modules Seams does not analyze (imported by others, but test code by its name) are reported
  apart (``unanalyzed``).
- ``DJANGO``: ``django.setup()`` with the corpus' settings module or, when it has none usable, a
  generated one (sqlite, the corpus' app packages and Django's contrib apps), then
  ``apps.get_models(include_auto_created=True)``: swapped models are left out as Django leaves
  them out; a model's key is ``_meta.db_table``. A model of an app missing from
  ``INSTALLED_APPS`` is reported (``missing``) so that the caller can add the app and run again.
"""

from __future__ import annotations

STUBS = r'''
import importlib.abc, importlib.machinery, sys, types, typing

if not hasattr(typing, "override"):  # Python 3.12's decorator, a no-op at run time
    typing.override = lambda function: function

class _Anything:
    """Stands for anything a stubbed library provides: called, it returns another (or, as a
    decorator, the function it decorates); subclassed, it is ``object``."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return _Anything()

    def __getattr__(self, name):
        return _Anything()

    def __getitem__(self, key):
        return _Anything()

    def __mro_entries__(self, bases):
        return (object,)


class _Stubs(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, names):
        self.names = tuple(names)

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.names or fullname.startswith(tuple(n + "." for n in self.names)):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda name: _Anything()
        return module

    def exec_module(self, module):
        pass


def stub(names):
    """Libraries that cannot be imported on this Python, replaced by stand-ins."""
    if names:
        sys.meta_path.insert(0, _Stubs(names))


def import_with_stubs(name, stubbed):
    """Import ``name``; an installed library failing with a syntax error (written for a newer
    Python) is stubbed and the import tried again. ``stubbed`` collects the libraries."""
    import importlib, sysconfig

    site = sysconfig.get_paths()["purelib"] + "/"
    for _ in range(20):
        try:
            return importlib.import_module(name)
        except SyntaxError as exc:
            path = exc.filename or ""
            top = path[len(site):].split("/")[0].removesuffix(".py")
            if not path.startswith(site) or not top or top in stubbed:
                raise
            stubbed.append(top)
            stub([top])
            for loaded in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
                del sys.modules[loaded]
    return importlib.import_module(name)
'''

SQLALCHEMY = (
    STUBS
    + r"""
import gc, importlib, json, signal, sys, warnings
warnings.simplefilter("ignore")
modules, prefixes = json.loads(sys.argv[1]), tuple(json.loads(sys.argv[2]))
stub(json.loads(sys.argv[3]))
exec(sys.argv[4])  # the corpus' own set-up, such as creating its application
stubbed = []
for prefix in prefixes:
    try:
        import_with_stubs(prefix, stubbed)
    except BaseException:  # noqa: BLE001 - reported below, module by module
        pass

def _alarm(signum, frame):
    raise TimeoutError("import took too long")

signal.signal(signal.SIGALRM, _alarm)
failed = {}
for name in modules:
    signal.alarm(60)
    try:
        importlib.import_module(name)
    except BaseException as exc:  # noqa: BLE001 - a corpus module may raise anything
        failed[name] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
    finally:
        signal.alarm(0)

import sqlalchemy
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import mapperlib

analyzed = set(modules)

def _ours(module):
    inside = tuple(p + "." for p in prefixes)
    return bool(module) and (module in prefixes or module.startswith(inside))

mappers = []
registries = getattr(mapperlib, "_mapper_registries", None)
if registries is not None:
    for registry in list(registries):
        for manager in list(registry._managers):
            try:
                mappers.append(manager.mapper)
            except Exception:  # noqa: BLE001 - a class whose mapping failed
                pass
else:
    mappers.extend(getattr(mapperlib, "_mapper_registry", {}))
owner = {}
for mapper in sorted(mappers, key=lambda m: (m.class_.__module__, m.class_.__qualname__)):
    local = mapper.local_table
    if not isinstance(local, Table):
        continue
    inherited = mapper.inherits is not None and mapper.inherits.local_table is local
    if not inherited:
        owner.setdefault(id(local), (mapper.class_.__module__, mapper.class_.__qualname__))
for name, module in sorted(sys.modules.items()):
    for value in list(getattr(module, "__dict__", {}).values()):
        if isinstance(value, Table):
            owner.setdefault(id(value), (name, ""))
tables, unowned, other, unanalyzed = {}, [], 0, {}
for obj in gc.get_objects():
    try:
        if not isinstance(obj, MetaData):
            continue
    except Exception:  # noqa: BLE001 - a lazy object failing to resolve its class
        continue
    for key, table in obj.tables.items():
        found = owner.get(id(table))
        if found is None:
            unowned.append(key)
        elif _ours(found[0]) and found[0] in analyzed:
            tables[key] = ":".join(found)
        elif _ours(found[0]):
            unanalyzed[key] = ":".join(found)
        else:
            other += 1
emit({
    "orm": f"sqlalchemy {sqlalchemy.__version__}",
    "stubbed": stubbed,
    "tables": tables,
    "failed": failed,
    "unowned": sorted(set(unowned) - set(tables)),
    "unanalyzed": unanalyzed,
    "other": other,
})
"""
)

DJANGO = (
    STUBS
    + r"""
import json, os, re, sys, warnings
warnings.simplefilter("ignore")
config = json.loads(sys.argv[1])
stub(config.get("stubs", []))
prefixes = tuple(config["prefixes"])
os.environ.update(config.get("env", {}))
for name, text in config.get("files", {}).items():
    with open(name, "w", encoding="utf-8") as out:
        out.write(text)
sys.path.insert(0, os.getcwd())
if config.get("settings"):
    os.environ["DJANGO_SETTINGS_MODULE"] = config["settings"]
else:
    with open("seams_truth_settings.py", "w", encoding="utf-8") as out:
        out.write(
            "SECRET_KEY = 'seams-model-recall'\n"
            f"INSTALLED_APPS = {config['apps']!r}\n"
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',"
            " 'NAME': ':memory:'}}\n"
            "USE_TZ = True\n"
            + config.get("extra", "")
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "seams_truth_settings"
import django
try:
    django.setup()
except Exception as exc:  # noqa: BLE001 - report what blocks the set-up
    text = f"{type(exc).__name__}: {exc}"
    match = re.search(r"Model class ([\w.]+)\.\w+ doesn't declare an explicit app_label", text)
    emit({"error": text[:400], "missing": match.group(1) if match else ""})
    raise SystemExit(0)
from django.apps import apps

def _ours(module):
    return module in prefixes or module.startswith(tuple(p + "." for p in prefixes))

tables = {}
for model in apps.get_models(include_auto_created=True):
    meta = model._meta
    if meta.proxy:
        continue
    module = model.__module__
    if meta.auto_created:
        module = meta.auto_created.__module__
    if _ours(module):
        tables.setdefault(meta.db_table, f"{module}:{model.__qualname__}")
emit({"orm": f"django {django.get_version()}", "tables": tables})
"""
)
