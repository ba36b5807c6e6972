"""One check: violations of the declared boundaries in the current code, against the baseline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from analyzer.check import baseline as baselines
from analyzer.check.mapping import ServiceMap
from analyzer.check.metrics import boundary_metrics, regressions
from analyzer.check.rules import find_violations
from analyzer.check.suppress import suppress
from analyzer.design.cost.flows import Flows
from analyzer.extract.snippets import read_lines
from analyzer.model.boundaries import Boundaries
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts
from analyzer.model.violations import RULES, CheckResult, Violation


@dataclass(frozen=True, slots=True)
class Checked:
    """The result to report, and the baseline that records everything found now."""

    result: CheckResult
    current: baselines.Baseline


def _order(violations: Sequence[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(violations, key=lambda v: (v.pair, v.path, v.line, v.rule, v.key)))


def _with_code(root: Path, violations: list[Violation]) -> list[Violation]:
    lines = read_lines(root, [(v.path, v.line) for v in violations])
    return [replace(v, code=lines.get((v.path, v.line), "")) for v in violations]


def run_check(
    root: Path,
    files: Sequence[FileFacts],
    couplings: Sequence[Coupling],
    boundaries: Boundaries,
    recorded: baselines.Baseline | None,
    baseline_name: str = "",
    flows: Flows | None = None,
) -> Checked:
    """Find violations, drop the suppressed ones, split the rest into new and known."""
    services = ServiceMap(boundaries)
    found = find_violations(files, couplings, boundaries, flows)
    kept, suppressed, comment_problems = suppress(found, files, boundaries, services.module)
    kept.extend(comment_problems)
    metrics: dict[str, float | None] = {}
    if boundaries.severity("metric_regression") != "off":
        metrics = boundary_metrics(files, couplings, services)
    current = baselines.build(kept, metrics)
    new, known, stale = baselines.compare(kept, recorded or baselines.Baseline())
    new = _with_code(root, new)
    if recorded is not None:
        new.extend(
            replace(v, path=baseline_name, line=1)
            for v in regressions(metrics, recorded.metrics, boundaries)
        )
    result = CheckResult(
        violations=_order(new),
        known=_order(known),
        suppressed=_order(suppressed),
        stale=tuple(stale),
        rules=tuple(sorted((r, boundaries.severity(r)) for r in RULES)),
        files=len(files),
        baseline=baseline_name,
        metrics=tuple(sorted(metrics.items())),
    )
    return Checked(result, current)
