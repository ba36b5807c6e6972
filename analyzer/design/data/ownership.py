"""ownership: after clustering, one owner per table, and where the proposal breaks it.

Services are the clusters, by index (names come later and are told the tables each owns). A
table's **owner** is the service that writes it; when several do, the one with the most write
sites, then the service of its model; a table nobody writes belongs to the service of its
model (or of the module defining it), and failing that to nobody. A table written by more than
one service is a **shared-write conflict**, reported with every writing site outside the owner.
A foreign key between models of different services is **cross-service data coupling**: in a
split it becomes a plain ID. Table nodes move to their owner's cluster, so the graph and the
proposal agree with this.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from analyzer.design.data.catalog import DataCatalog, ForeignKey, TableInfo
from analyzer.model.coupling import is_table, table_node


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
    table: str
    owner: int | None
    writers: tuple[int, ...]
    readers: tuple[int, ...]
    models: tuple[str, ...]
    sites: tuple[Site, ...]

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
    tables = [
        _own(info, sorted(set(sites[info.name]), key=_site_key), service) for info in catalog.tables
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


def _own(
    info: TableInfo, sites: list[Site], service: Callable[[str], int | None]
) -> TableOwnership:
    definers = [service(d) for d in (info.definer, *info.models) if d]
    home = next((d for d in definers if d is not None), None)
    volume = Counter(s.service for s in sites if s.mode == "write")
    writers = tuple(sorted(volume))
    readers = tuple(sorted({s.service for s in sites if s.mode == "read"}))
    if writers:
        owner: int | None = min(writers, key=lambda w: (-volume[w], w != home, w))
    else:
        owner = home
    return TableOwnership(info.name, owner, writers, readers, info.models, tuple(sites))


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
