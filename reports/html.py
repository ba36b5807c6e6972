"""report.html: one self-contained file (no external URL, a CSP that blocks every fetch)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2

from reports.metric_info import METRICS, format_metric, verdict

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["metric"] = format_metric
    return env


def _static(name: str) -> str:
    return resources.files("reports").joinpath(f"static/{name}").read_text("utf-8")


def render_html(document: dict[str, Any]) -> str:
    metrics = document.get("metrics", {})
    proposed, as_is = metrics.get("proposed", {}), metrics.get("as_is", {})
    rows = [
        {
            "info": info,
            "proposed": proposed.get(info.key),
            "as_is": as_is.get(info.key),
            "verdict": verdict(info.key, proposed.get(info.key), as_is.get(info.key)),
        }
        for info in METRICS
        if info.key in proposed or info.key in as_is
    ]
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=document,
        metric_rows=rows,
        csp=CSP,
        css=_static("report.css"),
        js=_static("report.js"),
        total_loc=sum(s.get("loc", 0) for s in document["services"]),
    )
