"""The three things to do first, read from the document: what blocks a cut, what to cut first.

In order of precedence: question the proposal when today's layout scores better; settle a table
written by several services (no code moves cleanly while two services write one table); extract
the plan's first service; cut the heaviest seam between two services; review the close calls;
split a file whose code goes to several services. The first three that apply are kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reports.close_calls import CloseCalls
from reports.crossings import service_cuts
from reports.ownership import TableRow
from reports.plan import PlanStep
from reports.verdict import Verdict

SHOWN = 3


@dataclass(frozen=True, slots=True)
class Step:
    action: str
    detail: str
    section: str  # the report section that has the rest


def _plural(n: int, word: str, none: str = "") -> str:
    if n == 0 and none:
        return none
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def first_steps(
    document: Mapping[str, Any],
    verdict: Verdict,
    plan: Sequence[PlanStep],
    tables: Sequence[TableRow],
    close: CloseCalls,
) -> tuple[Step, ...]:
    candidates = (
        _question(verdict),
        _conflict(document, tables),
        _extract(plan),
        _seam(document),
        _review(close),
        _split(document),
    )
    return tuple(s for s in candidates if s is not None)[:SHOWN]


def _question(verdict: Verdict) -> Step | None:
    if verdict.outcome != "worse":
        return None
    worse = [a.name for a in verdict.of("worse") if a.deciding]
    return Step(
        "Question the proposal before cutting along it",
        f"today's layout scores better on {', '.join(worse)}: try another number of services"
        " (seams analyze --services N) or steer it (docs/configuration.md)",
        "overview",
    )


def _conflict(document: Mapping[str, Any], tables: Sequence[TableRow]) -> Step | None:
    shared = [t for t in tables if t.shared_write]
    if not shared:
        return None
    table = shared[0]
    others = [w for w in table.writers if w != table.owner]
    site = next((s for s in table.sites if s.mode == "write" and s.service in others), None)
    where = f" ({site.file}:{site.line})" if site else ""
    owner = f"; {table.owner} owns it" if table.owner else "; no service owns it"
    more = f" ({len(shared)} tables are written by several services)" if len(shared) > 1 else ""
    return Step(
        f"Settle who writes {table.name}",
        f"{', '.join(others)} write{'s' if len(others) == 1 else ''} it{where}{owner}: let one"
        f" service write it and the others call its API{more}",
        "data",
    )


def _extract(plan: Sequence[PlanStep]) -> Step | None:
    if not plan:
        return None
    step = plan[0]
    called = _plural(len(step.inbound), "service", "no service")
    return Step(
        f"Extract {step.service} first",
        f"{called} call{'s' if len(step.inbound) <= 1 else ''} into it, it touches"
        f" {_plural(len(step.foreign_tables), 'table', 'no table')} of other services and calls"
        f" {_plural(len(step.outbound), 'service', 'no other service')}; its API would have"
        f" {_plural(len(step.api), 'symbol')}",
        "plan",
    )


def _seam(document: Mapping[str, Any]) -> Step | None:
    cuts = service_cuts(document)
    if not cuts:
        return None
    cut = cuts[0]
    target = str(cut.get("target", "")).removeprefix("table::")
    examples = [e for e in cut.get("examples") or [] if isinstance(e, Mapping)]
    where = f" at {examples[0].get('file')}:{examples[0].get('line')}" if examples else ""
    return Step(
        f"Cut the heaviest seam: {cut.get('from')} \u2192 {cut.get('to')}",
        f"{cut.get('source')} uses {target}{where} (weight {float(cut.get('weight', 0)):.1f}):"
        " make it an API call or an event, or move the code",
        "cuts",
    )


def _review(close: CloseCalls) -> Step | None:
    if not close.total:
        return None
    return Step(
        f"Review {_plural(close.total, 'close call')}",
        f"code that a second service pulls at least {1 - close.margin:.0%} as hard as the one"
        " it was placed in: a person's judgement settles these",
        "borderline",
    )


def _split(document: Mapping[str, Any]) -> Step | None:
    split = document.get("split_modules") or {}
    if not split:
        return None
    module = sorted(split)[0]
    parts = split[module]
    return Step(
        f"Split {_plural(len(split), 'file')} between services",
        f"for example {module}, into {', '.join(sorted(parts))}",
        "splits",
    )
