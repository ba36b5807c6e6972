"""Import resolution: which analyzed module each import statement depends on.

Follows grimp's reading of Python's rules: ``from pkg import name`` depends on ``pkg.name`` when
that is a module, else on ``pkg``; ``import a.b.c`` depends on ``a.b.c``. An import of a module
that does not exist in the tree resolves to nothing (at run time it would fail); imports of code
outside the analyzed tree are dropped and counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.model.facts import FileFacts, ImportFact


@dataclass(frozen=True, slots=True)
class ImportEdge:
    """``importer`` depends on ``imported`` because of ``fact`` (line ``fact.line`` of ``path``)."""

    importer: str
    imported: str
    path: str
    fact: ImportFact

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} (l. {self.fact.line})"


def resolve_import(fact: ImportFact, modules: frozenset[str] | set[str]) -> str | None:
    """The analyzed module ``fact`` depends on, or ``None`` when it is outside the tree."""
    if fact.name is not None and fact.name != "*":
        candidate = f"{fact.module}.{fact.name}"
        if candidate in modules:
            return candidate
    return fact.module if fact.module in modules else None


def is_external(fact: ImportFact, top_level: frozenset[str] | set[str]) -> bool:
    """True when the import names code whose top-level package is not analyzed."""
    return fact.module.split(".", 1)[0] not in top_level


@dataclass(frozen=True, slots=True)
class ImportGraph:
    edges: tuple[ImportEdge, ...]
    external: int


def resolve_imports(facts: Iterable[FileFacts], modules: frozenset[str]) -> ImportGraph:
    """Every internal import edge (self-imports dropped), and how many imports left the tree."""
    edges: list[ImportEdge] = []
    external = 0
    top_level = {m.split(".", 1)[0] for m in modules}
    for file in facts:
        for fact in file.imports:
            target = resolve_import(fact, modules)
            if target is None:
                external += is_external(fact, top_level)
            elif target != file.module:
                edges.append(ImportEdge(file.module, target, file.path, fact))
    return ImportGraph(tuple(edges), external)
