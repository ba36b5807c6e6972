"""report.html: one self-contained file (no external URL, a CSP that blocks every fetch).

Rendered from the decomposition document alone, so ``seams report decomposition.json`` gives the
same page as ``seams analyze``. Everything is readable without JavaScript (a static SVG map and
tables); the script adds pan/zoom, drill-down, search and sorting. Names from the analyzed code
are autoescaped; the map's data is embedded with ``tojson`` in a ``application/json`` block.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any

import jinja2

from reports.api_surface import public_api
from reports.cards import dependency_matrix, service_cards, splits
from reports.close_calls import close_calls
from reports.compiled import template_cache
from reports.cost import cost_view
from reports.counts import count, proposal_phrase
from reports.crossings import library_uses, service_cuts, service_dependencies
from reports.first_steps import first_steps
from reports.keep_cuts import CI_FILE, CI_RECIPE, COMMANDS
from reports.kinds import document_kinds, kind_label
from reports.metric_info import METRICS, format_metric
from reports.ownership import table_rows
from reports.parameters import describe_parameters
from reports.plan import extraction_plan
from reports.search import describe_search
from reports.service_map import Drawn, build_service_map
from reports.splitting import describe_splitting
from reports.verdict import judge, mark

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


@functools.cache
def _environment() -> jinja2.Environment:
    """One environment per process: it keeps each template once compiled."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_cache(),
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "separators": (",", ":")}
    env.filters["metric"] = format_metric
    env.filters["num"] = _number
    env.filters["kind_label"] = kind_label
    return env


def prepare_html() -> None:
    """Compile every template of the report now (about 0.2 s, unless ``compiled`` has them), so
    that rendering does not."""
    env = _environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 1 else f"{value:.2f}"


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
            "verdict": mark(info.key, proposed.get(info.key), as_is.get(info.key)),
        }
        for info in METRICS
        if info.key in proposed or info.key in as_is
    ]


def render_html(document: dict[str, Any], drawn: Drawn | None = None) -> str:
    """The report; ``drawn``, the map's layout when it was computed ahead (``draw_map``)."""
    services = [str(s["name"]) for s in document.get("services", [])]
    service_map = build_service_map(document, drawn=drawn)
    colours = [s.colour for s in service_map.services]
    api = public_api(document)
    tables = table_rows(document)
    plan = extraction_plan(document, api, tables)
    close = close_calls(document)
    verdict_ = judge(document)
    counts = count(document)
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=document,
        params=describe_parameters(document.get("parameters") or {}),
        granularity=(document.get("parameters") or {}).get("granularity", "module"),
        metric_rows=_metric_rows(document),
        metrics=METRICS,
        csp=CSP,
        css=_static("report.css"),
        js=_static("report.js"),
        counts=counts,
        proposal=proposal_phrase(counts),
        shared=[s for s in document.get("services", []) if s.get("kind") == "shared-library"],
        verdict=verdict_,
        search=describe_search(document),
        splitting=describe_splitting(document),
        steps=first_steps(document, verdict_, plan, tables, close),
        commands=COMMANDS,
        ci_recipe=CI_RECIPE,
        ci_file=CI_FILE,
        map=service_map,
        cards=service_cards(document, colours, api, tables),
        matrix=dependency_matrix(document, services),
        kinds=document_kinds(document),
        tables=tables,
        plan=plan,
        splits=splits(document, services),
        cuts=service_cuts(document),
        library_cuts=len(document.get("cuts") or []) - len(service_cuts(document)),
        between=service_dependencies(document),
        library_uses=library_uses(document),
        close=close,
        cost=cost_view(document),
        explained=len(document.get("explanations") or {}),
    )
