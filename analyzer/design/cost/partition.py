"""partition: price a partition of the clustering's graph (the proposal, today's layout).

The flows speak of endpoints (``m:Class.method``) and tables; a partition assigns the graph's
nodes (``m:Class``, or a module kept whole) to services. Nodes in ``shared`` (the shared
library) belong to no service: their code runs inside whichever service calls it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from analyzer.design.cost.flows import Flows
from analyzer.design.cost.price import Costs, price
from analyzer.design.data.catalog import DataCatalog
from analyzer.design.data.ownership import assign_ownership
from analyzer.model.coupling import module_of, table_node


def price_partition(
    flows: Flows,
    node_of: Mapping[str, str],
    assignment: Mapping[str, str],
    owners: Mapping[str, str],
    shared: Collection[str] = (),
    detail: bool = True,
) -> Costs:
    """The costs of ``assignment`` (graph node -> service) with ``owners`` (table -> service);
    ``node_of`` maps coupling endpoints to graph nodes (``CodeGraph.node_of``); ``detail``
    false for the metrics alone."""
    excluded = frozenset(shared)

    def service_of(code: str) -> str | None:
        node = node_of.get(code)
        if node is None:
            node = code if code in assignment else module_of(code)
        return None if node in excluded else assignment.get(node)

    def owner_of(table: str) -> str | None:
        owner = owners.get(table)
        return None if owner is None or table_node(table) in excluded else owner

    return price(flows, service_of, owner_of, detail)


def table_owners(assignment: Mapping[str, str]) -> dict[str, str]:
    """Owners as a proposal has them: each table node is assigned to its owner."""
    prefix = table_node("")
    return {n[len(prefix) :]: s for n, s in assignment.items() if n.startswith(prefix)}


def owners_under(
    catalog: DataCatalog, node_of: Mapping[str, str], assignment: Mapping[str, str]
) -> dict[str, str]:
    """Owners of the tables under any assignment of code nodes, by the proposal's rule (the
    service writing a table most, else the service of its model; ``analyzer.design.data.
    ownership``)."""
    members: dict[str, set[str]] = defaultdict(set)
    for node, service in assignment.items():
        members[service].add(node)
    names = sorted(members)
    clusters = [frozenset(members[n]) for n in names]
    ownership = assign_ownership(catalog, node_of, clusters)
    kept = ownership.kept or tuple(range(len(names)))
    return {t.table: names[kept[t.owner]] for t in ownership.tables if t.owner is not None}
