"""``seams check --format sarif``: SARIF 2.1.0 for code-scanning tools.

Rule metadata comes from the rule table; each new violation is a result with its level, message,
location (repository-relative URI and line) and the stable baseline key as a partial
fingerprint, so a scanning service recognises the same violation across line shifts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from analyzer.model.violations import CheckResult, RuleInfo, Violation
from reports.ci_common import repo_path

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
_LEVEL = {"error": "error", "warn": "warning", "off": "none"}


def _rule(info: RuleInfo, severity: str) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.split("_")),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.help},
        "help": {"text": info.help},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {"tags": ["architecture", "coupling"]},
    }


def _result(v: Violation, index: int, prefix: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": v.rule,
        "ruleIndex": index,
        "level": _LEVEL[v.severity],
        "message": {"text": f"{v.message}. Fix: {v.hint}"},
        "baselineState": "new",
        "partialFingerprints": {
            "seamsKey/v1": hashlib.sha256(f"{v.pair}|{v.key}".encode()).hexdigest()
        },
        "properties": {"services": [s for s in (v.source, v.target) if s], "key": v.key},
    }
    if v.path:
        region: dict[str, Any] = {"startLine": max(v.line, 1)}
        if v.code:
            region["snippet"] = {"text": v.code}
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": repo_path(prefix, v.path),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": region,
                }
            }
        ]
    return result


def render_sarif(result: CheckResult, *, prefix: str = "", tool_version: str = "") -> str:
    severities = dict(result.rules)
    rules = result.enabled_rules()
    index = {info.id: i for i, info in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": "seams",
        "rules": [_rule(info, severities[info.id]) for info in rules],
    }
    if tool_version:
        driver["version"] = tool_version
        driver["semanticVersion"] = tool_version
    document = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(v, index[v.rule], prefix) for v in result.violations if v.rule in index
                ],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
