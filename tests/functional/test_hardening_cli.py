"""Bad invocations (one sentence, exit 2), outputs that change together or not at all, and
interrupted runs (exit 130, earlier outputs intact), with the real command and real signals."""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from analyzer import interrupts
from analyzer.model.errors import SeamsError
from analyzer.terminal import TerminalReporter
from reports import files
from tests.conftest import FIXTURES, ROOT, run_seams

SHOP = FIXTURES / "shop"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def project(tmp: Path, **extra: str | bytes) -> Path:
    """A one-module project plus the given files (name -> content)."""
    write(tmp / "proj" / "app.py", "import os\n")
    for name, content in extra.items():
        write(tmp / "proj" / name.replace("__", "/"), content)
    return tmp / "proj"


def valid_document(tmp: Path) -> Path:
    out = tmp / "good"
    assert run_seams("analyze", project(tmp), "-o", out, "--no-git").code == 0
    return out / "decomposition.json"


def broken_document(tmp: Path, change: Callable[[dict], None]) -> Path:  # type: ignore[type-arg]
    document = json.loads(valid_document(tmp).read_text())
    change(document)
    return write(tmp / "broken.json", json.dumps(document))


def blocked_output(tmp: Path) -> Path:
    (tmp / "out" / "report.html").mkdir(parents=True)
    return tmp / "out"


