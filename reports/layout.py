"""Layout of the service map, computed once in Python so the browser only draws.

A clustered layout: inside each service its pieces (a module's code in that service) are laid out
by a force-directed pass over the edges between them, starting from a spiral in package order so
sibling modules start side by side; then the services, each a circle large enough for its pieces,
are placed by the same forces over the service graph. Repulsion only looks at neighbouring cells
of a grid, so one pass costs about O(nodes + edges), and overlaps are removed at the end.

Pure Python and no randomness: the same input gives the same coordinates, and 2,000 pieces with
10,000 edges take about a second (bench/report_render.py).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GAP = 3.0  # space between two pieces
PADDING = 12.0  # space between a service's border and its pieces
SERVICE_GAP = 40.0  # space between two services
GRAVITY = 4.0


@dataclass(frozen=True, slots=True)
class Circle:
    x: float
    y: float
    r: float


@dataclass(frozen=True, slots=True)
class MapLayout:
    """Centres and radii of the services and of every piece, all in one coordinate space whose
    top-left corner is (0, 0)."""

    services: tuple[Circle, ...]
    pieces: tuple[Circle, ...]
    width: float
    height: float


def piece_radius(loc: int) -> float:
    """Area grows with lines of code; even an empty ``__init__`` stays visible and clickable."""
    return 3.0 + math.sqrt(max(loc, 0)) * 0.6


def layout_map(
    service_count: int,
    piece_service: Sequence[int],
    piece_radii: Sequence[float],
    piece_edges: Mapping[tuple[int, int], float],
    service_edges: Mapping[tuple[int, int], float],
) -> MapLayout:
    """Pieces are given in the order they should start in (package order); ``piece_service``
    is a service index; edges map index pairs to weights (direction is ignored)."""
    members: list[list[int]] = [[] for _ in range(service_count)]
    for piece, service in enumerate(piece_service):
        members[service].append(piece)
    inside: list[dict[tuple[int, int], float]] = [{} for _ in range(service_count)]
    position = {p: i for pieces in members for i, p in enumerate(pieces)}
    for (a, b), weight in piece_edges.items():
        if a != b and piece_service[a] == piece_service[b]:
            inside[piece_service[a]][(position[a], position[b])] = weight
    local: dict[int, tuple[float, float]] = {}
    region = []
    for service, pieces in enumerate(members):
        points = cluster_layout([piece_radii[p] for p in pieces], inside[service])
        extent = max(
            (math.hypot(x, y) + piece_radii[p] for p, (x, y) in zip(pieces, points, strict=True)),
            default=0.0,
        )
        region.append(max(extent + PADDING, 30.0))
        local.update(zip(pieces, points, strict=True))
    centres = place_circles(region, service_edges, SERVICE_GAP)
    return _assemble(centres, region, local, piece_service, piece_radii)


def _assemble(
    centres: Sequence[tuple[float, float]],
    region: Sequence[float],
    local: Mapping[int, tuple[float, float]],
    piece_service: Sequence[int],
    piece_radii: Sequence[float],
) -> MapLayout:
    margin = 20.0
    circles = list(zip(centres, region, strict=True))
    left = min((x - r for (x, _), r in circles), default=0.0) - margin
    top = min((y - r for (_, y), r in circles), default=0.0) - margin
    right = max((x + r for (x, _), r in circles), default=0.0) + margin
    bottom = max((y + r for (_, y), r in circles), default=0.0) + margin
    services = tuple(Circle(_round(x - left), _round(y - top), _round(r)) for (x, y), r in circles)
    pieces = []
    for piece, service in enumerate(piece_service):
        cx, cy = centres[service]
        dx, dy = local[piece]
        pieces.append(
            Circle(_round(cx + dx - left), _round(cy + dy - top), _round(piece_radii[piece]))
        )
    return MapLayout(services, tuple(pieces), _round(right - left), _round(bottom - top))


def _round(value: float) -> float:
    return round(value, 1)


def cluster_layout(
    radii: Sequence[float], edges: Mapping[tuple[int, int], float]
) -> list[tuple[float, float]]:
    """Positions around (0, 0) for circles of ``radii``: connected circles end up close,
    none overlapping."""
    n = len(radii)
    if n == 0:
        return []
    if n == 1:
        return [(0.0, 0.0)]
    points = spiral(radii)
    iterations = max(10, min(30, 300_000 // (12 * n + len(edges) + 1)))
    points = relax(points, radii, edges, iterations)
    return separate(points, radii, GAP)


def spiral(radii: Sequence[float]) -> list[tuple[float, float]]:
    """Circles along an Archimedean spiral, in the given order, each just clear of the last."""
    points = [(0.0, 0.0)]
    angle, previous = 0.0, radii[0]
    pitch = 2.0 * (sum(radii) / len(radii)) + GAP
    for radius in radii[1:]:
        step = previous + radius + GAP
        distance = pitch * (1.0 + angle / (2.0 * math.pi))
        angle += step / max(distance, step)
        distance = pitch * (1.0 + angle / (2.0 * math.pi))
        points.append((distance * math.cos(angle), distance * math.sin(angle)))
        previous = radius
    return points


def relax(
    points: list[tuple[float, float]],
    radii: Sequence[float],
    edges: Mapping[tuple[int, int], float],
    iterations: int,
) -> list[tuple[float, float]]:
    """Fruchterman-Reingold with grid-limited repulsion and a pull towards the centre; sizes
    are left to ``separate``, so one huge piece does not push everything else away."""
    n = len(points)
    k = 2.0 * statistics.median(radii) + 2.0 * GAP
    heaviest = max(edges.values(), default=1.0) or 1.0
    springs = [(a, b, 0.2 + 0.8 * math.sqrt(w / heaviest)) for (a, b), w in sorted(edges.items())]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    spread = math.sqrt(sum((r + GAP) ** 2 for r in radii)) * 1.3
    temperature = spread / 3.0
    gravity = GRAVITY * k / spread
    for step in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        _repel(xs, ys, k, dx, dy)
        for a, b, strength in springs:
            ex, ey = xs[a] - xs[b], ys[a] - ys[b]
            distance = math.hypot(ex, ey) or 0.01
            force = strength * distance / k
            dx[a] -= ex * force
            dy[a] -= ey * force
            dx[b] += ex * force
            dy[b] += ey * force
        limit = temperature * (1.0 - step / iterations) + 0.5
        for i in range(n):
            dx[i] -= gravity * xs[i]
            dy[i] -= gravity * ys[i]
            length = math.hypot(dx[i], dy[i])
            if length > limit:
                dx[i] *= limit / length
                dy[i] *= limit / length
            xs[i] += dx[i]
            ys[i] += dy[i]
    return list(zip(xs, ys, strict=True))


def _repel(xs: list[float], ys: list[float], k: float, dx: list[float], dy: list[float]) -> None:
    cell = 1.5 * k
    k2 = k * k
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in range(len(xs)):
        grid[(math.floor(xs[i] / cell), math.floor(ys[i] / cell))].append(i)
    for (cx, cy), here in grid.items():
        near = [
            j for ox in (-1, 0, 1) for oy in (-1, 0, 1) for j in grid.get((cx + ox, cy + oy), ())
        ]
        for i in here:
            xi, yi = xs[i], ys[i]
            fx = fy = 0.0
            for j in near:
                ex, ey = xi - xs[j], yi - ys[j]
                d2 = ex * ex + ey * ey
                if d2 < 1e-4:
                    if j != i:
                        fx += k if i < j else -k
                    continue
                force = k2 / d2
                fx += ex * force
                fy += ey * force
            dx[i] += fx
            dy[i] += fy


def separate(
    points: Sequence[tuple[float, float]], radii: Sequence[float], gap: float, passes: int = 40
) -> list[tuple[float, float]]:
    """Push overlapping circles apart until none overlap (or ``passes`` run out). Each circle is
    filed in every grid cell its box touches; a pair is checked in one cell only."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    cell = 2.0 * statistics.median(radii) + 2.0 * gap
    for _ in range(passes):
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        boxes = []
        for i, r in enumerate(radii):
            reach = r + gap / 2.0
            box = (
                math.floor((xs[i] - reach) / cell),
                math.floor((ys[i] - reach) / cell),
                math.floor((xs[i] + reach) / cell),
                math.floor((ys[i] + reach) / cell),
            )
            boxes.append(box)
            for gx in range(box[0], box[2] + 1):
                for gy in range(box[1], box[3] + 1):
                    grid[(gx, gy)].append(i)
        if not _push_apart(xs, ys, radii, gap, grid, boxes):
            break
    return list(zip(xs, ys, strict=True))


