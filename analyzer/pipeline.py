"""The analysis pipeline: discover, parse, couplings (``analyzer.collect``), then graph, cluster,
evaluate, document.

Each stage is a plain function; this module only wires them together and times them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from analyzer.collect import Collected, background, collect, derive, discover_stage, scan_stage
from analyzer.design.cluster.proposal import Proposal, propose
from analyzer.design.cost.flows import build_flows
from analyzer.design.cost.registered import SignalInputs, registered_couplings
from analyzer.design.document.costs import cost_of_the_cut
from analyzer.design.document.decompose import Document, build_document, graph_section
from analyzer.design.document.explain import explain
from analyzer.design.document.splitting import splitting_section
from analyzer.design.evaluate.asis import as_is_units
from analyzer.design.evaluate.metrics import evaluate
from analyzer.design.signals.cochange import cochange_couplings
from analyzer.design.signals.graph import CodeGraph, build_graph, code_nodes, whole_modules
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.extract.cache import FactCache, code_digest, open_cache
from analyzer.extract.git import read_history
from analyzer.extract.scan import ScanResult
from analyzer.forked import Forked, cancelled_on_error
from analyzer.model.facts import FileFacts
from analyzer.model.history import History
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import Reporter, SilentReporter
from analyzer.model.source import Discovery
from analyzer.model.timings import Timings, peak_memory

# The front end's names, for the callers that know the pipeline as a whole.
__all__ = [
    "Analysis",
    "Collected",
    "Timings",
    "analyze",
    "background",
    "collect",
    "derive",
    "peak_memory",
    "uses_django",
]


@dataclass(frozen=True, slots=True)
class Analysis:
    document: Document
    discovery: Discovery
    scan: ScanResult
    graph: CodeGraph | None  # None when the document was reused from the cache
    proposal: Proposal | None
    timings: Timings
    collected: Collected | None = None


def parameters(options: AnalyzeOptions) -> dict[str, Any]:
    return {
        "granularity": options.granularity,
        "services": options.services if options.services is not None else "auto",
        "seed": options.seed,
        "weights": options.weights.as_dict(),
        "include_tests": options.include_tests,
        "exclude": list(options.excludes),
        "min_service_lines": options.engine.min_lines,
    }


def git_parameters(history: History, enabled: bool) -> dict[str, Any]:
    return {
        "used": enabled and history.available,
        "commits": len(history.commits),
        "head": history.head,
        "shallow": history.shallow,
        "note": history.note,
    }


def steering_parameters(options: AnalyzeOptions, proposal: Proposal) -> dict[str, Any]:
    if options.steering.empty:
        return {}
    return {"steering": {**options.steering.as_dict(), "applied": list(proposal.notes)}}


def uses_django(files: Iterable[FileFacts]) -> bool:
    return any(
        i.module == "django" or i.module.startswith("django.") for f in files for i in f.imports
    )


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
    scanned = scan_stage(discovery, options, reporter, timings, cache, hooks.meanwhile)
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
    collected = derive(discovery, scanned, options, timings)
    analysis = _design(collected, options, history, reporter, timings, hooks.on_draft)
    if on_document is not None:
        on_document(analysis.document)
    if cache is not None and key:
        with timings.stage("document"):
            cache.put_blob(slot, key, json.dumps(analysis.document).encode())
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
        document = json.loads(stored)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _design(
    collected: Collected,
    options: AnalyzeOptions,
    history: History,
    reporter: Reporter,
    timings: Timings,
    on_draft: Callable[[Document], object] | None = None,
) -> Analysis:
    """graph -> cluster -> evaluate -> document, from the collected facts and the history."""
    files = collected.files
    with timings.stage("history"):
        cochange = cochange_couplings(history, {f.path: f.module for f in files})
    table = SymbolTable(files)
    flows = collected.flows or build_flows(files, table, collected.data)
    with timings.stage("graph"):
        definers = [t.definer for t in collected.data.tables if t.definer]
        nodes = code_nodes(files, options.granularity, whole_modules(files, definers))
        inputs = SignalInputs(files, table, collected.data, flows)
        couplings = [
            *collected.couplings,
            *cochange,
            *registered_couplings(inputs, options.weights),
        ]
        graph = build_graph(
            nodes,
            couplings,
            options.granularity,
            options.weights,
            collected.external_imports,
        )
    with timings.stage("cluster"):
        reporter.start("Clustering")
        units = as_is_units(collected.discovery.files, django=uses_django(files))
        hint = {n.id: units.get(n.module, n.module) for n in graph.nodes}
        unsettled = propose(
            graph,
            options.services,
            options.seed,
            hint,
            options.steering,
            collected.data,
            # On a second core, the stability reruns overlap the metrics and explanations.
            background=background(options),
            params=options.engine,
        )
        proposal = unsettled.proposal
        reporter.done()
    as_is = {n.id: units.get(n.module, n.module) for n in graph.nodes if n.kind != "table"}
    # On a second core, the cost of the cut is priced while metrics and explanations are
    # computed (the stability reruns share that core).
    pricing = Forked(
        cost_of_the_cut,
        flows,
        graph.node_of,
        proposal.assignment,
        as_is,
        proposal.shared,
        collected.data,
        enabled=background(options),
    )
    # the forked work (pricing, stability reruns) must not outlive a failure below
    with cancelled_on_error(pricing, unsettled):
        with timings.stage("evaluate"):
            metrics = {
                "proposed": evaluate(graph, proposal.assignment, proposal.shared),
                "as_is": evaluate(graph, as_is, proposal.shared),
            }
        with timings.stage("document"):
            explanations = explain(graph, proposal)
            section = graph_section(
                graph, proposal.assignment, proposal.ownership, [s.name for s in proposal.services]
            )
            splitting = splitting_section(
                graph,
                proposal,
                metrics["proposed"]["modularity"],
                len(flows.entries),
                len(collected.data.tables),
                options.seed,
            )

        def document_of(settled: Proposal, costs: Mapping[str, Any]) -> Document:
            return build_document(
                parameters={
                    **parameters(options),
                    "git": git_parameters(history, options.git),
                    **steering_parameters(options, settled),
                },
                files=files,
                skipped=collected.skipped,
                set_aside=collected.roles.set_aside,
                graph=graph,
                proposal=settled,
                metrics=metrics,
                ownership=settled.ownership,
                extra={
                    "explanations": explanations,
                    "graph": section,
                    "costs": costs,
                    "splitting": splitting,
                },
            )

        if on_draft is not None:  # while the forked work finishes
            with timings.stage("document"):
                on_draft(document_of(proposal, {}))
        with timings.stage("cost"):
            priced = pricing.result()
            metrics["proposed"].update(priced.proposed)
            metrics["as_is"].update(priced.as_is)
        with timings.stage("document"):
            proposal = unsettled.settle()
            document = document_of(proposal, priced.section)
    return Analysis(
        document, collected.discovery, collected.scan, graph, proposal, timings, collected
    )
