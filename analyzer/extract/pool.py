"""pool: parser processes that may die without taking the run with them.

libcst's native parser can kill its process (a segmentation fault on pathological nesting), and a
huge file can exhaust memory. Files go to the workers largest first (so the slowest do not come
last), a couple ahead of time so that a worker never waits for this process; a worker parses
them in the order sent, so when it dies Seams knows which file killed it: that file becomes a
``Skipped`` entry with the reason, the files sent after it go to other workers, a fresh worker
takes its place, and the run goes on. A file that takes longer than ``FILE_TIMEOUT`` is given up
the same way.

Workers are plain ``python -m analyzer.extract.worker`` processes talking over two pipes, so
they import only the parser (not the caller's ``__main__``), are the caller's direct children
(their memory shows in ``RUSAGE_CHILDREN``), and work the same on every POSIX system.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

import analyzer
from analyzer.extract.codec import encode
from analyzer.model.facts import Skipped
from analyzer.model.source import SourceFile

FILE_TIMEOUT = 300.0
START_TIMEOUT = 120.0  # a worker not ready by then is stuck (importing the parser takes ~0.5 s)
READY = "ready"  # a worker's first message, once it has imported the parser
PREFETCH = 2  # jobs sent to a worker ahead of its results
Job = tuple[int, SourceFile, bytes | None]
OnResult = Callable[[int, bytes, bool], None]
"""Called with (index, encoded result, cacheable) as results arrive; crashes are cacheable,
time-outs and kills are not (they depend on the machine, not on the file)."""


class PoolUnavailable(RuntimeError):
    """Worker processes cannot be started here, or die before they are ready."""


def supported() -> bool:
    return os.name == "posix"


@dataclass(slots=True)
class _Worker:
    """A worker process and the jobs sent to it, oldest (the one being parsed) first."""

    process: subprocess.Popen[bytes]
    jobs: Connection
    results: Connection
    ready: bool = False
    inflight: deque[Job] = field(default_factory=deque)
    since: float = field(default_factory=time.monotonic)


def _spawn() -> _Worker:
    job_read, job_write = os.pipe()
    result_read, result_write = os.pipe()
    package_parent = str(Path(analyzer.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "analyzer.extract.worker", str(job_read), str(result_write)],
            pass_fds=(job_read, result_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except OSError as exc:
        for fd in (job_read, job_write, result_read, result_write):
            os.close(fd)
        raise PoolUnavailable(f"cannot start a parser process: {exc}") from None
    os.close(job_read)
    os.close(result_write)
    return _Worker(process, Connection(job_write, readable=False), Connection(result_read))


def _death(code: int) -> tuple[str, bool]:
    """Why a worker died, and whether the file is to blame (cacheable)."""
    if code == -signal.SIGSEGV:
        return "parser crashed (segmentation fault) on this file", True
    if code == -signal.SIGKILL:
        return "parser process was killed on this file (out of memory?)", False
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"parser crashed ({name}) on this file", True
    return f"parser process exited with code {code} on this file", True


class ParserPool:
    """``size`` worker processes parsing files of the tree at ``root``."""

    def __init__(self, size: int, root: str) -> None:
        self.size = max(1, size)
        self.root = root
        self._workers: list[_Worker] = []

    def run(
        self,
        jobs: Sequence[Job],
        on_result: OnResult,
        meanwhile: Callable[[], object] | None = None,
    ) -> None:
        """Parse every job, in the order given, with up to ``size`` processes; ``meanwhile``
        is called once the processes are started and have their first jobs, while they load
        the parser."""
        queue = deque(jobs)
        try:
            while len(self._workers) < min(self.size, len(queue)):
                self._workers.append(_spawn())
            for worker in self._workers:
                self._fill(worker, queue)
            if meanwhile is not None:
                meanwhile()
            while any(w.inflight for w in self._workers):
                self._step(queue, on_result)
        finally:
            self.close()

    def close(self) -> None:
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.jobs.send(None)
            for conn in (worker.jobs, worker.results):
                conn.close()
        for worker in self._workers:
            try:
                worker.process.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
        self._workers = []

    def _fill(self, worker: _Worker, queue: deque[Job]) -> None:
        """Keep ``PREFETCH`` jobs sent ahead, so a worker never waits for this process."""
        if not worker.inflight:
            worker.since = time.monotonic()
        while queue and len(worker.inflight) < PREFETCH:
            index, source, data = job = queue.popleft()
            # In flight before it is sent: if the worker has died meanwhile, the send fails, its
            # results pipe ends, and _replace blames the file it was parsing and queues this one
            # again. (A BrokenPipeError escaping to click would end the run with a silent 1.)
            worker.inflight.append(job)
            try:
                worker.jobs.send((index, self.root, source, data))
            except OSError:
                return

    def _step(self, queue: deque[Job], on_result: OnResult) -> None:
        busy = {w.results: w for w in self._workers if w.inflight}
        for conn in wait(list(busy), timeout=5.0):
            worker = busy[conn]  # type: ignore[index]
            try:
                message = worker.results.recv()
            except (EOFError, OSError):
                self._replace(worker, queue, on_result)
                continue
            if message == READY:
                worker.ready = True
                continue
            index, result = message
            if isinstance(result, BaseException):
                raise result
            worker.inflight.popleft()
            worker.since = time.monotonic()
            on_result(int(index), result, True)
            self._fill(worker, queue)
        now = time.monotonic()
        for worker in list(self._workers):
            limit = FILE_TIMEOUT if worker.ready else START_TIMEOUT
            if worker.inflight and now - worker.since > limit:
                worker.process.kill()
                self._replace(worker, queue, on_result, timed_out=True)

    def _replace(
        self, worker: _Worker, queue: deque[Job], on_result: OnResult, timed_out: bool = False
    ) -> None:
        """A worker died (or was stopped): blame the file it was parsing, give the jobs sent
        after it to the others, start another worker if work remains."""
        code = worker.process.wait()
        for conn in (worker.jobs, worker.results):
            conn.close()
        self._workers.remove(worker)
        if not worker.ready:
            raise PoolUnavailable(f"a parser process exited with code {code} before starting")
        index, source, _ = worker.inflight.popleft()
        queue.extendleft(reversed(worker.inflight))
        if timed_out:
            reason, cacheable = f"parser gave up after {FILE_TIMEOUT:.0f} s on this file", False
        else:
            reason, cacheable = _death(code)
        on_result(index, encode(Skipped(source.path, reason, source.module)), cacheable)
        if queue:
            fresh = _spawn()
            self._workers.append(fresh)
            self._fill(fresh, queue)
