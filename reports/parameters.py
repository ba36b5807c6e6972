"""The analysis parameters in words, for "How this proposal was made"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KIND_NAMES = {"cochange": "co-change"}


def describe_parameters(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) rows in reading order; keys a document lacks are left out."""
    rows = [("granularity", _granularity(params.get("granularity", "module")))]
    services = params.get("services", "auto")
    asked = "chosen from the code (auto)" if services == "auto" else f"{services} asked for"
    rows.append(("services", asked))
    rows.append(("seed", str(params.get("seed", 0))))
    weights = params.get("weights")
    if isinstance(weights, Mapping) and weights:
        rows.append(
            (
                "coupling weights",
                ", ".join(f"{KIND_NAMES.get(str(k), k)} {_number(v)}" for k, v in weights.items()),
            )
        )
    if "exclude" in params:
        patterns = ", ".join(map(str, params.get("exclude") or []))
        rows.append(("excluded", patterns or "nothing beyond the defaults"))
    if "include_tests" in params:
        rows.append(("tests analyzed", "yes" if params["include_tests"] else "no"))
    if isinstance(params.get("git"), Mapping):
        rows.append(("git history", describe_git(params["git"])))
    if isinstance(params.get("steering"), Mapping):
        rows.append(("steering", describe_steering(params["steering"])))
    return rows


def _granularity(value: object) -> str:
    if value == "symbol":
        return "symbol: classes and functions are placed one by one, so a file can be split"
    return f"{value}: modules are placed whole"


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe_git(git: Mapping[str, Any]) -> str:
    """``120 commits up to abc1234`` or why the history was not used."""
    commits = git.get("commits") or 0
    note = str(git.get("note") or "")
    if git.get("used") is False or not commits:
        return note or "not used"
    text = f"{commits:,} commit{'s' if commits != 1 else ''}"
    if git.get("head"):
        text += f" up to {str(git['head'])[:12]}"
    if git.get("shallow"):
        text += " (a shallow clone: only part of the history)"
    return f"{text}; {note}" if note else text


def describe_steering(steering: Mapping[str, Any]) -> str:
    parts = []
    for service, patterns in (steering.get("pin") or {}).items():
        parts.append(f"{', '.join(map(str, patterns))} pinned to {service}")
    for group in steering.get("together") or []:
        parts.append(f"{' + '.join(map(str, group))} kept together")
    for group in steering.get("apart") or []:
        parts.append(f"{' / '.join(map(str, group))} kept apart")
    for old, new in (steering.get("rename") or {}).items():
        parts.append(f"{old} renamed {new}")
    parts += [str(note) for note in steering.get("applied") or []]
    return "; ".join(parts) or "none"
