"""The ``seams`` command: the composition root. Each command parses options, calls the pipeline
and the renderers, writes outputs, and returns an exit code; only ``main`` exits.

Exit codes: 0 success, 1 check found violations, 2 usage/configuration/input error, 130 interrupted.
"""

from __future__ import annotations

import signal
import sys
import traceback
import webbrowser
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import click

from analyzer import __version__
from analyzer.config import load_config
from analyzer.extract.cache import CACHE_DIRNAME
from analyzer.model.config import SeamsConfig
from analyzer.model.errors import SeamsError
from analyzer.model.options import AnalyzeOptions, Weights
from analyzer.pipeline import analyze
from analyzer.terminal import (
    TerminalReporter,
    print_notes,
    print_summary,
    print_timings,
    stderr_console,
)
from reports.files import write_atomic
from reports.html import render_html
from reports.json_report import dumps, load_document
from reports.markdown import render_markdown

DEFAULT_OUT = Path("seams-report")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="seams")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Find where a Python monolith can be cut into services, and keep the cuts honest in CI."""
    ctx.ensure_object(dict).update({"debug": debug, "quiet": quiet})


def _set_flag(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.ensure_object(dict)[param.name or ""] = True
    return value


def common_options(command: Any) -> Any:
    """--debug and --quiet work before or after the command name."""
    command = click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=_set_flag,
        help="Show tracebacks for errors.",
    )(command)
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_flag,
        help="No progress output.",
    )(command)


def _services(value: str | None) -> int | str | None:
    if value is None:
        return "unset"
    if value == "auto":
        return None
    try:
        count = int(value)
    except ValueError:
        raise SeamsError(f"--services must be a positive number or 'auto', got {value!r}") from None
    if count < 1:
        raise SeamsError(f"--services must be a positive number or 'auto', got {value!r}")
    return count


def _options(config: SeamsConfig, flags: dict[str, Any]) -> AnalyzeOptions:
    """Command-line flags override the config file, which overrides the defaults."""
    defaults = AnalyzeOptions()
    services = _services(flags["services"])
    if services == "unset":
        services = config.services if not config.services_auto else None
    weights = config.weights or defaults.weights
    if flags["weights"]:
        weights = Weights.parse(flags["weights"], base=weights)
    return AnalyzeOptions(
        granularity=flags["granularity"] or config.granularity or defaults.granularity,
        services=services,  # type: ignore[arg-type]
        seed=flags["seed"] if flags["seed"] is not None else (config.seed or 0),
        weights=weights,
        excludes=(*config.exclude, *flags["exclude"]),
        include_tests=bool(flags["include_tests"] or config.include_tests),
        git=flags["git"]
        if flags["git"] is not None
        else (config.git if config.git is not None else True),
        jobs=flags["jobs"],
    )


def _prepare_output_dir(out_dir: Path) -> None:
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


@cli.command("analyze")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Directory for report.html, decomposition.json and summary.md.",
)
@click.option("--services", help="Number of services to propose, or 'auto'.")
@click.option(
    "--granularity",
    type=click.Choice(["module", "symbol"]),
    help="Cluster modules or top-level symbols.",
)
@click.option(
    "--weights", help="Coupling weights, e.g. import=1,call=1,inheritance=1,data=3,cochange=0.5."
)
@click.option("--exclude", multiple=True, help="Gitignore-style pattern to leave out (repeatable).")
@click.option("--include-tests", is_flag=True, default=None, help="Analyze tests too.")
@click.option("--git/--no-git", default=None, help="Use git history for co-change coupling.")
@click.option("--seed", type=click.IntRange(min=0), help="Random seed for clustering.")
@click.option(
    "--jobs", type=click.IntRange(min=0), default=0, help="Parser processes (0 = one per CPU)."
)
@click.option(
    "--config", "config_file", type=click.Path(path_type=Path), help="Configuration file."
)
@click.option("--open", "open_report", is_flag=True, help="Open the report in a browser when done.")
@click.option(
    "--timings", is_flag=True, help="Print wall time and peak memory per stage on stderr."
)
@click.option(
    "--no-cache", is_flag=True, help="Parse every file; neither read nor write the cache."
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    help="Where to keep parsed facts between runs (default: PATH/.seams-cache).",
)
@common_options
@click.pass_context
def analyze_command(
    ctx: click.Context,
    /,
    path: Path,
    out_dir: Path,
    config_file: Path | None,
    open_report: bool,
    timings: bool,
    no_cache: bool,
    cache_dir: Path | None,
    **flags: Any,
) -> int:
    """Analyze the code under PATH and propose services."""
    if not path.exists():
        raise SeamsError(f"path does not exist: {path}")
    config = load_config(path, config_file)
    options = _options(config, flags)
    _prepare_output_dir(out_dir)
    reporter = TerminalReporter(enabled=not ctx.obj["quiet"])
    result = analyze(
        path, options, reporter, None if no_cache else cache_dir or path / CACHE_DIRNAME
    )
    print_notes(result.scan.notes)
    document = result.document
    with result.timings.stage("render"):
        write_atomic(out_dir / "decomposition.json", dumps(document))
        write_atomic(out_dir / "summary.md", render_markdown(document))
        write_atomic(out_dir / "report.html", render_html(document))
    print_summary(document, out_dir)
    if timings:
        print_timings(result.timings.stages, result.timings.memory)
    if open_report:
        webbrowser.open((out_dir / "report.html").resolve().as_uri())
    return 0


@cli.command("report")
@click.argument("decomposition", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the HTML (default: beside the JSON).",
)
@common_options
def report_command(decomposition: Path, output: Path | None) -> int:
    """Re-render report.html from a decomposition.json, without re-analysing."""
    document = load_document(decomposition)
    target = output or decomposition.with_name("report.html")
    if target.is_dir():
        target = target / "report.html"
    _prepare_output_dir(target.parent)
    write_atomic(target, render_html(document))
    click.echo(f"wrote {target}")
    return 0


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    signal.signal(signal.SIGTERM, _on_sigterm)
    console = stderr_console()
    try:
        code = cli.main(args=args, prog_name="seams", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        console.print(f"seams: error: {exc.format_message()}{hint}", markup=False, highlight=False)
        sys.exit(2)
    except click.ClickException as exc:
        console.print(f"seams: error: {exc.format_message()}", markup=False, highlight=False)
        sys.exit(2)
    except (KeyboardInterrupt, click.Abort):
        console.print(
            "seams: interrupted; earlier outputs were left as they were",
            markup=False,
            highlight=False,
        )
        sys.exit(130)
    except SeamsError as exc:
        if debug:
            traceback.print_exc()
        console.print(f"seams: error: {exc.message}", markup=False, highlight=False)
        sys.exit(exc.exit_code)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        console.print(
            f"seams: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            markup=False,
            highlight=False,
        )
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
