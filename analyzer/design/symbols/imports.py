"""Import resolution: which analyzed module each import statement depends on.

Follows grimp's reading of Python's rules: ``from pkg import name`` depends on ``pkg.name`` when
that is a module, else on ``pkg``; ``import a.b.c`` depends on ``a.b.c``. An import of a module
that does not exist in the tree resolves to nothing (at run time it would fail); imports of code
outside the analyzed tree are dropped and counted.
"""

from __future__ import annotations

from analyzer.model.facts import ImportFact


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
