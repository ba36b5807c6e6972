"""The ``seams`` command: the composition root. Each command parses options, calls the pipeline
and the renderers, writes outputs, and returns an exit code; only ``main`` exits.

Exit codes: 0 success, 1 check found violations, 2 usage/configuration/input error, 130 interrupted.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import tomllib
import traceback
import webbrowser
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import click
import jinja2

from analyzer import __version__
from analyzer.check import baseline as baselines
from analyzer.check.export import to_import_linter, to_tach
from analyzer.check.init import render_boundaries
from analyzer.check.run import run_check
from analyzer.config import ANALYSIS_KEYS, load_config, parse_config
from analyzer.design.evaluate.agreement import agreement
from analyzer.extract.cache import CACHE_DIRNAME
from analyzer.extract.discover import DiscoverOptions, discover_files
from analyzer.forked import Forked
from analyzer.model.boundaries import DEFAULT_BASELINE, Boundaries
from analyzer.model.config import SeamsConfig
from analyzer.model.errors import SeamsError
from analyzer.model.options import AnalyzeOptions, Weights
from analyzer.pipeline import Collected, Timings, analyze, background, collect, derive
from analyzer.terminal import (
    TerminalReporter,
    print_notes,
    print_summary,
    print_timings,
    stderr_console,
)
from reports.ci_json import render_json
from reports.ci_text import render_text
from reports.files import write_all_atomic, write_atomic
from reports.github import render_github
from reports.html import render_html
from reports.json_report import dumps, load_document, load_reference
from reports.junit import render_junit
from reports.markdown import render_markdown
from reports.sarif import render_sarif

DEFAULT_OUT = Path("seams-report")
_INTERRUPTS = (signal.SIGINT, signal.SIGTERM)


class InterruptedAfterWriting(KeyboardInterrupt):
    """Ctrl-C or SIGTERM arrived while the outputs were being renamed into place."""


# Ctrl-C and SIGTERM received by this run. The KeyboardInterrupt a signal raises can be lost:
# CPython only reports ("Exception ignored in ...") an exception raised inside an at-fork hook,
# a finalizer or __del__, and a signal landing while a process pool forks its workers ends up
# in logging's at-fork hook. So the run looks again at every progress step and before writing.
_RECEIVED: list[int] = []


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    _RECEIVED.append(signum)
    raise KeyboardInterrupt


def _on_unraisable(unraisable: Any) -> None:
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _RECEIVED.append(signal.SIGINT)
        return
    sys.__unraisablehook__(unraisable)


def check_interrupted() -> None:
    """Raise ``KeyboardInterrupt`` if an interrupt arrived, even one something swallowed."""
    if _RECEIVED:
        raise KeyboardInterrupt


class _Reporter(TerminalReporter):
    """Progress that also notices interrupts the running code may have swallowed."""

    def start(self, stage: str, total: int | None = None) -> None:
        check_interrupted()
        super().start(stage, total)

    def advance(self, amount: int = 1) -> None:
        super().advance(amount)
        check_interrupted()


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


def _check_cochange(spec: str, git: bool | None) -> None:
    given = Weights.parse(spec, base=Weights(tuple((k, 0.0) for k, _ in Weights().values)))
    if git is False and given.of("cochange") > 0:
        raise SeamsError(
            "--weights gives co-change a weight but --no-git turns git history off; "
            "drop one of them"
        )


def _options(config: SeamsConfig, flags: dict[str, Any]) -> AnalyzeOptions:
    """Command-line flags override the config file, which overrides the defaults."""
    defaults = AnalyzeOptions()
    services = _services(flags["services"])
    if services == "unset":
        services = config.services if not config.services_auto else None
    weights = config.weights or defaults.weights
    if flags["weights"]:
        weights = Weights.parse(flags["weights"], base=weights)
        _check_cochange(flags["weights"], flags["git"])
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
        steering=config.steering,
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


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while outputs are renamed into place, so a run is either
    interrupted before any output changes or after all of them have."""
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda s, _f: received.append(s)) for sig in _INTERRUPTS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        raise InterruptedAfterWriting


