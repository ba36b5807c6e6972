"""The passes that improve a partition: each takes a ``State`` (the work graph at one level and a
partition of it), changes the partition only where the objective gains, and returns the moves
it made with their reasons. ``fit_count`` is the exception: asked for exactly N services, it
merges or splits at the least loss.

- ``local_moves``: each node, in a seeded order, goes to the neighbouring community where the
  objective gains most (Louvain's local moving, on the whole objective);
- ``merges``: the pair of coupled communities whose merge gains most merges, while any gains;
- ``splits``: a community splits along Leiden's communities of the graph it induces when the
  objective gains;
- ``fit_count``: merges at the least loss, or splits the largest community first, until the
  count is right.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from analyzer.design.cluster.leiden import leiden
from analyzer.design.cluster.objective import EPSILON, State
from analyzer.design.cluster.record import Move

# A node may not join community ``c``: the user's ``apart`` steering, or a fixed count.
Allowed = Callable[[State, int, int], bool]
# Two communities may not merge (``apart`` steering).
Mergeable = Callable[[State, int, int], bool]


def _always(state: State, j: int, c: int) -> bool:
    return True


def _names(state: State, nodes: Sequence[int]) -> tuple[str, ...]:
    ids = state.work.ids
    return tuple(sorted(ids[b] for j in nodes for b in state.level.members[j]))


def local_moves(
    state: State,
    seed: int,
    step: str = "move",
    allowed: Allowed = _always,
    keep_count: bool = False,
    nodes: Sequence[int] | None = None,
) -> list[Move]:
    """Move nodes to the neighbouring community where the objective gains most, sweeping in a
    seeded order until a sweep moves nothing (at most ``max_sweeps``). With ``keep_count`` no
    community is emptied."""
    order = list(range(len(state.level))) if nodes is None else list(nodes)
    random.Random(seed).shuffle(order)
    first: dict[int, int] = {}
    gains: dict[int, float] = {}
    for _ in range(state.params.max_sweeps):
        moved = 0
        for j in order:
            a = state.label[j]
            if keep_count and state.count[a] == 1:
                continue
            links = state.links(j)
            best, best_gain = a, EPSILON
            for c in sorted(links):
                if c == a or not allowed(state, j, c):
                    continue
                gain = state.move_gain(j, c, links)
                if gain > best_gain:
                    best, best_gain = c, gain
            if best != a:
                first.setdefault(j, a)
                gains[j] = gains.get(j, 0.0) + best_gain
                state.move(j, best)
                moved += 1
        if not moved:
            break
    return [
        Move(
            _names(state, [j]),
            step,
            source,
            state.label[j],
            round(gains[j], 9),
            "more of its coupling is there than here",
        )
        for j, source in sorted(first.items())
        if state.label[j] != source
    ]


def merges(state: State, step: str = "merge", mergeable: Mergeable | None = None) -> list[Move]:
    """Merge coupled communities while a merge gains: each round takes the gaining pairs best
    first, each community at most once per round."""
    moves: list[Move] = []
    while True:
        candidates = []
        for (a, b), weight in state.between().items():
            if mergeable is not None and not mergeable(state, a, b):
                continue
            gain = state.merge_gain(a, b, weight)
            if gain > EPSILON:
                candidates.append((-gain, a, b))
        if not candidates:
            return moves
        touched: set[int] = set()
        for negative, a, b in sorted(candidates):
            if a in touched or b in touched:
                continue
            keep, drop = (a, b) if state.lines[a] >= state.lines[b] else (b, a)
            touched.update((a, b))
            moves.append(
                Move(
                    _names(state, state.members(drop)),
                    step,
                    drop,
                    keep,
                    round(-negative, 9),
                    "the two are more coupled than their sizes predict",
                )
            )
            state.merge(keep, drop)


def splits(
    state: State, seed: int, step: str = "split", resolutions: Sequence[float] = (1.0,)
) -> list[Move]:
    """Split each community, largest first, along Leiden's communities of the graph it induces
    when that raises the objective."""
    moves: list[Move] = []
    for c in sorted(state.communities(), key=lambda c: (-state.lines[c], c)):
        members = state.members(c)
        key = tuple(members)
        if len(members) < 2 or key in state.unsplittable:
            continue
        state.unsplittable.add(key)  # until it changes, trying again finds the same
        for resolution in resolutions:
            parts = leiden(state.level, resolution * state.gamma, seed, members)
            if max(parts) == 0:
                continue
            made = _try_split(state, c, members, parts, step)
            if made:
                moves.extend(made)
                break
    return moves


def _try_split(
    state: State, c: int, members: Sequence[int], parts: Sequence[int], step: str
) -> list[Move]:
    """Split community ``c`` into ``parts`` if the objective gains; the largest part keeps
    the label. Returns the moves made (none when the split was undone)."""
    sizes: dict[int, int] = {}
    for j, p in zip(members, parts, strict=True):
        sizes[p] = sizes.get(p, 0) + state.level.loc[j] + 1
    keep = max(sorted(sizes), key=lambda p: sizes[p])
    before = state.value()
    label = state.new_label()
    new = {p: (c if p == keep else label + i) for i, p in enumerate(sorted(sizes))}
    for j, p in zip(members, parts, strict=True):
        state.move(j, new[p])
    gain = state.value() - before
    if gain <= EPSILON:
        for j in members:
            state.move(j, c)
        return []
    moved: dict[int, list[int]] = {}
    for j, p in zip(members, parts, strict=True):
        if new[p] != c:
            moved.setdefault(new[p], []).append(j)
    return [
        Move(
            _names(state, nodes),
            step,
            c,
            target,
            round(gain, 9),
            "this part is more coupled within itself than with the rest of its community",
        )
        for target, nodes in sorted(moved.items())
    ]


def refine(
    state: State,
    seed: int,
    allowed: Allowed = _always,
    mergeable: Mergeable | None = None,
    rounds: int = 4,
) -> list[Move]:
    """Moves, merges and splits in turn until a round no longer raises the objective."""
    moves: list[Move] = []
    value = state.value()
    for i in range(rounds):
        moves += local_moves(state, seed + i, allowed=allowed)
        moves += merges(state, mergeable=mergeable)
        moves += splits(state, seed + i)
        moves += local_moves(state, seed + i, allowed=allowed)
        now = state.value()
        if now <= value + EPSILON:
            break
        value = now
    return moves


def fit_count(
    state: State, count: int, seed: int, mergeable: Mergeable | None = None
) -> list[Move]:
    """Exactly ``count`` communities: merge the pair losing least (coupled pairs first, then
    the two smallest), or split the largest community in two (its Leiden communities, at the
    lowest resolution that finds two, the smaller ones merged at the least loss) — large
    services are split before small ones are padded."""
    moves: list[Move] = []
    while len(state.count) > count:
        pair = _cheapest_merge(state, mergeable)
        if pair is None:
            break
        gain, keep, drop = pair
        moves.append(
            Move(
                _names(state, state.members(drop)),
                "fit-merge",
                drop,
                keep,
                round(gain, 9),
                f"merged to reach {count} services, at the least loss",
            )
        )
        state.merge(keep, drop)
    while len(state.count) < count:
        made = _best_bisection(state, seed)
        if not made:
            break
        moves.extend(made)
    return moves


def _best_bisection(state: State, seed: int) -> list[Move]:
    """Split in two the community whose split loses the least, among splits leaving both
    parts at least the minimum useful size; failing that, the largest community that can be
    split. Large services are split before small ones are padded."""
    options = []
    for c in state.communities():
        if state.count[c] < 2:
            continue
        members = state.members(c)
        parts = _two(state, members, _leiden_parts(state, members, seed))
        sizes = [0, 0]
        for j, p in zip(members, parts, strict=True):
            sizes[p] += state.level.loc[j]
        before = state.value()
        label = state.new_label()
        moved = [j for j, p in zip(members, parts, strict=True) if p == 1]
        for j in moved:
            state.move(j, label)
        gain = state.value() - before
        for j in moved:
            state.move(j, c)
        viable = min(sizes) >= state.min_lines
        options.append((viable, gain if viable else state.lines[c], c, moved))
    if not options:
        return []
    _, _, c, moved = max(options, key=lambda o: (o[0], o[1], -o[2]))
    label = state.new_label()
    before = state.value()
    for j in moved:
        state.move(j, label)
    return [
        Move(
            _names(state, moved),
            "fit-split",
            c,
            label,
            round(state.value() - before, 9),
            "split to reach the service count, where the split loses least",
        )
    ]


def _leiden_parts(state: State, members: Sequence[int], seed: int) -> list[int]:
    """Leiden's communities of ``members`` at the lowest resolution (from γ up) that finds
    two; without community structure, the most weakly tied node apart."""
    resolution = state.gamma
    while resolution <= 64 * state.gamma:
        parts = leiden(state.level, resolution, seed, members)
        if max(parts) > 0:
            return parts
        resolution *= 2
    weakest = min(members, key=lambda j: (state.level.strength[j], j))
    return [1 if j == weakest else 0 for j in members]


def _cheapest_merge(state: State, mergeable: Mergeable | None) -> tuple[float, int, int] | None:
    best: tuple[float, int, int] | None = None
    for (a, b), weight in sorted(state.between().items()):
        if mergeable is not None and not mergeable(state, a, b):
            continue
        gain = state.merge_gain(a, b, weight)
        if best is None or gain > best[0]:
            best = (gain, a, b)
    if best is None:
        ordered = sorted(state.communities(), key=lambda c: (state.lines[c], c))
        pairs = [
            (a, b)
            for i, a in enumerate(ordered)
            for b in ordered[i + 1 :]
            if mergeable is None or mergeable(state, a, b)
        ]
        if not pairs:
            return None
        a, b = pairs[0]
        best = (state.merge_gain(a, b, 0.0), a, b)
    gain, a, b = best
    keep, drop = (a, b) if state.lines[a] >= state.lines[b] else (b, a)
    return gain, keep, drop


def _two(state: State, members: Sequence[int], parts: Sequence[int]) -> list[int]:
    """Group ``parts`` into two: the largest part against the rest, the rest joined to whichever
    side it is more coupled with (the smaller side growing when unclear)."""
    sizes: dict[int, int] = {}
    for j, p in zip(members, parts, strict=True):
        sizes[p] = sizes.get(p, 0) + state.level.loc[j] + 1
    order = sorted(sizes, key=lambda p: (-sizes[p], p))
    side = {order[0]: 0}
    if len(order) > 1:
        side[order[1]] = 1
    where = dict(zip(members, parts, strict=True))
    for p in order[2:]:
        pull = [0.0, 0.0]
        for j in members:
            if where[j] != p:
                continue
            for k, w in state.level.adj[j].items():
                q = where.get(k)
                if q is not None and q in side:
                    pull[side[q]] += w
        side[p] = 0 if pull[0] > pull[1] else 1
    return [side[p] for p in parts]
