"""A check's outcome as JSON, to keep beside the fact cache and reuse while nothing changed.

Only plain values are read back, each checked for its type: the cache sits inside the
(possibly untrusted) analyzed tree, and anything unexpected reads as "nothing stored".
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from analyzer.check import baseline as baselines
from analyzer.model.errors import SeamsError
from analyzer.model.violations import SEVERITIES, CheckResult, StaleEntry, Violation

FORMAT = 2
_VIOLATION = {f.name: f.type for f in fields(Violation)}
_STALE = {f.name: f.type for f in fields(StaleEntry)}
_VIOLATION_FIELDS = tuple(_VIOLATION)
_STALE_FIELDS = tuple(_STALE)
_STATUSES = ("new", "known", "suppressed")


class _Malformed(Exception):
    pass


def encode(result: CheckResult, current: baselines.Baseline, skipped: int) -> bytes:
    """``result``, the baseline that records what it found, and how many files were skipped,
    as JSON."""
    document = {
        "format": FORMAT,
        # Each record as its values in field order: thousands of known violations on a large
        # tree, and dataclasses.asdict copies each one deeply.
        "violations": [_values(v, _VIOLATION_FIELDS) for v in result.violations],
        "known": [_values(v, _VIOLATION_FIELDS) for v in result.known],
        "suppressed": [_values(v, _VIOLATION_FIELDS) for v in result.suppressed],
        "stale": [_values(s, _STALE_FIELDS) for s in result.stale],
        "rules": [list(r) for r in result.rules],
        "files": result.files,
        "baseline": result.baseline,
        "metrics": [list(m) for m in result.metrics],
        "current": baselines.dumps(current),
        "skipped": skipped,
    }
    return json.dumps(document, ensure_ascii=False, allow_nan=False).encode()


def _values(record: object, names: tuple[str, ...]) -> list[Any]:
    return [getattr(record, name) for name in names]


def decode(data: bytes) -> tuple[CheckResult, baselines.Baseline, int] | None:
    """The stored outcome, or ``None`` when ``data`` is not one."""
    try:
        document = json.loads(data)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            return None
        result = CheckResult(
            violations=_violations(document["violations"]),
            known=_violations(document["known"]),
            suppressed=_violations(document["suppressed"]),
            stale=tuple(StaleEntry(**_record(s, _STALE)) for s in _list(document["stale"])),
            rules=tuple(_rule(r) for r in _list(document["rules"])),
            files=_int(document["files"]),
            baseline=_str(document["baseline"]),
            metrics=tuple(_metric(m) for m in _list(document["metrics"])),
        )
        current = baselines.loads(_str(document["current"]), "the stored check")
        skipped = _int(document["skipped"])
    except (ValueError, KeyError, TypeError, _Malformed, SeamsError, RecursionError):
        return None
    return result, current, skipped


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Malformed
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Malformed
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Malformed
    return value


def _record(value: Any, shape: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(value, list) or len(value) != len(shape):
        raise _Malformed
    record = dict(zip(shape, value, strict=True))
    for name, kind in shape.items():
        (_int if kind == "int" else _str)(record[name])
    return record


def _violations(value: Any) -> tuple[Violation, ...]:
    found = []
    for item in _list(value):
        record = _record(item, _VIOLATION)
        if record["severity"] not in SEVERITIES or record["status"] not in _STATUSES:
            raise _Malformed
        found.append(Violation(**record))
    return tuple(found)


def _rule(value: Any) -> tuple[str, Any]:
    rule, severity = _list(value)
    if severity not in SEVERITIES:
        raise _Malformed
    return _str(rule), severity


def _metric(value: Any) -> tuple[str, float | None]:
    name, number = _list(value)
    if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)):
        raise _Malformed
    return _str(name), None if number is None else float(number)
