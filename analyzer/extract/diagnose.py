"""Why a file cannot be analyzed, in words: too deeply nested, Python 2, or a syntax error.

libcst's native parser overflows the C stack (a segmentation fault, not an exception) at about
1,300 nested brackets, long before it runs out of anything else. Python itself refuses more than
200 (its tokenizer's limit), so a file nested deeper is not runnable Python anyway and is skipped
before libcst sees it. Other runaway nesting (tens of thousands of chained operators) is rarer;
parsing in worker processes covers it.

Python's own compiler is consulted only for files libcst has already rejected (or for the rare
file the bracket scan flags): its messages are clearer, and it never runs anything
(``PyCF_ONLY_AST`` builds a tree and stops).
"""

from __future__ import annotations

import ast
import re
import sys
import warnings

import libcst as cst

# Python's tokenizer limit on nested brackets (MAXLEVEL in CPython's Parser/tokenizer.h).
PYTHON_MAX_BRACKETS = 200
# libcst crashes the process at about 1,300; above this the file is skipped even when Python's
# compiler does not confirm the depth (its own scan may stop at an earlier error).
_SURE_TOO_DEEP = 1000
_OPENERS = "([{"
_STRINGS_AND_COMMENTS = re.compile(
    r"#[^\n]*"
    r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|\Z)'
    r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*(?:'''|\Z)"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"?'
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'?",
    re.DOTALL,
)
_BRACKETS = re.compile(r"[()\[\]{}]")
_LIBCST_AT = re.compile(r"error at (\d+):(\d+)")


def code_only(text: str) -> str:
    """``text`` with comments removed and string literals emptied (quotes and line breaks kept),
    so that brackets, keywords and operators inside strings are not mistaken for code."""

    def blank(match: re.Match[str]) -> str:
        token = match.group()
        if token.startswith("#"):
            return ""
        quote = token[:3] if token[:3] in ('"""', "'''") else token[:1]
        return quote + "\n" * token.count("\n") + quote

    return _STRINGS_AND_COMMENTS.sub(blank, text)


def bracket_depth(code: str) -> int:
    """The deepest bracket nesting of ``code`` (already passed through ``code_only``)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(code):
        if bracket in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def too_deep(text: str) -> str | None:
    """A skip reason when brackets nest deeper than Python allows, else ``None``. Cheap: files
    with at most 200 opening brackets in all cannot nest that deep and are not scanned."""
    if sum(text.count(c) for c in _OPENERS) <= PYTHON_MAX_BRACKETS:
        return None
    depth = bracket_depth(code_only(text))
    if depth <= PYTHON_MAX_BRACKETS:
        return None
    error = python_error(text)
    if error is not None and "too many nested parentheses" in error[1]:
        return (
            f"brackets nested deeper than Python allows ({PYTHON_MAX_BRACKETS}) "
            f"at line {error[0]}; not parsed"
        )
    if depth > _SURE_TOO_DEEP:
        return (
            f"brackets nested {depth} deep; Python allows {PYTHON_MAX_BRACKETS} and the "
            "parser would crash; not parsed"
        )
    return None


def python_error(text: str) -> tuple[int, str] | None:
    """(line, message) of the error Python's own compiler reports, ``None`` when it accepts."""
    try:
        with warnings.catch_warnings():  # e.g. "invalid escape sequence": not ours to print
            warnings.simplefilter("ignore")
            compile(text, "<analyzed>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return exc.lineno or 1, str(exc.msg)
    except (MemoryError, RecursionError):
        return 1, "too complex for Python's parser (nesting too deep)"
    except ValueError as exc:
        return 1, str(exc)
    return None


def explain_syntax_error(text: str, exc: cst.ParserSyntaxError) -> str:
    """The skip reason for a file libcst rejected."""
    match = _LIBCST_AT.search(exc.message)
    line = int(match.group(1)) if match else exc.raw_line
    python = python_error(text)
    evidence = python2_evidence(text, python[0] if python else line)
    if evidence:
        return f"looks like Python 2 ({evidence}); only Python 3 is analyzed"
    if python is not None:
        return f"syntax error at line {python[0]}: {python[1]}"
    version = ".".join(map(str, sys.version_info[:2]))
    return (
        f"libcst cannot parse line {line} although Python {version} can: "
        f"{_LIBCST_AT.sub('', exc.message.splitlines()[0]).strip(': ')}"
    )


# Constructs that are syntax errors in Python 3 and common in Python 2, checked on code with
# strings emptied and comments removed. The last ones are also Python 3.14 syntax or rare enough
# to count only on the line where parsing failed.
_PY2_ANYWHERE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("print statement", r"^\s*print\s+(?!(?:if|else|and|or|in|is|not|for)\b)[\w\"'\[{]"),
        ("exec statement", r"^\s*exec\s+(?!(?:if|else|and|or|in|is|not|for)\b)[\w\"'\[{]"),
        ("backquote repr", r"`"),
        ("<> operator", r"<>"),
        ("raise with a comma", r"^\s*raise\s+[\w.]+\s*,\s*\S"),
        ("ur'' string prefix", r"(?<![\w])[uU][rR][\"']"),
    )
)
_PY2_ON_ERROR_LINE = (
    *_PY2_ANYWHERE,
    *(
        (name, re.compile(pattern))
        for name, pattern in (
            ("except with a comma", r"^\s*except\s+[\w.]+\s*,\s*\w+\s*:"),
            ("long integer literal", r"(?<![\w.])(?:0[xX][0-9a-fA-F]+|\d+)[lL](?!\w)"),
            ("octal literal without 0o", r"(?<![\w.])0\d*[1-9]\d*(?![\w.])"),
        )
    ),
)


def python2_evidence(text: str, line: int) -> str | None:
    """'print statement at line 3' when the file shows a Python 2 construct: on ``line`` (where
    parsing failed) first, then anywhere."""
    lines = code_only(text).split("\n")
    if 0 < line <= len(lines):
        for name, pattern in _PY2_ON_ERROR_LINE:
            if pattern.search(lines[line - 1]):
                return f"{name} at line {line}"
    for index, code in enumerate(lines):
        for name, pattern in _PY2_ANYWHERE:
            if pattern.search(code):
                return f"{name} at line {index + 1}"
    return None
