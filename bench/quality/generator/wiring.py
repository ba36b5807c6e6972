"""The modules every project of a stack has besides its capabilities' code: package markers,
settings, the URL conf or app factory, the task worker. They hold module-level code only (no
top-level functions or classes), wiring every capability together."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.quality.generator.render import Renderer


def add_wiring(r: Renderer) -> None:
    p = r.p
    worker = r.module(f"{p}.worker")
    worker.need("celery", "Celery")
    worker.top += [
        f'celery_app = Celery("{p}")',
        f'celery_app.config_from_object("{p}.settings", namespace="CELERY")',
        "celery_app.autodiscover_tasks()",
    ]
    r.wiring.append(worker.name)
    if r.fw == "django":
        _django(r)
    elif r.fw == "flask":
        _flask(r)
    else:
        _fastapi(r)


def _views(r: Renderer) -> list:  # type: ignore[type-arg]
    return [s for s in r.rendered if s.role == "view"]


def _django(r: Renderer) -> None:
    p = r.p
    settings = r.module(f"{p}.settings")
    apps = [f"{p}.{c}" for c in r.plan.apps] or [p]
    settings.top += [
        'SECRET_KEY = "change-me"',
        "DEBUG = False",
        "INSTALLED_APPS = [",
        '    "django.contrib.admin",',
        '    "django.contrib.auth",',
        '    "django.contrib.contenttypes",',
        *(f'    "{a}",' for a in apps),
        "]",
        f'ROOT_URLCONF = "{p}.urls"',
        'CELERY_BROKER_URL = "redis://localhost:6379/0"',
    ]
    r.wiring.append(settings.name)
    root = r.module(f"{p}.urls")
    root.need("django.urls", "path")
    patterns: list[str] = []
    per_app: dict[str, list[str]] = {}
    hub = "routes" in r.lay.hubs
    for v in _views(r):
        app = v.capability in r.plan.apps and not hub
        m = r.module(f"{p}.{v.capability}.urls") if app else root
        m.need("django.urls", "path")
        ref = m.ref(v)
        func = f"{ref}.as_view()" if v.kind == "class" else ref
        route = f"{v.entity.many.replace('_', '-')}/{v.verb}/" if v.entity else f"{v.name}/"
        line = f'    path("{route}", {func}, name="{v.name.lower().replace("_", "-")}"),'
        (per_app.setdefault(m.name, []) if app else patterns).append(line)
    for module, lines in per_app.items():
        m = r.module(module)
        cap = module.split(".")[-2]
        m.top += [f'app_name = "{cap}"', "urlpatterns = [", *lines, "]"]
        r.wiring.append(module)
        root.need("django.urls", "include")
        patterns.insert(0, f'    path("{cap}/", include("{module}")),')
    root.need("django.contrib", "admin")
    root.top += ["urlpatterns = [", '    path("admin/", admin.site.urls),', *patterns, "]"]
    r.wiring.append(root.name)


def _routers(r: Renderer, marker: str) -> list[str]:
    return sorted(n for n, m in r.modules.items() if any(t.startswith(marker) for t in m.top))


def _flask(r: Renderer) -> None:
    p = r.p
    ext = r.module(f"{p}.extensions")
    ext.need("flask_sqlalchemy", "SQLAlchemy")
    ext.top.append("db = SQLAlchemy()")
    r.wiring.append(ext.name)
    app = r.module(f"{p}.app")
    app.need("flask", "Flask")
    app.top += ["app = Flask(__name__)", f'app.config.from_object("{p}.settings")']
    app.top.append(f"{app.need(f'{p}.extensions', 'db')}.init_app(app)")
    for name in _routers(r, "bp = "):
        app.top.append(f"app.register_blueprint({_module_ref(app, name)}.bp)")
    for s in r.rendered:
        if s.role == "route":
            app.top.append(f"{app.ref(s)}(app)")
    r.wiring.append(app.name)


def _fastapi(r: Renderer) -> None:
    p = r.p
    main = r.module(f"{p}.main")
    main.need("fastapi", "FastAPI")
    main.top.append(f'app = FastAPI(title="{p}")')
    for name in _routers(r, "router = "):
        prefix = name.rsplit(".", 1)[-1].replace("_", "-")
        main.top.append(f'app.include_router({_module_ref(main, name)}.router, prefix="/{prefix}")')
    for s in r.rendered:
        if s.role == "route":
            main.top.append(f"{main.ref(s)}(app)")
    r.wiring.append(main.name)


def _module_ref(m, name: str) -> str:  # type: ignore[no-untyped-def]
    parent, _, leaf = name.rpartition(".")
    local = f"{parent.rsplit('.', 1)[-1]}_{leaf}"
    if local not in m.bound:
        m.bound[local] = name
        m.froms.setdefault(parent, []).append(f"{leaf} as {local}")
    return local