def _push_apart(
    xs: list[float],
    ys: list[float],
    radii: Sequence[float],
    gap: float,
    grid: Mapping[tuple[int, int], list[int]],
    boxes: Sequence[tuple[int, int, int, int]],
) -> bool:
    """One pass over the overlapping pairs; True when some overlapped by more than a sliver."""
    moved = False
    for (gx, gy), here in sorted(grid.items()):
        for position, i in enumerate(here):
            ri, box_i = radii[i], boxes[i]
            for j in here[position + 1 :]:
                box_j = boxes[j]
                # a pair sharing several cells is handled in the first of them only
                if gx != (box_i[0] if box_i[0] > box_j[0] else box_j[0]) or gy != (
                    box_i[1] if box_i[1] > box_j[1] else box_j[1]
                ):
                    continue
                ex, ey = xs[j] - xs[i], ys[j] - ys[i]
                need = ri + radii[j] + gap
                squared = ex * ex + ey * ey
                if squared >= need * need:
                    continue
                distance = math.sqrt(squared)
                if distance < 1e-6:
                    ex, ey, distance = 0.0, 1.0, 1.0
                share = radii[j] ** 2 / (ri * ri + radii[j] ** 2)
                push = (need - distance) * 1.25 + 0.01
                ux, uy = ex / distance * push, ey / distance * push
                xs[i] -= ux * share
                ys[i] -= uy * share
                xs[j] += ux * (1.0 - share)
                ys[j] += uy * (1.0 - share)
                moved = moved or push > 0.1 * gap
    return moved