def write_outputs(outputs: Mapping[Path, str]) -> None:
    """Replace every output file together, or none of them (see ``write_all_atomic``)."""
    for target in outputs:
        if target.is_dir():
            raise SeamsError(f"cannot write {target}: a directory is in the way")
    with _interrupts_deferred():
        try:
            write_all_atomic(outputs)
        except OSError as exc:
            raise SeamsError(
                f"cannot write to {exc.filename or 'the output directory'}: {exc.strerror or exc}"
            ) from None


def _cache(path: Path, flags: dict[str, Any]) -> Path | None:
    """The fact cache directory of a run (``None`` with --no-cache)."""
    if flags.get("no_cache"):
        return None
    return Path(flags["cache_dir"]) if flags.get("cache_dir") else path / CACHE_DIRNAME


def cache_options(command: Any) -> Any:
    command = click.option(
        "--cache-dir",
        type=click.Path(path_type=Path),
        help="Where to keep parsed facts between runs (default: PATH/.seams-cache).",
    )(command)
    return click.option(
        "--no-cache", is_flag=True, help="Parse every file; neither read nor write the cache."
    )(command)


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
@cache_options
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
    **flags: Any,
) -> int:
    """Analyze the code under PATH and propose services."""
    if not path.exists():
        raise SeamsError(f"path does not exist: {path}")
    config = load_config(path, config_file)
    options = _options(config, flags)
    _prepare_output_dir(out_dir)
    reporter = _Reporter(enabled=not ctx.obj["quiet"])
    cache = _cache(path, flags)
    html: list[Forked[str]] = []

    def draw(document: dict[str, Any]) -> None:
        # On a second core, the HTML report (the slowest output) is drawn while this process
        # caches the document and writes the other outputs.
        html.append(Forked(render_html, document, enabled=background(options)))

    try:
        result = analyze(path, options, reporter, cache, on_document=draw)
    finally:
        reporter.done()  # an interrupted run must not leave a progress bar behind its message
    check_interrupted()
    print_notes(result.scan.notes)
    document = result.document
    with result.timings.stage("render"):
        write_outputs(
            {
                out_dir / "decomposition.json": dumps(document),
                out_dir / "summary.md": render_markdown(document),
                out_dir / "report.html": html[0].result(),
            }
        )
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
    try:
        document = load_document(decomposition)
    except RecursionError:
        raise SeamsError(f"{decomposition} is not valid JSON (nested too deeply)") from None
    target = output or decomposition.with_name("report.html")
    if target.is_dir():
        target = target / "report.html"
    if target.exists() and target.resolve() == decomposition.resolve():
        raise SeamsError(f"the report would overwrite the decomposition it is made from: {target}")
    _prepare_output_dir(target.parent)
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
    write_outputs({target: html})
    click.echo(f"wrote {target}")
    return 0


@cli.command("evaluate")
@click.argument("decomposition", type=click.Path(path_type=Path))
@click.option(
    "--truth",
    required=True,
    type=click.Path(path_type=Path),
    help="Reference partition: JSON with 'modules' and/or 'symbols' maps.",
)
@click.option(
    "--granularity",
    type=click.Choice(["module", "symbol"]),
    help="Compare modules or symbols (default: symbols when both files have them).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@common_options
def evaluate_command(decomposition: Path, truth: Path, granularity: str | None, fmt: str) -> int:
    """Agreement of a decomposition with a reference: ARI, NMI and MoJoFM."""
    proposal = load_reference(decomposition)
    reference = load_reference(truth)
    key = (
        f"{granularity}s"
        if granularity
        else ("symbols" if proposal.get("symbols") and reference.get("symbols") else "modules")
    )
    if not proposal.get(key) or not reference.get(key):
        raise SeamsError(f"both files need a non-empty '{key}' map to compare at that granularity")
    scores = agreement(proposal[key], reference[key])
    if fmt == "json":
        click.echo(json.dumps({"granularity": key.rstrip("s"), **scores}, indent=2))
    else:
        click.echo(f"{scores['items']} {key} compared")
        click.echo(f"ARI     {scores['ari']:.4f}")
        click.echo(f"NMI     {scores['nmi']:.4f}")
        click.echo(f"MoJoFM  {scores['mojofm']:.2f}")
    return 0


def _boundaries(config: SeamsConfig) -> Boundaries:
    if config.boundaries is None or not config.boundaries.services:
        where = config.source or "seams.toml or [tool.seams] in pyproject.toml"
        raise SeamsError(f"no services are declared in {where}: run 'seams init PATH' first")
    return config.boundaries


def _repo_prefix(root: Path) -> str:
    """Where ``root`` sits in its git repository ("" at the top or outside a repository)."""
    for parent in [root, *root.parents]:
        if (parent / ".git").exists():
            relative = root.relative_to(parent).as_posix()
            return "" if relative == "." else relative
    return ""


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _collect(
    ctx: click.Context,
    path: Path,
    config: SeamsConfig,
    flags: dict[str, Any],
    timings: Timings | None = None,
) -> Collected:
    if not path.is_dir():
        raise SeamsError(f"path does not exist or is not a directory: {path}")
    blank = {"services": None, "granularity": None, "weights": None, "seed": None, "git": False}
    options = _options(config, {**blank, **flags})
    reporter = TerminalReporter(enabled=not ctx.obj["quiet"])
    return collect(path, options, reporter, timings or Timings(), _cache(path, flags))


def _color(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def analysis_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option("--exclude", multiple=True, help="Gitignore-style pattern to leave out."),
            click.option("--include-tests", is_flag=True, default=None, help="Check tests too."),
            click.option("--jobs", type=click.IntRange(min=0), default=0, help="Parser processes."),
            click.option(
                "--config", "config_file", type=click.Path(path_type=Path), help="Config file."
            ),
        ]
    ):
        command = option(command)
    return command


