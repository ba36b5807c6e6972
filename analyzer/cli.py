"""The ``seams`` command: parses options, calls a use case (``analyzer.usecases``), prints and
writes what it returns. Only ``main`` exits.

Exit codes: 0 success, 1 check found violations, 2 usage/configuration/input error, 130 interrupted.
Each command imports its use case when it runs, so that ``seams check`` never loads the HTML
report's renderer nor the clustering.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from analyzer import __version__, interrupts
from analyzer.model.errors import SeamsError
from analyzer.model.options import WEIGHTS_HELP
from analyzer.terminal import TerminalReporter, print_notes, print_timings, stderr_console
from analyzer.usecases.options import CacheFlags, Flags

Decorator = Callable[[Any], Any]
PATH = click.Path(path_type=Path)


def _options(*decorators: Decorator) -> Decorator:
    def apply(command: Any) -> Any:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


def _set_flag(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.ensure_object(dict)[param.name or ""] = True
    return value


def _flag(*names: str, help: str, **kwargs: Any) -> Decorator:
    return click.option(*names, is_flag=True, help=help, **kwargs)


_DEBUG, _QUIET = ("--debug",), ("-q", "--quiet")
_DEBUG_HELP, _QUIET_HELP = "Show tracebacks for errors.", "No progress output."
# --debug and --quiet work before or after the command name.
common_options = _options(
    _flag(*_DEBUG, help=_DEBUG_HELP, expose_value=False, callback=_set_flag),
    _flag(*_QUIET, help=_QUIET_HELP, expose_value=False, callback=_set_flag),
)
cache_options = _options(
    click.option(
        "--cache-dir", type=PATH, help="Where to keep facts (default: PATH/.seams-cache)."
    ),
    _flag("--no-cache", help="Parse every file; neither read nor write the cache."),
)
analysis_options = _options(
    click.option("--exclude", multiple=True, help="Gitignore-style pattern to leave out."),
    _flag(
        "--include-tests",
        default=None,
        help="Analyze tests, and test, development, demo and fake-data code, too.",
    ),
    click.option(
        "--jobs", type=click.IntRange(min=0), default=0, help="Parser processes (0: one per CPU)."
    ),
    click.option("--config", "config_file", type=PATH, help="Configuration file."),
)
proposal_options = _options(
    click.option("--services", help="Number of services to propose, or 'auto'."),
    click.option("--seed", type=click.IntRange(min=0), help="Random seed for clustering."),
    click.option(
        "--min-service-lines",
        type=click.IntRange(min=1),
        help="Smallest service worth deploying, in lines of code (default 50; 1% of the code "
        "when that is more).",
    ),
)


def _flags(given: dict[str, Any]) -> Flags:
    """The analysis flags among a command's parsed options."""
    names = (
        "services",
        "granularity",
        "weights",
        "seed",
        "include_tests",
        "git",
        "jobs",
        "min_service_lines",
    )
    return Flags(
        exclude=tuple(given.get("exclude", ())), **{k: given[k] for k in names if k in given}
    )


def _cache(given: dict[str, Any]) -> CacheFlags:
    return CacheFlags(bool(given.get("no_cache")), given.get("cache_dir"))


def _reporter(ctx: click.Context) -> TerminalReporter:
    return TerminalReporter(enabled=not ctx.obj["quiet"], on_step=interrupts.check_interrupted)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="seams")
