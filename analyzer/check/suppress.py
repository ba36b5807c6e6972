"""``# seams: ignore[rule, ...] reason`` comments: suppress violations on their own line.

A comment without a reason, or one that suppresses nothing, is itself reported (rules
``ignore_without_reason`` and ``unused_ignore``), so suppressions stay few and explained.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from analyzer.model.boundaries import Boundaries
from analyzer.model.facts import FileFacts, Pragma
from analyzer.model.violations import RULES, Violation


def _matches(pragma: Pragma, rule: str) -> bool:
    return not pragma.rules or rule in pragma.rules


def _comment(pragma: Pragma) -> str:
    rules = f"[{', '.join(pragma.rules)}]" if pragma.rules else ""
    return f"# seams: ignore{rules}"


def suppress(
    violations: Iterable[Violation],
    files: Sequence[FileFacts],
    boundaries: Boundaries,
    service_of: Callable[[str], str | None],
) -> tuple[list[Violation], list[Violation], list[Violation]]:
    """(kept, suppressed, problems with the comments themselves)."""
    pragmas = {(f.path, p.line): p for f in files for p in f.pragmas}
    used: set[tuple[str, int]] = set()
    kept: list[Violation] = []
    suppressed: list[Violation] = []
    for violation in violations:
        where = (violation.path, violation.line)
        pragma = pragmas.get(where)
        if pragma is not None and _matches(pragma, violation.rule):
            used.add(where)
            suppressed.append(replace(violation, status="suppressed"))
        else:
            kept.append(violation)
    problems = [
        problem
        for f in files
        for pragma in f.pragmas
        for problem in _problems(f, pragma, (f.path, pragma.line) in used, boundaries, service_of)
    ]
    return kept, suppressed, [p for p in problems if p.severity != "off"]


def _problems(
    file: FileFacts,
    pragma: Pragma,
    used: bool,
    boundaries: Boundaries,
    service_of: Callable[[str], str | None],
) -> list[Violation]:
    service = service_of(file.module) or ""
    rules = ",".join(pragma.rules)
    found = []
    if not pragma.reason:
        found.append(
            Violation(
                rule="ignore_without_reason",
                severity=boundaries.severity("ignore_without_reason"),
                source=service,
                target="",
                path=file.path,
                line=pragma.line,
                message=f"'{_comment(pragma)}' gives no reason (rule ignore_without_reason)",
                hint="say why after the comment: '# seams: ignore[rule] why this is acceptable'",
                key=f"ignore_without_reason {file.path} [{rules}]",
            )
        )
    unknown = [r for r in pragma.rules if r not in RULES]
    checked = (
        not pragma.rules or unknown or any(boundaries.severity(r) != "off" for r in pragma.rules)
    )
    if not used and checked:
        why = f"unknown rule(s) {', '.join(unknown)}" if unknown else "nothing to suppress here"
        found.append(
            Violation(
                rule="unused_ignore",
                severity=boundaries.severity("unused_ignore"),
                source=service,
                target="",
                path=file.path,
                line=pragma.line,
                message=f"'{_comment(pragma)}' suppresses nothing: {why} (rule unused_ignore)",
                hint="remove the comment" if not unknown else f"rules: {', '.join(sorted(RULES))}",
                key=f"unused_ignore {file.path} [{rules}]",
            )
        )
    return found
