"""parse: one source file -> ``FileFacts`` or ``Skipped``. Never raises for anything in the file.

libcst parses (it keeps comments, and it reads 3.12+ syntax on 3.11; see ``trusted``); every
collector then runs in one traversal (see ``traverse``) and the tree is dropped. Reading and
decoding are in ``read``; the words for why a file was skipped are in ``diagnose``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import libcst as cst

from analyzer.extract.collectors.data import DataCollector
from analyzer.extract.collectors.entries import EntryCollector
from analyzer.extract.collectors.flow import FlowCollector
from analyzer.extract.collectors.imports import ImportCollector
from analyzer.extract.collectors.pragmas import PragmaCollector
from analyzer.extract.collectors.strings import StringCollector
from analyzer.extract.collectors.symbols import SymbolCollector
from analyzer.extract.diagnose import explain_syntax_error, too_deep
from analyzer.extract.read import (
    UndecodableSource,
    Unreadable,
    decode_source,
    nonblank_lines,
    read_bytes,
)
from analyzer.extract.scope import Scope, ScopeCloser, ScopeOpener
from analyzer.extract.traverse import Positions, traverse
from analyzer.extract.trusted import parse_module
from analyzer.model.facts import FileFacts, ParseResult, Skipped
from analyzer.model.source import SourceFile

__all__ = ["UndecodableSource", "decode_source", "parse_file", "parse_source"]


def parse_file(root: Path, source: SourceFile, data: bytes | None = None) -> ParseResult:
    """Read (unless ``data`` holds its bytes already) and parse one file of the analyzed tree."""
    try:
        data = read_bytes(str(root), source.path) if data is None else data
    except Unreadable as exc:
        return Skipped(source.path, exc.reason, source.module)
    try:
        text = decode_source(data)
    except UndecodableSource as exc:
        return Skipped(source.path, str(exc), source.module)
    return parse_source(text, source)


def parse_source(text: str, source: SourceFile) -> ParseResult:
    """Parse decoded source text and extract every fact kind in one traversal."""
    if "\x00" in text:  # Python refuses such source; libcst's string evaluation fails on it
        line = text.count("\n", 0, text.index("\x00")) + 1
        return Skipped(
            source.path, f"NUL character at line {line}, not Python source", source.module
        )
    if "\r" in text:  # Python reads \r\n and a lone \r as line ends; count lines the same way
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reason = too_deep(text)
    if reason is not None:
        return Skipped(source.path, reason, source.module)
    try:
        tree = parse_module(text)
    except cst.ParserSyntaxError as exc:
        return Skipped(source.path, explain_syntax_error(text, exc), source.module)
    except RecursionError:
        return Skipped(source.path, "nesting too deep to parse", source.module)
    except MemoryError:
        return Skipped(source.path, "too large to parse in the memory available", source.module)
    except Exception as exc:  # libcst's native parser raises a few other errors on odd input
        return Skipped(
            source.path, f"cannot parse: {type(exc).__name__}: {_first_line(exc)}", source.module
        )
    try:
        with warnings.catch_warnings():
            # Evaluating the analyzed code's string literals ("\d" in __all__) makes Python warn
            # about that code; the warnings are not the user's business here.
            warnings.simplefilter("ignore")
            return _extract(tree, text, source)
    except RecursionError:
        return Skipped(source.path, "nesting too deep to analyze", source.module)
    except Exception as exc:  # a collector bug must cost one file, not the run
        return Skipped(
            source.path,
            f"internal error while extracting facts ({type(exc).__name__}: {_first_line(exc)}); "
            "please report it",
            source.module,
        )


def _extract(tree: cst.Module, text: str, source: SourceFile) -> FileFacts:
    nonblank = nonblank_lines(text)
    count = len(nonblank) - 1

    def loc(start: int, end: int) -> int:
        end = min(end, count)
        return nonblank[end] - nonblank[max(start - 1, 0)] if end >= start else 0

    positions = Positions()
    scope = Scope(source.module, source.is_package, positions)
    imports = ImportCollector(scope)
    symbols = SymbolCollector(scope, loc)
    pragmas = PragmaCollector(scope)
    strings = StringCollector(scope)
    data = DataCollector(scope)
    entries = EntryCollector(scope)
    flow = FlowCollector(scope)
    collectors = [
        ScopeOpener(scope),
        imports,
        symbols,
        strings,
        pragmas,
        data,
        entries,
        flow,
        ScopeCloser(scope),
    ]
    traverse(tree, collectors, positions)
    return FileFacts(
        path=source.path,
        module=source.module,
        is_package=source.is_package,
        loc=nonblank[-1],
        lines=count,
        imports=imports.facts(),
        symbols=symbols.symbols(),
        module_refs=symbols.module_refs(),
        bindings=symbols.bindings(),
        globals=symbols.globals(),
        exports=symbols.exports(),
        strings=strings.facts(),
        pragmas=pragmas.facts(),
        notes=imports.problems(),
        data=data.facts(),
        entries=entries.facts(),
        flow=flow.facts(),
    )


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
