"""Small helpers shared by unit tests: parse a snippet as if it were a module of a package."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from analyzer.design.cost.flows import Flows, build_flows
from analyzer.design.data.catalog import build_catalog
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.extract.parse import parse_source
from analyzer.model.facts import FileFacts
from analyzer.model.source import SourceFile


def facts_of(code: str, module: str = "pkg.sub.mod", is_package: bool = False) -> FileFacts:
    path = module.replace(".", "/") + ("/__init__.py" if is_package else ".py")
    result = parse_source(textwrap.dedent(code), SourceFile(path, module, is_package, len(code)))
    assert isinstance(result, FileFacts), result
    return result


def files_of(modules: Mapping[str, str]) -> list[FileFacts]:
    """Facts of a small tree written inline: module name -> code (packages by their names)."""
    names = set(modules)
    return [
        facts_of(code, module, is_package=any(n.startswith(module + ".") for n in names))
        for module, code in sorted(modules.items())
    ]


def flows_of(modules: Mapping[str, str]) -> Flows:
    """The flows (entry points, call trees, transactions...) of a tree written inline."""
    files = files_of(modules)
    table = SymbolTable(files)
    return build_flows(files, table, build_catalog(files, table))
