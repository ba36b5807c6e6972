"""The map's layout: deterministic, nothing overlapping, every piece inside its service."""

from __future__ import annotations

import math
import random

from reports.layout import GAP, SERVICE_GAP, cluster_layout, layout_map, piece_radius, separate


def _graph(services: int, pieces: int, edges: int, seed: int = 1):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    owner = [i % services for i in range(pieces)]
    radii = [piece_radius(int(rng.lognormvariate(4, 1))) for _ in range(pieces)]
    weights: dict[tuple[int, int], float] = {}
    while len(weights) < edges:
        a, b = rng.randrange(pieces), rng.randrange(pieces)
        if a != b:
            weights[(a, b)] = float(rng.randint(1, 5))
    between: dict[tuple[int, int], float] = {}
    for (a, b), w in weights.items():
        if owner[a] != owner[b]:
            between[(owner[a], owner[b])] = between.get((owner[a], owner[b]), 0.0) + w
    return owner, radii, weights, between


def test_same_input_gives_the_same_layout_whatever_the_edge_order() -> None:
    owner, radii, weights, between = _graph(5, 120, 400)
    first = layout_map(5, owner, radii, weights, between)
    shuffled = list(weights.items())
    random.Random(7).shuffle(shuffled)
    again = layout_map(5, owner, radii, dict(shuffled), dict(reversed(list(between.items()))))
    assert first == again


def test_no_two_pieces_overlap_and_each_sits_inside_its_service() -> None:
    owner, radii, weights, between = _graph(6, 300, 1200)
    layout = layout_map(6, owner, radii, weights, between)
    for i, piece in enumerate(layout.pieces):
        region = layout.services[owner[i]]
        assert math.hypot(piece.x - region.x, piece.y - region.y) + piece.r <= region.r + 0.5
        for j in range(i + 1, len(layout.pieces)):
            other = layout.pieces[j]
            assert math.hypot(piece.x - other.x, piece.y - other.y) >= piece.r + other.r - 0.2
    for i, a in enumerate(layout.services):
        for b in layout.services[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r + SERVICE_GAP - 1.0
    assert all(c.r <= c.x <= layout.width - c.r for c in layout.services)
    assert all(c.r <= c.y <= layout.height - c.r for c in layout.services)


def test_connected_pieces_end_up_closer_than_unconnected_ones() -> None:
    # Two cliques of 10 in one service, no edge between them.
    radii = [6.0] * 20
    edges = {(a, b): 1.0 for a in range(10) for b in range(a + 1, 10)}
    edges.update({(a, b): 1.0 for a in range(10, 20) for b in range(a + 1, 20)})
    points = cluster_layout(radii, edges)

    def mean_distance(pairs: list[tuple[int, int]]) -> float:
        return sum(math.dist(points[a], points[b]) for a, b in pairs) / len(pairs)

    inside = [(a, b) for a in range(10) for b in range(a + 1, 10)]
    across = [(a, b) for a in range(10) for b in range(10, 20)]
    assert mean_distance(inside) < 0.75 * mean_distance(across)


def test_separate_leaves_a_gap_between_circles() -> None:
    points = separate([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)], [10.0, 10.0, 30.0], GAP)
    radii = [10.0, 10.0, 30.0]
    for i in range(3):
        for j in range(i + 1, 3):
            assert math.dist(points[i], points[j]) >= radii[i] + radii[j] + GAP - 0.01


def test_a_service_without_pieces_and_a_single_piece_are_laid_out() -> None:
    layout = layout_map(2, [1], [5.0], {}, {})
    assert len(layout.services) == 2 and len(layout.pieces) == 1
    assert layout.services[0].r > 0
    piece, region = layout.pieces[0], layout.services[1]
    assert (piece.x, piece.y) == (region.x, region.y)
