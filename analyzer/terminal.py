"""Terminal output for the CLI: progress on stderr, the summary table on stdout."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, TaskID
    from rich.table import Table

# rich (and the report's wording) is imported where it is used: a check with nothing to show
# never loads it.

MARKS = {"better": "\u25b2 better", "worse": "\u25bc worse", "same": "\u2248 same"}


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")), soft_wrap=True)


def stdout_console() -> Console:
    from rich.console import Console

    return Console(no_color=bool(os.environ.get("NO_COLOR")), soft_wrap=True)


def _columns(total: int | None) -> list[ProgressColumn]:
    """A spinner and the stage; with a known size, a bar, counts, files/s and time left."""
    from rich import progress
    from rich.text import Text

    class Rate(progress.ProgressColumn):
        """Files per second, once rich has enough samples."""

        def render(self, task: progress.Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} files/s" if speed else "", style="progress.data.speed")

    columns: list[ProgressColumn] = [
        progress.SpinnerColumn(),
        progress.TextColumn("{task.description}"),
    ]
    if total is not None:
        columns += [progress.BarColumn(), progress.MofNCompleteColumn(), Rate()]
        columns.append(progress.TimeRemainingColumn())
    columns.append(progress.TimeElapsedColumn())
    return columns


class TerminalReporter:
    """rich progress on stderr when it is a terminal: a bar with files/s and time left for stages
    with a known size, a spinner for the others. A stage shows only once it has taken
    ``delay`` seconds, so quick runs stay quiet. ``on_step`` is called at every start and step
    (the command line looks there for interrupts the running code may have swallowed)."""

    def __init__(
        self,
        enabled: bool = True,
        delay: float = 1.0,
        on_step: Callable[[], None] | None = None,
    ) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.delay = delay
        self._on_step = on_step
        self._lock = threading.Lock()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._timer: threading.Timer | None = None

    def start(self, stage: str, total: int | None = None) -> None:
        if self._on_step is not None:
            self._on_step()
        if not self.enabled:
            return
        self.done()
        from rich.progress import Progress

        columns = _columns(total)
        with self._lock:
            self._progress = Progress(*columns, console=stderr_console(), transient=True)
            self._task = self._progress.add_task(stage, total=total)
            self._timer = threading.Timer(self.delay, self._show, args=(self._progress,))
            self._timer.daemon = True
            self._timer.start()

    def _show(self, progress: Progress) -> None:
        with self._lock:
            if progress is self._progress:
                progress.start()

    def advance(self, amount: int = 1) -> None:
        progress, task = self._progress, self._task
        if progress is not None and task is not None:
            progress.advance(task, amount)
        if self._on_step is not None:
            self._on_step()

    def done(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if self._progress is not None:
                self._progress.stop()
            self._progress, self._task, self._timer = None, None, None


def print_summary(document: dict[str, Any], out_dir: Path, path: Path | None = None) -> None:
    """The proposal (counted as in every other output), its metrics next to today's layout with
    which is better, the verdict, and the commands that come next."""
    from rich.table import Table

    from reports.counts import count, headline
    from reports.keep_cuts import COMMANDS
    from reports.splitting import describe_splitting
    from reports.verdict import judge

    console = stdout_console()
    table = Table(title=f"Proposed: {headline(count(document))}", title_justify="left")
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
    splitting = describe_splitting(document)
    if splitting is not None:
        if splitting.headline:
            console.print(f"{splitting.headline}.", markup=False, highlight=False)
        for sentence in splitting.sentences:
            console.print(f"  {sentence}", markup=False, highlight=False)
    console.print(_metrics_table(document))
    verdict = judge(document)
    console.print(f"Verdict: {verdict.title}.", markup=False, highlight=False)
    for line in verdict.lines():
        console.print(f"  {line}", markup=False, highlight=False)
    if document["skipped"]:
        aside = sum(1 for s in document["skipped"] if s.get("role"))
        detail = (
            f" ({aside} set aside as test, development, demo or fake-data code;"
            " --include-tests analyzes them)"
            if aside
            else ""
        )
        console.print(
            f"{len(document['skipped'])} file(s) skipped{detail}: see decomposition.json",
            markup=False,
            highlight=False,
        )
    console.print(
        "wrote "
        + ", ".join(str(out_dir / n) for n in ("report.html", "decomposition.json", "summary.md")),
        markup=False,
        highlight=False,
    )
    target = str(path) if path is not None else "PATH"
    steps = "; then ".join(c.replace(" .", f" {target}", 1) for c, _ in COMMANDS)
    console.print(f"To keep the cuts: {steps} in CI.", markup=False, highlight=False)


def _metrics_table(document: dict[str, Any]) -> Table:
    from rich.table import Table

    from reports.metric_info import METRICS, format_metric
    from reports.verdict import mark

    proposed = document["metrics"]["proposed"]
    as_is = document["metrics"]["as_is"]
    metrics = Table(title="The proposal next to today's layout", title_justify="left")
    metrics.add_column("metric")
    metrics.add_column("proposed", justify="right")
    metrics.add_column("today", justify="right")
    metrics.add_column("")
    for info in METRICS:
        if info.key not in proposed and info.key not in as_is:
            continue
        label = f"{info.label} ({info.better} is better)" if info.better else info.label
        change = mark(info.key, proposed.get(info.key), as_is.get(info.key))
        metrics.add_row(
            label,
            format_metric(proposed.get(info.key)),
            format_metric(as_is.get(info.key)),
            MARKS.get(change, ""),
        )
    return metrics


def print_notes(notes: Iterable[str]) -> None:
    notes = list(notes)
    if not notes:
        return
    console = stderr_console()
    for note in notes:
        console.print(f"seams: note: {note}", markup=False, highlight=False)


def print_timings(stages: dict[str, float], memory: dict[str, tuple[int, int]]) -> None:
    """Wall time per stage, and the peak memory reached by the end of each stage."""
    from rich.table import Table

    console = stderr_console()
    table = Table(title="timings", title_justify="left", box=None, pad_edge=False)
    for header in ("stage", "wall", "peak RSS (seams)", "peak RSS (largest child)"):
        table.add_column(header, justify="left" if header == "stage" else "right")
    for stage, seconds in stages.items():
        own, child = memory.get(stage, (0, 0))
        table.add_row(stage, f"{seconds:.2f} s", _mb(own), _mb(child) if child else "-")
    own = max((m[0] for m in memory.values()), default=0)
    child = max((m[1] for m in memory.values()), default=0)
    table.add_row("total", f"{sum(stages.values()):.2f} s", _mb(own), _mb(child) if child else "-")
    console.print(table)


def _mb(value: int) -> str:
    return f"{value / 2**20:,.0f} MB" if value else "n/a"
