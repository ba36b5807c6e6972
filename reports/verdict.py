"""Is the proposal better than today's layout? One verdict from the document's metrics.

The metrics are grouped into what a cut is felt by (docs/metrics.md#the-verdict): coupling between
services, data ownership and modularity decide the outcome; the API each service would publish
and how even the sizes are only add to the sentence. A change counts when it moves by at least 5%
of today's value and by more than a floor that keeps rounding noise out (0.01 for shares, one
table, one edge); anything smaller is "about the same".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reports.metric_info import METRICS

RELATIVE = 0.05
SLIGHT = 0.15  # below this relative change everywhere, "slightly" better or worse
FLOORS = {
    "modularity": 0.01,
    "sm": 0.01,
    "icp": 0.01,
    "ned": 0.01,
    "data_purity": 0.01,
    "shared_write_tables": 1.0,
    "cross_service_edges": 1.0,
}
DECIDING = (
    ("coupling between services", ("cross_service_weight", "icp")),
    ("data ownership", ("shared_write_tables", "data_purity")),
    ("modularity", ("modularity",)),
)
ALSO = (
    ("the API each service would publish", ("ifn",)),
    ("size balance", ("ned",)),
)


@dataclass(frozen=True, slots=True)
class Change:
    """One metric, proposal against today: ``direction`` is better, worse or same."""

    key: str
    proposed: float
    as_is: float
    direction: str
    relative: float  # (proposed - as_is) / |as_is|; inf when today's value is 0
    text: str


@dataclass(frozen=True, slots=True)
class Aspect:
    name: str
    direction: str  # better | worse | mixed | same
    changes: tuple[Change, ...]
    deciding: bool

    def notable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.direction != "same")


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: str  # better | worse | mixed | same | unknown
    title: str
    aspects: tuple[Aspect, ...]
    context: str

    def of(self, direction: str) -> tuple[Aspect, ...]:
        return tuple(a for a in self.aspects if a.direction == direction)

    def lines(self) -> tuple[str, ...]:
        """The verdict's detail, one plain sentence per line: what is better, what is worse,
        what stayed the same."""
        result = []
        for direction, word in (("better", "Better"), ("worse", "Worse"), ("mixed", "Mixed")):
            for aspect in self.of(direction):
                details = "; ".join(c.text for c in aspect.notable())
                result.append(f"{word} on {aspect.name}: {details}.")
        same = [a.name for a in self.of("same")]
        if same:
            result.append(f"About the same on {_join(same)}.")
        return tuple(result)

    def sentence(self) -> str:
        return " ".join((f"{self.title}.", *self.lines(), self.context)).strip()


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _pct(value: float) -> str:
    """``12.8%``, ``62.3%``, ``0%``."""
    return f"{value * 100:.1f}".removesuffix(".0") + "%"


def _weight(p: float, a: float) -> str:
    if a <= 0:
        return f"coupling of weight {p:,.0f} crosses service boundaries, none today"
    change = (p - a) / a
    more = "less" if change < 0 else "more"
    return (
        f"{abs(change):.0%} {more} coupling crosses service boundaries"
        f" (weight {p:,.0f} vs {a:,.0f})"
    )


def _tables(p: float, a: float) -> str:
    noun = "table" if int(p) == 1 else "tables"
    return f"{int(p)} {noun} written by several services instead of {int(a)}"


TEXTS: dict[str, Callable[[float, float], str]] = {
    "cross_service_weight": _weight,
    "icp": lambda p, a: f"{_pct(p)} of calls cross a service boundary instead of {_pct(a)}",
    "shared_write_tables": _tables,
    "data_purity": lambda p, a: f"data purity {p:.2f} instead of {a:.2f}",
    "modularity": lambda p, a: f"modularity {p:.2f} instead of {a:.2f}",
    "ifn": lambda p, a: f"{p:.1f} symbols used from outside per service instead of {a:.1f}",
    "ned": lambda p, a: (
        f"{_pct(p)} of the code in services far from the average size instead of {_pct(a)}"
    ),
}


def compare(key: str, proposed: object, as_is: object) -> Change | None:
    """The change of one metric, or None when either side is missing."""
    info = next((m for m in METRICS if m.key == key), None)
    if info is None or not info.better or not _number(proposed) or not _number(as_is):
        return None
    p, a = float(proposed), float(as_is)  # type: ignore[arg-type]
    delta = p - a
    notable = abs(delta) > 1e-9 and abs(delta) >= max(FLOORS.get(key, 0.0), RELATIVE * abs(a))
    gain = delta if info.better == "higher" else -delta
    direction = "same" if not notable else "better" if gain > 0 else "worse"
    relative = delta / abs(a) if a else (0.0 if not delta else float("inf"))
    describe = TEXTS.get(key)
    text = describe(p, a) if describe else f"{info.label} {p:.3g} instead of {a:.3g}"
    return Change(key, p, a, direction, relative, text)


def mark(key: str, proposed: object, as_is: object) -> str:
    """ "better", "worse", "same" (a difference too small to count) or "" (equal, not comparable)
    for one metric of the proposal against today's layout."""
    change = compare(key, proposed, as_is)
    if change is None or change.proposed == change.as_is:
        return ""
    return change.direction


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _aspect(
    name: str,
    keys: tuple[str, ...],
    deciding: bool,
    proposed: Mapping[str, Any],
    as_is: Mapping[str, Any],
) -> Aspect | None:
    changes = tuple(c for k in keys if (c := compare(k, proposed.get(k), as_is.get(k))))
    if not changes:
        return None
    directions = {c.direction for c in changes} - {"same"}
    direction = "mixed" if len(directions) > 1 else directions.pop() if directions else "same"
    return Aspect(name, direction, changes, deciding)


def judge(document: Mapping[str, Any]) -> Verdict:
    metrics = document.get("metrics") or {}
    proposed, as_is = metrics.get("proposed") or {}, metrics.get("as_is") or {}
    aspects = tuple(
        a
        for group, deciding in ((DECIDING, True), (ALSO, False))
        for name, keys in group
        if (a := _aspect(name, keys, deciding, proposed, as_is)) is not None
    )
    deciding = [a for a in aspects if a.deciding]
    context = _context(proposed, as_is)
    if not deciding:
        title = "Not enough metrics to compare the proposal with today's layout"
        return Verdict("unknown", title, aspects, context)
    gains = any(a.direction in ("better", "mixed") for a in deciding)
    losses = any(a.direction in ("worse", "mixed") for a in deciding)
    outcome = "mixed" if gains and losses else "better" if gains else "worse" if losses else "same"
    return Verdict(outcome, _title(outcome, deciding), aspects, context)


def _title(outcome: str, deciding: list[Aspect]) -> str:
    if outcome == "same":
        return "About the same as today's layout"
    if outcome == "mixed":
        return "Mixed: better than today's layout on some counts, worse on others"
    moved = [abs(c.relative) for a in deciding for c in a.notable()]
    slight = "Slightly " if moved and max(moved) < SLIGHT else ""
    word = "better" if outcome == "better" else "worse"
    return f"{slight}{word} than today's layout".capitalize()


def _context(proposed: Mapping[str, Any], as_is: Mapping[str, Any]) -> str:
    mine, today = proposed.get("services"), as_is.get("services")
    if not isinstance(mine, int | float) or not isinstance(today, int | float):
        return ""
    return (
        f"Compared on the same code: {int(mine)} proposed service{'s' if mine != 1 else ''}"
        f" against {int(today)} package{'s' if today != 1 else ''} today, the shared library"
        " left out of both."
    )
