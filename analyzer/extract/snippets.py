"""The source lines violations point at, so a report can show the offending code."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

MAX_WIDTH = 200


def read_lines(root: Path, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """``(path, line) -> stripped text`` for each wanted line that can be read (others omitted)."""
    by_path: dict[str, set[int]] = {}
    for path, line in wanted:
        if path and line > 0:
            by_path.setdefault(path, set()).add(line)
    found: dict[tuple[str, int], str] = {}
    for path in sorted(by_path):
        try:
            text = (root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        lines = text.splitlines()
        for line in by_path[path]:
            if line <= len(lines):
                found[(path, line)] = lines[line - 1].strip()[:MAX_WIDTH]
    return found
