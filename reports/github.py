"""``seams check --format github``: GitHub Actions workflow commands, one annotation per
violation (``::error file=...,line=...,title=...::message``) and a closing summary line."""

from __future__ import annotations

from analyzer.model.violations import CheckResult, Violation
from reports.ci_common import repo_path, summary, title


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v != "")
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def _annotation(v: Violation, prefix: str) -> str:
    level = "error" if v.severity == "error" else "warning"
    message = f"{v.message}. Fix: {v.hint}"
    if not v.path:
        return command(level, message, title=title(v))
    return command(level, message, file=repo_path(prefix, v.path), line=v.line, title=title(v))


def render_github(result: CheckResult, *, prefix: str = "", strict: bool = False) -> str:
    lines = [_annotation(v, prefix) for v in result.violations]
    level = "error" if strict else "warning"
    lines += [
        command(
            level,
            f"{entry} is fixed: run `seams check --update-baseline` and commit the baseline",
            title="seams stale baseline",
        )
        for entry in result.stale
    ]
    lines.append(f"seams check: {summary(result)}")
    return "\n".join(lines) + "\n"