FORMATS = ("text", "json", "junit", "github", "sarif")


@cli.command("check")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--baseline", type=click.Path(path_type=Path), help="Baseline file to compare with.")
@click.option("--update-baseline", is_flag=True, help="Record every current violation as known.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report here.")
@click.option("--strict", is_flag=True, help="Fail on stale baseline entries too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when violations are found.")
@click.option("--timings", "show_timings", is_flag=True, help="Print wall time per stage.")
@analysis_options
@cache_options
@common_options
@click.pass_context
def check_command(
    ctx: click.Context,
    /,
    path: Path,
    baseline: Path | None,
    update_baseline: bool,
    fmt: str,
    output: Path | None,
    strict: bool,
    exit_zero: bool,
    show_timings: bool,
    config_file: Path | None,
    **flags: Any,
) -> int:
    """Check the code under PATH against its declared service boundaries."""
    config = load_config(path, config_file)
    boundaries = _boundaries(config)
    timings = Timings()
    collected = _collect(ctx, path, config, flags, timings)
    print_notes(collected.scan.notes)
    root = Path(collected.discovery.root)
    baseline_path = baseline or root / boundaries.baseline
    name = _display(baseline_path, root)
    recorded = baselines.read(baseline_path)
    with timings.stage("check"):
        checked = run_check(root, collected.files, collected.couplings, boundaries, recorded, name)
    if update_baseline:
        write_atomic(baseline_path, baselines.dumps(checked.current))
        click.echo(f"wrote {baseline_path} ({len(checked.current)} known violations)", err=True)
        checked = run_check(
            root, collected.files, collected.couplings, boundaries, checked.current, name
        )
    result, prefix = checked.result, _repo_prefix(root)
    renderers = {
        "text": lambda: render_text(result, color=_color(output), prefix=prefix, strict=strict),
        "json": lambda: render_json(result, prefix=prefix, strict=strict),
        "junit": lambda: render_junit(result, prefix=prefix, strict=strict),
        "github": lambda: render_github(result, prefix=prefix, strict=strict),
        "sarif": lambda: render_sarif(result, prefix=prefix, tool_version=__version__),
    }
    report = renderers[fmt]()
    if output is not None:
        write_atomic(output, report)
    else:
        click.echo(report, nl=False)
    if collected.skipped:
        click.echo(f"seams: {len(collected.skipped)} file(s) could not be analyzed", err=True)
    if show_timings:
        print_timings(timings.stages, timings.memory)
    return 0 if exit_zero or not result.failed(strict) else 1


