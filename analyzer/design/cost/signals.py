"""The cost signals: couplings that make a proposal pay for what it breaks.

- ``transaction``: the code holding a transaction that writes two or more tables, to each of
  them. A cut between those tables turns the transaction into a saga, so the graph ties them
  through the code that keeps them consistent.
- ``couse``: an entry point, to each table its call tree reads or writes (when it touches at
  least two and at most ``COUSE_LIMIT``): the data one functionality uses together, in the
  spirit of the transactional-contexts decompositions. An entry point touching more tables than
  that (an admin dashboard, a generic export) says little about where any of them belongs.

Registered in ``analyzer.model.signals`` (``couse`` is off by default: it did not pay on the
fixtures); weights and the measurements behind them are in docs/configuration.md.
"""

from __future__ import annotations

from analyzer.design.cost.callgraph import code_node
from analyzer.design.cost.registered import SignalInputs
from analyzer.model.coupling import Coupling, table_node

COUSE_LIMIT = 12


def transaction_couplings(inputs: SignalInputs) -> list[Coupling]:
    out: list[Coupling] = []
    for transaction in inputs.flows.transactions:
        tables = transaction.tables
        if len(tables) < 2:
            continue
        source = code_node(transaction.node)
        detail = f"{transaction.kind} writes {', '.join(sorted(tables))}"
        for table in tables:
            out.append(
                Coupling(
                    source,
                    table_node(table),
                    "transaction",
                    transaction.path,
                    transaction.line,
                    detail,
                )
            )
    return out


def couse_couplings(inputs: SignalInputs) -> list[Coupling]:
    out: list[Coupling] = []
    flows = inputs.flows
    for entry in flows.entries:
        tree = flows.walk(entry)
        tables = sorted({touch.table for _, touch in tree.touches(flows.graph)})
        if not 2 <= len(tables) <= COUSE_LIMIT:
            continue
        source = code_node(entry.handler)
        detail = f"{entry.kind} {entry.name}"
        out.extend(
            Coupling(source, table_node(t), "couse", entry.path, entry.line, detail) for t in tables
        )
    return out
