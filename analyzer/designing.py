"""The stages after the front end: couplings, graph, cluster, evaluate, document.

``analyzer.pipeline`` runs them when the cache holds no document for the input; it loads this
module (and with it networkx, igraph and every design stage) while the parser processes start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from analyzer.collect import Collected, derive
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
from analyzer.extract.scan import ScanResult
from analyzer.extract.stages import background
from analyzer.forked import Forked, cancelled_on_error
from analyzer.model.facts import FileFacts
from analyzer.model.history import History
from analyzer.model.options import AnalyzeOptions
from analyzer.model.progress import Reporter
from analyzer.model.source import Discovery
from analyzer.model.timings import Timings


@dataclass(frozen=True, slots=True)
class Designed:
    """What the design stages made."""

    document: Document
    graph: CodeGraph
    proposal: Proposal
    collected: Collected


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


def design(
    discovery: Discovery,
    scanned: ScanResult,
    options: AnalyzeOptions,
    history: History,
    reporter: Reporter,
    timings: Timings,
    on_draft: Callable[[Document], object] | None = None,
) -> Designed:
    """couplings -> graph -> cluster -> evaluate -> document, from the scanned facts and the
    history."""
    collected = derive(discovery, scanned, options, timings)
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
    return Designed(document, graph, proposal, collected)
