"""The kinds of coupling a document speaks of, and how each reads.

The registered signals come first, in registration order (``analyzer.model.signals``); kinds
a document names that this version does not know (written by a newer Seams) follow, by name,
so a report shows every kind rather than dropping some.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analyzer.model.signals import kinds, label


def document_kinds(document: Mapping[str, Any]) -> tuple[str, ...]:
    known = kinds()
    found: set[str] = set()
    for dependency in document.get("dependencies") or ():
        found.update(str(k) for k in (dependency.get("kinds") or {}))
    for edge in (document.get("graph") or {}).get("edges") or ():
        found.update(str(k) for k in (edge.get("kinds") or {}))
    return (*known, *sorted(found - set(known)))


def kind_label(kind: object) -> str:
    return label(str(kind))
