"""A check's stored outcome reads back as it was, and anything else reads as nothing stored."""

from __future__ import annotations

import json

import pytest

from analyzer.check import baseline as baselines
from analyzer.check.stored import decode, encode
from analyzer.model.violations import CheckResult, StaleEntry, Violation

NEW = Violation(
    "new_dependency", "error", "orders", "payments", "shop/orders/api.py", 3, "m", "h", "k", "x = 1"
)
RESULT = CheckResult(
    violations=(NEW,),
    known=(Violation("cycle", "warn", "a, b", "", "p.py", 1, "m", "h", "k2", status="known"),),
    suppressed=(
        Violation("foreign_key", "warn", "a", "b", "q.py", 9, "m", "h", "k3", status="suppressed"),
    ),
    stale=(StaleEntry("a -> b", "new_dependency import a -> b", 2, 1),),
    rules=(("cycle", "warn"), ("new_dependency", "error")),
    files=12,
    baseline=".seams-baseline.json",
    metrics=(("data_purity", None), ("icp", 0.25)),
)
CURRENT = baselines.Baseline({("orders -> payments", "k"): 1}, {"icp": 0.25, "data_purity": None})


def test_an_outcome_reads_back_as_it_was_stored() -> None:
    assert decode(encode(RESULT, CURRENT, 3)) == (RESULT, CURRENT, 3)


def changed(mutate: str) -> bytes:
    document = json.loads(encode(RESULT, CURRENT, 3))
    if mutate == "format":
        document["format"] = 99
    elif mutate == "line":
        document["violations"][0][5] = "3"
    elif mutate == "field":
        document["violations"][0].append(1)
    elif mutate == "severity":
        document["known"][0][1] = "fatal"
    elif mutate == "metric":
        document["metrics"][0][1] = "high"
    elif mutate == "baseline":
        document["current"] = "{}"
    elif mutate == "missing":
        del document["stale"]
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    "mutate", ["format", "line", "field", "severity", "metric", "baseline", "missing"]
)
def test_anything_but_a_stored_outcome_reads_as_nothing(mutate: str) -> None:
    assert decode(changed(mutate)) is None


@pytest.mark.parametrize("data", [b"", b"not json", b"[]", b"\xff\xfe", b"[" * 100_000])
def test_garbage_reads_as_nothing(data: bytes) -> None:
    assert decode(data) is None
