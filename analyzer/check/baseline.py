"""The baseline ratchet: known violations pass, new ones fail, fixed ones make entries stale.

``.seams-baseline.json`` groups violations by service pair; each entry is a stable key (rule,
coupling kind and the two code nodes, never a line number) with how often it occurs, so edits
elsewhere in a file do not disturb it. It is written sorted, one entry per line, for small diffs.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from analyzer.model.errors import SeamsError
from analyzer.model.violations import StaleEntry, Violation

SCHEMA = "seams/baseline@1"
Entry = tuple[str, str]  # (service pair, key)


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: Mapping[Entry, int] = field(default_factory=dict)
    metrics: Mapping[str, float | None] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(self.entries.values())


def _cycle_members(pair: str) -> frozenset[str]:
    return frozenset(s.strip() for s in pair.split(","))


def compare(
    violations: Iterable[Violation], baseline: Baseline
) -> tuple[list[Violation], list[Violation], list[StaleEntry]]:
    """(new, known, stale): the first ``count`` occurrences of a recorded entry are known."""
    groups: dict[Entry, list[Violation]] = defaultdict(list)
    for v in sorted(violations, key=lambda v: (v.path, v.line, v.rule, v.key)):
        groups[(v.pair, v.key)].append(v)
    recorded = dict(baseline.entries)
    cycles = [_cycle_members(p) for (p, k) in recorded if k.startswith("cycle ")]
    new: list[Violation] = []
    known: list[Violation] = []
    for entry, found in groups.items():
        allowed = recorded.get(entry, 0)
        if found[0].rule == "cycle" and any(_cycle_members(entry[0]) <= c for c in cycles):
            allowed = len(found)
        known.extend(replace(v, status="known") for v in found[:allowed])
        new.extend(found[allowed:])
    stale = []
    for (pair, key), count in sorted(recorded.items()):
        found_count = len(groups.get((pair, key), ()))
        if found_count < count:
            stale.append(StaleEntry(pair, key, count, found_count))
    return new, known, stale


def build(violations: Iterable[Violation], metrics: Mapping[str, float | None]) -> Baseline:
    """A baseline recording ``violations`` (suppressed ones excluded) and the metrics."""
    counts = Counter((v.pair, v.key) for v in violations if v.status != "suppressed")
    return Baseline(dict(counts), dict(metrics))


def dumps(baseline: Baseline) -> str:
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for (pair, key), count in baseline.entries.items():
        grouped[pair][key] = count
    document = {
        "schema": SCHEMA,
        "metrics": {k: baseline.metrics[k] for k in sorted(baseline.metrics)},
        "violations": {p: dict(sorted(grouped[p].items())) for p in sorted(grouped)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def loads(text: str, source: str) -> Baseline:
    """Parse a baseline file; anything malformed is a ``SeamsError`` naming the file."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SeamsError(f"{source} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise SeamsError(f"{source} is not a Seams baseline (expected schema {SCHEMA!r})")
    violations = document.get("violations", {})
    metrics = document.get("metrics", {})
    if not isinstance(violations, dict) or not isinstance(metrics, dict):
        raise SeamsError(f"{source}: 'violations' and 'metrics' must be objects")
    entries: dict[Entry, int] = {}
    for pair, keys in violations.items():
        if not isinstance(keys, dict):
            raise SeamsError(f"{source}: violations[{pair!r}] must map keys to counts")
        for key, count in keys.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise SeamsError(f"{source}: count of {key!r} must be a positive integer")
            entries[(pair, key)] = count
    values: dict[str, float | None] = {}
    for name, value in metrics.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise SeamsError(f"{source}: metrics.{name} must be a number or null")
        values[name] = None if value is None else float(value)
    return Baseline(entries, values)


def read(path: Path) -> Baseline | None:
    """The baseline at ``path``, or ``None`` when there is none yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeamsError(f"cannot read baseline {path}: {exc}") from None
    return loads(text, str(path))
