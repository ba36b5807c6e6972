"""The objective the engine maximises, and its changes under a move, a merge or a split.

    J(P) = Q_γ(P) − μ·Ω(P) − σ·S(P) − β·H(P)

- Q_γ, the coupling term: Newman's modularity with resolution γ on the work graph (fused
  coupling plus the package tree's prior ties): Σ_c [in_c / W − γ·(tot_c / 2W)²].
- Ω, single-writer ownership: the share of table write sites (one per writing function) that
  lie outside the table's owner. The owner is the service holding the table's model, unless
  another service holds more than twice as many of its write sites (the ownership rule of
  ``analyzer.design.data.ownership``); without a model, the service writing it most.
- S, the minimum useful size: Σ_c max(0, 1 − L_c / L_min), the shortfall of each service
  below the smallest service worth deploying; a service that is a whole part of the graph with
  no edge to the rest is exempt.
- H, size balance: Σ_c (L_c / L)², the Herfindahl index of service sizes in lines.

Weights and limits come from ``EngineParams``. A ``State`` holds a partition of one level of
the work graph with the sums these terms need, so that a move, a merge or a split is priced by
what it changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from analyzer.design.cluster.work import Level, WorkGraph
from analyzer.model.engine import EngineParams

EPSILON = 1e-12


class State:
    """A partition (``label`` per node of ``level``) with community sums: strength ``tot``,
    weight inside ``inner``, lines ``lines``, node count ``count``, and per table the write
    sites in each community."""

    def __init__(
        self, work: WorkGraph, level: Level, labels: Sequence[int], params: EngineParams
    ) -> None:
        self.work = work
        self.level = level
        self.params = params
        self.gamma = params.resolution
        self.total = work.total or 1.0
        self.min_lines = params.min_service_lines(work.total_loc)
        self.unsplittable: set[tuple[int, ...]] = set()  # member lists no split improved
        # per level node: the tables whose write sites (or model) it holds
        self.sites: list[dict[int, int]] = [{} for _ in range(len(level))]
        self.defines: list[list[int]] = [[] for _ in range(len(level))]
        self.home: dict[int, int] = {}  # table -> level node holding its model
        group = [0] * len(work.ids)
        for j, members in enumerate(level.members):
            for b in members:
                group[b] = j
        for tab, writers in work.writers.items():
            for w in writers:
                row = self.sites[group[w]]
                row[tab] = row.get(tab, 0) + 1
        for tab, model in work.definer.items():
            self.defines[group[model]].append(tab)
            self.home[tab] = group[model]
        self.data_nodes = [j for j in range(len(level)) if self.sites[j] or self.defines[j]]
        # per level node: its base nodes in each part of the coupling graph; per part, all of them
        self.parts: list[dict[int, int]] = [{} for _ in range(len(level))]
        self.part_size: dict[int, int] = defaultdict(int)
        for j, members in enumerate(level.members):
            for b in members:
                part = work.component[b]
                self.parts[j][part] = self.parts[j].get(part, 0) + 1
                self.part_size[part] += 1
        self.written: dict[int, int] = {t: len(ws) for t, ws in work.writers.items()}
        self.all_writes = sum(self.written.values())
        self.relabel(labels)

    def relabel(self, labels: Sequence[int]) -> None:
        """Take ``labels`` as the partition, and compute its sums afresh."""
        level = self.level
        self.label = label = list(labels)
        self.tot: dict[int, float] = defaultdict(float)
        self.inner: dict[int, float] = defaultdict(float)
        self.lines: dict[int, int] = defaultdict(int)
        self.count: dict[int, int] = defaultdict(int)
        self.in_part: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.table_sites: dict[int, dict[int, int]] = {t: defaultdict(int) for t in self.written}
        # community -> the tables it holds write sites or models of
        self.holds: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        # table -> its write sites outside its owner now (dropped when a node touching it moves)
        self.foreign_now: dict[int, int] = {}
        tot, lines, count, inner = self.tot, self.lines, self.count, self.inner
        strength, loc, loop, adj = level.strength, level.loc, level.loop, level.adj
        for j in range(len(level)):
            c = label[j]
            tot[c] += strength[j]
            lines[c] += loc[j]
            count[c] += 1
            inside = loop[j]
            for k, w in adj[j].items():
                if k > j and label[k] == c:
                    inside += w
            inner[c] += inside
            parts = self.parts[j]
            if len(parts) == 1:
                ((part, n),) = parts.items()
                self.in_part[c][part] += n
            else:
                for part, n in parts.items():
                    self.in_part[c][part] += n
        for j in self.data_nodes:
            c = label[j]
            for tab, n in self.sites[j].items():
                self.table_sites[tab][c] += n
            for tab in self._touched(j):
                self.holds[c][tab] += 1

    # -- bookkeeping ----------------------------------------------------------------------------
    def _add(self, j: int, c: int) -> None:
        level = self.level
        self.tot[c] += level.strength[j]
        self.lines[c] += level.loc[j]
        self.count[c] += 1
        inside = level.loop[j]
        for k, w in level.adj[j].items():
            if self.label[k] == c and k != j:
                inside += w
        self.inner[c] += inside
        for tab, n in self.sites[j].items():
            self.table_sites[tab][c] += n
        for tab in self._touched(j):
            self.holds[c][tab] += 1
            self.foreign_now.pop(tab, None)
        for part, n in self.parts[j].items():
            self.in_part[c][part] += n

    def _touched(self, j: int) -> set[int]:
        return set(self.sites[j]) | set(self.defines[j])

    def _remove(self, j: int, c: int) -> None:
        level = self.level
        self.tot[c] -= level.strength[j]
        self.lines[c] -= level.loc[j]
        self.count[c] -= 1
        inside = level.loop[j]
        for k, w in level.adj[j].items():
            if self.label[k] == c and k != j:
                inside += w
        self.inner[c] -= inside
        for tab, n in self.sites[j].items():
            self.table_sites[tab][c] -= n
            if not self.table_sites[tab][c]:
                del self.table_sites[tab][c]
        held = self.holds[c]
        for tab in self._touched(j):
            self.foreign_now.pop(tab, None)
            held[tab] -= 1
            if not held[tab]:
                del held[tab]
        row = self.in_part[c]
        for part, n in self.parts[j].items():
            row[part] -= n
            if not row[part]:
                del row[part]
        if not self.count[c]:
            for store in (self.tot, self.inner, self.lines, self.count, self.in_part, self.holds):
                store.pop(c, None)

    def move(self, j: int, c: int) -> None:
        a = self.label[j]
        if a == c:
            return
        self._remove(j, a)
        self.label[j] = c
        self._add(j, c)

    def communities(self) -> list[int]:
        return sorted(self.count)

    def new_label(self) -> int:
        return max(self.count, default=-1) + 1

    # -- the terms --------------------------------------------------------------------------------
    def coupling(self) -> float:
        w = self.total
        return sum(
            self.inner[c] / w - self.gamma * (self.tot[c] / (2 * w)) ** 2 for c in self.count
        )

    def owner(self, tab: int, sites: Mapping[int, int] | None = None) -> int | None:
        """The owning community of ``tab`` under the ownership rule."""
        sites = self.table_sites[tab] if sites is None else sites
        home = self.home.get(tab)
        home_c = self.label[home] if home is not None else None
        best, most = None, 0
        for c, n in sites.items():
            if n > most or (n == most and best is not None and c < best):
                best, most = c, n
        if best is None:
            return home_c
        if home_c is None:
            return best
        if best != home_c and most > 2 * sites.get(home_c, 0):
            return best
        return home_c

    def foreign(self, tab: int, sites: Mapping[int, int] | None = None) -> int:
        """Write sites of ``tab`` outside its owner: now, or with the sites ``sites``."""
        if sites is None:
            now = self.foreign_now.get(tab)
            if now is None:
                now = self.foreign_now[tab] = self._foreign(tab, self.table_sites[tab])
            return now
        return self._foreign(tab, sites)

    def _foreign(self, tab: int, sites: Mapping[int, int]) -> int:
        owner = self.owner(tab, sites)
        return self.written[tab] - (sites.get(owner, 0) if owner is not None else 0)

    def ownership(self) -> float:
        if not self.all_writes:
            return 0.0
        return sum(self.foreign(t) for t in self.written) / self.all_writes

    def shortfall(self, lines: int) -> float:
        return max(0.0, 1.0 - lines / self.min_lines) if self.min_lines else 0.0

    def size(self, exempt: Iterable[int] = ()) -> float:
        skip = set(exempt)
        return sum(self.shortfall(self.lines[c]) for c in self.count if c not in skip)

    def balance(self) -> float:
        total = self.work.total_loc or 1
        return sum((self.lines[c] / total) ** 2 for c in self.count)

    def exempt(self) -> set[int]:
        """Communities made of whole parts of the coupling graph: no real edge leaves them (a
        small independent component is a service, not a sliver)."""
        return {
            c
            for c in self.count
            if all(n == self.part_size[part] for part, n in self.in_part[c].items())
        }

    def value(self) -> float:
        p = self.params
        return (
            self.coupling()
            - p.ownership * self.ownership()
            - p.small_penalty * self.size(self.exempt())
            - p.balance * self.balance()
        )

    def terms(self) -> dict[str, float]:
        return {
            "objective": round(self.value(), 6),
            "coupling": round(self.coupling(), 6),
            "ownership": round(self.ownership(), 6),
            "small": round(self.size(self.exempt()), 6),
            "balance": round(self.balance(), 6),
        }

    # -- prices of changes -------------------------------------------------------------------------
    def links(self, j: int) -> dict[int, float]:
        """Weight from node ``j`` to each community (its own included, itself left out)."""
        found: dict[int, float] = defaultdict(float)
        label = self.label
        for k, w in self.level.adj[j].items():
            if k != j:
                found[label[k]] += w
        return found

    def move_gain(self, j: int, c: int, links: Mapping[int, float]) -> float:
        """J after moving node ``j`` to community ``c`` minus J now."""
        a = self.label[j]
        if a == c:
            return 0.0
        w, k = self.total, self.level.strength[j]
        tot_a = self.tot[a] - k
        tot_c = self.tot.get(c, 0.0)
        coupling = (links.get(c, 0.0) - links.get(a, 0.0)) / w - self.gamma * k * (
            tot_c - tot_a
        ) / (2 * w * w)
        p = self.params
        gain = coupling
        if p.ownership and (self.sites[j] or self.defines[j]):
            gain -= p.ownership * self._ownership_change(j, a, c)
        if p.small_penalty:
            loc = self.level.loc[j]
            before = self.shortfall(self.lines[a]) + (
                self.shortfall(self.lines[c]) if c in self.count else 0.0
            )
            after = (self.shortfall(self.lines[a] - loc) if self.count[a] > 1 else 0.0) + (
                self.shortfall(self.lines.get(c, 0) + loc)
            )
            gain -= p.small_penalty * (after - before)
        if p.balance:
            total = self.work.total_loc or 1
            loc = self.level.loc[j]
            la, lc = self.lines[a], self.lines.get(c, 0)
            change = ((la - loc) ** 2 + (lc + loc) ** 2 - la * la - lc * lc) / (total * total)
            gain -= p.balance * change
        return gain

    def _ownership_change(self, j: int, a: int, c: int) -> float:
        tables = set(self.sites[j]) | set(self.defines[j])
        if not self.all_writes:
            return 0.0
        change = 0
        for tab in tables:
            if tab not in self.written:
                continue
            sites = self.table_sites[tab]
            before = self.foreign(tab)
            moved = dict(sites)
            n = self.sites[j].get(tab, 0)
            moved[a] = moved.get(a, 0) - n
            moved[c] = moved.get(c, 0) + n
            if tab in self.defines[j]:
                self.label[j] = c
                after = self.foreign(tab, moved)
                self.label[j] = a
            else:
                after = self.foreign(tab, moved)
            change += after - before
        return change / self.all_writes

    def between(self) -> dict[tuple[int, int], float]:
        """Weight between every pair of coupled communities (smaller label first)."""
        found: dict[tuple[int, int], float] = defaultdict(float)
        label = self.label
        for j, row in enumerate(self.level.adj):
            a = label[j]
            for k, w in row.items():
                b = label[k]
                if a < b:
                    found[(a, b)] += w
        return found

    def merge_gain(self, a: int, b: int, weight: float) -> float:
        """J after merging communities ``a`` and ``b`` (``weight`` between them) minus J now."""
        w = self.total
        gain = weight / w - self.gamma * self.tot[a] * self.tot[b] / (2 * w * w)
        p = self.params
        if p.ownership and self.all_writes:
            gain -= p.ownership * self._merged_ownership_change(a, b)
        if p.small_penalty:
            la, lb = self.lines[a], self.lines[b]
            change = self.shortfall(la + lb) - self.shortfall(la) - self.shortfall(lb)
            gain -= p.small_penalty * change
        if p.balance:
            total = self.work.total_loc or 1
            la, lb = self.lines[a], self.lines[b]
            gain -= p.balance * (2 * la * lb) / (total * total)
        return gain

    def _merged_ownership_change(self, a: int, b: int) -> float:
        change = 0
        tables = set(self.holds.get(a, ())) | set(self.holds.get(b, ()))
        for tab in sorted(tables):
            if tab not in self.written:
                continue
            sites = self.table_sites[tab]
            before = self.foreign(tab)
            merged = dict(sites)
            merged[a] = merged.get(a, 0) + merged.pop(b, 0)
            home = self.home.get(tab)
            if home is not None and self.label[home] == b:
                self.label[home] = a
                after = self.foreign(tab, merged)
                self.label[home] = b
            else:
                after = self.foreign(tab, merged)
            change += after - before
        return change / self.all_writes

    def merge(self, a: int, b: int) -> None:
        """Merge community ``b`` into ``a``."""
        for j in [j for j, c in enumerate(self.label) if c == b]:
            self.move(j, a)

    def members(self, c: int) -> list[int]:
        return [j for j, x in enumerate(self.label) if x == c]
