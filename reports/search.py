"""How the proposal was found, in words: the starts the engine refined, what each one is, which
one the proposal grew from and by how much it won (the document's ``search`` section)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_MEANINGS: tuple[tuple[str, str], ...] = (
    (r"today's layout", "the packages as they are today (each Django app, or each second-level "
     "package)"),
    (r"today's layout, layers dissolved", "today's layout with each package that mostly serves "
     "several others (a layer) dissolved into the packages it serves"),
    (r"package tree at depth (\d+)", "modules grouped by their first {0} package name(s)"),
    (r"Leiden at resolution (\S+)", "communities of the module coupling graph alone (Leiden, "
     "{0} times the objective's resolution)"),
    (r"Leiden on symbols at resolution (\S+)", "communities of classes and functions, module "
     "boundaries ignored (Leiden, {0} times the objective's resolution)"),
)  # fmt: skip


def meaning(start: str) -> str:
    """What a start is, in words; empty for a name this version does not know."""
    for pattern, text in _MEANINGS:
        found = re.fullmatch(pattern, start)
        if found:
            return text.format(*found.groups())
    return ""


@dataclass(frozen=True, slots=True)
class StartRow:
    name: str
    objective: float
    meaning: str
    won: bool


@dataclass(frozen=True, slots=True)
class Search:
    start: str
    rows: tuple[StartRow, ...]  # best first

    def sentence(self) -> str:
        """Which start the proposal grew from and why: it reached the highest objective."""
        won = next((r for r in self.rows if r.won), None)
        others = [r for r in self.rows if not r.won]
        if won is None:
            return f"The proposal grew from {self.start}."
        if not others:
            return (
                f"The proposal grew from {won.name}, the only start: objective "
                f"{won.objective:.4f} once refined."
            )
        runner = others[0]
        tied = [r.name for r in others if r.objective >= won.objective]
        if tied:
            more = f" and {len(tied) - 1} more" if len(tied) > 1 else ""
            return (
                f"The proposal grew from {won.name}: once refined, it tied for the highest "
                f"objective of {len(self.rows)} starts, {won.objective:.6f}, with {tied[0]}"
                f"{more}; of tied starts, the first tried is kept."
            )
        # close calls get the digits that tell them apart
        digits = 4 if won.objective - runner.objective >= 1e-4 else 6
        return (
            f"The proposal grew from {won.name}: once refined, it reached the highest "
            f"objective of {len(self.rows)} starts, {won.objective:.{digits}f}, ahead of "
            f"{runner.name} ({runner.objective:.{digits}f})."
        )


def describe_search(document: Mapping[str, Any]) -> Search | None:
    """The ``search`` section in words; ``None`` when the document has none."""
    section = document.get("search")
    if not isinstance(section, Mapping) or not section.get("start"):
        return None
    start = str(section["start"])
    starts = [(str(s["name"]), float(s["objective"])) for s in section.get("starts", ())]
    # best first; the tried order breaks ties, as the engine's choice did
    starts.sort(key=lambda s: -s[1])
    return Search(
        start,
        tuple(StartRow(name, value, meaning(name), name == start) for name, value in starts),
    )
