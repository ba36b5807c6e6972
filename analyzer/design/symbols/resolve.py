"""resolve: what a dotted name used in a module refers to, across the whole analyzed tree.

Seams' own alias tables stand in for libcst's scope providers (ten times the parse cost): each
module's imports bind local names to absolute dotted names; re-export hubs
(``from .orders import Order`` in ``models/__init__.py``), star imports, module-level bindings
(``_repo = OrdersRepository()`` makes ``_repo.get`` a use of ``OrdersRepository``) and class
attributes set from a call (``self.repo = OrdersRepository()``) are followed to the defining
top-level symbol. The answer is a graph node id: ``module:Name`` for a symbol, ``module`` for a
module (or its module-level code), ``None`` for code outside the tree or unknown names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.model.facts import FileFacts

_MAX_DEPTH = 12


@dataclass(frozen=True, slots=True)
class _Module:
    symbols: frozenset[str]
    aliases: dict[str, str]  # local name -> absolute dotted name it is bound to
    bindings: dict[str, tuple[str, bool]]  # module-level name -> (chain, is a call)
    stars: tuple[str, ...]  # modules star-imported
    exports: frozenset[str] | None
    names: frozenset[str]  # every name bound at module level
    attributes: dict[str, dict[str, str]]  # class -> attribute -> callee chain


ATTRIBUTES = "\0"
"""Prefix of the names ``SymbolTable.track`` notes for a class's attributes (``ATTRIBUTES +
class``), which no Python name can be."""


def _signature(info: _Module, name: str) -> tuple[object, ...]:
    """Everything resolution reads about ``name`` in a module, but its star imports."""
    exported = info.exports is not None and name in info.exports
    return (
        name in info.symbols,
        info.aliases.get(name),
        info.bindings.get(name),
        name in info.names,
        exported,
    )


def changed_names(old: _Module | None, new: _Module | None) -> frozenset[str] | None:
    """The names (as ``SymbolTable.track`` notes them) whose resolution in a module may differ
    between two versions of its record; ``None`` for all of them (a module that came or went,
    other star imports, ``__all__`` appearing or going)."""
    if old is None or new is None:
        return None if old is not new else frozenset()
    if old == new:
        return frozenset()
    if old.stars != new.stars or (old.exports is None) != (new.exports is None):
        return None
    names: set[str] = set()
    for info in (old, new):
        names.update(info.symbols, info.aliases, info.bindings, info.names, info.exports or ())
    changed = {n for n in names if _signature(old, n) != _signature(new, n)}
    classes = old.attributes.keys() | new.attributes.keys()
    changed.update(
        ATTRIBUTES + c for c in classes if old.attributes.get(c) != new.attributes.get(c)
    )
    return frozenset(changed)


Record = _Module


def record_values(info: _Module) -> tuple[object, ...]:
    """A module's record as plain values (sets, dicts, tuples and strings), to keep."""
    return (
        info.symbols,
        info.aliases,
        info.bindings,
        info.stars,
        info.exports,
        info.names,
        info.attributes,
    )


def record_from(values: object) -> _Module | None:
    """The record ``record_values`` gave, or ``None`` when ``values`` are not of its shape."""
    if not isinstance(values, tuple) or len(values) != 7:
        return None
    symbols, aliases, bindings, stars, exports, names, attributes = values
    shapes = (
        isinstance(symbols, frozenset)
        and isinstance(aliases, dict)
        and isinstance(bindings, dict)
        and isinstance(stars, tuple)
        and (exports is None or isinstance(exports, frozenset))
        and isinstance(names, frozenset)
        and isinstance(attributes, dict)
    )
    if not shapes:
        return None
    return _Module(symbols, aliases, bindings, stars, exports, names, attributes)


def import_bindings(facts: FileFacts) -> tuple[dict[str, str], tuple[str, ...]]:
    """What a module's static imports bind: local name -> absolute dotted name (the first
    binding of a name wins), and the modules it star-imports."""
    aliases: dict[str, str] = {}
    stars: list[str] = []
    for fact in facts.imports:
        if fact.dynamic:
            continue
        if fact.name == "*":
            stars.append(fact.module)
        elif fact.binding is not None:
            aliases.setdefault(fact.binding, fact.bound)
    return aliases, tuple(stars)


