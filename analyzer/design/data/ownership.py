"""ownership: after clustering, one owner per table, and where the proposal breaks it.

Services are the clusters, by index (names come later and are told the tables each owns). A
table's **owner** is the service its model lives in (the service holding the node that defines
it): data belongs with the code that declares it. One thing overrides that: when another
service holds more than ``OUTVOTE`` times as many of its writing code units (functions,
classes, a module's top level; a unit writing on ten lines counts once) as the model's service,
and at least ``MIN_OUTVOTE`` of them, the table has moved there in all but name, and that
service owns it (``reason`` ``"writes"``). Writes from peripheral code (the catalog's
``peripheral``: management commands, a fake-data generator product code borrows from) are left
out of that count, so a clean-up command or a couple of plugins never take a table from its
model. A table without a model in
the analyzed code (raw SQL, installed packages) belongs to the service writing it from most
units (``"writer"``), and failing that to nobody (``"none"``).

A table written by more than one service is a **shared-write conflict**, reported with every
writing site outside the owner. A foreign key between models of different services is
**cross-service data coupling**: in a split it becomes a plain ID. Table nodes move to their
owner's cluster, so the graph and the proposal agree with this.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from analyzer.design.data.catalog import DataCatalog, ForeignKey, TableInfo
from analyzer.model.coupling import is_table, table_node

OwnerReason = Literal["model", "writes", "writer", "none"]

# A rival service takes a table from its model's service only with more than twice as many
# writing units: "more than" and "twice" so that an even split, or a service doing a little
# more of the writing, leaves data with the code that declares it.
OUTVOTE = 2
# ... and with at least this many of them: one function elsewhere writing a table its model's
# service never writes (a plugin filling in a field) is a foreign write, not a new home.
MIN_OUTVOTE = 2


@dataclass(frozen=True, slots=True)
class Site:
    """Code node ``symbol`` of service ``service`` touches a table at ``path``:``line``."""

    path: str
    line: int
    mode: str
    service: int
    symbol: str


@dataclass(frozen=True, slots=True)
class TableOwnership:
    """``owner`` and why (``reason``, see the module docstring); ``home`` is the service of the
    table's model (``None`` without one), ``units`` the number of code units writing it per
    service, peripheral code left out: what the owner was decided on."""

    table: str
    owner: int | None
    writers: tuple[int, ...]
    readers: tuple[int, ...]
    models: tuple[str, ...]
    sites: tuple[Site, ...]
    reason: OwnerReason = "model"
    home: int | None = None
    units: tuple[tuple[int, int], ...] = ()

    @property
    def conflict(self) -> bool:
        return len(self.writers) > 1

    def foreign_writes(self) -> tuple[Site, ...]:
        """Writing sites outside the owner: what a split has to turn into calls or events."""
        return tuple(s for s in self.sites if s.mode == "write" and s.service != self.owner)


@dataclass(frozen=True, slots=True)
class CrossKey:
    """A foreign key from a model of service ``source_service`` to one of ``target_service``."""

    key: ForeignKey
    source_service: int
    target_service: int


@dataclass(frozen=True, slots=True)
class Ownership:
    """Tables and foreign keys by cluster index; ``clusters`` with table nodes moved to their
    owners, clusters left empty dropped (``kept``: the original index of each remaining one)."""

    tables: tuple[TableOwnership, ...]
    foreign_keys: tuple[CrossKey, ...]
    clusters: tuple[frozenset[str], ...]
    kept: tuple[int, ...] = ()

    def owned(self) -> list[list[str]]:
        """Per cluster, the tables it owns (sorted)."""
        found: list[list[str]] = [[] for _ in self.clusters]
        for t in self.tables:
            if t.owner is not None:
                found[t.owner].append(t.table)
        return found

    def conflicts(self) -> list[TableOwnership]:
        return [t for t in self.tables if t.conflict]


def assign_ownership(
    catalog: DataCatalog, node_of: Mapping[str, str], clusters: Sequence[frozenset[str]]
) -> Ownership:
    """Owners, writers, readers and sites of every table under ``clusters``."""
    index = {node: i for i, members in enumerate(clusters) for node in members}

    def service(endpoint: str) -> int | None:
        node = node_of.get(endpoint)
        return index.get(node) if node is not None else None

    sites: dict[str, list[Site]] = defaultdict(list)
    for access in catalog.accesses:
        found = service(access.source)
        if found is not None:
            node = node_of[access.source]
            sites[access.table].append(Site(access.path, access.line, access.mode, found, node))
    writing = _writing_units(catalog, service)
    tables = [
        _own(
            info,
            sorted(set(sites[info.name]), key=_site_key),
            service,
            writing.get(info.name, ({}, {})),
        )
        for info in catalog.tables
    ]
    keys = []
    for key in catalog.foreign_keys:
        source, target = service(key.source), service(key.target)
        if source is not None and target is not None and source != target:
            keys.append(CrossKey(key, source, target))
    moved = _move_tables(clusters, tables)
    kept = [i for i, members in enumerate(moved) if members]
    ownership = Ownership(tuple(tables), tuple(keys), tuple(moved), tuple(kept))
    return ownership if len(kept) == len(moved) else _renumber(ownership, kept)


def _renumber(ownership: Ownership, kept: list[int]) -> Ownership:
    """Drop clusters left empty (only ever clusters of table nodes alone, which no table's owner,
    writer or reader points at) and renumber the rest."""
    new = {old: i for i, old in enumerate(kept)}

    def site(s: Site) -> Site:
        return replace(s, service=new[s.service])

    tables = tuple(
        replace(
            t,
            owner=new[t.owner] if t.owner is not None else None,
            writers=tuple(new[w] for w in t.writers),
            readers=tuple(new[r] for r in t.readers),
            sites=tuple(site(s) for s in t.sites),
            home=new[t.home] if t.home is not None else None,
            units=tuple((new[i], n) for i, n in t.units),
        )
        for t in ownership.tables
    )
    keys = tuple(
        CrossKey(k.key, new[k.source_service], new[k.target_service])
        for k in ownership.foreign_keys
    )
    return Ownership(tables, keys, tuple(ownership.clusters[i] for i in kept), tuple(kept))


def _site_key(site: Site) -> tuple[str, int, str, str, int]:
    return (site.path, site.line, site.mode, site.symbol, site.service)


def _writing_units(
    catalog: DataCatalog, service: Callable[[str], int | None]
) -> dict[str, tuple[dict[int, int], dict[int, int]]]:
    """Per table, per service: how many code units write it, peripheral code left out, and
    with it."""
    counted: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    every: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for access in catalog.accesses:
        found = service(access.source) if access.mode == "write" else None
        if found is None:
            continue
        every[access.table][found].add(access.source)
        if not _peripheral(access.source, catalog.peripheral):
            counted[access.table][found].add(access.source)
    return {
        table: (_sizes(counted.get(table, {})), _sizes(by_service))
        for table, by_service in every.items()
    }


def _sizes(units: Mapping[int, set[str]]) -> dict[int, int]:
    return {i: len(found) for i, found in units.items()}


def _peripheral(source: str, peripheral: frozenset[str]) -> bool:
    return bool(peripheral) and (source in peripheral or source.split(":", 1)[0] in peripheral)


def _own(
    info: TableInfo,
    sites: list[Site],
    service: Callable[[str], int | None],
    units: tuple[Mapping[int, int], Mapping[int, int]],
) -> TableOwnership:
    definers = [service(d) for d in (info.definer, *info.models) if d]
    home = next((d for d in definers if d is not None), None)
    writers = tuple(sorted({s.service for s in sites if s.mode == "write"}))
    readers = tuple(sorted({s.service for s in sites if s.mode == "read"}))
    counted, every = units
    # Peripheral code decides nothing, unless the table has no model and nothing else
    # writes it.
    owner, reason = _decide(home, counted if home is not None or counted else every)
    return TableOwnership(
        info.name,
        owner,
        writers,
        readers,
        info.models,
        tuple(sites),
        reason,
        home,
        tuple(sorted(counted.items())),
    )


def _most(units: Mapping[int, int], but: int | None = None) -> int | None:
    """The service writing from most units (other than ``but``); on a tie the lowest index,
    clusters being in a deterministic order."""
    return min((i for i in units if i != but), key=lambda i: (-units[i], i), default=None)


def _decide(home: int | None, units: Mapping[int, int]) -> tuple[int | None, OwnerReason]:
    """The owner under the rule of the module docstring, and why."""
    if home is None:
        writer = _most(units)
        return (writer, "writer") if writer is not None else (None, "none")
    rival = _most(units, but=home)
    if rival is None:
        return home, "model"
    if units[rival] >= MIN_OUTVOTE and units[rival] > OUTVOTE * units.get(home, 0):
        return rival, "writes"
    return home, "model"


def _move_tables(
    clusters: Sequence[frozenset[str]], tables: Sequence[TableOwnership]
) -> list[frozenset[str]]:
    """Each owned table node in its owner's cluster."""
    owner = {table_node(t.table): t.owner for t in tables if t.owner is not None}
    members = [set(c) for c in clusters]
    for i, cluster in enumerate(clusters):
        for node in cluster:
            target = owner.get(node)
            if is_table(node) and target is not None and target != i:
                members[i].discard(node)
                members[target].add(node)
    return [frozenset(m) for m in members]
