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
from collections.abc import Iterable, Sequence
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


class _Differences:
    """CIEDE2000 from a colour in use to every pool colour, each row computed once."""

    def __init__(self, colours: Sequence[str], labs: Sequence[Lab]) -> None:
        self.colours, self.labs = colours, labs
        self.index = {c: k for k, c in enumerate(colours)}
        self.rows: dict[str, list[float]] = {}

    def row(self, colour: str) -> list[float]:
        if colour not in self.rows:
            lab = rgb_to_lab(hex_to_rgb(colour))
            self.rows[colour] = [ciede2000(lab, other) for other in self.labs]
        return self.rows[colour]

    def nearest(self, used: Iterable[str]) -> list[float]:
        """For each pool colour, its difference to the closest of ``used``."""
        result = [math.inf] * len(self.colours)
        for colour in used:
            result = [min(x, d) for x, d in zip(result, self.row(colour), strict=True)]
        return result

    def between(self, x: str, y: str) -> float:
        if y in self.index:
            return self.row(x)[self.index[y]]
        return self.row(y)[self.index[x]] if x in self.index else math.inf  # both grey


def assign_colours(kinds: Sequence[str], conflicts: Iterable[tuple[int, int]]) -> list[str]:
    """One ``#rrggbb`` per service (``kinds[i]`` is ``service`` or ``shared-library``); a
    conflict is a pair of service indices that must look different."""
    table = _Differences(*pool())
    near: list[set[int]] = [set() for _ in kinds]
    for a, b in conflicts:
        if a != b and 0 <= a < len(kinds) and 0 <= b < len(kinds):
            near[a].add(b)
            near[b].add(a)
    result = [SHARED_COLOUR if kind == "shared-library" else "" for kind in kinds]
    everywhere = table.nearest(c for c in result if c)
    order = sorted(
        (i for i in range(len(kinds)) if not result[i]), key=lambda i: (-len(near[i]), i)
    )
    for i in order:
        mine = table.nearest(result[j] for j in near[i] if result[j])
        used = {table.index[c] for c in result if c in table.index}
        free = [c for c in range(len(table.colours)) if c not in used] or range(len(table.colours))
        best = max(
            free,
            key=lambda c: (
                min(mine[c], NEEDED),
                min(everywhere[c], APART),
                min(mine[c], ENOUGH),
                -c,
            ),
        )
        result[i] = table.colours[best]
        everywhere = [min(x, d) for x, d in zip(everywhere, table.row(result[i]), strict=True)]
    _spread(result, kinds, near, table)
    return result


def _spread(
    result: list[str], kinds: Sequence[str], near: Sequence[set[int]], table: _Differences
) -> None:
    """Raise the smallest difference between neighbours, one recolouring at a time."""
    pairs = sorted({(min(a, b), max(a, b)) for a in range(len(near)) for b in near[a]})
    for _ in range(4 * len(result)):
        if not pairs:
            return
        closest, a, b = min((table.between(result[a], result[b]), a, b) for a, b in pairs)
        if closest >= NEEDED or not _recolour(result, kinds, near, table, (a, b)):
            return


def _recolour(
    result: list[str],
    kinds: Sequence[str],
    near: Sequence[set[int]],
    table: _Differences,
    pair: tuple[int, int],
) -> bool:
    """Give one service of ``pair`` a colour farther from its neighbours, if there is one."""
    for v in pair:
        if kinds[v] == "shared-library":
            continue
        others = {result[u] for u in range(len(result)) if u != v}
        mine = table.nearest(result[u] for u in near[v])
        apart = table.nearest(others)
        best = max(
            (c for c in range(len(table.colours)) if table.colours[c] not in others),
            key=lambda c: (min(mine[c], NEEDED), min(apart[c], APART), mine[c], -c),
        )
        if min(mine[best], NEEDED) > mine[table.index[result[v]]] + 1e-6:
            result[v] = table.colours[best]
            return True
    return False
