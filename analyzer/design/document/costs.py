"""costs: the "Cost of the cut" section of decomposition.json (``costs``), from priced flows.

Plain JSON values in a fixed order: entry points costliest first, then transactions, joins and
chatty calls by file and line, communication and isolation by service.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from analyzer.design.cost.flows import Flows
from analyzer.design.cost.partition import owners_under, price_partition, table_owners
from analyzer.design.cost.price import Costs, EntryCost, TransactionCost
from analyzer.design.data.catalog import DataCatalog

MAX_HOP_SITES = 5


def _hop_sites(cost: EntryCost) -> list[dict[str, Any]]:
    """The first hop from each service into each other one (by kind), in call-tree order."""
    first: dict[tuple[str, str, str], dict[str, Any]] = {}
    for h in cost.hops:
        key = (h.kind, h.source, h.target)
        if key not in first:
            first[key] = {
                "kind": h.kind,
                "from": h.source,
                "to": h.target,
                "target": h.detail,
                "file": h.path,
                "line": h.line,
            }
            if len(first) == MAX_HOP_SITES:
                break
    return list(first.values())


def _entry(cost: EntryCost) -> dict[str, Any]:
    entry = cost.entry
    record: dict[str, Any] = {
        "kind": entry.kind,
        "name": entry.name,
        "handler": entry.handler,
        "file": entry.path,
        "line": entry.line,
        "home": cost.home,
        "services": list(cost.services),
        "hops": len(cost.hops),
        "complexity": cost.complexity,
        "reads": {s: list(t) for s, t in cost.reads},
        "writes": {s: list(t) for s, t in cost.writes},
        "transactions": list(cost.transactions),
        "chain": list(cost.chain),
        "hop_sites": _hop_sites(cost),
    }
    if entry.declared:
        record["declared"] = entry.declared
    if cost.truncated:
        record["truncated"] = True
    return record


def _transaction(cost: TransactionCost) -> dict[str, Any]:
    t = cost.transaction
    return {
        "kind": t.kind,
        "node": t.node,
        "file": t.path,
        "line": t.line,
        "end_line": t.end_line,
        "services": list(cost.services),
        "tables": {s: list(tables) for s, tables in cost.tables},
        "writes": [{"table": w.table, "file": w.path, "line": w.line} for w in t.writes],
        "entry_points": list(cost.entries),
    }


def costs_section(costs: Costs, totals: dict[str, int]) -> dict[str, Any]:
    """The ``costs`` key: every entry point, and what the cut breaks (see docs/metrics.md)."""
    pairs: Counter[tuple[str, str, str]] = Counter()
    for t in costs.transactions:
        for a in t.services:
            for b in t.services:
                if a < b:
                    pairs[(a, b, "transactions")] += 1
    for j in costs.joins:
        pairs[(j.source, j.target, "joins")] += 1
    for call in costs.chatty:
        pairs[(call.source, call.target, "chatty")] += 1
    communication = []
    for c in costs.communication:
        record: dict[str, Any] = {
            "from": c.source,
            "to": c.target,
            "style": c.style,
            "evidence": dict(c.evidence),
            "examples": [
                {"style": s, "file": path, "line": line, "what": what}
                for s, path, line, what in c.examples
            ],
        }
        low, high = sorted((c.source, c.target))
        breaks = {
            "transactions": pairs[(low, high, "transactions")],
            "joins": pairs[(c.source, c.target, "joins")],
            "chatty": pairs[(c.source, c.target, "chatty")],
        }
        record["breaks"] = {k: v for k, v in breaks.items() if v}
        communication.append(record)
    return {
        "totals": dict(totals),
        "entry_points": [_entry(e) for e in costs.entries],
        "transactions": [_transaction(t) for t in costs.transactions],
        "joins": [
            {
                "file": j.site.join.path,
                "line": j.site.join.line,
                "node": j.site.endpoint,
                "how": j.site.join.how,
                "table": j.site.join.table,
                "joined": j.site.join.joined,
                "from": j.source,
                "to": j.target,
            }
            for j in costs.joins
        ],
        "chatty": [
            {
                "file": c.call.path,
                "line": c.call.line,
                "node": c.call.source,
                "target": c.call.target,
                "call": c.call.chain,
                "from": c.source,
                "to": c.target,
            }
            for c in costs.chatty
        ],
        "communication": communication,
        "isolation": {
            i.service: {"needs": list(i.needs), "chain": list(i.chain), "entry": i.entry}
            for i in costs.isolation
        },
    }


@dataclass(frozen=True, slots=True)
class CostOfTheCut:
    """The ``costs`` section (the proposal's) and the cost metrics of both sides."""

    section: dict[str, Any]
    proposed: dict[str, float | int | None]
    as_is: dict[str, float | int | None]


def cost_of_the_cut(
    flows: Flows,
    node_of: Mapping[str, str],
    proposal: Mapping[str, str],
    as_is: Mapping[str, str],
    shared: Collection[str],
    catalog: DataCatalog,
) -> CostOfTheCut:
    """Price the proposal (every detail) and today's layout (its metrics), the shared library
    left out of both alike. Plain values only: a forked process hands it back cheaply."""
    costs = price_partition(flows, node_of, proposal, table_owners(proposal), shared)
    owners = owners_under(catalog, node_of, as_is)
    today = price_partition(flows, node_of, as_is, owners, shared, detail=False)
    totals = {
        "entry_points": len(flows.entries),
        "transactions": len(flows.transactions),
        "joins": len(flows.joins),
        "loop_calls": len(flows.loops),
    }
    return CostOfTheCut(costs_section(costs, totals), dict(costs.metrics), dict(today.metrics))
