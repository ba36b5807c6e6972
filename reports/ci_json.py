"""``seams check --format json``: the whole result, stable and sorted, for scripts."""

from __future__ import annotations

import json
from typing import Any

from analyzer.model.violations import CheckResult, Violation
from reports.ci_common import repo_path

SCHEMA = "seams/check@1"


def _violation(v: Violation, prefix: str) -> dict[str, Any]:
    return {
        "rule": v.rule,
        "severity": v.severity,
        "status": v.status,
        "services": [s for s in (v.source, v.target) if s],
        "pair": v.pair,
        "file": repo_path(prefix, v.path),
        "line": v.line,
        "code": v.code,
        "message": v.message,
        "hint": v.hint,
        "key": v.key,
    }


def render_json(result: CheckResult, *, prefix: str = "", strict: bool = False) -> str:
    document = {
        "schema": SCHEMA,
        "passed": not result.failed(strict),
        "summary": {
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "known": len(result.known),
            "suppressed": len(result.suppressed),
            "stale": len(result.stale),
            "files": result.files,
        },
        "baseline": result.baseline,
        "rules": dict(result.rules),
        "metrics": dict(result.metrics),
        "violations": [_violation(v, prefix) for v in result.violations],
        "stale": [
            {"pair": s.pair, "key": s.key, "recorded": s.recorded, "found": s.found}
            for s in result.stale
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
