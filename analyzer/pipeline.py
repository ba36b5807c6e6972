"""The analysis pipeline: discover, parse (``analyzer.extract.stages``), then couplings, graph,
cluster, evaluate, document (``analyzer.designing``), unless the cache holds the document.

Each stage is a plain function; this module only wires them together and times them.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.extract.cache import FactCache, code_digest, open_cache
from analyzer.extract.git import read_history
from analyzer.extract.scan import ScanResult
from analyzer.extract.stages import background, discover_stage, scan_stage
from analyzer.model.history import History
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import Reporter, SilentReporter
from analyzer.model.source import Discovery
from analyzer.model.timings import Timings, peak_memory

if TYPE_CHECKING:  # the design stages load only when they run (see ``analyze``)
    from analyzer.collect import Collected
    from analyzer.design.cluster.proposal import Proposal
    from analyzer.design.document.decompose import Document
    from analyzer.design.signals.graph import CodeGraph

__all__ = ["Analysis", "Timings", "analyze", "background", "peak_memory"]


@dataclass(frozen=True, slots=True)
class Analysis:
    document: Document
    discovery: Discovery
    scan: ScanResult
    graph: CodeGraph | None  # None when the document was reused from the cache
    proposal: Proposal | None
    timings: Timings
    collected: Collected | None = None


def analyze(
    path: Path,
    options: AnalyzeOptions,
    reporter: Reporter | None = None,
    cache_dir: Path | None = None,
    on_document: Callable[[Document], object] | None = None,
    meanwhile: Callable[[], object] | None = None,
    on_draft: Callable[[Document], object] | None = None,
) -> Analysis:
    """The whole analysis of ``path``. With a cache, a run whose inputs (every file, the
    options, the git history, Seams' own code) are those of the last run reuses its document.
    ``on_document`` is called with the document as soon as it exists, before it is cached;
    ``meanwhile`` once, while parser processes start if files are parsed in them; ``on_draft``
    (when the design stages run) with a draft of the document, all but its stability figures
    and its cost of the cut, while forked processes still compute those."""
    reporter = reporter or SilentReporter()
    timings = Timings()
    discovery = discover_stage(path, options, reporter, timings)
    hooks = _Hooks(on_document, meanwhile, on_draft)
    with open_cache(cache_dir) as cache:
        analysis = _analyze(path, discovery, options, reporter, timings, cache, hooks)
        if cache is not None:  # what the cache met after the scan (busy, damaged) is said too
            notes = tuple(dict.fromkeys([*analysis.scan.notes, *cache.notes]))
            analysis = replace(analysis, scan=replace(analysis.scan, notes=notes))
    return analysis


def _analyze(
    path: Path,
    discovery: Discovery,
    options: AnalyzeOptions,
    reporter: Reporter,
    timings: Timings,
    cache: FactCache | None,
    hooks: _Hooks,
) -> Analysis:
    on_document = hooks.on_document

    def ahead(parsing: bool) -> None:
        # Files change, so the design stages will run: they load while the files are parsed.
        # (A run parsing nothing most likely reuses its document and never needs them.)
        if parsing:
            import_module("analyzer.designing")
        if hooks.meanwhile is not None:
            hooks.meanwhile()

    scanned = scan_stage(discovery, options, reporter, timings, cache, ahead)
    with timings.stage("history"):
        history = (
            read_history(path, cache=cache) if options.git else History(note="not used (--no-git)")
        )
    slot = f"result:{path.resolve()}"
    key = _result_key(discovery, scanned, options, history)
    reused = _load_document(cache, slot, key)
    if reused is not None:
        # Nothing changed: the couplings and the data catalog are not needed either.
        if on_document is not None:
            on_document(reused)
        return Analysis(reused, discovery, scanned, None, None, timings)
    from analyzer.designing import design  # noqa: PLC0415 - loaded ahead, see above

    designed = design(discovery, scanned, options, history, reporter, timings, hooks.on_draft)
    analysis = Analysis(
        designed.document,
        discovery,
        scanned,
        designed.graph,
        designed.proposal,
        timings,
        designed.collected,
    )
    if on_document is not None:
        on_document(analysis.document)
    if cache is not None and key:
        with timings.stage("document"):
            # marshal, not JSON: the document holds only JSON's types, and marshal writes and
            # reads it several times faster (~0.2 s of JSON encoding on a 150k-line tree)
            try:
                stored = marshal.dumps(analysis.document)
            except ValueError:  # not plain data after all: the next run designs again
                pass
            else:
                cache.put_blob(slot, key, stored)
    return analysis


@dataclass(frozen=True, slots=True)
class _Hooks:
    """The caller's hooks into a run (see ``analyze``)."""

    on_document: Callable[[Document], object] | None = None
    meanwhile: Callable[[], object] | None = None
    on_draft: Callable[[Document], object] | None = None


def _result_key(
    discovery: Discovery, scanned: ScanResult, options: AnalyzeOptions, history: History
) -> bytes:
    """A digest of everything an analysis depends on; empty (never reused) without one for
    the files."""
    if not scanned.digest:
        return b""
    digest = hashlib.blake2b(code_digest(), digest_size=20)
    for part in (
        scanned.digest,
        repr(replace(options, jobs=0)).encode(),
        repr(history).encode(),
        repr(discovery.skipped).encode(),
        discovery.root.encode(),
        sys.version.encode(),  # the document is stored in this Python's marshal format
    ):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.digest()


def _load_document(cache: FactCache | None, slot: str, key: bytes) -> Document | None:
    if cache is None or not key:
        return None
    stored = cache.get_blob(slot, key)
    if stored is None:
        return None
    try:
        document = marshal.loads(stored)
    except (ValueError, EOFError, TypeError):
        return None
    return document if isinstance(document, dict) else None
