"""Owners a person would name, and code roles, on real monoliths (automatic mode).

For each corpus, analyzes its code root as ``seams analyze`` does by default (automatic service
count, no git history) and checks:

- **owners**: each listed table is owned by the service holding its model (the model's class,
  and so the module defining it unless clustering split that module: both are printed), whatever
  the clustering made of the model's package (the services holding it are printed beside);
- **roles**: the listed test, development, demo and fake-data modules are in no service and are
  in ``skipped`` with the expected role; the maintenance commands that are product code stay;
- **today's layout**: the tables the ownership rule takes from the package defining their
  model when the code is cut along today's packages (listed, for a person to judge).

    python bench/owners.py [CORPUS ...]        (default: saleor misago misago-tree)

Prints a table per corpus and writes bench/results/owners.json and bench/results/owners.md.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.collect import Collected  # noqa: E402
from analyzer.design.data.ownership import assign_ownership  # noqa: E402
from analyzer.design.evaluate.asis import as_is_units, layout_clusters  # noqa: E402
from analyzer.designing import uses_django  # noqa: E402
from analyzer.model.options import AnalyzeOptions  # noqa: E402
from analyzer.pipeline import analyze  # noqa: E402

CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class Corpus:
    """Where its code is, the tables to check (table -> the package defining its model), the
    modules that must be set aside (module prefix -> role) and the commands that must stay."""

    root: str
    tables: dict[str, str]
    set_aside: dict[str, str] = field(default_factory=dict)
    kept: tuple[str, ...] = ()


CORPUS = {
    "saleor": Corpus(
        "saleor/saleor",
        {
            "product_product": "saleor.product",
            "page_page": "saleor.page",
            "payment_payment": "saleor.payment",
            "webhook_webhook": "saleor.webhook",
        },
        {
            "saleor.core.management.commands.cleardb": "dev",
            "saleor.core.management.commands.populatedb": "fake-data",
            "saleor.demo": "demo",
        },
        (
            "saleor.core.management.commands.create_thumbnails",
            "saleor.core.utils.random_data",
            "saleor.core.utils.anonymization",
        ),
    ),
    "misago": Corpus(
        "misago/misago",
        {
            "misago_threads_thread": "misago.threads",
            "misago_threads_post": "misago.threads",
            "misago_users_user": "misago.users",
        },
        {
            "misago.faker": "fake-data",
            "misago.core.testproject": "test",
            "misago.threads.test": "test",
            "misago.users.test": "test",
        },
        (
            "misago.notifications.management.commands.clearnotifications",
            "misago.readtracker.management.commands.clearreadtracker",
        ),
    ),
}
# The whole of misago's tree: its development project (settings, URLs, WSGI, Celery) beside the
# product package.
CORPUS["misago-tree"] = Corpus(
    "misago",
    CORPUS["misago"].tables,
    {**CORPUS["misago"].set_aside, "devproject": "dev"},
    CORPUS["misago"].kept,
)


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def check_owners(document: dict[str, Any], corpus: Corpus) -> list[dict[str, Any]]:
    modules = document["modules"]
    rows = []
    for table, package in corpus.tables.items():
        entry = document["tables"].get(table)
        if entry is None:
            rows.append({"table": table, "ok": False, "note": "table not found"})
            continue
        model = entry["models"][0] if entry["models"] else ""
        module = model.split(":", 1)[0]
        holding = Counter(s for m, s in modules.items() if _under(m, package))
        rows.append(
            {
                "table": table,
                "owner": entry["owner"],
                "owner_reason": entry.get("owner_reason"),
                "model": model,
                "model_service": document["symbols"].get(model),
                "module_service": modules.get(module),
                "package_services": dict(holding.most_common()),
                "writing_units": entry.get("writing_units", {}),
                "ok": bool(model)
                and _under(module, package)
                and entry["owner"] == document["symbols"].get(model),
            }
        )
    return rows


def check_roles(document: dict[str, Any], corpus: Corpus) -> list[dict[str, Any]]:
    modules = document["modules"]
    skipped = {s["path"]: s for s in document["skipped"]}
    roles_by_module = _roles_by_module(document)
    rows = []
    for prefix, role in corpus.set_aside.items():
        in_services = sorted(m for m in modules if _under(m, prefix))
        found = {m: r for m, r in roles_by_module.items() if _under(m, prefix)}
        rows.append(
            {
                "modules": prefix,
                "expected": role,
                "set_aside": len(found),
                "roles": sorted(set(found.values())),
                "in_services": in_services,
                "ok": bool(found) and not in_services and set(found.values()) == {role},
            }
        )
    for module in corpus.kept:
        rows.append(
            {
                "modules": module,
                "expected": "product",
                "in_services": [module] if module in modules else [],
                "ok": module in modules,
            }
        )
    rows.append({"skipped_with_role": sum(1 for s in skipped.values() if "role" in s)})
    return rows


def _roles_by_module(document: dict[str, Any]) -> dict[str, str]:
    return {s["module"]: s["role"] for s in document["skipped"] if "role" in s}


def todays_layout(collected: Collected) -> list[dict[str, Any]]:
    """Tables owned, when cut along today's packages, by another package than their model's."""
    units = as_is_units(collected.discovery.files, django=uses_django(collected.files))
    names, clusters = layout_clusters(collected.files, units)
    node_of = {node: node for members in clusters for node in members}
    ownership = assign_ownership(collected.data, node_of, clusters)
    return [
        {
            "table": t.table,
            "owner": names[t.owner] if t.owner is not None else None,
            "model_package": names[t.home] if t.home is not None else None,
            "writing_units": {names[i]: n for i, n in t.units},
        }
        for t in ownership.tables
        if t.reason == "writes"
    ]


def run(name: str, corpus: Corpus) -> dict[str, Any]:
    root = CORPORA / corpus.root
    if not root.is_dir():
        return {"corpus": name, "error": f"{root} not found (see /work/shared/corpora/fetch.sh)"}
    with tempfile.TemporaryDirectory(prefix="seams-owners-") as cache:
        start = time.perf_counter()
        analysis = analyze(root, AnalyzeOptions(git=False), cache_dir=Path(cache))
        took = time.perf_counter() - start
    document = analysis.document
    assert analysis.collected is not None
    return {
        "corpus": name,
        "seconds": round(took, 1),
        "services": [s["name"] for s in document["services"]],
        "owners": check_owners(document, corpus),
        "roles": check_roles(document, corpus),
        "moved_today": todays_layout(analysis.collected),
    }


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Owners and code roles on real monoliths",
        "",
        "Produced by `python bench/owners.py`.",
    ]
    for r in results:
        lines += ["", f"## {r['corpus']}", ""]
        if "error" in r:
            lines.append(r["error"])
            continue
        lines += [f"{len(r['services'])} services in automatic mode ({r['seconds']} s).", ""]
        lines += [
            "| table | owner | why | model (its service; its module's)"
            " | package's services (modules) | ok |"
        ]
        lines += ["|---|---|---|---|---|---|"]
        for o in r["owners"]:
            spread = ", ".join(f"{s} {n}" for s, n in o.get("package_services", {}).items())
            lines.append(
                f"| `{o['table']}` | {o.get('owner')} | {o.get('owner_reason')} | "
                f"`{o.get('model')}` ({o.get('model_service')}; {o.get('module_service')}) | "
                f"{spread} | {'yes' if o['ok'] else 'NO'} |"
            )
        lines += ["", "| modules | expected role | set aside | in services | ok |"]
        lines += ["|---|---|---|---|---|"]
        for c in r["roles"]:
            if "skipped_with_role" in c:
                continue
            lines.append(
                f"| `{c['modules']}` | {c['expected']} | {c.get('set_aside', '-')} | "
                f"{len(c['in_services'])} | {'yes' if c['ok'] else 'NO'} |"
            )
        moved = r["moved_today"]
        lines += ["", f"Under today's layout, {len(moved)} table(s) move to their writers:"]
        lines += [
            f"- `{m['table']}`: {m['model_package']} -> {m['owner']} ({m['writing_units']})"
            for m in moved
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    names = sys.argv[1:] or list(CORPUS)
    results = []
    for name in names:
        if name not in CORPUS:
            sys.exit(f"unknown corpus {name!r} (known: {', '.join(CORPUS)})")
        result = run(name, CORPUS[name])
        results.append(result)
        if "error" in result:
            print(result["error"])
            continue
        print(f"== {name}: {len(result['services'])} services ({result['seconds']} s)")
        for o in result["owners"]:
            print(
                f"  {'ok ' if o['ok'] else 'NO '} {o['table']}: owner {o.get('owner')} "
                f"({o.get('owner_reason')}); {o.get('model')} is in {o.get('model_service')} "
                f"(its module in {o.get('module_service')}); package in "
                f"{o.get('package_services')}"
            )
        for c in result["roles"]:
            if "skipped_with_role" in c:
                print(f"  {c['skipped_with_role']} skipped entries with a role")
            else:
                print(
                    f"  {'ok ' if c['ok'] else 'NO '} {c['modules']}: expected {c['expected']}, "
                    f"set aside {c.get('set_aside', '-')} {c.get('roles', '')}, "
                    f"in services {len(c['in_services'])}"
                )
        for m in result["moved_today"]:
            print(f"  today's layout: {m['table']} {m['model_package']} -> {m['owner']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "owners.json").write_text(json.dumps(results, indent=1) + "\n")
    (RESULTS / "owners.md").write_text(markdown(results))
    print(f"wrote {RESULTS / 'owners.json'} and {RESULTS / 'owners.md'}")
    if not all(o["ok"] for r in results for o in r.get("owners", [])):
        sys.exit(1)


if __name__ == "__main__":
    main()
