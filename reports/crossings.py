"""What crosses from one service to another, told apart from uses of the shared library.

Using the shared library is using a package every service keeps: it is no seam to cut and no call
to turn into an API. The document lists both kinds together (``dependencies`` and ``cuts`` keep
every edge between two entries of ``services``); the report splits them here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def libraries(document: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(
        str(s.get("name"))
        for s in document.get("services") or []
        if isinstance(s, Mapping) and s.get("kind") == "shared-library"
    )


def _between_services(items: Sequence[Any], shared: frozenset[str]) -> list[Mapping[str, Any]]:
    return [
        item
        for item in items
        if isinstance(item, Mapping)
        and item.get("from") not in shared
        and item.get("to") not in shared
        and item.get("from") != item.get("to")
    ]


def service_cuts(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The seams to cut: code of one service using code or tables of another, heaviest first
    (as the document orders them)."""
    return _between_services(document.get("cuts") or [], libraries(document))


def service_dependencies(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Dependencies between two services, the shared library left out."""
    return _between_services(document.get("dependencies") or [], libraries(document))


def library_uses(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Dependencies with the shared library at one end."""
    shared = libraries(document)
    return [
        d
        for d in document.get("dependencies") or []
        if isinstance(d, Mapping) and (d.get("from") in shared or d.get("to") in shared)
    ]
