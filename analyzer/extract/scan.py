"""scan: the facts of every discovered file, each file content parsed once.

Every file is read and keyed (``cache.fact_key``); unchanged files come from the fact cache, the
others are parsed, largest first, in worker processes when that pays (``pool``), else in this
process, where files whose shape could crash libcst still go to a worker of their own (``guard``).
Results are in module order whatever the order in which they were parsed.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from analyzer.extract.cache import FactCache, fact_key
from analyzer.extract.codec import decode, encode
from analyzer.extract.pool import Job, ParserPool, PoolUnavailable, supported
from analyzer.extract.read import Unreadable, read_bytes
from analyzer.forked import Forked
from analyzer.model.facts import FileFacts, ParseResult, Skipped
from analyzer.model.progress import Reporter, SilentReporter
from analyzer.model.source import Discovery, SourceFile

Meanwhile = Callable[[bool], object]
"""Called once by a scan, with whether files of this run are parsed (see ``scan_read``)."""

# Below this much source to parse a process pool costs more than it saves (start-up ~0.3-0.5 s);
# and a worker is worth starting for about every half of it (~0.5 s of parsing).
_POOL_MIN_BYTES = 400_000
_BYTES_PER_WORKER = 200_000


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Facts in module order, skips in path order; how many files were parsed and how many came
    from the cache; one-line notices (about the cache) for the user; with a cache, ``digest``
    stands for every file's path, module and content and the extractor's version (empty
    without one)."""

    facts: tuple[FileFacts, ...]
    skipped: tuple[Skipped, ...]
    parsed: int = 0
    cached: int = 0
    notes: tuple[str, ...] = ()
    digest: bytes = b""


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(slots=True)
class _Run:
    root: str
    sources: tuple[SourceFile, ...]
    keys: list[bytes | None]
    reporter: Reporter
    results: dict[int, ParseResult] = field(default_factory=dict)
    fresh: list[tuple[bytes, str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def done(self, index: int, result: ParseResult, cacheable: bool = True) -> None:
        """A file parsed here."""
        self.results[index] = result
        key = self.keys[index]
        if cacheable and key is not None:
            self.fresh.append((key, self.sources[index].path, encode(result)))
        self.reporter.advance(1)

    def received(self, index: int, blob: bytes, cacheable: bool) -> None:
        """A file parsed by a worker, its facts encoded."""
        self.results[index] = decode(blob)
        key = self.keys[index]
        if cacheable and key is not None:
            self.fresh.append((key, self.sources[index].path, blob))
        self.reporter.advance(1)


@dataclass(frozen=True, slots=True)
class ReadFiles:
    """Every discovered file read and keyed for the cache, before anything is parsed or loaded;
    ``digest`` stands for all of them (empty without a usable cache)."""

    discovery: Discovery
    contents: list[bytes | None]
    keys: list[bytes | None]
    digest: bytes


def read_files(discovery: Discovery, cache: FactCache | None) -> ReadFiles:
    """Read and key every file of ``discovery`` (``cache.fact_key``)."""
    sources = discovery.files
    contents = [_read(discovery.root, f) for f in sources]
    keyed = cache is not None and cache.usable
    keys = [
        fact_key(f, d) if keyed and d is not None else None
        for f, d in zip(sources, contents, strict=True)
    ]
    digest = _digest(sources, keys) if keyed else b""
    return ReadFiles(discovery, contents, keys, digest)


def scan(
    discovery: Discovery,
    jobs: int = 0,
    reporter: Reporter | None = None,
    cache: FactCache | None = None,
    meanwhile: Meanwhile | None = None,
) -> ScanResult:
    """Facts of every file of ``discovery``; ``jobs`` 0 means one process per CPU; facts of
    unchanged files come from ``cache`` (see ``cache.open_cache``), and new ones go to it.
    ``meanwhile`` as for ``scan_read``."""
    reporter = reporter or SilentReporter()
    reporter.start("Reading files")
    read = read_files(discovery, cache)
    reporter.done()
    return scan_read(read, jobs, reporter, cache, meanwhile)


def scan_read(
    read: ReadFiles,
    jobs: int = 0,
    reporter: Reporter | None = None,
    cache: FactCache | None = None,
    meanwhile: Meanwhile | None = None,
) -> ScanResult:
    """``scan`` of files already read by ``read_files``; ``meanwhile`` is called once, after
    the cached facts are loaded, with whether files of this run are parsed: while a few are
    parsed in a forked child, or many in parser processes loading the parser, or before they
    are parsed here."""
    reporter = reporter or SilentReporter()
    jobs = jobs or default_jobs()
    discovery, contents, keys = read.discovery, read.contents, read.keys
    sources = discovery.files
    run = _Run(discovery.root, sources, keys, reporter)
    wanted = [k for k in keys if k is not None]
    present = cache.present(wanted) if cache is not None else set()
    early = _parse_early(
        [(i, f, contents[i]) for i, f in enumerate(sources) if keys[i] not in present], jobs, run
    )
    stored = cache.load(wanted) if cache is not None else {}
    for index, key in enumerate(keys):
        hit = stored.get(key) if key is not None else None
        if hit is not None and hit.path == sources[index].path:
            run.results[index] = hit
    cached = len(run.results)
    if early is not None and meanwhile is not None:
        meanwhile(True)  # while the forked child parses
        meanwhile = None
    if early is not None:
        for index, blob in early.result():
            if index not in run.results:
                run.received(index, blob, cacheable=True)
    misses: list[Job] = [(i, f, contents[i]) for i, f in enumerate(sources) if i not in run.results]
    misses.sort(key=lambda job: (-_size(job), job[1].module))
    if misses:
        reporter.start(f"Parsing ({cached} cached)" if cached else "Parsing", len(misses))
        _parse(misses, jobs, run, meanwhile)
        reporter.done()
    elif meanwhile is not None:
        meanwhile(False)
    parsed = len(sources) - cached
    if cache is not None:
        cache.save(discovery.root, run.fresh, (k for k in keys if k is not None))
        run.notes.extend(cache.notes)
    facts = sorted((r for r in run.results.values() if isinstance(r, FileFacts)), key=_module)
    skipped = sorted((r for r in run.results.values() if isinstance(r, Skipped)), key=_path)
    digest = read.digest
    return ScanResult(tuple(facts), tuple(skipped), parsed, cached, tuple(run.notes), digest)


def _digest(sources: Sequence[SourceFile], keys: Sequence[bytes | None]) -> bytes:
    """One digest of the whole input: the files' cache keys, or the path of an unreadable one."""
    digest = hashlib.blake2b(digest_size=20)
    for source, key in zip(sources, keys, strict=True):
        digest.update(key if key is not None else f"unreadable:{source.path}".encode())
    return digest.digest()


def _read(root: str, source: SourceFile) -> bytes | None:
    """The file's bytes, read without following links; ``None`` when it cannot be read (parsing
    then says why)."""
    try:
        return read_bytes(root, source.path)
    except Unreadable:
        return None


def _size(job: Job) -> int:
    return len(job[2]) if job[2] is not None else job[1].size


def _module(facts: FileFacts) -> str:
    return facts.module


def _path(skipped: Skipped) -> str:
    return skipped.path


def _parse_early(misses: list[Job], jobs: int, run: _Run) -> Forked[list[tuple[int, bytes]]] | None:
    """A few changed files, parsed by a forked child while this process loads the facts of the
    others from the cache: importing the parser and parsing them costs about as much as the
    loading. ``None`` when there is nothing to overlap, or the files go to the parser pool."""
    if not misses or jobs < 2 or not supported() or sum(map(_size, misses)) >= _POOL_MIN_BYTES:
        return None
    from analyzer.extract.guard import shape  # noqa: PLC0415 - the parser, only when needed

    safe = [job for job in misses if job[2] is not None and not shape(job[2]).risky]
    return Forked(_parse_encoded, run.root, safe) if safe else None


def _parse_encoded(root: str, jobs: list[Job]) -> list[tuple[int, bytes]]:
    from analyzer.extract.worker import parse_guarded  # noqa: PLC0415

    gc.disable()  # in the forked child: parse trees are dropped by reference counting
    return [(index, encode(parse_guarded(root, source, data))) for index, source, data in jobs]


def _parse(misses: list[Job], jobs: int, run: _Run, meanwhile: Meanwhile | None) -> None:
    """Parse ``misses``: in parser processes when they are worth starting (``meanwhile`` is
    called while they load the parser), else here (``meanwhile`` first)."""
    pending = [meanwhile] if meanwhile is not None else []

    def once() -> None:  # the pool may fail after calling it
        while pending:
            pending.pop()(True)

    total = sum(_size(job) for job in misses)
    if supported() and jobs > 1 and len(misses) > 1 and total >= _POOL_MIN_BYTES:
        workers = min(jobs, max(2, total // _BYTES_PER_WORKER))
        try:
            ParserPool(workers, run.root).run(misses, run.received, once)
            return
        except PoolUnavailable as exc:
            run.notes.append(f"parsing in one process: {exc}")
            misses = [job for job in misses if job[0] not in run.results]
    once()
    _parse_here(misses, run)


def _parse_here(misses: list[Job], run: _Run) -> None:
    """Parse in this process, except files whose shape could crash the parser."""
    # Imported here: a run whose facts all come from the cache never loads the parser.
    from analyzer.extract.guard import shape  # noqa: PLC0415
    from analyzer.extract.worker import parse_guarded  # noqa: PLC0415

    risky: list[Job] = []
    enabled = gc.isenabled()
    gc.disable()  # parse trees are dropped by reference counting; collections only slow libcst
    try:
        for index, source, data in misses:
            if data is not None and supported() and shape(data).risky:
                risky.append((index, source, data))
                continue
            run.done(index, parse_guarded(run.root, source, data))
    finally:
        if enabled:
            gc.enable()
    if risky:
        _isolate(risky, run)


def _isolate(risky: list[Job], run: _Run) -> None:
    """Parse risky files in a worker process of their own: a crash costs only the file."""
    from analyzer.extract.worker import parse_guarded  # noqa: PLC0415

    try:
        ParserPool(1, run.root).run(risky, run.received)
    except PoolUnavailable as exc:
        run.notes.append(f"parsing in one process: {exc}")
        for index, source, data in risky:
            if index not in run.results:
                run.done(index, parse_guarded(run.root, source, data))
