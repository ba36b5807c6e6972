"""The overview's lines between services: one per pair of services, the strongest few drawn dark.

Both directions of a pair share one line (an arrowhead for each direction that exists), so the
overview has at most one line between two circles. The ``strong_count`` heaviest pairs between
two services are drawn dark with arrowheads; the rest stay faint until a service is selected.
Lines to the shared library are always faint and dashed: using a library is no dependency to
cut, and every service has one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class _Circle(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def r(self) -> float: ...


@dataclass(frozen=True, slots=True)
class MapArc:
    """The line between services ``source`` and ``target`` (indices, source < target)."""

    source: int
    target: int
    weight: float  # both directions together
    forward: float  # source -> target
    backward: float  # target -> source
    path: str
    width: float
    style: str  # "strong" | "faint" | "library"
    title: str


def strong_count(services: int) -> int:
    """How many pairs are drawn dark: a handful, a few more on large maps."""
    return max(3, min(8, (services + 2) // 3))


def build_arcs(
    services: Sequence[_Circle],
    dependencies: Sequence[Mapping[str, Any]],
    index: Mapping[str, int],
) -> tuple[MapArc, ...]:
    weight: dict[tuple[int, int], float] = defaultdict(float)
    kinds: dict[tuple[int, int], str] = {}
    for dep in dependencies:
        a, b = index.get(str(dep.get("from"))), index.get(str(dep.get("to")))
        if a is None or b is None or a == b:
            continue
        weight[(a, b)] += float(dep.get("weight", 0))
        kinds[(a, b)] = ", ".join(f"{k} {v}" for k, v in (dep.get("kinds") or {}).items())
    pairs = sorted({(min(a, b), max(a, b)) for a, b in weight})
    library = {i for i, s in enumerate(services) if s.kind == "shared-library"}
    ranked = sorted(
        (p for p in pairs if not library & set(p)),
        key=lambda p: (-(weight.get(p, 0.0) + weight.get(p[::-1], 0.0)), p),
    )
    strong = set(ranked[: strong_count(len(services) - len(library))])
    heaviest = max((weight.get(p, 0.0) + weight.get(p[::-1], 0.0) for p in pairs), default=1.0)
    arcs = []
    for a, b in pairs:
        forward, backward = weight.get((a, b), 0.0), weight.get((b, a), 0.0)
        total = forward + backward
        style = "library" if library & {a, b} else "strong" if (a, b) in strong else "faint"
        scale = math.sqrt(total / (heaviest or 1.0))
        arcs.append(
            MapArc(
                a,
                b,
                round(total, 2),
                round(forward, 2),
                round(backward, 2),
                _path(services[a], services[b]),
                round((2.0 + 8.0 * scale) if style == "strong" else (1.0 + 2.0 * scale), 1),
                style,
                _title(services, a, b, weight, kinds),
            )
        )
    # faint lines first, so the strong ones are drawn over them
    order = {"library": 0, "faint": 1, "strong": 2}
    return tuple(sorted(arcs, key=lambda arc: (order[arc.style], arc.weight, arc.source)))


def _title(
    services: Sequence[_Circle],
    a: int,
    b: int,
    weight: Mapping[tuple[int, int], float],
    kinds: Mapping[tuple[int, int], str],
) -> str:
    parts = [
        f"{services[x].name} \u2192 {services[y].name}: weight {weight[(x, y)]:g} ({kinds[(x, y)]})"
        for x, y in ((a, b), (b, a))
        if (x, y) in weight
    ]
    return "; ".join(parts)


def _path(a: _Circle, b: _Circle) -> str:
    """A gentle curve from border to border."""
    dx, dy = b.x - a.x, b.y - a.y
    distance = math.hypot(dx, dy) or 1.0
    ux, uy = dx / distance, dy / distance
    nx, ny = -uy, ux
    sx, sy = a.x + a.r * ux, a.y + a.r * uy
    ex, ey = b.x - b.r * ux, b.y - b.r * uy
    bend = 0.08 * distance
    cx, cy = (sx + ex) / 2 + nx * bend, (sy + ey) / 2 + ny * bend
    return f"M{sx:.1f} {sy:.1f}Q{cx:.1f} {cy:.1f} {ex:.1f} {ey:.1f}"
