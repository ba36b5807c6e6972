"""Couplings found in the facts, before fusion: imports and references between symbols.

Every coupling starts at the code that needs it: an import is charged to the top-level symbols
that use the name it binds (to the module's own code when none does), and points at what that
use resolves to, through re-export hubs. So in a god module each function is pulled toward what
it uses, not toward everything the file imports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from analyzer.design.symbols.imports import is_external, resolve_import
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.coupling import Coupling, Kind
from analyzer.model.facts import FileFacts, ImportFact, RefFact, StringRef

# Calls that go through a task queue: a real dependency, but asynchronous wiring.
_QUEUE_SUFFIXES = (".delay", ".apply_async", ".s", ".si", ".signature")


def _root(chain: str) -> str:
    return chain.split(".", 1)[0]


def _scopes(file: FileFacts) -> Iterator[tuple[str, str | None, tuple[RefFact, ...]]]:
    """(source node, class scope for ``self``, references) per top-level symbol, then the module."""
    for symbol in file.symbols:
        yield (
            f"{file.module}:{symbol.name}",
            (symbol.name if symbol.kind == "class" else None),
            symbol.refs,
        )
    yield file.module, None, file.module_refs


def import_couplings(
    files: Iterable[FileFacts], table: SymbolTable, modules: frozenset[str] | None = None
) -> tuple[list[Coupling], int]:
    """One coupling per internal import and per symbol using it; how many imports left the tree.
    ``modules``: ``table.modules``, when the caller has it."""
    modules = table.modules if modules is None else modules
    top_level = {m.split(".", 1)[0] for m in modules}
    out: list[Coupling] = []
    external = 0
    for file in files:
        users = _users_by_binding(file)
        for fact in file.imports:
            imported = resolve_import(fact, modules)
            if imported is None:
                external += is_external(fact, top_level)
                continue
            for source, target in _import_targets(file, fact, imported, users, table):
                if target not in (source, file.module):
                    soft = fact.dynamic or fact.type_checking
                    out.append(
                        Coupling(
                            source, target, "import", file.path, fact.line, fact.target, soft=soft
                        )
                    )
    return out, external


def _users_by_binding(file: FileFacts) -> dict[str, list[tuple[str, str | None, list[RefFact]]]]:
    users: dict[str, list[tuple[str, str | None, list[RefFact]]]] = defaultdict(list)
    for source, scope, refs in _scopes(file):
        by_root: dict[str, list[RefFact]] = defaultdict(list)
        for ref in refs:
            by_root[_root(ref.chain)].append(ref)
        for root, used in by_root.items():
            users[root].append((source, scope, used))
    return users


def _import_targets(
    file: FileFacts,
    fact: ImportFact,
    imported: str,
    users: dict[str, list[tuple[str, str | None, list[RefFact]]]],
    table: SymbolTable,
) -> list[tuple[str, str]]:
    binding = fact.binding
    # ``import a.b.c`` binds ``a`` but depends on ``a.b.c``: only a from-import (or an alias)
    # binds the very thing it imports, which may be a symbol re-exported from elsewhere.
    direct = table.resolve_dotted(fact.bound) if binding and (fact.name or fact.alias) else None
    fallback = direct or (
        f"{imported}:{fact.name}" if table.defines(imported, fact.name or "") else imported
    )
    if not binding or binding not in users:
        return [(file.module, fallback)]
    pairs: list[tuple[str, str]] = []
    for source, scope, refs in users[binding]:
        resolved = (table.resolve(file.module, r.chain, scope) for r in refs)
        targets = {t for t in resolved if t is not None} or {fallback}
        pairs.extend((source, t) for t in sorted(targets))
    return pairs


def reference_couplings(files: Iterable[FileFacts], table: SymbolTable) -> list[Coupling]:
    """Calls, attribute uses, annotations and base classes, resolved to the symbols they name."""
    out: list[Coupling] = []
    for file in files:
        for source, scope, refs in _scopes(file):
            for ref in refs:
                target = table.resolve(file.module, ref.chain, scope)
                if target is None or target == source:
                    continue
                kind: Kind = "inheritance" if ref.kind == "base" else "call"
                soft = ref.kind == "annotation" or ref.chain.endswith(_QUEUE_SUFFIXES)
                out.append(
                    Coupling(source, target, kind, file.path, ref.line, target, ref.count, soft)
                )
    return out


def by_suffix(modules: Iterable[str]) -> dict[str, list[str]]:
    """Modules by each dotted suffix of their name (for ``string_couplings``)."""
    index: dict[str, list[str]] = defaultdict(list)
    for module in sorted(modules):
        parts = module.split(".")
        for i in range(len(parts)):
            index[".".join(parts[i:])].append(module)
    return index


def string_target(
    ref: StringRef, module: str, table: SymbolTable, suffixes: dict[str, list[str]]
) -> str | None:
    """The node a string reference names (``get_class("checkout.views", "IndexView")``)."""
    if ref.via in ("import_string", "include"):
        return table.resolve_dotted(ref.target)
    if ref.via == "receiver":
        return table.resolve(module, ref.target)
    if ref.via == "get_class":
        label, _, name = ref.target.partition(":")
        candidates = suffixes.get(label, [])
        defining = [m for m in candidates if table.defines(m, name)]
        for candidate in defining or candidates:
            return table.resolve_dotted(f"{candidate}.{name}")
    return None


def string_couplings(
    files: Iterable[FileFacts],
    table: SymbolTable,
    suffixes: dict[str, list[str]] | None = None,
) -> list[Coupling]:
    """Soft couplings through strings and framework wiring (see collectors/strings.py);
    ``suffixes``: ``by_suffix(table.modules)``, when the caller has it."""
    suffixes = by_suffix(table.modules) if suffixes is None else suffixes
    out: list[Coupling] = []
    for file in files:
        for ref in file.strings:
            source = f"{file.module}:{ref.scope}" if ref.scope else file.module
            target = string_target(ref, file.module, table, suffixes)
            if target is not None and target != source:
                detail = f"{ref.via} {ref.target}"
                out.append(Coupling(source, target, "call", file.path, ref.line, detail, soft=True))
    return out
