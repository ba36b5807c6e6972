"""skeleton: the imports and top-level definitions of a file, read with the standard ``ast``.

For modules libcst should not be given (see ``guard``): generated data modules and very large
files. ``ast`` is about ten times faster, and with the big literals emptied first it reads a 6 MB
data module in a few milliseconds. The facts say so in their ``notes``; references inside
definitions are not collected.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from analyzer.extract.collectors.imports import resolve_relative
from analyzer.extract.guard import Shape, blank_literals
from analyzer.extract.read import nonblank_lines
from analyzer.model.facts import FileFacts, ImportFact, SymbolFact
from analyzer.model.source import SourceFile

_BLOCKS = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class SkeletonError(ValueError):
    """``ast`` cannot read the file (a syntax error, or syntax newer than this Python)."""


def read_skeleton(data: bytes, text: str, source: SourceFile, found: Shape) -> FileFacts:
    """Facts of a data module or a very large file; raises ``SkeletonError``."""
    try:
        tree = ast.parse(blank_literals(data, found))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            raise SkeletonError(str(exc).splitlines()[0] if str(exc) else "cannot parse") from None
    nonblank = nonblank_lines(text)
    return FileFacts(
        path=source.path,
        module=source.module,
        is_package=source.is_package,
        loc=nonblank[-1],
        lines=len(nonblank) - 1,
        imports=tuple(_imports(tree.body, source)),
        symbols=tuple(_symbols(tree.body, nonblank)),
        notes=(_note(found),),
    )


def _note(found: Shape) -> str:
    size = f"{found.size / 1e6:.1f} MB"
    why = "mostly one literal" if found.literal_heavy else "too large for the full parser"
    return f"read with Python's ast ({size}, {why}): imports and top-level definitions only"


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _callee(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Subscript):
        node = node.value
    return _dotted(node)


def _is_type_checking(test: ast.expr) -> bool:
    name = _dotted(test)
    return name is not None and (name == "TYPE_CHECKING" or name.endswith(".TYPE_CHECKING"))


def _walk(
    body: list[ast.stmt], local: bool, block: bool, tc: bool
) -> Iterator[tuple[ast.stmt, bool, bool, bool]]:
    """Every statement with (inside a definition, inside a module-level block, TYPE_CHECKING)."""
    for node in body:
        yield node, local, block, tc
        if isinstance(node, _DEFS):
            yield from _walk(node.body, True, block, tc)
        elif isinstance(node, ast.If):
            yield from _walk(node.body, local, not local, tc or _is_type_checking(node.test))
            yield from _walk(node.orelse, local, not local, tc)
        elif isinstance(node, _BLOCKS):
            for part in ("body", "orelse", "finalbody"):
                yield from _walk(getattr(node, part, []), local, not local, tc)
            for handler in getattr(node, "handlers", []):
                yield from _walk(handler.body, local, not local, tc)


def _imports(body: list[ast.stmt], source: SourceFile) -> Iterator[ImportFact]:
    for node, local, block, tc in _walk(body, False, False, False):
        flags = {"type_checking": tc, "local": local, "conditional": block and not local}
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield ImportFact(alias.name, None, alias.asname, node.lineno, **flags)
        elif isinstance(node, ast.ImportFrom):
            module = node.module
            if node.level:
                module = resolve_relative(source.module, source.is_package, node.level, module)
            if not module:
                continue
            for alias in node.names:
                name, asname = alias.name, (None if alias.name == "*" else alias.asname)
                yield ImportFact(module, name, asname, node.lineno, **flags)


def _symbols(body: list[ast.stmt], nonblank: list[int]) -> Iterator[SymbolFact]:
    for node, local, block, _ in _walk(body, False, False, False):
        if local or not isinstance(node, _DEFS):
            continue
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        end = max(start, node.end_lineno or start)
        bases = node.bases if isinstance(node, ast.ClassDef) else []
        yield SymbolFact(
            name=node.name,
            kind="class" if isinstance(node, ast.ClassDef) else "function",
            line=start,
            end_line=end,
            loc=nonblank[min(end, len(nonblank) - 1)] - nonblank[start - 1],
            bases=tuple(filter(None, map(_callee, bases))),
            decorators=tuple(filter(None, map(_callee, node.decorator_list))),
            conditional=block,
        )
