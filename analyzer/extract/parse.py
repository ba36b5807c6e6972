"""parse: one source file -> ``FileFacts`` or ``Skipped``. Never raises for anything in the file.

libcst parses (it keeps comments, and it reads 3.12+ syntax on 3.11); every collector then runs
in one traversal (see ``traverse``) and the tree is dropped.
"""

from __future__ import annotations

import io
import tokenize
from itertools import accumulate
from pathlib import Path

import libcst as cst

from analyzer.extract.collectors.imports import ImportCollector
from analyzer.extract.collectors.pragmas import PragmaCollector
from analyzer.extract.collectors.symbols import SymbolCollector
from analyzer.extract.scope import Scope, ScopeCloser, ScopeOpener
from analyzer.extract.traverse import Positions, traverse
from analyzer.model.facts import FileFacts, ParseResult, Skipped
from analyzer.model.source import SourceFile


class UndecodableSource(ValueError):
    """The bytes are not text in the encoding the file declares (PEP 263), or not text at all."""


def decode_source(data: bytes) -> str:
    """Decode like Python does: a BOM or a coding cookie, else UTF-8."""
    if b"\x00" in data:
        raise UndecodableSource("binary content (NUL bytes), not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise UndecodableSource(f"cannot decode: {_first_line(exc)}") from None
    return text[1:] if text.startswith("\ufeff") else text


def parse_file(root: Path, source: SourceFile, data: bytes | None = None) -> ParseResult:
    """Read (unless ``data`` holds its bytes already) and parse one file of the analyzed tree."""
    try:
        data = (root / source.path).read_bytes() if data is None else data
    except OSError as exc:
        return Skipped(source.path, f"unreadable: {exc.strerror or exc}", source.module)
    try:
        text = decode_source(data)
    except UndecodableSource as exc:
        return Skipped(source.path, str(exc), source.module)
    return parse_source(text, source)


def parse_source(text: str, source: SourceFile) -> ParseResult:
    """Parse decoded source text and extract every fact kind in one traversal."""
    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return Skipped(
            source.path,
            f"syntax error at line {exc.raw_line}: {_first_line(exc.message)}",
            source.module,
        )
    except RecursionError:
        return Skipped(source.path, "nesting too deep to parse", source.module)
    except Exception as exc:  # libcst's native parser raises a few other errors on odd input
        return Skipped(
            source.path, f"cannot parse: {type(exc).__name__}: {_first_line(exc)}", source.module
        )
    try:
        return _extract(tree, text, source)
    except RecursionError:
        return Skipped(source.path, "nesting too deep to analyze", source.module)


def _extract(tree: cst.Module, text: str, source: SourceFile) -> FileFacts:
    lines = text.splitlines()
    nonblank = [0, *accumulate(1 if line.strip() else 0 for line in lines)]

    def loc(start: int, end: int) -> int:
        end = min(end, len(lines))
        return nonblank[end] - nonblank[max(start - 1, 0)] if end >= start else 0

    positions = Positions()
    scope = Scope(source.module, source.is_package, positions)
    imports = ImportCollector(scope)
    symbols = SymbolCollector(scope, loc)
    pragmas = PragmaCollector(scope)
    traverse(tree, [ScopeOpener(scope), imports, symbols, pragmas, ScopeCloser(scope)], positions)
    return FileFacts(
        path=source.path,
        module=source.module,
        is_package=source.is_package,
        loc=nonblank[-1],
        lines=len(lines),
        imports=imports.facts(),
        symbols=symbols.symbols(),
        module_refs=symbols.module_refs(),
        bindings=symbols.bindings(),
        exports=symbols.exports(),
        pragmas=pragmas.facts(),
        notes=imports.problems(),
    )


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
