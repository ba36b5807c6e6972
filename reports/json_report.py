"""decomposition.json: deterministic serialisation, and loading with validation."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from analyzer.model.errors import SeamsError

SCHEMA_ID = "seams/decomposition@2"
SUPPORTED = ("seams/decomposition@1", SCHEMA_ID)
"""Versions this code reads: @1 is @2 without the cost signals and the costs section."""
_TYPE_NAMES: dict[type, str] = {str: "a string", dict: "an object", list: "an array"}
REQUIRED: dict[str, type] = {
    "schema": str,
    "tool_version": str,
    "parameters": dict,
    "services": list,
    "modules": dict,
    "symbols": dict,
    "split_modules": dict,
    "tables": dict,
    "dependencies": list,
    "metrics": dict,
    "skipped": list,
}


# Containers this deep or deeper are written on one line (by the C encoder: indenting all of a
# 10 MB document goes through the pure-Python one, four times slower) unless they are lists of
# plain values, which keep one item per line so that moving a module shows as a one-line diff.
_ONE_LINE_DEPTH = 3
_compact = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode


def dumps(document: dict[str, Any]) -> str:
    """The document as JSON text: key order as built, UTF-8, final newline; two-space indent
    down to the records (a graph edge, a reason, a table access), each of which is one line."""
    out: list[str] = []
    _write(document, 0, out)
    out.append("\n")
    return "".join(out)


def _write(value: Any, depth: int, out: list[str]) -> None:
    if not isinstance(value, (dict, list, tuple)) or not value:
        out.append(_compact(value))
        return
    plain = not isinstance(value, dict) and not any(
        isinstance(v, (dict, list, tuple)) for v in value
    )
    if depth >= _ONE_LINE_DEPTH and not plain:
        out.append(_compact(value))
        return
    inner = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(("," if i else "") + inner + _compact(str(key)) + ": ")
            _write(item, depth + 1, out)
        out.append("\n" + "  " * depth + "}")
    else:
        out.append("[")
        for i, item in enumerate(value):
            out.append(("," if i else "") + inner)
            _write(item, depth + 1, out)
        out.append("\n" + "  " * depth + "]")


def schema(version: int = 2) -> dict[str, Any]:
    """The published JSON Schema of decomposition.json (of an earlier ``version`` on request)."""
    name = "decomposition.schema.json" if version == 2 else f"decomposition-{version}.schema.json"
    text = resources.files("reports").joinpath(f"schema/{name}").read_text("utf-8")
    return dict(json.loads(text))


def load_document(path: Path) -> dict[str, Any]:
    """Read a decomposition.json; a missing, unreadable or malformed file raises ``SeamsError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeamsError(f"decomposition file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeamsError(f"cannot read {path}: {exc}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SeamsError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    problems = validate(document)
    if problems:
        raise SeamsError(f"{path} is not a Seams decomposition: {'; '.join(problems[:5])}")
    return dict(document)


def load_reference(path: Path) -> dict[str, dict[str, str]]:
    """A reference partition: JSON with ``modules`` and/or ``symbols`` maps (item -> group).
    Items a ``shared`` list names (a module names its symbols too) are left out.

    A decomposition.json is a valid reference too; a missing or malformed file raises
    ``SeamsError``.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeamsError(f"reference file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeamsError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SeamsError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    maps: dict[str, dict[str, str]] = {}
    for key in ("modules", "symbols"):
        value = data.get(key) if isinstance(data, dict) else None
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            maps[key] = {str(k): v for k, v in value.items()}
    if not maps:
        raise SeamsError(f"{path} has no 'modules' or 'symbols' map of item to group name")
    shared = data.get("shared") if isinstance(data, dict) else None
    if isinstance(shared, list):  # a truth's shared kernel is set aside, not scored
        aside = {str(item) for item in shared}
        for key, mapping in maps.items():
            maps[key] = {
                k: v for k, v in mapping.items() if k not in aside and k.split(":")[0] not in aside
            }
    return maps


def validate(document: object) -> list[str]:
    """Structural problems of a decomposition document (an empty list when it is usable)."""
    if not isinstance(document, dict):
        return ["top level must be an object"]
    problems = []
    schema_id = document.get("schema")
    if not isinstance(schema_id, str) or not schema_id.startswith("seams/decomposition@"):
        return [f"'schema' must be {SCHEMA_ID!r}, got {schema_id!r}"]
    if schema_id not in SUPPORTED:
        expected = " or ".join(repr(s) for s in SUPPORTED)
        return [f"schema {schema_id!r} is not supported by this version (expects {expected})"]
    for key, kind in REQUIRED.items():
        if key not in document:
            problems.append(f"missing key {key!r}")
        elif not isinstance(document[key], kind):
            problems.append(f"{key!r} must be {_TYPE_NAMES[kind]}")
    if problems:
        return problems
    for i, service in enumerate(document["services"]):
        if not isinstance(service, dict) or not isinstance(service.get("name"), str):
            problems.append(f"services[{i}] must be an object with a string 'name'")
        elif not isinstance(service.get("modules", []), list):
            problems.append(f"services[{i}].modules must be an array")
    if problems:
        return problems
    names = {s["name"] for s in document["services"]}
    unknown = sorted({str(s) for s in document["modules"].values() if s not in names})
    if unknown:
        problems.append(f"'modules' names services not in 'services': {', '.join(unknown[:3])}")
    return problems
