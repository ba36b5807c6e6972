"""Ctrl-C and SIGTERM: a run is interrupted before any output changes or after all of them have.

Exit code 130 either way; the command line says which of the two happened.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from analyzer.model.errors import SeamsError
from reports.files import write_all_atomic

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
    ignore_further()
    raise KeyboardInterrupt


def ignore_further() -> None:
    """The run stops on an interrupt: a second Ctrl-C or SIGTERM (Ctrl-C pressed twice) is
    ignored from now on. Landing while the run cleans up, it would cut that short; landing
    while the interpreter exits, once Python has put the default handlers back, it would end
    the process by the signal instead of exit code 130."""
    for signum in _INTERRUPTS:
        signal.signal(signum, signal.SIG_IGN)


def _on_unraisable(unraisable: Any) -> None:
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _RECEIVED.append(signal.SIGINT)
        return
    sys.__unraisablehook__(unraisable)


def install() -> None:
    """Turn SIGINT and SIGTERM into ``KeyboardInterrupt``, and remember each one."""
    _RECEIVED.clear()
    for signum in _INTERRUPTS:
        signal.signal(signum, _on_interrupt)
    sys.unraisablehook = _on_unraisable


def check_interrupted() -> None:
    """Raise ``KeyboardInterrupt`` if an interrupt arrived, even one something swallowed."""
    if _RECEIVED:
        raise KeyboardInterrupt


@contextmanager
def _deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while outputs are renamed into place."""
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
    with _deferred():
        try:
            write_all_atomic(outputs)
        except OSError as exc:
            raise SeamsError(
                f"cannot write to {exc.filename or 'the output directory'}: {exc.strerror or exc}"
            ) from None
