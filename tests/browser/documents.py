"""Hand-written decomposition documents for report tests: the keys the fixtures do not produce yet
(tables with sites, explanations, steering) and hostile names."""

from __future__ import annotations

import copy
import json
from typing import Any

HOSTILE_SERVICE = '</script><script>alert("svc")</script>'
HOSTILE_MODULE = "shop.<img src=x onerror=alert(1)>"
HOSTILE_SYMBOL = 'Order" onmouseover="alert(2)'
HOSTILE_TABLE = "t'); alert(3); ('\u202egnp.exe\u200b"
HOSTILE_FILE = "javascript:alert(4)/caf\u00e9_\u6570\u636e.py"
HOSTILE_REASON = "<b>bold</b> & <script>alert(5)</script>"
HOSTILE_STRINGS = (HOSTILE_SERVICE, HOSTILE_MODULE, HOSTILE_SYMBOL, HOSTILE_TABLE, HOSTILE_FILE)


def _node(ident: str, kind: str, module: str, service: str | None, loc: int, line: int = 1):  # type: ignore[no-untyped-def]
    path = module.replace(".", "/") + ".py" if module else ""
    node = {"id": ident, "kind": kind, "module": module, "service": service, "loc": loc}
    if kind != "table":
        node.update(path=path, line=line)
    return node


