"""Steering: what a user tells the clustering about their code base.

Patterns are globs over node names: ``shop.orders.*`` matches modules (and every symbol in
them); ``shop.models:Order*`` matches top-level symbols.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Steering:
    """``pin``: service name -> patterns placed in that service (which also names it);
    ``together``: groups of patterns kept in one service; ``apart``: groups of patterns, each
    pattern's code kept in a different service; ``rename``: proposed name -> wanted name."""

    pin: tuple[tuple[str, tuple[str, ...]], ...] = ()
    together: tuple[tuple[str, ...], ...] = ()
    apart: tuple[tuple[str, ...], ...] = ()
    rename: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.pin or self.together or self.apart or self.rename)

    def as_dict(self) -> dict[str, object]:
        return {
            "pin": {name: list(patterns) for name, patterns in self.pin},
            "together": [list(group) for group in self.together],
            "apart": [list(group) for group in self.apart],
            "rename": dict(self.rename),
        }
