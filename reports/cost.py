"""The "Cost of the cut" of a document, as people read it: per entry point, per seam, per service.

Everything comes from the document's ``costs`` section (a ``seams/decomposition@2`` document);
an older document has none, and the report then says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reports.metric_info import METRICS
from reports.verdict import mark

COST_METRICS = (
    "distributed_transactions",
    "functionality_complexity",
    "cross_service_joins",
    "chatty_sites",
)
ENTRIES_SHOWN = 300
PER_SERVICE_SHOWN = 5


def _and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def describe_entry(entry: Mapping[str, Any], transactions: Sequence[Mapping[str, Any]]) -> str:
    """``checkout: 4 services, writes orders and payments in one transaction -> saga``."""
    services = list(entry.get("services") or [])
    head = f"{entry.get('name')}: {len(services)} service{'s' if len(services) != 1 else ''}"
    sagas = [
        transactions[i]
        for i in entry.get("transactions") or ()
        if isinstance(i, int) and 0 <= i < len(transactions)
    ]
    if sagas:
        widest = max(sagas, key=lambda t: len(t.get("services") or ()))
        more = f" (and {len(sagas) - 1} more)" if len(sagas) > 1 else ""
        return (
            f"{head}, writes {_and(widest.get('services') or [])} in one transaction"
            f"{more} \u2192 saga"
        )
    written = list((entry.get("writes") or {}).keys())
    if len(written) > 1:
        return f"{head}, writes {_and(written)} (no shared transaction)"
    if written:
        return f"{head}, writes {written[0]} only"
    return f"{head}, reads only" if entry.get("reads") else head


def tables_text(tables: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(f"{service}: {', '.join(names)}" for service, names in tables.items())


@dataclass(frozen=True, slots=True)
class ServiceCost:
    """The cost of the cut seen from one service."""

    index: int
    name: str
    entries: int
    costliest: tuple[Mapping[str, Any], ...]
    transactions: tuple[int, ...]
    joins: int
    chatty: int
    needs: tuple[str, ...]
    chain: tuple[str, ...]
    talks: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class CostView:
    available: bool
    metrics: tuple[dict[str, Any], ...] = ()
    entries: tuple[Mapping[str, Any], ...] = ()
    entry_total: int = 0
    transactions: tuple[Mapping[str, Any], ...] = ()
    joins: tuple[Mapping[str, Any], ...] = ()
    chatty: tuple[Mapping[str, Any], ...] = ()
    seams: tuple[Mapping[str, Any], ...] = ()
    services: dict[str, ServiceCost] = field(default_factory=dict)
    totals: Mapping[str, int] = field(default_factory=dict)

    def sentence(self, entry: Mapping[str, Any]) -> str:
        return describe_entry(entry, self.transactions)


def cost_view(document: Mapping[str, Any]) -> CostView:
    costs = document.get("costs")
    if not isinstance(costs, Mapping):
        return CostView(False)
    metrics = document.get("metrics") or {}
    proposed, as_is = metrics.get("proposed") or {}, metrics.get("as_is") or {}
    infos = {m.key: m for m in METRICS}
    rows = tuple(
        {
            "info": infos[key],
            "proposed": proposed.get(key),
            "as_is": as_is.get(key),
            "verdict": mark(key, proposed.get(key), as_is.get(key)),
        }
        for key in COST_METRICS
        if key in proposed or key in as_is
    )
    entries = list(costs.get("entry_points") or [])
    transactions = list(costs.get("transactions") or [])
    joins = list(costs.get("joins") or [])
    chatty = list(costs.get("chatty") or [])
    seams = list(costs.get("communication") or [])
    return CostView(
        True,
        rows,
        tuple(entries[:ENTRIES_SHOWN]),
        len(entries),
        tuple(transactions),
        tuple(joins),
        tuple(chatty),
        tuple(seams),
        _by_service(document, costs, entries, transactions, joins, chatty, seams),
        dict(costs.get("totals") or {}),
    )


def _by_service(
    document: Mapping[str, Any],
    costs: Mapping[str, Any],
    entries: list[Mapping[str, Any]],
    transactions: list[Mapping[str, Any]],
    joins: list[Mapping[str, Any]],
    chatty: list[Mapping[str, Any]],
    seams: list[Mapping[str, Any]],
) -> dict[str, ServiceCost]:
    homes: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for entry in entries:
        if entry.get("home"):
            homes[str(entry["home"])].append(entry)
    isolation = costs.get("isolation") or {}
    found = {}
    for index, service in enumerate(document.get("services") or []):
        name = str(service.get("name"))
        mine = homes.get(name, [])
        solo = isolation.get(name) or {}
        found[name] = ServiceCost(
            index,
            name,
            len(mine),
            tuple(mine[:PER_SERVICE_SHOWN]),
            tuple(i for i, t in enumerate(transactions) if name in (t.get("services") or ())),
            sum(1 for j in joins if name in (j.get("from"), j.get("to"))),
            sum(1 for c in chatty if c.get("from") == name),
            tuple(solo.get("needs") or ()),
            tuple(solo.get("chain") or ()),
            tuple(s for s in seams if s.get("from") == name),
        )
    return found
