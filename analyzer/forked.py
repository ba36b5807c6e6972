"""forked: a function computed by a forked copy of this process while this one goes on.

The stages after parsing run in one process; on a machine with a second core, some of them can
overlap: the data catalog with the couplings, clustering's stability reruns with the metrics
and explanations, the HTML report with the JSON and Markdown ones. ``Forked(fn, *args)`` forks
(the child sees this process's memory as it is, so nothing is pickled on the way in), the child
computes ``fn(*args)`` and pickles the result back through a pipe, and ``result()`` returns it;
``cancel()`` kills and reaps a child whose result is no longer wanted, and
``cancelled_on_error(...)`` does so when the work around it fails.
Whenever the child cannot deliver (no ``fork`` on this system, ``enabled`` false, the child
failed, was killed or did not answer within ``timeout``), ``result()`` computes ``fn(*args)``
here instead: the result is the same either way, only the time differs.

The child writes nothing to the terminal, touches no file and leaves with ``os._exit`` (no exit
handlers, no buffers flushed twice); a child whose parent is gone dies on its next write to the
pipe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")

_OK, _FAILED = 0, 3
TIMEOUT = 120.0
"""Seconds a child may take before the parent gives up on it and computes the result itself.
The work sent to children takes about a second on a 150k-line tree; a child that does not
answer in this time is stuck (a lock held by another thread at the fork), not busy."""


class Forked(Generic[T]):
    """``fn(*args)``, computed in a forked child when ``enabled`` and the system can fork."""

    def __init__(
        self,
        fn: Callable[..., T],
        *args: object,
        enabled: bool = True,
        timeout: float = TIMEOUT,
    ) -> None:
        self._fn, self._args, self._timeout = fn, args, timeout
        self._pid: int | None = None
        self._read: int | None = None
        if enabled and hasattr(os, "fork"):
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        with warnings.catch_warnings():
            # Python 3.12 warns when a process with threads forks: the child here only computes
            # and pickles, it takes none of the locks another thread may hold (terminal output).
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child
            code = _FAILED
            try:
                os.close(read)
                data = memoryview(
                    pickle.dumps(self._fn(*self._args), protocol=pickle.HIGHEST_PROTOCOL)
                )
                while data:  # a pipe, not a file: written straight to its descriptor
                    data = data[os.write(write, data) :]
                code = _OK
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def cancel(self) -> None:
        """The result is no longer wanted (the work around it failed): the child, if any, is
        killed and reaped, and ``result()`` would compute it here."""
        pid, read = self._pid, self._read
        self._pid = self._read = None
        if read is not None:
            os.close(read)
        if pid is not None:
            _end(pid)

    def result(self) -> T:
        if self._pid is None or self._read is None:
            return self._fn(*self._args)
        pid, read = self._pid, self._read
        self._pid = self._read = None
        data: bytes | None = None
        status = -1
        try:
            data = _read_all(read, time.monotonic() + self._timeout)
            if data is not None:
                _, status = os.waitpid(pid, 0)
                pid = 0
        finally:
            os.close(read)
            if pid:  # interrupted or out of time: the child's work is no longer wanted
                _end(pid)
        if data is not None and os.waitstatus_to_exitcode(status) == _OK:
            try:
                return pickle.loads(data)  # type: ignore[no-any-return]
            except (pickle.UnpicklingError, EOFError, ValueError):
                pass
        return self._fn(*self._args)


class Cancellable(Protocol):
    def cancel(self) -> None: ...


@contextlib.contextmanager
def cancelled_on_error(*jobs: Cancellable) -> Iterator[None]:
    """Cancel ``jobs`` (forked work the block was to use) when the block raises: work whose
    result is no longer wanted must not outlive the failure."""
    try:
        yield
    except BaseException:
        for job in jobs:
            job.cancel()
        raise


def _end(pid: int) -> None:
    """Kill the child ``pid`` and reap it."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything written to the pipe until the child closes it; ``None`` past ``deadline``."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
