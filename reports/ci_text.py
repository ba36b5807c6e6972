"""``seams check --format text``: violations grouped by service pair, coloured on a terminal."""

from __future__ import annotations

from itertools import groupby

from analyzer.model.violations import CheckResult, Violation
from reports.ci_common import repo_path, summary

_CODES = {"red": "31", "yellow": "33", "green": "32", "dim": "2", "bold": "1", "cyan": "36"}
_LEVEL = {"error": ("error", "red"), "warn": ("warning", "yellow")}


class _Paint:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        if not self.color:
            return text
        return f"\033[{_CODES[style]}m{text}\033[0m"


def _violation(v: Violation, paint: _Paint, prefix: str) -> list[str]:
    level, style = _LEVEL.get(v.severity, (v.severity, "dim"))
    where = repo_path(prefix, v.path)
    location = f"{where}:{v.line}" if where else "(project)"
    lines = [f"  {paint(level, style)} {paint(location, 'bold')}: {v.message}"]
    if v.code:
        lines.append(f"      {paint('|', 'dim')} {v.code}")
    lines.append(f"      {paint('fix:', 'cyan')} {v.hint}")
    return lines


def render_text(
    result: CheckResult, *, color: bool = False, prefix: str = "", strict: bool = False
) -> str:
    paint = _Paint(color)
    out = [f"seams check: {summary(result)}"]
    for pair, group in groupby(result.violations, key=lambda v: v.pair):
        out += ["", paint(pair, "bold")]
        for violation in group:
            out += _violation(violation, paint, prefix)
    if result.stale:
        out += [
            "",
            paint("stale baseline entries", "yellow")
            + " (fixed since recorded; `seams check --update-baseline` drops them):",
        ]
        out += [f"  {entry}" for entry in result.stale]
    failed = result.failed(strict)
    if failed:
        reasons = f"{len(result.errors)} error(s)"
        if strict and result.stale:
            reasons += f", {len(result.stale)} stale baseline entr(ies) with --strict"
        verdict = paint(f"FAILED: {reasons}", "red")
    else:
        verdict = paint("passed", "green")
    out += ["", f"seams check {verdict}"]
    return "\n".join(out) + "\n"
