"""The kinds of coupling a document speaks of, and how each reads.

The registered signals come first, in registration order (``analyzer.model.signals``); kinds
a document names that this version does not know (written by a newer Seams) follow, by name,
so a report shows every kind rather than dropping some. A name that is not a plain identifier
(``[a-z][a-z0-9_]*``) is no kind Seams writes, and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from analyzer.model.signals import kinds, label

_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")


def is_kind(name: object) -> bool:
    """Whether ``name`` could be a coupling kind (a plain lower-case identifier)."""
    return isinstance(name, str) and _KIND.fullmatch(name) is not None


def document_kinds(document: Mapping[str, Any]) -> tuple[str, ...]:
    known = kinds()
    found: set[str] = set()
    for dependency in document.get("dependencies") or ():
        found.update(k for k in (dependency.get("kinds") or {}) if is_kind(k))
    for edge in (document.get("graph") or {}).get("edges") or ():
        found.update(k for k in (edge.get("kinds") or {}) if is_kind(k))
    return (*known, *sorted(found - set(known)))


def kind_label(kind: object) -> str:
    return label(str(kind))
