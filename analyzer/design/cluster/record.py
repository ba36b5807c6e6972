"""What the engine did: the moves each pass made and why, the one record that explanations and
the report's close calls read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Move:
    """Pass ``step`` put ``nodes`` (graph node ids) from community ``source`` into ``target``
    (``-1``: a community that did not exist before), changing the objective by ``gain``;
    ``reason`` says why in words. Communities are renumbered to service indices at the end."""

    nodes: tuple[str, ...]
    step: str
    source: int
    target: int
    gain: float
    reason: str

    def __str__(self) -> str:
        shown = ", ".join(self.nodes[:3]) + (" ..." if len(self.nodes) > 3 else "")
        return (
            f"{self.step}: {shown} {self.source} -> {self.target} ({self.gain:+.5f}) {self.reason}"
        )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a node ended and what pulls it: the objective's change if it moved to its
    ``runner_up`` community (negative: the placement is better), and the coupling it has with
    its own community and with the runner-up."""

    node: str
    community: int
    runner_up: int | None
    change: float
    own_pull: float
    rival_pull: float