def compact(
    points: Sequence[tuple[float, float]], radii: Sequence[float], gap: float, rounds: int = 6
) -> list[tuple[float, float]]:
    """Shrink the picture towards its centre and re-separate, a few times: keeps who is next to
    whom, removes the empty space that loose, unconnected pieces leave."""
    cx = sum(x for x, _ in points) / len(points)
    cy = sum(y for _, y in points) / len(points)
    current = [(x - cx, y - cy) for x, y in points]
    for _ in range(rounds):
        current = separate([(x * 0.8, y * 0.8) for x, y in current], radii, gap)
    return current


def place_circles(
    radii: Sequence[float], edges: Mapping[tuple[int, int], float], gap: float
) -> list[tuple[float, float]]:
    """Centres for big circles (the services): coupled ones near each other, none overlapping.
    Largest first on the spiral, so the biggest services sit in the middle."""
    n = len(radii)
    if n == 0:
        return []
    order = sorted(range(n), key=lambda i: (-radii[i], i))
    rank = {s: i for i, s in enumerate(order)}
    ordered = [radii[s] for s in order]
    symmetric: dict[tuple[int, int], float] = defaultdict(float)
    for (a, b), w in edges.items():
        if a != b:
            key = (min(rank[a], rank[b]), max(rank[a], rank[b]))
            symmetric[key] += w
    points = spiral([r + gap / 2.0 for r in ordered])
    if n > 1:
        points = relax(points, ordered, symmetric, 80 if n <= 60 else 30)
        points = compact(separate(points, ordered, gap, passes=200), ordered, gap)
    return [points[rank[s]] for s in range(n)]


def neighbour_pairs(circles: Sequence[Circle]) -> set[tuple[int, int]]:
    """Pairs of circles a reader sees side by side: their borders are closer than the smaller
    one's radius (or two service gaps), and no third circle lies across the line between them."""
    pairs = set()
    for i, a in enumerate(circles):
        for j in range(i + 1, len(circles)):
            b = circles[j]
            distance = math.hypot(b.x - a.x, b.y - a.y)
            if distance - a.r - b.r > max(min(a.r, b.r), 2.0 * SERVICE_GAP):
                continue
            if not any(_crosses(a, b, c) for k, c in enumerate(circles) if k not in (i, j)):
                pairs.add((i, j))
    return pairs


def _crosses(a: Circle, b: Circle, c: Circle) -> bool:
    """Whether circle ``c`` lies across the segment between the centres of ``a`` and ``b``."""
    dx, dy = b.x - a.x, b.y - a.y
    length = dx * dx + dy * dy
    if length == 0:
        return False
    t = ((c.x - a.x) * dx + (c.y - a.y) * dy) / length
    if t <= 0 or t >= 1:
        return False
    px, py = a.x + t * dx, a.y + t * dy
    return math.hypot(c.x - px, c.y - py) < c.r
