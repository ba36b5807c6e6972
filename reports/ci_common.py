"""Helpers shared by the check renderers."""

from __future__ import annotations

from analyzer.model.violations import CheckResult, Violation


def repo_path(prefix: str, path: str) -> str:
    """``path`` (relative to the analyzed directory) relative to the repository root."""
    if not path or not prefix:
        return path
    return f"{prefix.rstrip('/')}/{path}"


def summary(result: CheckResult) -> str:
    """One line: what was found, and against which baseline."""
    errors, warnings = len(result.errors), len(result.warnings)
    new = len(result.violations)
    head = f"{new} new violation{'s' if new != 1 else ''}"
    if new:
        head += f" ({errors} error{'s' if errors != 1 else ''}, {warnings} warning"
        head += f"{'s' if warnings != 1 else ''})"
    baseline = f" in {result.baseline}" if result.baseline else ""
    return (
        f"{head} in {result.files} files; {len(result.known)} known{baseline}, "
        f"{len(result.suppressed)} suppressed, {len(result.stale)} stale baseline "
        f"entr{'ies' if len(result.stale) != 1 else 'y'}"
    )


def title(violation: Violation) -> str:
    return f"seams {violation.rule} ({violation.pair})"