def sample_document() -> dict[str, Any]:
    """A small shop: orders, payments, catalog and a shared library; ``shop.models`` is split;
    ``payments_payment`` is written by two services (a shared-write conflict)."""
    nodes = [
        _node("shop.models", "module", "shop.models", "orders", 4),
        _node("shop.models:Order", "class", "shop.models", "orders", 40, 5),
        _node("shop.models:OrderLine", "class", "shop.models", "orders", 20, 50),
        _node("shop.models:Payment", "class", "shop.models", "payments", 30, 80),
        _node("shop.models:Book", "class", "shop.models", "catalog", 25, 120),
        _node("shop.orders.services", "module", "shop.orders.services", "orders", 3),
        _node(
            "shop.orders.services:place_order", "function", "shop.orders.services", "orders", 30, 10
        ),
        _node("shop.payments.api", "module", "shop.payments.api", "payments", 3),
        _node("shop.payments.api:charge", "function", "shop.payments.api", "payments", 25, 8),
        _node("shop.payments.api:refund", "function", "shop.payments.api", "payments", 15, 40),
        _node("shop.catalog.views", "module", "shop.catalog.views", "catalog", 60),
        _node("shop.common.money", "module", "shop.common.money", "common", 35),
        _node("table::orders_order", "table", "", "orders", 0),
        _node("table::payments_payment", "table", "", "payments", 0),
        _node("table::catalog_book", "table", "", "catalog", 0),
    ]
    edges = [
        (
            "shop.orders.services:place_order",
            "shop.payments.api:charge",
            3.0,
            {"call": 2, "import": 1},
        ),
        ("shop.orders.services:place_order", "shop.models:Order", 2.0, {"call": 1, "import": 1}),
        ("shop.orders.services:place_order", "shop.models:Book", 1.0, {"import": 1}),
        ("shop.orders.services:place_order", "table::orders_order", 3.0, {"data": 1}),
        ("shop.orders.services:place_order", "table::payments_payment", 3.0, {"data": 1}),
        ("shop.orders.services:place_order", "table::catalog_book", 3.0, {"data": 1}),
        ("shop.payments.api:charge", "shop.models:Payment", 2.0, {"call": 1, "import": 1}),
        ("shop.payments.api:charge", "table::payments_payment", 3.0, {"data": 1}),
        ("shop.payments.api:refund", "shop.models:Order", 1.0, {"import": 1}),
        ("shop.payments.api:refund", "table::orders_order", 3.0, {"data": 1}),
        ("shop.catalog.views", "shop.models:Book", 2.0, {"call": 1, "import": 1}),
        ("shop.catalog.views", "table::catalog_book", 3.0, {"data": 1}),
        ("shop.catalog.views", "shop.common.money", 1.0, {"import": 1}),
        ("shop.models:OrderLine", "shop.models:Order", 1.0, {"inheritance": 1}),
    ]
    services = {
        "orders": ["shop.models", "shop.orders.services"],
        "payments": ["shop.payments.api"],
        "catalog": ["shop.catalog.views"],
        "common": ["shop.common.money"],
    }
    symbols = {n["id"]: n["service"] for n in nodes if n["kind"] in ("class", "function")}
    return {
        "schema": "seams/decomposition@1",
        "tool_version": "0.1.0",
        "parameters": {
            "granularity": "symbol",
            "services": "auto",
            "seed": 0,
            "weights": {"import": 1.0, "call": 1.0, "inheritance": 1.0, "data": 3.0},
            "git": {"commits": 120, "head": "abc1234"},
            "steering": {
                "pin": {"catalog": ["shop.models:Book"]},
                "together": [],
                "apart": [],
                "rename": {},
                "applied": [],
            },
        },
        "services": [
            {
                "name": name,
                "kind": "shared-library" if name == "common" else "service",
                "modules": modules,
                "symbols": sorted(s for s, owner in symbols.items() if owner == name),
                "tables_owned": {
                    "orders": ["orders_order"],
                    "payments": ["payments_payment"],
                    "catalog": ["catalog_book"],
                }.get(name, []),
                "loc": sum(n["loc"] for n in nodes if n["service"] == name),
                **({"stability": 0.75} if name == "orders" else {}),
            }
            for name, modules in services.items()
        ],
        "modules": {m: s for s, ms in services.items() for m in ms},
        "symbols": symbols,
        "split_modules": {
            "shop.models": {
                "orders": ["Order", "OrderLine"],
                "payments": ["Payment"],
                "catalog": ["Book"],
            }
        },
        "tables": {
            "orders_order": {
                "owner": "orders",
                "writers": ["orders"],
                "readers": ["payments"],
                "models": ["shop.models:Order"],
                "sites": [
                    {
                        "file": "shop/orders/services.py",
                        "line": 14,
                        "mode": "write",
                        "service": "orders",
                        "symbol": "shop.orders.services:place_order",
                    },
                    {
                        "file": "shop/payments/api.py",
                        "line": 44,
                        "mode": "read",
                        "service": "payments",
                        "symbol": "shop.payments.api:refund",
                    },
                ],
            },
            "payments_payment": {
                "owner": "payments",
                "writers": ["orders", "payments"],
                "readers": [],
                "models": ["shop.models:Payment"],
                "sites": [
                    {
                        "file": "shop/payments/api.py",
                        "line": 12,
                        "mode": "write",
                        "service": "payments",
                        "symbol": "shop.payments.api:charge",
                    },
                    {
                        "file": "shop/orders/services.py",
                        "line": 20,
                        "mode": "write",
                        "service": "orders",
                        "symbol": "shop.orders.services:place_order",
                    },
                ],
            },
            "catalog_book": {
                "owner": "catalog",
                "writers": ["catalog"],
                "readers": ["orders"],
                "models": ["shop.models:Book"],
                "sites": [],
            },
        },
        "dependencies": [
            {
                "from": "orders",
                "to": "payments",
                "weight": 6.0,
                "kinds": {"call": 2, "import": 1, "data": 1},
                "examples": [
                    {
                        "file": "shop/orders/services.py",
                        "line": 12,
                        "target": "shop.payments.api:charge",
                        "kind": "call",
                    }
                ],
            },
            {
                "from": "orders",
                "to": "catalog",
                "weight": 4.0,
                "kinds": {"import": 1, "data": 1},
                "examples": [
                    {
                        "file": "shop/orders/services.py",
                        "line": 3,
                        "target": "shop.models:Book",
                        "kind": "import",
                    }
                ],
            },
            {
                "from": "payments",
                "to": "orders",
                "weight": 4.0,
                "kinds": {"import": 1, "data": 1},
                "examples": [
                    {
                        "file": "shop/payments/api.py",
                        "line": 2,
                        "target": "shop.models:Order",
                        "kind": "import",
                        "soft": True,
                    }
                ],
            },
            {
                "from": "catalog",
                "to": "common",
                "weight": 1.0,
                "kinds": {"import": 1},
                "examples": [
                    {
                        "file": "shop/catalog/views.py",
                        "line": 1,
                        "target": "shop.common.money",
                        "kind": "import",
                    }
                ],
            },
        ],
        "cuts": [
            {
                "from": "orders",
                "to": "payments",
                "source": "shop.orders.services:place_order",
                "target": "shop.payments.api:charge",
                "weight": 3.0,
                "kinds": {"call": 2, "import": 1},
                "examples": [
                    {
                        "file": "shop/orders/services.py",
                        "line": 12,
                        "target": "shop.payments.api:charge",
                        "kind": "call",
                    }
                ],
            },
            {
                "from": "payments",
                "to": "orders",
                "source": "shop.payments.api:refund",
                "target": "shop.models:Order",
                "weight": 1.0,
                "kinds": {"import": 1},
                "examples": [
                    {
                        "file": "shop/payments/api.py",
                        "line": 2,
                        "target": "shop.models:Order",
                        "kind": "import",
                    }
                ],
            },
        ],
        "metrics": {
            "proposed": {
                "modularity": 0.41,
                "sm": 0.12,
                "icp": 0.2,
                "ifn": 1.5,
                "ned": 0.0,
                "data_purity": 0.8,
                "shared_write_tables": 1,
                "cross_service_edges": 5,
                "cross_service_weight": 12.0,
                "services": 3,
            },
            "as_is": {
                "modularity": 0.2,
                "sm": 0.05,
                "icp": 0.4,
                "ifn": 2.0,
                "ned": 0.1,
                "data_purity": 0.6,
                "shared_write_tables": 2,
                "cross_service_edges": 9,
                "cross_service_weight": 20.0,
                "services": 4,
            },
        },
        "skipped": [{"path": "legacy/old.py", "reason": "syntax error at line 3"}],
        "graph": {
            "granularity": "symbol",
            "nodes": nodes,
            "edges": [{"source": a, "target": b, "weight": w, "kinds": k} for a, b, w, k in edges],
        },
        "explanations": {
            "shop.models:Payment": {
                "service": "payments",
                "runner_up": "orders",
                "own_weight": 5.0,
                "runner_up_weight": 4.5,
                "reasons": [
                    {
                        "kind": "call",
                        "text": "called by shop.payments.api:charge",
                        "service": "payments",
                        "weight": 2.0,
                    },
                    {
                        "kind": "data",
                        "text": "writes payments_payment, owned by payments",
                        "service": "payments",
                        "weight": 3.0,
                    },
                ],
            },
            "shop.catalog.views": {
                "service": "catalog",
                "runner_up": None,
                "own_weight": 5.0,
                "runner_up_weight": 0.0,
                "reasons": [
                    {
                        "kind": "data",
                        "text": "reads catalog_book",
                        "service": "catalog",
                        "weight": 3.0,
                    }
                ],
            },
        },
    }