# Each case: (name, setup(tmp) -> (args, exact message)).
Case = Callable[[Path], tuple[list[str], str]]
CASES: dict[str, Case] = {
    "missing path": lambda t: (["analyze", str(t / "nope")], f"path does not exist: {t / 'nope'}"),
    "a file instead of a directory": lambda t: (
        ["analyze", str(SHOP / "manage.py")],
        f"not a directory: {SHOP / 'manage.py'} (give the repository or package directory)",
    ),
    "a directory without Python": lambda t: (
        ["analyze", str(write(t / "docs" / "README.md", "hi").parent)],
        f"no Python files to analyze under {t / 'docs'}",
    ),
    "a directory whose Python is all excluded": lambda t: (
        ["analyze", str(write(t / "only" / "tests" / "test_a.py", "").parent.parent)],
        f"no Python files to analyze under {t / 'only'} (1 excluded by ignore rules or defaults)",
    ),
    "output under a regular file": lambda t: (
        ["analyze", str(SHOP), "-o", str(write(t / "file", "x") / "out")],
        f"cannot create output directory {t / 'file' / 'out'}: a parent is not a directory",
    ),
    "output is a regular file": lambda t: (
        ["analyze", str(SHOP), "-o", str(write(t / "file", "x"))],
        f"output path exists and is not a directory: {t / 'file'}",
    ),
    "an output file is a directory": lambda t: (
        ["analyze", str(project(t)), "-o", str(blocked_output(t)), "--no-git"],
        f"cannot write {t / 'out' / 'report.html'}: a directory is in the way",
    ),
    "pyproject.toml that is not TOML": lambda t: (
        ["analyze", str(project(t, **{"pyproject.toml": "[tool.seams\nexclude = 3\n"}))],
        f"{t / 'proj' / 'pyproject.toml'} is not valid TOML: "
        "Expected ']' at the end of a table declaration (at line 1, column 12)",
    ),
    "[tool.seams] with a bad value": lambda t: (
        ["analyze", str(project(t, **{"pyproject.toml": '[tool.seams]\ngranularity = "file"\n'}))],
        f"{t / 'proj' / 'pyproject.toml'}: tool.seams.granularity: "
        "must be 'module' or 'symbol', got 'file'",
    ),
    "[tool.seams] that is not a table": lambda t: (
        ["analyze", str(project(t, **{"pyproject.toml": "[tool]\nseams = 3\n"}))],
        f"{t / 'proj' / 'pyproject.toml'}: tool.seams must be a table, got 3",
    ),
    "seams.toml with an unknown key": lambda t: (
        ["analyze", str(project(t, **{"seams.toml": "granularty = 'module'\n"}))],
        f"{t / 'proj' / 'seams.toml'}: granularty: unknown key (known: check, exclude, git, "
        "granularity, include_tests, min_service_lines, roots, seed, service, services, shared, "
        "steering, weights)",
    ),
    "seams.toml that is not UTF-8": lambda t: (
        ["analyze", str(project(t, **{"seams.toml": b"seed = '\xff'\n"}))],
        f"cannot read {t / 'proj' / 'seams.toml'}: 'utf-8' codec can't decode byte 0xff "
        "in position 8: invalid start byte",
    ),
    "--config that does not exist": lambda t: (
        ["analyze", str(SHOP), "--config", str(t / "none.toml")],
        f"config file not found: {t / 'none.toml'}",
    ),
    "report of a missing file": lambda t: (
        ["report", str(t / "none.json")],
        f"decomposition file not found: {t / 'none.json'}",
    ),
    "report of a file that is not JSON": lambda t: (
        ["report", str(write(t / "d.json", "<html>"))],
        f"{t / 'd.json'} is not valid JSON (line 1: Expecting value)",
    ),
    "report of JSON nested too deeply": lambda t: (
        ["report", str(write(t / "d.json", "[" * 100_000))],
        f"{t / 'd.json'} is not valid JSON (nested too deeply)",
    ),
    "report of JSON that is not a decomposition": lambda t: (
        ["report", str(write(t / "d.json", '{"services": []}'))],
        f"{t / 'd.json'} is not a Seams decomposition: "
        "'schema' must be 'seams/decomposition@2', got None",
    ),
    "report of a decomposition with a malformed entry": lambda t: (
        ["report", str(broken_document(t, lambda d: d["dependencies"].append("x")))],
        f"{t / 'broken.json'} is not a usable Seams decomposition: the report cannot be drawn "
        "from it (--debug shows where)",
    ),
    "report that would overwrite its own input": lambda t: (
        ["report", str(p := valid_document(t)), "-o", str(p)],
        f"the report would overwrite the decomposition it is made from: {p}",
    ),
    "--no-git with a co-change weight": lambda t: (
        ["analyze", str(SHOP), "--no-git", "--weights", "data=2,cochange=1"],
        "--weights gives co-change a weight but --no-git turns git history off; drop one of them",
    ),
    "a negative job count": lambda t: (
        ["analyze", str(SHOP), "--jobs", "-1"],
        "Invalid value for '--jobs': -1 is not in the range x>=0. (see 'seams analyze --help')",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_invocation_exits_2_with_one_sentence(tmp_path: Path, case: str) -> None:
    args, message = CASES[case](tmp_path)
    run = run_seams(*args, cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert run.stderr == f"seams: error: {message}\n"
    assert run.stdout == ""


def test_an_output_that_cannot_be_written_leaves_the_others_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_seams("analyze", project(tmp_path), "-o", out, "--no-git").code == 0
    (out / "summary.md").unlink()
    (out / "summary.md").mkdir()
    before = snapshot(out)
    write(tmp_path / "proj" / "more.py", "import app\n")  # the new outputs would differ
    run = run_seams("analyze", tmp_path / "proj", "-o", out, "--no-git")
    assert run.code == 2
    assert (
        run.stderr
        == f"seams: error: cannot write {out / 'summary.md'}: a directory is in the way\n"
    )
    assert snapshot(out) == before


# Outputs change together.


def snapshot(out: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(out.iterdir())}


def test_a_failed_write_leaves_every_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = {tmp_path / name: "new" for name in ("decomposition.json", "summary.md", "r.html")}
    for target in targets:
        target.write_text("old")
    real_fsync = os.fsync
    calls = []

    def disk_full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "r.html"))
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", disk_full)
    with pytest.raises(SeamsError, match="No space left on device"):
        interrupts.write_outputs(targets)
    assert snapshot(tmp_path) == {
        "decomposition.json": b"old",
        "r.html": b"old",
        "summary.md": b"old",
    }


def test_an_interrupt_while_renaming_waits_for_the_last_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = {tmp_path / name: "new" for name in ("a.json", "b.md", "c.html")}
    real_replace = os.replace

    def replace_then_signal(src: str, dst: Path) -> None:
        real_replace(src, dst)
        if dst.name == "a.json":
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(files.os, "replace", replace_then_signal)
    # What was installed before: Python's default handler, or SIG_IGN when the test process
    # was started in the background by a non-interactive shell.
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(interrupts.InterruptedAfterWriting):
        interrupts.write_outputs(targets)
    assert snapshot(tmp_path) == {"a.json": b"new", "b.md": b"new", "c.html": b"new"}
    assert signal.getsignal(signal.SIGINT) is before


def test_once_a_run_stops_on_an_interrupt_a_second_one_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(interrupts, "_RECEIVED", [])
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        interrupts.install()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            signal.pthread_sigmask(signal.SIG_BLOCK, [])  # a call: the handler has run by now
        for signum in (signal.SIGINT, signal.SIGTERM):  # the run is stopping: nothing is raised
            try:
                os.kill(os.getpid(), signum)
                signal.pthread_sigmask(signal.SIG_BLOCK, [])
            except KeyboardInterrupt:
                pytest.fail(f"{signal.Signals(signum).name} interrupted a run already stopping")
        assert interrupts._RECEIVED == [signal.SIGINT]
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        sys.unraisablehook = sys.__unraisablehook__


def test_an_interrupt_something_swallowed_still_stops_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "unraisablehook", interrupts._on_unraisable)
    monkeypatch.setattr(interrupts, "_RECEIVED", [])

    class Finalized:
        def __del__(self) -> None:
            raise KeyboardInterrupt  # as if Ctrl-C landed here: CPython drops it

    def reporter() -> TerminalReporter:
        return TerminalReporter(enabled=False, on_step=interrupts.check_interrupted)

    Finalized()
    with pytest.raises(KeyboardInterrupt):
        interrupts.check_interrupted()
    with pytest.raises(KeyboardInterrupt):
        reporter().start("Parsing", 3)
    with pytest.raises(KeyboardInterrupt):
        reporter().advance()


