"""Service colours: services that depend on each other or sit side by side on the map must not look
alike.

Each service gets its own colour from a fixed pool: the report's twelve first colours, then a
grid of lightness, chroma and hue in CIELAB, kept to the sRGB gamut and to lightnesses that show
on white. Services are coloured most-constrained first; each takes the pool colour farthest (in
CIEDE2000) from the colours of its already coloured neighbours, up to ``NEEDED``; among those,
the farthest from every colour used so far, up to ``APART``, so the legend has no near twins
either; then the farthest from its neighbours again, up to ``ENOUGH``; then the earliest in the
pool. Then, while the closest pair of neighbours is under ``NEEDED``, one of the two takes the
colour farthest from all its neighbours (up to ``NEEDED``, then farthest from every other
service up to ``APART``) if that is farther than now: each such move raises its closest
difference to a neighbour and lowers no other, so it ends. Thirty services that all depend on one
another still differ by 15 or more. The shared library keeps its grey, and counts as a
neighbour like any service. Deterministic: same input, same colours.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from reports.colour_difference import Lab, ciede2000, hex_to_rgb, lab_to_rgb, rgb_to_hex, rgb_to_lab

FIRST = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#2f8f9d",
    "#c45a9a",
    "#8cd17d",
)
SHARED_COLOUR = "#9aa3ad"
LIGHTNESS = (35, 42, 50, 58, 66, 74, 82)
CHROMA = (25, 45, 65, 85)
HUE_STEP = 12
NEEDED = 20.0  # from each neighbour first: clearly different (15 is the bar), with a margin
APART = 18.0  # then from every other service, as far as the pool allows: no legend twins
ENOUGH = 30.0  # then from each neighbour again, as far as it goes


@lru_cache(maxsize=1)
def pool() -> tuple[tuple[str, ...], tuple[Lab, ...]]:
    colours = list(FIRST)
    for lightness in LIGHTNESS:
        for chroma in CHROMA:
            for hue in range(0, 360, HUE_STEP):
                angle = math.radians(hue)
                rgb = lab_to_rgb((lightness, chroma * math.cos(angle), chroma * math.sin(angle)))
                if rgb is not None and rgb_to_hex(rgb) not in colours:
                    colours.append(rgb_to_hex(rgb))
    return tuple(colours), tuple(rgb_to_lab(hex_to_rgb(c)) for c in colours)


def assign_colours(kinds: Sequence[str], conflicts: Iterable[tuple[int, int]]) -> list[str]:
    """One ``#rrggbb`` per service (``kinds[i]`` is ``service`` or ``shared-library``); a
    conflict is a pair of service indices that must look different."""
    colours, labs = pool()
    n = len(kinds)
    near: list[set[int]] = [set() for _ in range(n)]
    for a, b in conflicts:
        if a != b and 0 <= a < n and 0 <= b < n:
            near[a].add(b)
            near[b].add(a)
    result: list[str | None] = [None] * n
    rows: dict[str, list[float]] = {}  # an assigned colour's difference to every pool colour

    def row(colour: str) -> list[float]:
        if colour not in rows:
            lab = rgb_to_lab(hex_to_rgb(colour))
            rows[colour] = [ciede2000(lab, other) for other in labs]
        return rows[colour]

    everywhere = [math.inf] * len(colours)
    used: set[int] = set()
    for i, kind in enumerate(kinds):
        if kind == "shared-library":
            result[i] = SHARED_COLOUR
            everywhere = [min(x, d) for x, d in zip(everywhere, row(SHARED_COLOUR), strict=True)]
    order = sorted((i for i in range(n) if result[i] is None), key=lambda i: (-len(near[i]), i))
    for i in order:
        mine = [math.inf] * len(colours)
        for j in near[i]:
            if result[j] is not None:
                mine = [min(x, d) for x, d in zip(mine, row(str(result[j])), strict=True)]
        free = [c for c in range(len(colours)) if c not in used] or list(range(len(colours)))
        best = max(
            free,
            key=lambda c: (
                min(mine[c], NEEDED),
                min(everywhere[c], APART),
                min(mine[c], ENOUGH),
                -c,
            ),
        )
        used.add(best)
        result[i] = colours[best]
        everywhere = [min(x, d) for x, d in zip(everywhere, row(colours[best]), strict=True)]
    final = [str(c) for c in result]
    _spread(final, kinds, near, colours, row)
    return final


def _spread(
    result: list[str],
    kinds: Sequence[str],
    near: Sequence[set[int]],
    colours: Sequence[str],
    row: Callable[[str], list[float]],
) -> None:
    """Raise the smallest difference between neighbours, one recolouring at a time."""
    index = {c: k for k, c in enumerate(colours)}

    def gap(x: str, y: str) -> float:
        if y in index:
            return row(x)[index[y]]
        return row(y)[index[x]] if x in index else math.inf  # two libraries: both grey

    pairs = sorted({(min(a, b), max(a, b)) for a in range(len(near)) for b in near[a]})
    for _ in range(4 * len(result)):
        if not pairs:
            return
        closest, a, b = min((gap(result[a], result[b]), a, b) for a, b in pairs)
        if closest >= NEEDED:
            return
        for v in (a, b):
            if kinds[v] == "shared-library":
                continue
            others = {result[u] for u in range(len(result)) if u != v}
            mine = [math.inf] * len(colours)
            for u in near[v]:
                mine = [min(x, d) for x, d in zip(mine, row(result[u]), strict=True)]
            apart = [math.inf] * len(colours)
            for colour in others:
                apart = [min(x, d) for x, d in zip(apart, row(colour), strict=True)]
            best = max(
                (c for c in range(len(colours)) if colours[c] not in others),
                key=lambda c: (min(mine[c], NEEDED), min(apart[c], APART), mine[c], -c),
            )
            if min(mine[best], NEEDED) > mine[index[result[v]]] + 1e-6:
                result[v] = colours[best]
                break
        else:
            return