@cli.command("init")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    help="Use this decomposition.json instead of analysing.",
)
@click.option("--services", help="Number of services to propose, or 'auto'.")
@click.option("--seed", type=click.IntRange(min=0), help="Random seed for clustering.")
@click.option(
    "--pyproject", is_flag=True, help="Print the [tool.seams] form instead of seams.toml."
)
@click.option("--force", is_flag=True, help="Overwrite an existing seams.toml and baseline.")
@analysis_options
@cache_options
@common_options
@click.pass_context
def init_command(
    ctx: click.Context,
    /,
    path: Path,
    source: Path | None,
    pyproject: bool,
    force: bool,
    config_file: Path | None,
    **flags: Any,
) -> int:
    """Declare the proposed services as boundaries (seams.toml) and record a baseline."""
    config = load_config(path, config_file) if path.is_dir() else SeamsConfig()
    target, baseline_path = path / "seams.toml", path / DEFAULT_BASELINE
    for existing in ([] if pyproject else [target]) + [baseline_path]:
        if existing.exists() and not force:
            raise SeamsError(f"{existing} already exists: pass --force to overwrite it")
    collected: Collected
    if source is not None:
        document, collected = load_document(source), _collect(ctx, path, config, flags)
    else:
        flags["git"] = None
        options = _options(config, {"granularity": None, "weights": None, **flags})
        reporter = TerminalReporter(enabled=not ctx.obj["quiet"])
        result = analyze(path, options, reporter, _cache(path, flags))
        print_notes(result.scan.notes)
        # A reused analysis comes without its couplings: derive them from its scanned facts.
        document = result.document
        collected = result.collected or derive(result.discovery, result.scan, options, Timings())
    carried = {k: config.raw[k] for k in sorted(ANALYSIS_KEYS) if k in config.raw}
    text = render_boundaries(document, carried, pyproject=pyproject)
    table = tomllib.loads(text)
    declared = parse_config(table["tool"]["seams"] if pyproject else table, "seams.toml")
    assert declared.boundaries is not None
    root = Path(collected.discovery.root)
    checked = run_check(root, collected.files, collected.couplings, declared.boundaries, None)
    services = len(declared.boundaries.services)
    if pyproject:
        click.echo(text, nl=False)
    else:
        write_atomic(target, text)
    write_atomic(baseline_path, baselines.dumps(checked.current))
    where = "the [tool.seams] form above" if pyproject else str(target)
    click.echo(
        f"wrote {where} ({services} services) and {baseline_path} "
        f"({len(checked.current)} known violations); now run: seams check {path}",
        err=pyproject,
    )
    if not pyproject:
        click.echo("prefer pyproject.toml? 'seams init --pyproject' prints the [tool.seams] form")
    return 0


@cli.command("export")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--to", "target", type=click.Choice(["tach", "import-linter"]), required=True)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here (default: stdout)."
)
@click.option("--baseline", type=click.Path(path_type=Path), help="Baseline of known violations.")
@analysis_options
@common_options
def export_command(
    path: Path,
    target: str,
    output: Path | None,
    baseline: Path | None,
    config_file: Path | None,
    exclude: tuple[str, ...],
    include_tests: bool | None,
    jobs: int,
) -> int:
    """Write the declared boundaries as tach or import-linter contracts."""
    config = load_config(path, config_file)
    boundaries = _boundaries(config)
    discovery = discover_files(
        path,
        DiscoverOptions((*config.exclude, *exclude), bool(include_tests or config.include_tests)),
    )
    root = Path(discovery.root)
    recorded = baselines.read(baseline or root / boundaries.baseline) or baselines.Baseline()
    render = to_tach if target == "tach" else to_import_linter
    text = render(discovery.files, boundaries, recorded)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    return 0


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


# The analysis allocates hundreds of thousands of small, acyclic objects (facts, couplings); at
# the default thresholds the cyclic collector keeps rescanning them, ~15% of a warm run.
_GC_THRESHOLDS = (100_000, 50, 100)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    gc.set_threshold(*_GC_THRESHOLDS)
    debug = "--debug" in args
    _RECEIVED.clear()
    for signum in _INTERRUPTS:
        signal.signal(signum, _on_interrupt)
    sys.unraisablehook = _on_unraisable
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
    except InterruptedAfterWriting:
        console.print(
            "seams: interrupted; the new outputs had already been written",
            markup=False,
            highlight=False,
        )
        sys.exit(130)
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
