"""Module-level names across the tree: where a name is bound, and what outside name it stands for.

``SymbolTable`` follows a name to the class or function it means; data analysis also needs the
names in between: a ``Table(...)`` or ``declarative_base()`` bound to a module-level variable,
and the absolute dotted name of things outside the tree (``models.Model`` is
``django.db.models.Model``). Imports, re-export hubs and star imports are followed the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.design.symbols.resolve import import_bindings
from analyzer.model.facts import FileFacts

_MAX_DEPTH = 12


@dataclass(frozen=True, slots=True)
class Binding:
    """Module-level ``name`` of ``module``, bound to ``value`` (a dotted name; ``call``: called)."""

    module: str
    name: str
    value: str = ""
    call: bool = False


class Bindings:
    def __init__(
        self, files: Iterable[FileFacts], asked: dict[str, set[str]] | None = None
    ) -> None:
        """``asked``, when given, collects each name asked of a module: module -> names (as
        ``SymbolTable.track`` does)."""
        self._asked = asked
        self._aliases: dict[str, dict[str, str]] = {}
        self._stars: dict[str, tuple[str, ...]] = {}
        self._values: dict[str, dict[str, tuple[str, bool]]] = {}
        self._names: dict[str, frozenset[str]] = {}
        for f in files:
            self._aliases[f.module], self._stars[f.module] = import_bindings(f)
            self._values[f.module] = {b.name: (b.value, b.call) for b in f.bindings}
            defined = {s.name for s in f.symbols} | set(f.globals)
            self._names[f.module] = frozenset(defined)
        self._memo: dict[tuple[str, str], Binding | None] = {}
        self._absolute: dict[tuple[str, str], str | None] = {}

    def _ask(self, module: str, name: str) -> None:
        if self._asked is not None:
            self._asked.setdefault(module, set()).add(name)

    def alias(self, module: str, name: str) -> str | None:
        """The absolute dotted name an import binds ``name`` to in ``module``."""
        self._ask(module, name)
        return self._aliases.get(module, {}).get(name)

    def find(self, module: str, name: str) -> Binding | None:
        """Where module-level ``name`` used in ``module`` is bound, inside the tree."""
        key = (module, name)
        if key not in self._memo:
            self._memo[key] = self._find(module, name, 0)
        return self._memo[key]

    def _find(self, module: str, name: str, depth: int) -> Binding | None:
        if depth > _MAX_DEPTH or module not in self._aliases:
            return None
        self._ask(module, name)
        values = self._values[module]
        if name in values:
            value, call = values[name]
            return Binding(module, name, value, call)
        if name in self._names[module]:
            return Binding(module, name)
        bound = self._aliases[module].get(name)
        if bound is not None:
            return self._dotted(bound, depth + 1)
        for star in self._stars[module]:
            found = self._find(star, name, depth + 1)
            if found is not None and not name.startswith("_"):
                return found
        return None

    def _dotted(self, dotted: str, depth: int) -> Binding | None:
        parts = dotted.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:i])
            if module in self._aliases:
                if i == len(parts) - 1:
                    return self._find(module, parts[i], depth)
                return None
        return None

    def absolute(self, module: str, chain: str, depth: int = 0) -> str | None:
        """The absolute dotted name ``chain`` means in ``module`` when it leads outside the tree
        (``models.Model`` -> ``django.db.models.Model``); ``None`` inside the tree or unknown."""
        if depth > _MAX_DEPTH or module not in self._aliases:
            return None
        key = (module, chain)
        if key not in self._absolute:
            # Memoised: star-import chains (``from .models import *`` in every package) would
            # otherwise be walked again for each of the thousands of names looked up.
            self._absolute[key] = self._lookup_absolute(module, chain, depth)
        return self._absolute[key]

    def _lookup_absolute(self, module: str, chain: str, depth: int) -> str | None:
        root, _, rest = chain.partition(".")
        self._ask(module, root)
        bound = self._aliases[module].get(root)
        if bound is None:
            for star in self._stars[module]:
                if star not in self._aliases:
                    continue
                found = self.absolute(star, chain, depth + 1)
                if found is not None:
                    return found
            return None
        full = f"{bound}.{rest}" if rest else bound
        parts = full.split(".")
        for i in range(len(parts), 0, -1):
            inner = ".".join(parts[:i])
            if inner in self._aliases:
                if i == len(parts):
                    return None
                return self.absolute(inner, ".".join(parts[i:]), depth + 1)
        return full
