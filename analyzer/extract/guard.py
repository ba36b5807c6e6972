"""guard: which files libcst should not be given, found from their bytes alone.

libcst needs about 450 bytes of memory per byte of source and runs at ~10k lines/s, so one
generated 6 MB data module (netbox's ``extras/data/un_locode.py``: 24 s, 2.8 GB) can dominate a
run; and its native parser overflows the stack and kills the process on very deep nesting
(~1,000-3,000 nested brackets) or very long operator chains (~7,000 operands). A cheap scan of
brackets, strings and comments tells big data modules apart (read them with ``ast`` instead, see
``skeleton``) and flags files whose shape could crash the parser, so that they are parsed where a
crash costs only that file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Files from this size on are scanned; a file this big whose largest bracketed expression holds
# most of its bytes is a data module.
GUARD_BYTES = 256_000
# Files from this size on never go to libcst (about 700 MB of memory and a minute of work).
LIMIT_BYTES = 1_500_000
LITERAL_SHARE = 0.5
# Shapes that could crash libcst: well below the measured limits, well above real code (CPython
# itself refuses more than 200 nested brackets).
RISKY_DEPTH = 100
RISKY_LINE = 10_000
RISKY_SPAN = 20_000
# Bracketed expressions at least this big are emptied before the ``ast`` read of a data module.
BLANK_SPAN = 4_096

_OPEN = frozenset(b"([{")
_CLOSE = frozenset(b")]}")
# Comments and strings are matched whole so that brackets inside them do not count.
_TOKENS = re.compile(
    rb"#[^\r\n]*"
    rb'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|\Z)'
    rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*(?:'''|\Z)"
    rb'|"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"?'
    rb"|'[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*'?"
    rb"|[][(){}]",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Shape:
    """Bracket structure of a file: the deepest nesting, the top-level bracketed spans
    (start, end) in byte offsets, and the longest line in bytes."""

    size: int
    depth: int
    spans: tuple[tuple[int, int], ...]
    longest_line: int

    @property
    def largest_span(self) -> int:
        return max((end - start for start, end in self.spans), default=0)

    @property
    def literal_heavy(self) -> bool:
        return self.size >= GUARD_BYTES and self.largest_span >= LITERAL_SHARE * self.size

    @property
    def risky(self) -> bool:
        """Could crash libcst's native parser: parse it where a crash costs only this file."""
        return (
            self.depth >= RISKY_DEPTH
            or self.longest_line >= RISKY_LINE
            or self.largest_span >= RISKY_SPAN
            or self.size >= GUARD_BYTES
        )


def shape(data: bytes) -> Shape:
    """Scan brackets outside strings and comments; linear, in the regular-expression engine."""
    depth = deepest = start = 0
    spans: list[tuple[int, int]] = []
    for match in _TOKENS.finditer(data):
        char = data[match.start()]
        if char in _OPEN:
            if depth == 0:
                start = match.start()
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, match.end()))
    if depth > 0:
        spans.append((start, len(data)))
    longest = max(map(len, data.splitlines()), default=0)
    return Shape(len(data), deepest, tuple(spans), longest)


def needs_skeleton(data: bytes) -> Shape | None:
    """The file's shape when it is too big or too literal-heavy for libcst, else ``None``."""
    if len(data) < GUARD_BYTES:
        return None
    found = shape(data)
    return found if found.literal_heavy or len(data) >= LIMIT_BYTES else None


def blank_literals(data: bytes, found: Shape) -> bytes:
    """``data`` with the inside of every big bracketed expression replaced by its newlines, so
    that line numbers stay right and ``ast`` skips the data."""
    parts: list[bytes] = []
    last = 0
    for start, end in found.spans:
        if end - start < BLANK_SPAN:
            continue
        inner_end = end - 1 if data[end - 1] in _CLOSE else end
        parts += [data[last : start + 1], b"\n" * data.count(b"\n", start + 1, inner_end)]
        last = inner_end
    parts.append(data[last:])
    return b"".join(parts)
