"""``seams analyze``: propose services, and the three outputs that present the proposal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.forked import Forked
from analyzer.model.errors import SeamsError
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import Reporter
from analyzer.pipeline import Timings, analyze, background
from reports.html import prepare_html, render_html
from reports.json_report import dumps
from reports.markdown import render_markdown
from reports.service_map import Drawn, draw_map


@dataclass(frozen=True, slots=True)
class Analyzed:
    """The proposal, its outputs (path -> text) and what the run has to say."""

    document: dict[str, Any]
    outputs: dict[Path, str]
    notes: tuple[str, ...]
    timings: Timings


def prepare_output_dir(out_dir: Path) -> None:
    """Create ``out_dir`` (and its parents) unless it cannot be one."""
    if out_dir.exists() and not out_dir.is_dir():
        raise SeamsError(f"output path exists and is not a directory: {out_dir}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise SeamsError(
            f"cannot create output directory {out_dir}: a parent is not a directory"
        ) from None
    except OSError as exc:
        raise SeamsError(
            f"cannot create output directory {out_dir}: {exc.strerror or exc}"
        ) from None


def analyze_project(
    path: Path,
    options: AnalyzeOptions,
    out_dir: Path,
    reporter: Reporter,
    cache: Path | None,
) -> Analyzed:
    """Analyze ``path`` and render report.html, decomposition.json and summary.md for
    ``out_dir`` (created here; the outputs are left to the caller to write)."""
    if not path.exists():
        raise SeamsError(f"path does not exist: {path}")
    prepare_output_dir(out_dir)
    html: list[Forked[str]] = []
    drawn: list[Drawn] = []
    forking = background(options)

    def sketch(draft: dict[str, Any]) -> None:
        # The map's layout, from a draft of the document, while forked processes finish the
        # stability figures and the cost of the cut.
        drawn.append(draw_map(draft))

    def draw(document: dict[str, Any]) -> None:
        # On a second core, the HTML report (the slowest output) is drawn while this process
        # caches the document and renders the other outputs.
        html.append(Forked(render_html, document, drawn[0] if drawn else None, enabled=forking))

    try:
        # the report's templates are compiled while parser processes start, if they do
        result = analyze(
            path,
            options,
            reporter,
            cache,
            on_document=draw,
            meanwhile=prepare_html,
            on_draft=sketch if forking else None,
        )
    finally:
        reporter.done()  # an interrupted run must not leave a progress bar behind its message
    document = result.document
    with result.timings.stage("render"):
        outputs = {
            out_dir / "decomposition.json": dumps(document),
            out_dir / "summary.md": render_markdown(document),
            out_dir / "report.html": html[0].result(),
        }
    return Analyzed(document, outputs, result.scan.notes, result.timings)
