"""The byte-level guard: bracket shape, data modules, emptied literals, and the ast skeleton."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from analyzer.extract.discover import discover_files
from analyzer.extract.guard import GUARD_BYTES, LIMIT_BYTES, blank_literals, needs_skeleton, shape
from analyzer.extract.parse import decode_source, parse_file
from analyzer.extract.skeleton import SkeletonError, read_skeleton
from analyzer.model.facts import FileFacts
from analyzer.model.source import SourceFile
from tests.conftest import FIXTURES


def _data_module(rows: int) -> bytes:
    lines = ["import os", "from . import choices", "", "CODES = ("]
    lines += [f"    ('K{i}', 'value {i} (note: [x] {{y}})')," for i in range(rows)]
    lines += [")", "", "", "@register", "class Lookup(choices.Base):", "    size = len(CODES)", ""]
    return "\n".join(lines).encode()


def test_brackets_inside_strings_and_comments_do_not_count() -> None:
    code = b'x = f(a, [1, {2: 3}])  # ((((\ns = "(((" + \'[[\' + """\n(((\n"""\n'
    found = shape(code)
    assert found.depth == 3
    assert [code[s:e] for s, e in found.spans] == [b"(a, [1, {2: 3}])"]


def test_deep_nesting_long_lines_and_big_literals_are_risky() -> None:
    assert not shape(b"x = ((1))\n").risky
    assert shape(b"x = " + b"(" * 150 + b"1" + b")" * 150 + b"\n").risky
    assert shape(b"x = " + b" + ".join([b"a"] * 4000) + b"\n").risky
    assert shape(b"x = [\n" + b"    1,\n" * 4000 + b"]\n").risky


def test_a_big_data_module_needs_the_skeleton_and_normal_code_does_not() -> None:
    data = _data_module(12_000)
    assert len(data) > GUARD_BYTES
    found = needs_skeleton(data)
    assert found is not None and found.literal_heavy
    code = b"".join(b"def f%d(x):\n    return g(x, [x])\n\n" % i for i in range(12_000))
    assert len(code) > GUARD_BYTES and needs_skeleton(code) is None
    assert needs_skeleton(code[: GUARD_BYTES - 1]) is None


def test_emptied_literals_keep_every_line_number() -> None:
    data = _data_module(3_000)
    blanked = blank_literals(data, shape(data))
    assert len(blanked) < len(data) / 10
    assert blanked.count(b"\n") == data.count(b"\n")
    lookup = next(n for n in ast.parse(blanked).body if isinstance(n, ast.ClassDef))
    original = next(n for n in ast.parse(data).body if isinstance(n, ast.ClassDef))
    assert lookup.lineno == original.lineno


def test_skeleton_of_a_data_module_lists_imports_and_definitions() -> None:
    data = _data_module(12_000)
    source = SourceFile("pkg/data/codes.py", "pkg.data.codes", False, len(data))
    found = needs_skeleton(data)
    assert found is not None
    facts = read_skeleton(data, decode_source(data), source, found)
    assert [(i.module, i.name) for i in facts.imports] == [("os", None), ("pkg.data", "choices")]
    [lookup] = facts.symbols
    assert (lookup.name, lookup.kind, lookup.bases, lookup.decorators) == (
        "Lookup",
        "class",
        ("choices.Base",),
        ("register",),
    )
    assert lookup.line == data.decode().splitlines().index("@register") + 1
    assert facts.lines == len(data.decode().splitlines())
    assert any("ast" in note and "literal" in note for note in facts.notes)


def test_skeleton_refuses_what_ast_cannot_read() -> None:
    data = b"def f(:\n" + b"x = 1\n" * 10
    source = SourceFile("bad.py", "bad", False, len(data))
    with pytest.raises(SkeletonError):
        read_skeleton(data, data.decode(), source, shape(data))


@pytest.mark.parametrize("fixture", ["shop", "layered"])
def test_skeleton_agrees_with_libcst_on_imports_and_definitions(fixture: str) -> None:
    discovery = discover_files(FIXTURES / fixture)
    compared = 0
    for source in discovery.files:
        data = (Path(discovery.root) / source.path).read_bytes()
        full = parse_file(Path(discovery.root), source)
        assert isinstance(full, FileFacts)
        quick = read_skeleton(data, decode_source(data), source, shape(data))
        assert [i for i in full.imports if not i.dynamic] == list(quick.imports), source.path
        strip = [s.__class__(**{**_fields(s), "refs": (), "attributes": ()}) for s in full.symbols]
        assert strip == list(quick.symbols), source.path
        assert (full.loc, full.lines) == (quick.loc, quick.lines)
        compared += bool(full.imports or full.symbols)
    assert compared >= 10


def test_skeleton_flags_conditional_type_checking_and_local_imports() -> None:
    code = textwrap.dedent(
        """\
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from pkg.models import Order
        try:
            import ujson as json
        except ImportError:
            import json
        def load():
            from .helpers import read
            return read()
        """
    ).encode()
    source = SourceFile("pkg/io.py", "pkg.io", False, len(code))
    facts = read_skeleton(code, code.decode(), source, shape(code))
    flags = {
        (i.module, i.name): (i.type_checking, i.conditional, i.local, i.alias)
        for i in facts.imports
    }
    assert flags[("pkg.models", "Order")] == (True, True, False, None)
    assert flags[("ujson", None)] == (False, True, False, "json")
    assert flags[("pkg.helpers", "read")] == (False, False, True, None)
    assert LIMIT_BYTES > GUARD_BYTES


def _fields(obj: object) -> dict[str, object]:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]
