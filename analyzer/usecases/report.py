"""``seams report``: draw report.html again from a decomposition.json, without analysing."""

from __future__ import annotations

from pathlib import Path

import jinja2

from analyzer.model.errors import SeamsError
from analyzer.usecases.analyze import prepare_output_dir
from reports.html import render_html
from reports.json_report import load_document


def redraw_report(decomposition: Path, output: Path | None) -> tuple[Path, str]:
    """Where the report goes (default: beside the JSON) and its HTML."""
    try:
        document = load_document(decomposition)
    except RecursionError:
        raise SeamsError(f"{decomposition} is not valid JSON (nested too deeply)") from None
    target = output or decomposition.with_name("report.html")
    if target.is_dir():
        target = target / "report.html"
    if target.exists() and target.resolve() == decomposition.resolve():
        raise SeamsError(f"the report would overwrite the decomposition it is made from: {target}")
    prepare_output_dir(target.parent)
    try:
        html = render_html(document)
    except (
        TypeError,
        ValueError,
        KeyError,
        AttributeError,
        IndexError,
        jinja2.TemplateError,
    ) as exc:
        raise SeamsError(
            f"{decomposition} is not a usable Seams decomposition: the report cannot be drawn "
            "from it (--debug shows where)"
        ) from exc
    return target, html