@_flag(*_DEBUG, help=_DEBUG_HELP)
@_flag(*_QUIET, help=_QUIET_HELP)
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Find where a Python monolith can be cut into services, and keep the cuts honest in CI."""
    ctx.ensure_object(dict).update({"debug": debug, "quiet": quiet})


@cli.command("analyze")
@click.argument("path", type=PATH)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=PATH,
    default=Path("seams-report"),
    show_default=True,
    help="Directory for the report, JSON and summary.",
)
@proposal_options
@click.option("--granularity", type=click.Choice(["module", "symbol"]), help="What to cluster.")
@click.option("--weights", help=WEIGHTS_HELP)
@click.option("--git/--no-git", default=None, help="Use git history for co-change coupling.")
@analysis_options
@_flag("--open", "open_report", help="Open the report in a browser when done.")
@_flag("--timings", help="Print wall time and peak memory per stage on stderr.")
@cache_options
@common_options
@click.pass_context
def analyze_command(ctx: click.Context, /, path: Path, out_dir: Path, **given: Any) -> int:
    """Analyze the code under PATH and propose services."""
    from analyzer.config import load_config
    from analyzer.terminal import print_summary
    from analyzer.usecases.analyze import analyze_project
    from analyzer.usecases.options import resolve_options

    options = resolve_options(load_config(path, given["config_file"]), _flags(given))
    cache = _cache(given).location(path)
    analyzed = analyze_project(path, options, out_dir, _reporter(ctx), cache)
    interrupts.check_interrupted()
    print_notes(analyzed.notes)
    with analyzed.timings.stage("render"):
        interrupts.write_outputs(analyzed.outputs)
    print_summary(analyzed.document, out_dir, path)
    if given["timings"]:
        print_timings(analyzed.timings.stages, analyzed.timings.memory)
    if given["open_report"]:
        import webbrowser

        webbrowser.open((out_dir / "report.html").resolve().as_uri())
    return 0


@cli.command("report")
@click.argument("decomposition", type=PATH)
@click.option("-o", "--output", type=PATH, help="The HTML file (default: beside the JSON).")
@common_options
def report_command(decomposition: Path, output: Path | None) -> int:
    """Re-render report.html from a decomposition.json, without re-analysing."""
    from analyzer.usecases.report import redraw_report

    target, html = redraw_report(decomposition, output)
    interrupts.write_outputs({target: html})
    click.echo(f"wrote {target}")
    return 0


@cli.command("evaluate")
@click.argument("decomposition", type=PATH)
@click.option("--truth", required=True, type=PATH, help="JSON with 'modules' or 'symbols' maps.")
@click.option("--granularity", type=click.Choice(["module", "symbol"]), help="What to compare.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@common_options
def evaluate_command(decomposition: Path, truth: Path, granularity: str | None, fmt: str) -> int:
    """Agreement of a decomposition with a reference: ARI, NMI and MoJoFM."""
    from analyzer.usecases.evaluate import evaluate_agreement

    key, scores = evaluate_agreement(decomposition, truth, granularity)
    if fmt == "json":
        click.echo(json.dumps({"granularity": key.rstrip("s"), **scores}, indent=2))
    else:
        click.echo(f"{scores['items']} {key} compared")
        click.echo(f"ARI     {scores['ari']:.4f}")
        click.echo(f"NMI     {scores['nmi']:.4f}")
        click.echo(f"MoJoFM  {scores['mojofm']:.2f}")
    return 0


@cli.command("check")
@click.argument("path", type=PATH, default=".")
@click.option("--baseline", type=PATH, help="Baseline file to compare with.")
@click.option("--update-baseline", is_flag=True, help="Record every current violation as known.")
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(("text", "json", "junit", "github", "sarif")),
)
@click.option("-o", "--output", type=PATH, help="Write the report here.")
@click.option("--strict", is_flag=True, help="Fail on stale baseline entries too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when violations are found.")
@click.option("--timings", "show_timings", is_flag=True, help="Print wall time per stage.")
@analysis_options
@cache_options
@common_options
@click.pass_context
def check_command(ctx: click.Context, /, path: Path, output: Path | None, **given: Any) -> int:
    """Check the code under PATH against its declared service boundaries."""
    from analyzer.usecases.check import CheckRequest, check_project

    color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    request = CheckRequest(
        given["baseline"], given["update_baseline"], given["fmt"], given["strict"], color
    )
    flags, cache = _flags(given), _cache(given)
    outcome = check_project(path, given["config_file"], flags, request, _reporter(ctx), cache)
    print_notes(outcome.notes)
    if outcome.new_baseline is not None:
        interrupts.write_outputs({outcome.baseline_path: outcome.new_baseline})
        click.echo(f"wrote {outcome.baseline_path} ({outcome.known} known violations)", err=True)
    if output is not None:
        interrupts.write_outputs({output: outcome.report})
    else:
        click.echo(outcome.report, nl=False)
    if outcome.skipped:
        click.echo(f"seams: {outcome.skipped} file(s) could not be analyzed", err=True)
    if given["show_timings"]:
        print_timings(outcome.timings.stages, outcome.timings.memory)
    return outcome.exit_code(given["strict"], given["exit_zero"])


@cli.command("init")
@click.argument("path", type=PATH, default=".")
@click.option("--from", "source", type=PATH, help="Declare this decomposition.json instead.")
@proposal_options
@_flag("--pyproject", help="Print the [tool.seams] form instead of writing seams.toml.")
@click.option("--force", is_flag=True, help="Overwrite an existing seams.toml and baseline.")
@analysis_options
@cache_options
@common_options
@click.pass_context
def init_command(ctx: click.Context, /, path: Path, pyproject: bool, **given: Any) -> int:
    """Declare the proposed services as boundaries (seams.toml) and record a baseline."""
    from analyzer.usecases.init import init_boundaries

    options = {"source": given["source"], "pyproject": pyproject, "force": given["force"]}
    flags, cache = _flags(given), _cache(given)
    done = init_boundaries(path, given["config_file"], flags, cache, _reporter(ctx), **options)
    print_notes(done.notes)
    if pyproject:
        click.echo(done.config_text, nl=False)
        interrupts.write_outputs({done.baseline_path: done.baseline_text})
    else:
        interrupts.write_outputs(
            {done.config_path: done.config_text, done.baseline_path: done.baseline_text}
        )
    where = "the [tool.seams] form above" if pyproject else str(done.config_path)
    click.echo(
        f"wrote {where} ({done.services} services) and {done.baseline_path} "
        f"({done.known} known violations); now run: seams check {path}",
        err=pyproject,
    )
    if not pyproject:
        click.echo("prefer pyproject.toml? 'seams init --pyproject' prints the [tool.seams] form")
    return 0


@cli.command("export")
@click.argument("path", type=PATH, default=".")
@click.option("--to", "target", type=click.Choice(["tach", "import-linter"]), required=True)
@click.option("-o", "--output", type=PATH, help="Write here (default: stdout).")
@click.option("--baseline", type=PATH, help="Baseline of known violations.")
@analysis_options
@cache_options
@common_options
@click.pass_context
def export_command(ctx: click.Context, /, path: Path, output: Path | None, **given: Any) -> int:
    """Write the declared boundaries as tach or import-linter contracts."""
    from analyzer.usecases.export import export_contracts

    text = export_contracts(
        path,
        given["config_file"],
        _flags(given),
        _cache(given),
        _reporter(ctx),
        target=given["target"],
        baseline=given["baseline"],
    )
    if output is None:
        click.echo(text, nl=False)
    else:
        interrupts.write_outputs({output: text})
        click.echo(f"wrote {output}", err=True)
    return 0


# The analysis allocates hundreds of thousands of small, acyclic objects (facts, couplings); at
# the default thresholds the cyclic collector keeps rescanning them, ~15% of a warm run.
_GC_THRESHOLDS = (100_000, 50, 100)


def _fail(message: str, code: int) -> NoReturn:
    stderr_console().print(message, markup=False, highlight=False)
    # Not through Python's own exit: CPython remembers a KeyboardInterrupt that escaped any
    # exec() of a string (dataclasses and namedtuples make their methods so, while modules
    # load), caught or not, and then ends the process by SIGINT rather than with ``code``.
    _leave(code)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    gc.set_threshold(*_GC_THRESHOLDS)
    debug = "--debug" in args
    interrupts.install()
    try:
        code = cli.main(args=args, prog_name="seams", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        _fail(f"seams: error: {exc.format_message()}{hint}", 2)
    except click.ClickException as exc:
        _fail(f"seams: error: {exc.format_message()}", 2)
    except interrupts.InterruptedAfterWriting:
        interrupts.ignore_further()  # held back while renaming; the run stops now
        _fail("seams: interrupted; the new outputs had already been written", 130)
    except (KeyboardInterrupt, click.Abort):  # interrupts.ignore_further() ran with the handler
        _fail("seams: interrupted; earlier outputs were left as they were", 130)
    except SeamsError as exc:
        if debug:
            traceback.print_exc()
        _fail(f"seams: error: {exc.message}", exc.exit_code)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        _fail(
            f"seams: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", 2
        )
    _leave(code if isinstance(code, int) else 0)


def _leave(code: int) -> NoReturn:
    """Exit without tearing the heap down object by object (~0.2 s after analysing netbox,
    longer than writing the report): every output and the cache are closed by now, and no
    exit handler of Seams' own is waiting."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (seams ... | head): the exit code still counts
        pass
    os._exit(code)
