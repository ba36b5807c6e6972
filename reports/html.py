"""report.html: one self-contained file (no external URL, a CSP that blocks every fetch).

Rendered from the decomposition document alone, so ``seams report decomposition.json`` gives the
same page as ``seams analyze``. Everything is readable without JavaScript (a static SVG map and
tables); the script adds pan/zoom, drill-down, search and sorting. Names from the analyzed code
are autoescaped; the map's data is embedded with ``tojson`` in a ``application/json`` block.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

import jinja2

from reports.api_surface import public_api
from reports.cards import dependency_matrix, service_cards, splits
from reports.metric_info import METRICS, format_metric, verdict
from reports.ownership import table_rows
from reports.plan import extraction_plan
from reports.service_map import KINDS, build_service_map

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
BORDERLINE_SHOWN = 30


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "separators": (",", ":")}
    env.filters["metric"] = format_metric
    env.filters["num"] = _number
    env.filters["describe"] = _describe
    return env


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 1 else f"{value:.2f}"


def _describe(value: object) -> str:
    """A parameter value in one line: mappings as ``k=v``, lists joined by commas."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_describe(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list | tuple):
        return ", ".join(_describe(v) for v in value) or "none"
    return str(value)


def _static(name: str) -> str:
    return resources.files("reports").joinpath(f"static/{name}").read_text("utf-8")


def _metric_rows(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    metrics = document.get("metrics") or {}
    proposed, as_is = metrics.get("proposed") or {}, metrics.get("as_is") or {}
    return [
        {
            "info": info,
            "proposed": proposed.get(info.key),
            "as_is": as_is.get(info.key),
            "verdict": verdict(info.key, proposed.get(info.key), as_is.get(info.key)),
        }
        for info in METRICS
        if info.key in proposed or info.key in as_is
    ]


def _borderline(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Units whose runner-up service came closest: where a person's judgement matters most.
    Code set aside as a shared library (or pulled towards it) is left out: that is a choice
    between a service and a library, not between two services."""
    shared = {s.get("name") for s in document.get("services", []) if s.get("kind") != "service"}
    rows = []
    for unit, e in (document.get("explanations") or {}).items():
        if not isinstance(e, Mapping) or not e.get("runner_up"):
            continue
        if e.get("service") in shared or e.get("runner_up") in shared:
            continue
        own = float(e.get("own_weight") or 0)
        runner = float(e.get("runner_up_weight") or 0)
        reasons = [r for r in e.get("reasons") or [] if isinstance(r, Mapping)]
        rows.append(
            {
                "unit": unit,
                "service": e.get("service", ""),
                "runner_up": e["runner_up"],
                "own": own,
                "runner": runner,
                "margin": (own - runner) / own if own > 0 else 0.0,
                "reason": str(reasons[0].get("text", "")) if reasons else "",
            }
        )
    rows.sort(key=lambda r: (r["margin"], r["unit"]))
    return rows[:BORDERLINE_SHOWN]


def render_html(document: dict[str, Any]) -> str:
    services = [str(s["name"]) for s in document.get("services", [])]
    service_map = build_service_map(document)
    colours = [s.colour for s in service_map.services]
    api = public_api(document)
    tables = table_rows(document)
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=document,
        params=document.get("parameters") or {},
        metric_rows=_metric_rows(document),
        metrics=METRICS,
        csp=CSP,
        css=_static("report.css"),
        js=_static("report.js"),
        total_loc=sum(int(s.get("loc", 0)) for s in document.get("services", [])),
        service_count=sum(1 for s in document.get("services", []) if s.get("kind") == "service"),
        shared=[s for s in document.get("services", []) if s.get("kind") == "shared-library"],
        map=service_map,
        cards=service_cards(document, colours, api, tables),
        matrix=dependency_matrix(document, services),
        kinds=KINDS,
        tables=tables,
        plan=extraction_plan(document, api, tables),
        splits=splits(document, services),
        cuts=document.get("cuts") or [],
        borderline=_borderline(document),
        explained=len(document.get("explanations") or {}),
    )