def hostile_document() -> dict[str, Any]:
    """The sample with names that try to break out of HTML, attributes, scripts and JSON."""
    replacements = {  # most specific first: later ones must not match inside earlier ones
        "called by shop.payments.api:charge": HOSTILE_REASON,
        "shop/orders/services.py": HOSTILE_FILE,
        "shop.payments.api": HOSTILE_MODULE,
        "catalog_book": HOSTILE_TABLE,
        "Payment": HOSTILE_SYMBOL,
        "payments": HOSTILE_SERVICE,
    }
    text = json.dumps(sample_document())
    for old, new in replacements.items():
        text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
    return dict(json.loads(text))


def legacy_document() -> dict[str, Any]:
    """What an early version wrote: no graph, cuts, explanations, tables or metrics values."""
    document = copy.deepcopy(sample_document())
    for key in ("graph", "cuts", "explanations"):
        del document[key]
    document["tables"] = {}
    document["split_modules"] = {}
    document["metrics"] = {"proposed": {}, "as_is": {}}
    for service in document["services"]:
        service.pop("stability", None)
    return document


SERVICE_NAMES = (
    "accounts", "billing", "catalog", "checkout", "comments", "content", "coupons", "delivery",
    "events", "exports", "feeds", "forums", "gallery", "imports", "inventory", "invoices",
    "ledger", "media", "messaging", "moderation", "newsletter", "orders", "payments", "polls",
    "profiles", "ratings", "reports", "search", "shipping", "tags", "tickets", "wiki",
)  # fmt: skip


