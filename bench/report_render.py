"""How fast the HTML report renders and becomes interactive on a large code base.

Generates a decomposition document of N modules and E edges (default 2,000 / 10,000, 12 services,
with tables, data sites and explanations), renders report.html, loads it over file:// in headless
Chromium and prints medians of several runs:

  render       Python: layout + template
  size         report.html in bytes (and gzipped)
  interactive  browser: navigation start -> the report's script has wired every handler
  load         browser: navigation start -> end of the load event
  zoom, click  browser: one wheel step / a click on a service, until the next frame

    PYTHONPATH=$PWD python3 bench/report_render.py [--modules 2000] [--edges 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports.html import render_html  # noqa: E402

KINDS = ("import", "call", "inheritance", "data", "cochange")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def generate(modules: int, edges: int, services: int, seed: int = 0) -> dict[str, Any]:
    """A realistic-looking document: packages per service, most edges inside a service."""
    rng = random.Random(seed)
    names = [f"svc{s}" for s in range(services)]
    module_service = {}
    nodes = []
    for i in range(modules):
        s = i % services
        module = f"app{s}.pkg{i % 7}.mod{i}"
        module_service[module] = names[s]
        nodes.append(
            {
                "id": module,
                "kind": "module",
                "module": module,
                "service": names[s],
                "loc": int(rng.lognormvariate(4.5, 1.0)),
                "path": module.replace(".", "/") + ".py",
                "line": 1,
            }
        )
    tables = {}
    for t in range(modules // 20):
        s = t % services
        writers = [names[s]] + ([names[(s + 1) % services]] if t % 9 == 0 else [])
        tables[f"app{s}_table{t}"] = {
            "owner": names[s],
            "writers": writers,
            "readers": sorted({names[rng.randrange(services)] for _ in range(2)}),
            "models": [f"app{s}.pkg0.mod{s}:Model{t}"],
            "sites": [
                {"file": f"app{s}/pkg0/mod{s}.py", "line": 10 + k, "mode": "write"}
                for k in range(3)
            ],
        }
        nodes.append(
            {
                "id": f"table::app{s}_table{t}",
                "kind": "table",
                "module": "",
                "service": names[s],
                "loc": 0,
            }
        )
    ids = [n["id"] for n in nodes if n["kind"] == "module"]
    by_service: dict[str, list[str]] = defaultdict(list)
    for ident in ids:
        by_service[module_service[ident]].append(ident)
    pairs: dict[tuple[str, str], dict[str, int]] = {}
    while len(pairs) < edges:
        source = rng.choice(ids)
        pool = by_service[module_service[source]] if rng.random() < 0.85 else ids
        target = rng.choice(pool)
        if target != source:
            pairs.setdefault((source, target), {rng.choice(KINDS[:3]): rng.randint(1, 4)})
    graph_edges = [
        {"source": a, "target": b, "weight": float(sum(k.values())), "kinds": k}
        for (a, b), k in sorted(pairs.items())
    ]
    return _document(names, module_service, nodes, graph_edges, tables)


def _document(
    names: list[str],
    module_service: dict[str, str],
    nodes: list[dict[str, Any]],
    graph_edges: list[dict[str, Any]],
    tables: dict[str, Any],
) -> dict[str, Any]:
    deps: dict[tuple[str, str], dict[str, Any]] = {}
    for e in graph_edges:
        a, b = module_service[e["source"]], module_service[e["target"]]
        if a == b:
            continue
        dep = deps.setdefault(
            (a, b), {"from": a, "to": b, "weight": 0.0, "kinds": {}, "examples": []}
        )
        dep["weight"] += e["weight"]
        for k, v in e["kinds"].items():
            dep["kinds"][k] = dep["kinds"].get(k, 0) + v
        if len(dep["examples"]) < 5:
            dep["examples"].append(
                {
                    "file": e["source"].replace(".", "/") + ".py",
                    "line": 3,
                    "target": e["target"],
                    "kind": "import",
                }
            )
    crossing = [
        e for e in graph_edges if module_service[e["source"]] != module_service[e["target"]]
    ]
    crossing.sort(key=lambda e: (-e["weight"], e["source"], e["target"]))
    metrics = {
        "modularity": 0.61,
        "sm": 0.01,
        "icp": 0.2,
        "ifn": 4.5,
        "ned": 0.1,
        "data_purity": 0.9,
        "shared_write_tables": 3,
        "cross_service_edges": len(crossing),
        "cross_service_weight": 1234.5,
        "services": len(names),
    }
    explanations = {
        n["id"]: {
            "service": n["service"],
            "runner_up": names[0],
            "own_weight": 9.0,
            "runner_up_weight": 3.0,
            "reasons": [
                {
                    "kind": "call",
                    "text": f"calls 4 symbols of {n['service']}",
                    "service": n["service"],
                    "weight": 6.0,
                }
            ],
        }
        for n in nodes
        if n["kind"] == "module"
    }
    return {
        "schema": "seams/decomposition@1",
        "tool_version": "bench",
        "parameters": {"granularity": "module", "services": "auto", "seed": 0, "weights": {}},
        "services": [
            {
                "name": s,
                "kind": "service",
                "modules": sorted(m for m, v in module_service.items() if v == s),
                "symbols": [],
                "tables_owned": sorted(t for t, i in tables.items() if i["owner"] == s),
                "loc": sum(n["loc"] for n in nodes if n["service"] == s),
            }
            for s in names
        ],
        "modules": dict(sorted(module_service.items())),
        "symbols": {},
        "split_modules": {},
        "tables": tables,
        "dependencies": sorted(deps.values(), key=lambda d: -d["weight"]),
        "cuts": [
            {
                "from": module_service[e["source"]],
                "to": module_service[e["target"]],
                "source": e["source"],
                "target": e["target"],
                "weight": e["weight"],
                "kinds": e["kinds"],
                "examples": [],
            }
            for e in crossing[:300]
        ],
        "metrics": {"proposed": metrics, "as_is": dict(metrics, modularity=0.3)},
        "skipped": [],
        "graph": {"granularity": "module", "nodes": nodes, "edges": graph_edges},
        "explanations": explanations,
    }


CLICK_SERVICE = """() => {
  const start = performance.now();
  document.querySelector('circle.region').dispatchEvent(new MouseEvent('click', {bubbles: true}));
  return new Promise(done => requestAnimationFrame(() => done(performance.now() - start)));
}"""
ZOOM_STEP = """() => {
  const map = document.getElementById('service-map'), box = map.getBoundingClientRect();
  const start = performance.now();
  map.dispatchEvent(new WheelEvent('wheel', {deltaY: -200, bubbles: true, cancelable: true,
    clientX: box.left + box.width / 2, clientY: box.top + box.height / 2}));
  return new Promise(done => requestAnimationFrame(() => done(performance.now() - start)));
}"""


def measure_browser(path: Path, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, list[float]] = defaultdict(list)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(path.as_uri())  # returns after the load event; the script runs before
            figures["interactive"].append(page.evaluate("window.seamsReadyAt"))
            figures["load"].append(
                page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            )
            figures["zoom"].append(page.evaluate(ZOOM_STEP))
            figures["click"].append(page.evaluate(CLICK_SERVICE))
            page.close()
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=10000)
    parser.add_argument("--services", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Also write the report here.")
    args = parser.parse_args()
    document = generate(args.modules, args.edges, args.services)
    renders = []
    html = ""
    for _ in range(args.runs):
        start = time.perf_counter()
        html = render_html(document)
        renders.append(time.perf_counter() - start)
    data = html.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.html"
        path.write_bytes(data)
        if args.keep:
            args.keep.write_bytes(data)
        figures = measure_browser(path, args.runs)
    print(f"document: {args.modules} modules, {args.edges} edges, {args.services} services")
    _line("render (python)", [r * 1000 for r in renders])
    print(f"{'report.html':<24}{len(data):,} bytes, {len(gzip.compress(data)):,} gzipped")
    _line("time to interactive", figures["interactive"])
    _line("load event", figures["load"])
    _line("zoom step to next frame", figures["zoom"])
    _line("click a service", figures["click"])


def _line(label: str, values: list[float]) -> None:
    runs = ", ".join(f"{v:.0f}" for v in values)
    print(f"{label:<24}median {statistics.median(values):,.0f} ms  (runs: {runs})")


if __name__ == "__main__":
    main()
