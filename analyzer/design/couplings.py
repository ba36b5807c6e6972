"""Couplings found in the facts, before fusion: imports (references and data come later)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analyzer.design.imports import is_external, resolve_import
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts


def symbol_index(files: Iterable[FileFacts]) -> dict[str, frozenset[str]]:
    """Module -> names of its top-level symbols."""
    return {f.module: frozenset(s.name for s in f.symbols) for f in files}


def import_couplings(
    files: Iterable[FileFacts], modules: frozenset[str], symbols: Mapping[str, frozenset[str]]
) -> tuple[list[Coupling], int]:
    """One coupling per internal import (to the imported symbol when it is one); external count."""
    out: list[Coupling] = []
    external = 0
    top_level = {m.split(".", 1)[0] for m in modules}
    for file in files:
        for fact in file.imports:
            target = resolve_import(fact, modules)
            if target is None:
                external += is_external(fact, top_level)
                continue
            if target == file.module:
                continue
            node = target
            if (
                fact.name
                and fact.name != "*"
                and target == fact.module
                and fact.name in symbols.get(target, ())
            ):
                node = f"{target}:{fact.name}"
            out.append(
                Coupling(
                    source=file.module,
                    target=node,
                    kind="import",
                    path=file.path,
                    line=fact.line,
                    detail=fact.target,
                    soft=fact.dynamic,
                )
            )
    return out, external
