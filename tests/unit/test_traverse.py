"""The single codegen-driven traversal gives the same facts as libcst's own batched visit, and the
same line numbers as libcst's PositionProvider."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from analyzer.extract.collectors.imports import ImportCollector
from analyzer.extract.collectors.symbols import SymbolCollector
from analyzer.extract.scope import Scope, ScopeCloser, ScopeOpener
from analyzer.extract.traverse import Positions, traverse
from tests.conftest import FIXTURES

SAMPLES = sorted(
    p
    for fixture in ("shop", "layered")
    for p in (FIXTURES / fixture).rglob("*.py")
    if p.stat().st_size > 200 and not {"tests", "migrations"} & set(p.parts)
)


def _strip_lines(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _strip_lines(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in ("line", "end_line", "loc"):
            if name in changes:
                changes[name] = 0
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_strip_lines(v) for v in value)
    return value


def _collect(tree: cst.Module, driver: str) -> tuple[object, object, object]:
    positions = Positions()
    scope = Scope("shop.sample", False, positions)
    imports, symbols = ImportCollector(scope), SymbolCollector(scope, lambda a, b: b - a + 1)
    collectors = [ScopeOpener(scope), imports, symbols, ScopeCloser(scope)]
    if driver == "ours":
        traverse(tree, collectors, positions)
    else:
        cst.visit_batched(tree, collectors)
    return imports.facts(), symbols.symbols(), symbols.module_refs()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_same_facts_as_libcst_visit_batched(path: Path) -> None:
    tree = cst.parse_module(path.read_text())
    assert _strip_lines(_collect(tree, "ours")) == _strip_lines(_collect(tree, "libcst"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_lines_match_position_provider(path: Path) -> None:
    tree = cst.parse_module(path.read_text())
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    expected = wrapper.resolve(PositionProvider)
    positions = Positions()

    class MarkAll(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[cst.CSTNode] = []

        def visit_Name(self, node: cst.Name) -> None:
            positions.mark(node)
            self.seen.append(node)

        def visit_Call(self, node: cst.Call) -> None:
            if not node.lpar:  # PositionProvider starts a parenthesized node inside its parentheses
                positions.mark(node)
                self.seen.append(node)

        def visit_Import(self, node: cst.Import) -> None:
            positions.mark(node)
            self.seen.append(node)

    marker = MarkAll()
    traverse(wrapper.module, [marker], positions)
    assert marker.seen
    mismatches = [n for n in marker.seen if positions.line(n) != expected[n].start.line]
    assert mismatches == []


class _CodeOfCalls(cst.BatchableCSTVisitor):
    """Asks libcst for the code of every call while the traversal runs."""

    def __init__(self) -> None:
        super().__init__()
        self.code: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.code.append(cst.Module([]).code_for_node(node))


def test_libcst_generates_code_as_usual_during_and_after_a_traversal() -> None:
    # A traversal replaces two of libcst's code-generation steps while it runs: code asked
    # for meanwhile, and code generated afterwards, must be libcst's own.
    source = "total = (price(a) * (qty)) + fee((b), c=(1,))\n"
    module = cst.parse_module(source)
    calls = _CodeOfCalls()
    traverse(module, [calls], Positions())
    assert calls.code == ["price(a)", "fee((b), c=(1,))"]
    assert module.code == source
    wrapper = MetadataWrapper(module)
    positions = wrapper.resolve(PositionProvider)
    [fee] = [
        n
        for n in positions
        if isinstance(n, cst.Call) and cst.ensure_type(n.func, cst.Name).value == "fee"
    ]
    assert (positions[fee].start.line, positions[fee].start.column) == (1, 29)
