"""Colour differences, and service colours that neighbours on the map can tell apart."""

from __future__ import annotations

import itertools

import pytest

from reports.colour_difference import ciede2000, difference, hex_to_rgb, lab_to_rgb, rgb_to_lab
from reports.layout import Circle, neighbour_pairs
from reports.map_arcs import strong_count
from reports.service_colours import SHARED_COLOUR, assign_colours
from reports.service_map import build_service_map
from tests.browser.documents import many_services_document, sample_document

CLEARLY_DIFFERENT = 15.0


# Pairs and expected differences from Sharma, Wu and Dalal (2005), the reference test data for
# CIEDE2000 implementations: they exercise the hue wrap-around and the blue-region rotation.
@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
        ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
        ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ],
)
def test_ciede2000_matches_the_published_test_data(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float], expected: float
) -> None:
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_srgb_converts_to_lab_and_back() -> None:
    white = rgb_to_lab((255, 255, 255))
    assert white == pytest.approx((100.0, 0.0, 0.0), abs=1e-3)
    red = rgb_to_lab((255, 0, 0))
    assert red == pytest.approx((53.24, 80.09, 67.20), abs=0.01)
    assert lab_to_rgb(red) == (255, 0, 0)
    assert lab_to_rgb((50.0, 120.0, 0.0)) is None  # outside sRGB
    assert hex_to_rgb("#4e79a7") == (0x4E, 0x79, 0xA7)
    assert difference("#4e79a7", "#4e79a7") == 0.0


def test_services_in_conflict_get_clearly_different_colours() -> None:
    kinds = ["service"] * 30 + ["shared-library"]
    everyone = list(itertools.combinations(range(31), 2))  # the hardest case: all pairs
    colours = assign_colours(kinds, everyone)
    assert colours[30] == SHARED_COLOUR
    assert len(set(colours)) == 31
    worst = min(difference(colours[a], colours[b]) for a, b in everyone)
    assert worst >= CLEARLY_DIFFERENT  # even when all thirty depend on each other
    sparse = assign_colours(
        kinds, [(i, (i + 1) % 30) for i in range(30)] + [(i, 30) for i in range(30)]
    )
    assert min(difference(sparse[i], sparse[(i + 1) % 30]) for i in range(30)) >= 20.0
    assert min(difference(sparse[i], SHARED_COLOUR) for i in range(30)) >= 20.0


def test_colours_are_the_same_for_the_same_input() -> None:
    kinds = ["service"] * 12
    pairs = [(0, 5), (3, 4), (7, 11)]
    assert assign_colours(kinds, pairs) == assign_colours(kinds, list(reversed(pairs)))


def test_neighbours_are_circles_side_by_side_with_nothing_between() -> None:
    a, b, c = Circle(0, 0, 50), Circle(130, 0, 50), Circle(260, 0, 50)
    far = Circle(1000, 1000, 50)
    assert neighbour_pairs([a, b, c, far]) == {(0, 1), (1, 2)}  # b stands between a and c


def test_on_a_thirty_service_map_neighbours_and_dependents_differ_clearly() -> None:
    document = many_services_document(30)
    service_map = build_service_map(document)
    index = {s.name: s.index for s in service_map.services}
    colour = [s.colour for s in service_map.services]
    dependent = {(index[d["from"]], index[d["to"]]) for d in document["dependencies"]}
    beside = neighbour_pairs([Circle(s.x, s.y, s.r) for s in service_map.services])
    assert len(service_map.services) == 31 and len(beside) > 40 and len(dependent) > 60
    worst = min(difference(colour[a], colour[b]) for a, b in dependent | beside)
    assert worst >= CLEARLY_DIFFERENT
    assert len(set(colour)) == 31


def test_the_overview_has_one_line_per_pair_and_a_few_strong_ones() -> None:
    document = many_services_document(30)
    arcs = build_service_map(document).arcs
    pairs = [(a.source, a.target) for a in arcs]
    assert len(pairs) == len(set(pairs)) and all(a < b for a, b in pairs)
    strong = [a for a in arcs if a.style == "strong"]
    assert len(strong) == strong_count(30) == 8
    between = [a for a in arcs if a.style != "library"]
    assert min(a.weight for a in strong) >= max(a.weight for a in between if a.style == "faint")
    assert {a.style for a in arcs if a.target == 30} == {"library"}  # core, the shared library
    assert strong_count(3) == 3


def test_the_sample_keeps_its_shared_library_grey() -> None:
    service_map = build_service_map(sample_document())
    assert [s.colour for s in service_map.services if s.kind == "shared-library"] == [SHARED_COLOUR]
