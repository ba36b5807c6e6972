"""Whether the code is worth splitting, in words (the document's ``splitting`` section).

The report's overview, summary.md and the terminal say it before anything else: a library has
nothing for a service to serve, code without community structure has no cut worth making, and a
service holding most of the code is explained rather than shown as if it were a proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_HEADLINES = {
    "library": "Not an application: nothing here for services to serve",
    "cohesive": "Too cohesive to split: no cut stands out from a random one",
}
_LIBRARY = (
    "Seams found no entry point (URL route or view, task, command, GraphQL operation or signal "
    "receiver) and no database table, so no service would have requests to answer or data to "
    "own. Read the groups below as packages that belong together inside one code base, not as "
    "services to deploy."
)


@dataclass(frozen=True, slots=True)
class Splitting:
    verdict: str  # split, library or cohesive
    headline: str  # empty when the code is worth splitting
    sentences: tuple[str, ...]

    @property
    def advises_against(self) -> bool:
        return self.verdict != "split"


def describe_splitting(document: dict[str, Any]) -> Splitting | None:
    """The verdict and what it rests on; ``None`` when the document has no such section or it
    has nothing to say (worth splitting, no service holding most of the code)."""
    section = document.get("splitting")
    if not isinstance(section, dict):
        return None
    verdict = str(section.get("verdict", "split"))
    reasons = [str(r) for r in section.get("reasons", [])]
    sentences: list[str] = []
    if "library" in reasons:
        sentences.append(_LIBRARY)
    if "cohesive" in reasons:
        sentences.append(_cohesive(section))
    largest = section.get("largest")
    if isinstance(largest, dict):
        sentences.append(_largest(largest, float(section.get("threshold", 0.3))))
    if verdict == "split" and not sentences:
        return None
    return Splitting(verdict, _HEADLINES.get(verdict, ""), tuple(sentences))


def _cohesive(section: dict[str, Any]) -> str:
    modularity = float(section.get("modularity") or 0.0)
    threshold = float(section.get("threshold", 0.3))
    return (
        f"The proposal's modularity is {modularity:.2f}, below {threshold:g}, the level from "
        "which a network is usually read as having communities at all (Newman and Girvan, "
        "2004): its parts are not much more tightly knit inside than a random split of the "
        "same code would be."
    )


def _largest(largest: dict[str, Any], threshold: float) -> str:
    name, share = largest.get("service", "?"), float(largest.get("share", 0.0))
    parts, modularity = int(largest.get("parts", 0)), float(largest.get("modularity", 0.0))
    sizes = [f"{int(n):,}" for n in largest.get("part_loc", [])[:3]]
    cut = float(largest.get("cut_share", 0.0))
    opening = f"{name} holds {share:.0%} of the code."
    if parts <= 1:
        return f"{opening} Its code holds together as one piece: there is nothing to cut in it."
    found = (
        f" Split on its own coupling (Leiden, resolution 1) it falls into {parts} parts, the "
        f"largest {_and(sizes)} lines, cutting {cut:.0%} of its coupling (modularity "
        f"{modularity:.2f})"
    )
    if modularity < threshold:
        return (
            f"{opening}{found}: below {threshold:g}, no cut worth making, so it stays one service."
        )
    return (
        f"{opening}{found}: a cut worth a look, which the objective did not take (its "
        "resolution favours fewer, larger services; docs/metrics.md). Asking for more "
        "services (--services) shows where it would be cut."
    )


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
