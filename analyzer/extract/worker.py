"""worker: parse one file with its guards, in this process or as a parser process.

``parse_guarded`` is what every file goes through: big data modules and very large files are read
with ``ast`` (see ``guard`` and ``skeleton``), everything else with libcst (``parse``).

Run as ``python -m analyzer.extract.worker READ_FD WRITE_FD`` it is a parser process of
``pool``: it says ``ready`` once imported, then answers each ``(index, root, source, data)`` with
``(index, encoded result)`` (see ``codec``: the parent stores these bytes in the cache as they
are) until it reads ``None`` or its pipe closes.
"""

from __future__ import annotations

import gc
import os
import queue
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from analyzer.extract.codec import encode
from analyzer.extract.guard import LIMIT_BYTES, needs_skeleton
from analyzer.extract.parse import UndecodableSource, decode_source, parse_file
from analyzer.extract.pool import READY
from analyzer.extract.skeleton import SkeletonError, read_skeleton
from analyzer.model.facts import ParseResult, Skipped
from analyzer.model.source import SourceFile

# Cyclic garbage is collected after this many bytes of source (collections only slow libcst).
_COLLECT_BYTES = 4_000_000
Job = tuple[int, str, SourceFile, bytes | None]


def parse_guarded(root: str, source: SourceFile, data: bytes | None) -> ParseResult:
    """Facts of one file; ``data`` holds its bytes (``None``: read them here)."""
    if data is None:
        return parse_file(Path(root), source)
    found = needs_skeleton(data)
    if found is not None:
        try:
            text = decode_source(data)
        except UndecodableSource as exc:
            return Skipped(source.path, str(exc), source.module)
        try:
            return read_skeleton(data, text, source, found)
        except SkeletonError as exc:
            if len(data) >= LIMIT_BYTES:
                size = f"{len(data) / 1e6:.1f} MB"
                return Skipped(
                    source.path,
                    f"too large for the full parser ({size}) and unreadable by ast: {exc}",
                    source.module,
                )
    return parse_file(Path(root), source, data)


def serve(jobs: Connection, results: Connection) -> None:
    """Answer jobs until told to stop; exceptions go back to the parent as text. A thread
    receives jobs as they come, so the parent never blocks sending one ahead."""
    inbox: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(jobs, inbox), daemon=True).start()
    results.send(READY)
    pending = 0
    while (job := inbox.get()) is not None:
        index, root, source, data = job
        try:
            results.send((index, encode(parse_guarded(root, source, data))))
        except Exception as exc:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            results.send((index, RuntimeError(f"{source.path}: {detail}")))
        pending += len(data) if data is not None else source.size
        if pending >= _COLLECT_BYTES:
            gc.collect()
            pending = 0


def _receive(jobs: Connection, inbox: queue.SimpleQueue[Job | None]) -> None:
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            job = None
        inbox.put(job)
        if job is None:
            return


def main(argv: Sequence[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles interrupts and stops us
    jobs = Connection(int(argv[1]), writable=False)
    results = Connection(int(argv[2]), readable=False)
    gc.freeze()  # everything imported so far is permanent: collections skip it
    gc.disable()
    serve(jobs, results)
    # Every result has been sent; tearing the parser's heap down object by object would only
    # keep the parent waiting (~0.1 s per worker after a large tree).
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