# Interrupted runs, with a real process and a real signal.

INTERRUPTED = "seams: interrupted; earlier outputs were left as they were"
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def grow(tree: Path, modules: int, lines: int) -> None:
    body = "".join(f"def f{i}(x):\n    return helper(x) + {i}\n\n" for i in range(lines // 3))
    for m in range(modules):
        write(tree / "app" / f"mod{m:03d}.py", f"from app.util import helper\n\n{body}")


def read_terminal(master: int, until: Callable[[bytes], bool] | None = None) -> bytes:
    data = b""
    while until is None or not until(data):
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side closed: the process ended
            break
        if not chunk:
            break
        data += chunk
    return data


def terminal_lines(seen: bytes) -> list[str]:
    """What a terminal shows besides the transient progress bars."""
    text = _ESCAPES.sub("", seen.decode("utf-8", "replace"))
    lines = [line.strip() for line in re.split(r"[\r\n]+", text) if line.strip()]
    return [line for line in lines if not re.match(r"^\S?\s*(Discovering|Parsing)", line)]


def interrupt_while_parsing(
    args: list[str], signum: int, whole_group: bool = False, again: bool = False
) -> tuple[int, list[str], bytes]:
    """Run the real command with stderr on a pseudo-terminal (so progress shows), send
    ``signum`` once parsing has started (to its whole process group, as Ctrl-C in a terminal
    does, when ``whole_group``), and with ``again`` once more as soon as the run says it was
    interrupted, while it exits; return the exit code, the lines shown and stdout."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analyzer", *args],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=whole_group,
    )
    os.close(slave)
    try:
        seen = read_terminal(master, until=lambda d: b"Parsing" in d)
        assert b"Parsing" in seen, seen
        send = functools.partial(os.killpg if whole_group else os.kill, proc.pid, signum)
        send()
        if again:
            seen += read_terminal(master, until=lambda d: b"interrupted" in d)
            with contextlib.suppress(ProcessLookupError):  # gone already: nothing to test
                send()
        seen += read_terminal(master)
        code = proc.wait(timeout=120)
        assert proc.stdout is not None
        stdout = proc.stdout.read()
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
        if proc.stdout is not None:
            proc.stdout.close()
    return code, terminal_lines(seen), stdout


@pytest.mark.parametrize("again", [False, True], ids=["once", "twice"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_exits_130_and_keeps_the_earlier_report(
    tmp_path: Path, signum: int, again: bool
) -> None:
    """``again``: Ctrl-C pressed twice, to the process group as a terminal sends it. The second
    lands while the run cleans up and exits (a parallel run, with workers to stop, is slow
    enough to be caught there), and must not end the process by the signal (exit status -2)
    instead of exit code 130."""
    tree = tmp_path / "tree"
    write(tree / "app" / "__init__.py", "")
    write(tree / "app" / "util.py", "def helper(x):\n    return x\n")
    out = tmp_path / "out"
    assert run_seams("analyze", tree, "-o", out, "--no-git").code == 0
    before = snapshot(out)
    grow(tree, modules=300, lines=300)  # about 90,000 lines: many seconds of parsing
    code, lines, stdout = interrupt_while_parsing(
        ["analyze", str(tree), "-o", str(out), "--no-git", "--jobs", "2" if again else "1"],
        signum,
        whole_group=again,
        again=again,
    )
    assert code == 130
    assert lines == [INTERRUPTED]
    assert stdout == b""
    assert snapshot(out) == before  # no temporary file either


INTERRUPTED_IN_EXEC = """
import io
import sys

import analyzer.usecases.analyze as usecase
from analyzer import cli
from analyzer.terminal import stderr_console

# what printing the message loads, loaded now: a string exec run after the interrupt would hide
# what this test looks for
console = stderr_console()
saved, console.file = console.file, io.StringIO()
console.print("loaded", markup=False, highlight=False)
console.file = saved


def analyze_project(*args, **kwargs):
    exec("raise KeyboardInterrupt", {})  # Ctrl-C while a dataclass makes its methods


usecase.analyze_project = analyze_project
cli.main(sys.argv[1:])
"""


def test_an_interrupt_that_left_a_string_exec_still_exits_130(tmp_path: Path) -> None:
    """CPython marks a KeyboardInterrupt leaving the code of an ``exec`` of a string as
    unhandled, even when it is caught afterwards, and a ``python -m`` process then ends by
    SIGINT whatever exit code it asked for. Modules make dataclasses so while they load: a
    Ctrl-C landing there ended the run with status -2 instead of 130."""
    (tmp_path / "interrupted_run.py").write_text(INTERRUPTED_IN_EXEC)
    tree = tmp_path / "tree"
    write(tree / "app" / "__init__.py", "")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "interrupted_run",
            "analyze",
            str(tree),
            "-o",
            str(tmp_path / "out"),
        ],
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (proc.returncode, proc.stderr.strip()) == (130, INTERRUPTED)
    assert not (tmp_path / "out").exists()
