"""``# seams: ignore[rule, ...] reason`` comments, which suppress check violations on their line."""

from __future__ import annotations

import re

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.scope import Scope
from analyzer.model.facts import Pragma

_PRAGMA = re.compile(r"#\s*seams:\s*ignore(?:\[(?P<rules>[^\]]*)\])?\s*(?P<reason>.*)$")


class PragmaCollector(BatchableCSTVisitor):
    """Gives ``facts()``: every seams pragma with its line, rules and stated reason."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope
        self._found: list[tuple[cst.Comment, tuple[str, ...], str]] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        match = _PRAGMA.match(node.value)
        if match is None:
            return
        rules = tuple(r.strip() for r in (match["rules"] or "").split(",") if r.strip())
        self.scope.positions.mark(node)
        self._found.append((node, rules, match["reason"].strip()))

    def facts(self) -> tuple[Pragma, ...]:
        line = self.scope.positions.line
        return tuple(Pragma(line(node), rules, reason) for node, rules, reason in self._found)
