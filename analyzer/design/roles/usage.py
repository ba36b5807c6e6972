"""usage: which analyzed module uses which, at run time.

A module uses another when it imports it (at module level, inside a function, under a condition
or by ``importlib.import_module("literal")``) or names it in a string Seams reads
(``import_string``, ``include``). Imports made only for type checking do not count: nothing
runs them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analyzer.design.symbols.imports import resolve_import
from analyzer.model.facts import FileFacts


@dataclass(frozen=True, slots=True)
class Usage:
    """``uses[m]``: the modules ``m`` uses; ``users[m]``: the modules using ``m``."""

    uses: Mapping[str, frozenset[str]]
    users: Mapping[str, frozenset[str]]

    def users_of(self, module: str) -> frozenset[str]:
        return self.users.get(module, frozenset())

    def uses_of(self, module: str) -> frozenset[str]:
        return self.uses.get(module, frozenset())


def _longest_module(dotted: str, modules: frozenset[str]) -> str | None:
    parts = dotted.replace(":", ".").split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def module_usage(files: Sequence[FileFacts]) -> Usage:
    modules = frozenset(f.module for f in files)
    tops = {m.partition(".")[0] for m in modules}
    uses: dict[str, set[str]] = defaultdict(set)
    for f in files:
        found = uses[f.module]
        for fact in f.imports:
            module = fact.module
            if module.partition(".")[0] not in tops or fact.type_checking:
                continue
            target = resolve_import(fact, modules)
            if target is not None:
                found.add(target)
        found.discard(f.module)
        for ref in f.strings:
            if ref.via in ("import_string", "include"):
                target = _longest_module(ref.target, modules)
                if target is not None and target != f.module:
                    found.add(target)
    users: dict[str, set[str]] = defaultdict(set)
    for module, targets in uses.items():
        for target in targets:
            users[target].add(module)
    return Usage(
        {m: frozenset(t) for m, t in uses.items() if t},
        {m: frozenset(u) for m, u in users.items()},
    )
