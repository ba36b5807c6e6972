"""Hypothesis strategies for Python sources (valid, nearly valid and garbage), their encodings,
and package trees. Shared by tests/fuzz and bench/fuzz.py."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from hypothesis import strategies as st

NAMES = st.sampled_from(
    ["a", "b", "app", "models", "Order", "x_1", "_p", "ñandú", "注文", "הזמנה", "Оrder", "ǅ"]
)
MODULES = st.lists(NAMES, min_size=1, max_size=3).map(".".join)
HOSTILE_TEXT = st.sampled_from(
    [
        "</script><script>alert(1)</script>",
        '" onmouseover="alert(1)',
        "javascript:alert(1)",
        "evil\u202etxt",
        "zero\u200bwidth",
        "{{7*7}}",
        "\\x00",
        "'''",
        '"""',
    ]
)


def _indent(block: str) -> str:
    return "".join(f"    {line}\n" if line else "\n" for line in block.splitlines())


@st.composite
def statements(draw: st.DrawFn, depth: int = 0) -> str:
    """One statement (possibly compound) of a plausible module."""
    name, other, module = draw(NAMES), draw(NAMES), draw(MODULES)
    simple = [
        f"import {module}",
        f"import {module} as {name}",
        f"from {module} import {name}, {other} as y",
        f"from {'.' * draw(st.integers(1, 3))}{module} import {name}",
        f"from {module} import *",
        f"{name} = {other}({module!r})",
        f"{name} = importlib.import_module({module!r})",
        f"{name} = apps.get_model({draw(HOSTILE_TEXT)!r}, {other!r})",
        f"__all__ = [{name!r}, {other!r}]",
        f"{name}: {other}[int] = {draw(st.integers())}",
        f"print(f'{{{name}!r:>{{{other}}}}}')",
        f"{name} = {'(' * (n := draw(st.integers(0, 260)))}1{')' * n}",
        f"{name} = {'-' * draw(st.integers(0, 300))}1",
        f"x = {draw(HOSTILE_TEXT)!r}  # seams: ignore[import] {draw(HOSTILE_TEXT)}",
        f"type {name}[T] = list[T]",
        f"cursor.execute({'SELECT * FROM ' + draw(HOSTILE_TEXT)!r})",
        "pass",
    ]
    if depth >= 2:
        return draw(st.sampled_from(simple))
    body = _indent("\n".join(draw(st.lists(statements(depth + 1), min_size=1, max_size=3))))
    compound = [
        f"class {name}({other}, metaclass={module}):\n{body}",
        f"class {name}[T]:\n    __tablename__ = {draw(HOSTILE_TEXT)!r}\n{body}",
        f"@{module}\ndef {name}(self, {other}: int = 1, *a, **k) -> {other}:\n{body}",
        f"async def {name}():\n{body}",
        f"if TYPE_CHECKING:\n{body}",
        f"try:\n{body}except ImportError:\n{body}",
        f"match {name}:\n    case {other}():\n{_indent(body)}",
        f"with {name} as {other}:\n{body}",
    ]
    return draw(st.sampled_from(simple + compound))


@st.composite
def valid_sources(draw: st.DrawFn) -> str:
    parts = draw(st.lists(statements(), max_size=8))
    return "\n".join(parts) + draw(st.sampled_from(["\n", "", "\n\n", "\r\n"]))


NOISE = st.lists(
    st.sampled_from(
        [
            *"()[]{}'\"\\#:;,.=@ \t\n\r\x0c\x00`<>$",
            *("\u2028", "\u202e", "\u200b", "é", "\ufeff"),
            *("def ", "class ", "print ", "lambda ", "    ", "except ", "yield ", "await "),
        ]
    ),
    max_size=12,
).map("".join)


@st.composite
def mutated_sources(draw: st.DrawFn) -> str:
    """A plausible module with a few random cuts, insertions and duplications."""
    text = draw(valid_sources())
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 20)))
        action = draw(st.sampled_from(["cut", "insert", "duplicate"]))
        if action == "cut":
            text = text[:i] + text[j:]
        elif action == "insert":
            text = text[:i] + draw(NOISE) + text[i:]
        else:
            text = text[:j] + text[i:j] + text[j:]
    return text


sources = st.one_of(valid_sources(), mutated_sources(), st.text(max_size=200))

ENCODINGS = ["utf-8", "latin-1", "cp1252", "utf-16", "ascii", "koi8-r"]


@st.composite
def source_bytes(draw: st.DrawFn) -> bytes:
    """Source text as a file would hold it: encoded, with or without a BOM or a coding cookie
    (true or false), or plain random bytes."""
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(st.binary(max_size=200))
    text = draw(sources)
    encoding = draw(st.sampled_from(ENCODINGS))
    cookie = draw(st.sampled_from(["", "utf-8", "latin-1", "klingon", encoding]))
    if cookie:
        text = f"# -*- coding: {cookie} -*-\n{text}"
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()) and draw(st.booleans()):
        data = codecs.BOM_UTF8 + data
    return data


@dataclass(frozen=True)
class Tree:
    """Files (relative POSIX path -> bytes), directories named like files, and links."""

    files: tuple[tuple[str, bytes], ...]
    links: tuple[tuple[str, str], ...]


SEGMENTS = st.sampled_from(
    ["app", "core", "src", "tests", "migrations", "pkg.py", ".hidden", "ünï", "a b", "x-y", "v1.2"]
)
LEAVES = st.sampled_from(
    ["__init__.py", "models.py", "api.py", "test_x.py", "a.b.py", ".py", "日本.py", "m.py", "n"]
)


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    paths = draw(
        st.lists(
            st.tuples(st.lists(SEGMENTS, max_size=3), LEAVES).map(
                lambda t: "/".join([*t[0], t[1]])
            ),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    files = tuple((p, draw(source_bytes())) for p in sorted(paths))
    links = tuple(
        draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["link.py", "app/loop", "core/up", "out"]),
                    st.sampled_from(["..", "/", "app", "link.py", "../../..", "missing.py"]),
                ),
                max_size=3,
                unique_by=lambda t: t[0],
            )
        )
    )
    return Tree(files, links)