class SymbolTable:
    """Alias tables of every analyzed module, and memoised resolution through them."""

    def __init__(self, files: Iterable[FileFacts]) -> None:
        self._modules: dict[str, _Module] = {}
        for f in files:
            aliases, stars = import_bindings(f)
            symbols = frozenset(s.name for s in f.symbols)
            self._modules[f.module] = _Module(
                symbols=symbols,
                aliases=aliases,
                bindings={b.name: (b.value, b.call) for b in f.bindings},
                stars=stars,
                exports=frozenset(f.exports) if f.exports is not None else None,
                names=frozenset(f.globals) | symbols | frozenset(aliases),
                attributes={
                    s.name: {a.name: a.value for a in s.attributes}
                    for s in f.symbols
                    if s.attributes
                },
            )
        self._memo: dict[tuple[str, str, str | None], str | None] = {}
        self._asked: dict[str, set[str]] | None = None
        self._own = ""

    @property
    def modules(self) -> frozenset[str]:
        return frozenset(self._modules)

    def record(self, module: str) -> _Module | None:
        """What the table knows of ``module`` (compared across runs by ``changed_names``)."""
        return self._modules.get(module)

    def track(self, module: str) -> dict[str, set[str]]:
        """From now on, note each name asked of another module than ``module`` (the file being
        resolved): module -> names, ``ATTRIBUTES + class`` for a class's attributes. Resolution
        from ``module`` then depends on nothing else but ``module`` itself and the set of
        modules. With ``module`` empty, every name asked is noted (the memo is emptied first:
        no answer may come from it unnoted). ``untrack`` stops it."""
        self._asked, self._own = {}, module
        if not module:  # every question is noted: none may be answered from the memo
            self._memo = {}
        return self._asked

    def untrack(self) -> None:
        self._asked, self._own = None, ""

    def _ask(self, module: str, name: str) -> None:
        if module != self._own and self._asked is not None:
            names = self._asked.get(module)
            if names is None:
                names = self._asked[module] = set()
            names.add(name)

    def defines(self, module: str, name: str) -> bool:
        info = self._modules.get(module)
        if self._asked is not None:
            self._ask(module, name)
        return info is not None and name in info.symbols

    def resolve(self, module: str, chain: str, scope: str | None = None) -> str | None:
        """The node ``chain`` means when written in ``module`` (inside top-level ``scope``)."""
        key = (module, chain, scope)
        if key not in self._memo:
            self._memo[key] = self._resolve(module, chain.split("."), scope, 0)
        return self._memo[key]

    def resolve_dotted(self, dotted: str) -> str | None:
        """The node an absolute dotted name (``shop.orders.models.Order``) refers to."""
        return self._dotted(dotted.split("."), 0)

    def _resolve(self, module: str, parts: list[str], scope: str | None, depth: int) -> str | None:
        info = self._modules.get(module)
        if info is None or depth > _MAX_DEPTH or not parts:
            return None
        root, rest = parts[0], parts[1:]
        if self._asked is not None:
            self._ask(module, root)
        if root in ("self", "cls") and scope is not None:
            return self._attribute(module, info, scope, rest, depth)
        if root in info.symbols:
            return f"{module}:{root}"
        if root in info.aliases:
            return self._dotted([*info.aliases[root].split("."), *rest], depth + 1)
        if root in info.bindings:
            value, call = info.bindings[root]
            if call:  # an instance: whatever is used on it belongs to its class
                return self._resolve(module, value.split("."), None, depth + 1)
            return self._resolve(module, [*value.split("."), *rest], None, depth + 1)
        for star in info.stars:
            found = self._through_star(star, root, rest, depth)
            if found is not None:
                return found
        if root in info.names:
            return module
        return None

    def _attribute(
        self, module: str, info: _Module, scope: str, rest: list[str], depth: int
    ) -> str | None:
        if not rest:
            return None
        if self._asked is not None:
            self._ask(module, ATTRIBUTES + scope)
        callee = info.attributes.get(scope, {}).get(rest[0])
        if callee is None:
            return None
        return self._resolve(module, callee.split("."), None, depth + 1)

    def _through_star(self, star: str, root: str, rest: list[str], depth: int) -> str | None:
        info = self._modules.get(star)
        if info is None:
            return None
        if self._asked is not None:
            self._ask(star, root)
        if info.exports is not None and root not in info.exports:
            return None
        if info.exports is None and root.startswith("_"):
            return None
        if root in info.symbols or root in info.aliases or root in info.bindings:
            return self._dotted([*star.split("."), root, *rest], depth + 1)
        return None

    def _dotted(self, parts: list[str], depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        for i in range(len(parts), 0, -1):
            module = ".".join(parts[:i])
            if module in self._modules:
                remaining = parts[i:]
                if not remaining:
                    return module
                found = self._resolve(module, remaining, None, depth + 1)
                return found if found is not None else module
        return None