def many_services_document(count: int = 30, seed: int = 7) -> dict[str, Any]:
    """A proposal of ``count`` services and a shared library, as a large Django project gives:
    each service a package of modules with classes, a table or two, and dependencies on a few
    others (more on the ones before it, as layered code does), all through the shared library."""
    import random

    rng = random.Random(seed)
    names = list(SERVICE_NAMES[:count])
    nodes: list[dict[str, Any]] = []
    edges: list[tuple[str, str, float, dict[str, int]]] = []
    services = []
    tables: dict[str, Any] = {}
    for index, name in enumerate([*names, "core"]):
        modules = [f"site.{name}.{part}" for part in ("models", "views", "services", "api")]
        modules = modules[: 2 + index % 3]
        for module in modules:
            nodes.append(_node(module, "module", module, name, 4))
            for k in range(1 + rng.randrange(3)):
                symbol = f"{module}:{name.title()}{module.rsplit('.', 1)[1].title()}{k}"
                nodes.append(_node(symbol, "class", module, name, 20 + rng.randrange(120), 10 * k))
        if name != "core":
            table = f"{name}_item"
            nodes.append(_node(f"table::{table}", "table", "", name, 0))
            edges.append((f"site.{name}.models", f"table::{table}", 2.0, {"data": 1}))
            tables[table] = {"owner": name, "writers": [name], "readers": [], "models": []}
        services.append(
            {
                "name": name,
                "kind": "shared-library" if name == "core" else "service",
                "modules": modules,
                "symbols": [],
                "tables_owned": [] if name == "core" else [f"{name}_item"],
                "loc": 0,
            }
        )
    weights: dict[tuple[str, str], float] = {}
    for index, name in enumerate(names):
        others = [n for n in names if n != name]
        earlier = names[max(0, index - 6) : index] or others
        for other in sorted({rng.choice(earlier) for _ in range(2)} | {rng.choice(others)}):
            weight = float(1 + rng.randrange(12))
            weights[(name, other)] = weight
            edges.append((f"site.{name}.views", f"site.{other}.models", weight, {"call": 2}))
        weights[(name, "core")] = 3.0
        edges.append((f"site.{name}.views", "site.core.models", 3.0, {"import": 3}))
    owner = {n["id"]: n["service"] for n in nodes}
    for (a, b), _ in sorted(weights.items()):
        if b != "core" and rng.random() < 0.5:
            tables[f"{b}_item"]["readers"].append(a)
    tables[f"{names[1]}_item"]["writers"].append(names[2])  # one table written by two services
    loc: dict[str, int] = {}
    for n in nodes:
        loc[n["service"]] = loc.get(n["service"], 0) + n["loc"]
    for service in services:
        service["loc"] = loc[service["name"]]
        service["symbols"] = sorted(
            n["id"] for n in nodes if n["service"] == service["name"] and n["kind"] == "class"
        )
    document = sample_document()
    document.update(
        {
            "parameters": {"granularity": "symbol", "services": count, "seed": 0},
            "services": services,
            "modules": {m: s["name"] for s in services for m in s["modules"]},
            "symbols": {n["id"]: n["service"] for n in nodes if n["kind"] == "class"},
            "split_modules": {
                f"site.{names[0]}.models": {names[0]: ["A"], names[1]: ["B"]},
            },
            "tables": tables,
            "dependencies": [
                {
                    "from": a,
                    "to": b,
                    "weight": w,
                    "kinds": {"call": 2},
                    "examples": [{"file": f"site/{a}/views.py", "line": 3, "target": f"site.{b}"}],
                }
                for (a, b), w in sorted(weights.items(), key=lambda item: (-item[1], item[0]))
            ],
            "cuts": [
                {
                    "from": owner[a],
                    "to": owner[b],
                    "source": a,
                    "target": b,
                    "weight": w,
                    "kinds": k,
                    "examples": [{"file": a.replace(".", "/") + ".py", "line": 5, "target": b}],
                }
                for a, b, w, k in sorted(edges, key=lambda e: (-e[2], e[0], e[1]))
                if owner[a] != owner[b] and "core" not in (owner[a], owner[b])
            ],
            "graph": {
                "granularity": "symbol",
                "nodes": nodes,
                "edges": [
                    {"source": a, "target": b, "weight": w, "kinds": k} for a, b, w, k in edges
                ],
            },
            "explanations": {
                f"site.{name}.api": {
                    "service": name,
                    "runner_up": names[(i + 1) % count],
                    "own_weight": 5.0,
                    "runner_up_weight": 4.0 + i % 2,
                    "reasons": [{"kind": "call", "text": "calls its models", "weight": 2.0}],
                }
                for i, name in enumerate(names)
                if f"site.{name}.api" in {n["id"] for n in nodes}
            },
            "skipped": [],
        }
    )
    document["metrics"] = {  # a mixed result: less coupling and cleaner data, lower modularity
        "proposed": {
            "modularity": 0.55,
            "sm": 0.02,
            "icp": 0.22,
            "ifn": 3.1,
            "ned": 0.1,
            "data_purity": 0.91,
            "shared_write_tables": 1,
            "cross_service_edges": 140,
            "cross_service_weight": 480.0,
            "services": count,
        },
        "as_is": {
            "modularity": 0.58,
            "sm": 0.03,
            "icp": 0.24,
            "ifn": 2.8,
            "ned": 0.3,
            "data_purity": 0.86,
            "shared_write_tables": 3,
            "cross_service_edges": 150,
            "cross_service_weight": 470.0,
            "services": count - 4,
        },
    }
    return document
