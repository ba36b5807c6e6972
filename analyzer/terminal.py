"""Terminal output for the CLI: progress on stderr, the summary table on stdout."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table


def stderr_console() -> Console:
    return Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")), soft_wrap=True)


def stdout_console() -> Console:
    return Console(no_color=bool(os.environ.get("NO_COLOR")), soft_wrap=True)


class TerminalReporter:
    """rich progress bars on stderr when it is a terminal; silent otherwise."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Progress | None = None
        self._task: Any = None

    def start(self, stage: str, total: int | None = None) -> None:
        if not self.enabled:
            return
        self.done()
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=stderr_console(),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(stage, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, amount)

    def done(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def print_summary(document: dict[str, Any], out_dir: Path) -> None:
    console = stdout_console()
    table = Table(title=f"{len(document['services'])} proposed services", title_justify="left")
    table.add_column("service")
    table.add_column("kind")
    table.add_column("modules", justify="right")
    table.add_column("lines", justify="right")
    table.add_column("tables", justify="right")
    for s in document["services"]:
        table.add_row(
            s["name"],
            s["kind"],
            str(len(s["modules"])),
            f"{s['loc']:,}",
            str(len(s["tables_owned"])),
        )
    console.print(table)
    proposed = document["metrics"]["proposed"]
    as_is = document["metrics"]["as_is"]
    metrics = Table(title="proposal vs as-is", title_justify="left")
    metrics.add_column("metric")
    metrics.add_column("proposed", justify="right")
    metrics.add_column("as-is", justify="right")
    for key in ("modularity", "icp", "data_purity", "cross_service_edges", "services"):
        metrics.add_row(key, _fmt(proposed.get(key)), _fmt(as_is.get(key)))
    console.print(metrics)
    if document["skipped"]:
        console.print(f"{len(document['skipped'])} file(s) skipped: see decomposition.json")
    console.print(
        "wrote "
        + ", ".join(str(out_dir / n) for n in ("report.html", "decomposition.json", "summary.md")),
        markup=False,
        highlight=False,
    )


def print_timings(stages: dict[str, float]) -> None:
    console = stderr_console()
    for stage, seconds in stages.items():
        console.print(f"{stage:>10}: {seconds:7.2f} s", markup=False, highlight=False)


def _fmt(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
