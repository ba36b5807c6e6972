"""The passes that improve a partition: each takes a ``State`` (the work graph at one level and a
partition of it), changes the partition only where the objective gains, and returns the moves
it made with their reasons. ``fit_count`` is the exception: asked for exactly N services, it
merges or splits at the least loss.

- ``local_moves``: each node, in a seeded order, goes to the neighbouring community where the
  objective gains most (Louvain's local moving, on the whole objective);
- ``merges``: the pair of coupled communities whose merge gains most merges, while any gains;
- ``splits``: a community splits along Leiden's communities of the graph it induces when the
  objective gains;
- ``fit_count``: merges at the least loss, or splits where the split loses least among those
  leaving both parts at least the smallest useful service, until the count is right.
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
    community is emptied, nor brought below the smallest service worth deploying."""
    order = list(range(len(state.level))) if nodes is None else list(nodes)
    random.Random(seed).shuffle(order)
    first: dict[int, int] = {}
    gains: dict[int, float] = {}
    for _ in range(state.params.max_sweeps):
        moved = 0
        for j in order:
            a = state.label[j]
            if keep_count and (
                state.count[a] == 1
                or state.lines[a] - state.level.loc[j] < state.min_lines <= state.lines[a]
            ):
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


def leiden_moves(
    state: State, seed: int, separated: Callable[[Sequence[int]], list[int]] | None = None
) -> list[Move]:
    """Leiden from the current partition, on the coupling term (node moves, refinement and
    aggregation at C speed). Each node that changed community is a move (communities matched
    to the old ones by their largest overlap)."""
    before = list(state.label)
    index: dict[int, int] = {}
    initial = [index.setdefault(c, len(index)) for c in before]
    found = leiden(state.level, state.gamma, seed, initial=initial)
    if separated is not None:
        found = separated(found)
    # name each new community after the old one it holds most of, so unchanged code stays put
    overlap: dict[tuple[int, int], int] = {}
    for old, new in zip(before, found, strict=True):
        overlap[(new, old)] = overlap.get((new, old), 0) + 1
    name: dict[int, int] = {}
    taken: set[int] = set()
    for (new, old), _ in sorted(overlap.items(), key=lambda item: (-item[1], item[0])):
        if new not in name and old not in taken:
            name[new] = old
            taken.add(old)
    fresh = max(before, default=-1) + 1
    labels = []
    for new in found:
        if new not in name:
            name[new] = fresh
            fresh += 1
        labels.append(name[new])
    changed = [j for j in range(len(labels)) if labels[j] != before[j]]
    if not changed:
        return []
    value = state.value()
    state.relabel(labels)
    # Leiden raised the coupling term; the data and size terms are the next passes' to mend
    share = (state.value() - value) / len(changed)
    return [
        Move(
            _names(state, [j]),
            "leiden",
            before[j],
            labels[j],
            round(share, 9),
            "more of its coupling is there than here",
        )
        for j in changed
    ]


def refine(
    state: State,
    seed: int,
    allowed: Allowed = _always,
    mergeable: Mergeable | None = None,
    separated: Callable[[Sequence[int]], list[int]] | None = None,
    rounds: int = 3,
) -> list[Move]:
    """Until a round no longer raises the objective: Leiden from the current partition (the
    coupling term, fast), then the nodes holding data moved on the whole objective (the
    ownership term only changes with them), then merges on the whole objective (the size
    terms act on communities)."""
    moves: list[Move] = []
    value = state.value()
    for i in range(rounds):
        moves += leiden_moves(state, seed + i, separated)
        moves += local_moves(state, seed + i, allowed=allowed, nodes=state.data_nodes)
        moves += merges(state, mergeable=mergeable)
        now = state.value()
        if now <= value + EPSILON:
            break
        value = now
    return moves


def fit_count(
    state: State, count: int, seed: int, mergeable: Mergeable | None = None
) -> list[Move]:
    """Exactly ``count`` communities: merge the pair losing least (coupled pairs first, then
    the two smallest), or split a community in two (its Leiden communities, at the lowest
    resolution that finds two, the smaller ones merged at the least loss; see
    ``_best_bisection`` for which)."""
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
    parts at least the minimum useful size; failing that, the split whose smaller part is
    largest. Large services are split before small ones are padded."""
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
        options.append((viable, gain if viable else min(sizes), c, moved))
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
    """The merge to make next on the way down to a count: a community below the minimum
    useful size first (the smallest, into the neighbour it gains most with), else the coupled
    pair losing least, else the two smallest communities."""
    between = state.between()
    slivers = sorted(
        (c for c in state.communities() if state.lines[c] < state.min_lines),
        key=lambda c: (state.lines[c], c),
    )
    for sliver in slivers:
        pairs = [
            (state.merge_gain(a, b, w), a, b)
            for (a, b), w in sorted(between.items())
            if sliver in (a, b) and (mergeable is None or mergeable(state, a, b))
        ]
        if pairs:
            return _ordered(state, max(pairs))
    best: tuple[float, int, int] | None = None
    for (a, b), weight in sorted(between.items()):
        if mergeable is not None and not mergeable(state, a, b):
            continue
        gain = state.merge_gain(a, b, weight)
        if best is None or gain > best[0]:
            best = (gain, a, b)
    if best is None:
        ordered = sorted(state.communities(), key=lambda c: (state.lines[c], c))
        smallest = [
            (a, b)
            for i, a in enumerate(ordered)
            for b in ordered[i + 1 :]
            if mergeable is None or mergeable(state, a, b)
        ]
        if not smallest:
            return None
        a, b = smallest[0]
        best = (state.merge_gain(a, b, 0.0), a, b)
    return _ordered(state, best)


def _ordered(state: State, found: tuple[float, int, int]) -> tuple[float, int, int]:
    """(gain, keep, drop): the larger community keeps its label."""
    gain, a, b = found
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
