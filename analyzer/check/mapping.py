"""Which declared service a module, symbol or table belongs to.

A pattern without wildcards names a module and everything below it (``shop.orders`` holds
``shop.orders.api``); one with ``*``, ``?`` or ``[...]`` matches whole names shell-style, ``*``
crossing dots. Symbol patterns (``mod:Name*``) come before module patterns; otherwise the
longest matching pattern wins, and a tie goes to the service declared first (or to ``shared``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import translate

from analyzer.model.boundaries import SHARED, Boundaries
from analyzer.model.coupling import TABLE_PREFIX, module_of

_WILDCARD = re.compile(r"[*?\[]")


def is_glob(pattern: str) -> bool:
    return _WILDCARD.search(pattern) is not None


@dataclass(slots=True)
class _Patterns:
    """Literal names (and, for modules, their packages) in a dict; globs in one list."""

    literal: dict[str, tuple[int, str]] = field(default_factory=dict)
    globs: list[tuple[re.Pattern[str], int, int, str]] = field(default_factory=list)

    def add(self, pattern: str, order: int, owner: str) -> None:
        if is_glob(pattern):
            self.globs.append((re.compile(translate(pattern)), len(pattern), order, owner))
        else:
            self.literal.setdefault(pattern, (order, owner))

    def best(self, name: str, prefixes: Iterable[str]) -> str | None:
        """The owner of the best pattern matching ``name``: the name itself, else the longest."""
        found: tuple[bool, int, int, str] | None = None
        for prefix in prefixes:
            hit = self.literal.get(prefix)
            if hit is not None:
                found = (prefix == name, len(prefix), -hit[0], hit[1])
                break
        if found is not None and found[0]:
            return found[3]
        for regex, length, order, owner in self.globs:
            if regex.match(name):
                candidate = (False, length, -order, owner)
                if found is None or candidate[:3] > found[:3]:
                    found = candidate
        return found[3] if found else None


def _packages(module: str) -> list[str]:
    """``a.b.c`` -> ``["a.b.c", "a.b", "a"]``: the module, then each enclosing package."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


class ServiceMap:
    """Maps node ids (``module``, ``module:Symbol``, ``table::name``) to service names.

    The shared library maps to ``"shared"``; code matching no pattern maps to ``None``.
    Answers are memoised: a check asks about the same few thousand nodes many times.
    """

    def __init__(self, boundaries: Boundaries) -> None:
        self.boundaries = boundaries
        self._modules = _Patterns()
        self._symbols = _Patterns()
        self._tables = _Patterns()
        order = 0
        declared = [(s.name, s.modules) for s in boundaries.services]
        for owner, patterns in [*declared, (SHARED, boundaries.shared)]:
            for pattern in patterns:
                (self._symbols if ":" in pattern else self._modules).add(pattern, order, owner)
                order += 1
        for service in boundaries.services:
            for pattern in service.tables:
                self._tables.add(pattern, order, service.name)
                order += 1
        self._cache: dict[str, str | None] = {}
        self._nodes: dict[str, str | None] = {}

    def module(self, module: str) -> str | None:
        if module not in self._cache:
            self._cache[module] = self._modules.best(module, _packages(module))
        return self._cache[module]

    def node(self, node: str) -> str | None:
        """The service of a code node, or the owner of a table node."""
        try:
            return self._nodes[node]
        except KeyError:
            pass
        if node.startswith(TABLE_PREFIX):
            found = self.table(node.removeprefix(TABLE_PREFIX))
        elif ":" not in node:
            found = self.module(node)
        else:
            owner = self._symbols.best(node, [node]) if self._has_symbols else None
            found = owner if owner is not None else self.module(module_of(node))
        self._nodes[node] = found
        return found

    def table(self, name: str) -> str | None:
        key = TABLE_PREFIX + name
        if key not in self._cache:
            self._cache[key] = self._tables.best(name, [name])
        return self._cache[key]

    @property
    def _has_symbols(self) -> bool:
        return bool(self._symbols.literal or self._symbols.globs)
