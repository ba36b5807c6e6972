"""Close calls: code that another service pulls almost as hard as the one it was placed in.

The pull towards a service is the coupling weight between the unit and that service's code, as
the document's ``explanations`` record it (``own_weight``, ``runner_up_weight``). A placement is a
close call when the runner-up's pull is at least ``1 - MARGIN`` of the placement's and no more
than it. A unit whose runner-up pulls harder sits against the pull on purpose (it stays with the
rest of its file, or was pinned): that is no close call, and is only counted. Choices between a
service and the shared library are left out: that is a library question, not a cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MARGIN = 0.2
SHOWN = 30


@dataclass(frozen=True, slots=True)
class CloseCall:
    unit: str
    service: str
    runner_up: str
    own: float
    runner: float
    reason: str

    @property
    def closeness(self) -> float:
        """The runner-up's pull as a share of the placement's: 1.0 is a tie."""
        return self.runner / self.own if self.own > 0 else 0.0


@dataclass(frozen=True, slots=True)
class CloseCalls:
    rows: tuple[CloseCall, ...]  # the closest first, at most ``SHOWN``
    total: int  # all close calls
    against_pull: int  # placements whose runner-up pulls harder
    margin: float


def close_calls(
    document: Mapping[str, Any], margin: float = MARGIN, shown: int = SHOWN
) -> CloseCalls:
    shared = {s.get("name") for s in document.get("services") or [] if s.get("kind") != "service"}
    rows, against = [], 0
    for unit, e in (document.get("explanations") or {}).items():
        if not isinstance(e, Mapping) or not e.get("runner_up"):
            continue
        if e.get("service") in shared or e.get("runner_up") in shared:
            continue
        own = float(e.get("own_weight") or 0)
        runner = float(e.get("runner_up_weight") or 0)
        if runner > own:
            against += 1
            continue
        if own <= 0 or runner < (1.0 - margin) * own:
            continue
        reasons = [r for r in e.get("reasons") or [] if isinstance(r, Mapping)]
        rows.append(
            CloseCall(
                str(unit),
                str(e.get("service", "")),
                str(e["runner_up"]),
                own,
                runner,
                str(reasons[0].get("text", "")) if reasons else "",
            )
        )
    rows.sort(key=lambda r: (-r.closeness, r.unit))
    return CloseCalls(tuple(rows[:shown]), len(rows), against, margin)
