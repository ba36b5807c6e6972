"""parse on broken, odd and vanishing files: a precise skip reason or facts, never an exception."""

from __future__ import annotations

import errno
import os
import pickle
import warnings
from pathlib import Path

import pytest

from analyzer.extract import read
from analyzer.extract.diagnose import bracket_depth, code_only
from analyzer.extract.discover import discover_files
from analyzer.extract.parse import parse_file, parse_source
from analyzer.extract.scan import scan
from analyzer.model.facts import FileFacts, Skipped
from analyzer.model.source import SourceFile


def parse_bytes(tmp_path: Path, data: bytes, name: str = "mod.py") -> FileFacts | Skipped:
    (tmp_path / name).write_bytes(data)
    return parse_file(tmp_path, SourceFile(name, name[:-3], False, len(data)))


def reason(tmp_path: Path, data: bytes) -> str:
    result = parse_bytes(tmp_path, data)
    assert isinstance(result, Skipped), result
    return result.reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"x = 1\n\x00\x01", "binary file (NUL byte at line 2), not Python source"),
        (
            "x = 1\n".encode("utf-16"),
            "encoded as UTF-16 (byte-order mark); Python source must be UTF-8 "
            "or declare an ASCII-compatible encoding",
        ),
        (
            "x = 1\n".encode("utf-32"),
            "encoded as UTF-32 (byte-order mark); Python source must be UTF-8 "
            "or declare an ASCII-compatible encoding",
        ),
        (
            b"x = 1\ny = '\xe9'\n",
            "not valid UTF-8 (byte 0xe9 at line 2) and no coding cookie declares another encoding",
        ),
        (
            b"# coding: ascii\nx = '\xe9'\n",
            "not valid ascii as its coding cookie declares (byte 0xe9 at line 2)",
        ),
        (
            b"# coding: utf-8\nx = '\xe9'\n",
            "not valid UTF-8 as its coding cookie declares (byte 0xe9 at line 2)",
        ),
        (
            b"\xef\xbb\xbfx = '\xe9'\n",
            "not valid UTF-8 although it starts with a UTF-8 byte-order mark (byte 0xe9 at line 1)",
        ),
        (b"# -*- coding: klingon -*-\n", "declares an unknown encoding 'klingon' (coding cookie)"),
        (
            b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
            "has a UTF-8 byte-order mark but its coding cookie declares 'latin-1'",
        ),
        (b"# coding: rot13\nx = 1\n", "declares encoding 'rot13', which is not a text encoding"),
        # A cookie on line 3 does not count (PEP 263), so these bytes are not UTF-8.
        (
            b"\n\n# coding: latin-1\nx = '\xe9'\n",
            "not valid UTF-8 (byte 0xe9 at line 4) and no coding cookie declares another encoding",
        ),
    ],
)
def test_undecodable_files_are_skipped_with_what_is_wrong_and_where(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    assert reason(tmp_path, data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfimport os\nNAME = 'caf\xc3\xa9'\n",
        b"# -*- coding: latin-1 -*-\nimport os\nNAME = 'caf\xe9'\n",
        b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nimport os\nQ = '\x93'\n",
    ],
)
def test_boms_and_coding_cookies_are_honoured(tmp_path: Path, data: bytes) -> None:
    result = parse_bytes(tmp_path, data)
    assert isinstance(result, FileFacts), result
    assert [i.module for i in result.imports] == ["os"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import sys\n\nprint 'hello', sys.argv\n", "print statement at line 3"),
        ("x = 1\nexec 'x = 2'\n", "exec statement at line 2"),
        ("y = `x`\n", "backquote repr at line 1"),
        ("if a <> b:\n    pass\n", "<> operator at line 1"),
        ("raise ValueError, 'bad'\n", "raise with a comma at line 1"),
        ("MODE = 0644\n", "octal literal without 0o at line 1"),
        ("BIG = 10L\n", "long integer literal at line 1"),
        ("P = ur'\\d'\n", "ur'' string prefix at line 1"),
        # The first failure is a later line; the print statement further down is the evidence.
        ("def f():\n    return 1\n\nprint f()\n", "print statement at line 4"),
    ],
)
def test_python_2_code_is_named_as_such(code: str, expected: str) -> None:
    result = parse_source(code, SourceFile("old.py", "old", False, len(code)))
    assert isinstance(result, Skipped)
    assert result.reason == f"looks like Python 2 ({expected}); only Python 3 is analyzed"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("def broken(:\n    pass\n", "syntax error at line 1: invalid syntax"),
        ("x = (1,\n     2\n", "syntax error at line 1: '(' was never closed"),
        (
            "if x:\n\tif y:\n        pass\n",
            "syntax error at line 3: inconsistent use of tabs and spaces in indentation",
        ),
        # Strings and comments that look like Python 2 are not evidence.
        ("s = 'print x'  # print y\ndef (\n", "syntax error at line 2: invalid syntax"),
        (
            "try:\n    pass\nexcept (A, B):\n    pass\ndef (\n",
            "syntax error at line 5: invalid syntax",
        ),
    ],
)
def test_syntax_errors_give_pythons_own_message_and_line(code: str, expected: str) -> None:
    result = parse_source(code, SourceFile("bad.py", "bad", False, len(code)))
    assert isinstance(result, Skipped)
    assert result.reason == expected


def test_consulting_python_prints_no_warnings() -> None:
    # Python's compiler warns about literals like these; a run must not pass that on.
    code = 's = "\\d"\nx = 0x1for y in z\nn = 1if y else 2\ndef (\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = parse_source(code, SourceFile("w.py", "w", False, len(code)))
    assert caught == []
    assert result == Skipped("w.py", "syntax error at line 4: invalid syntax", "w")


def test_evaluating_string_literals_prints_no_warnings() -> None:
    code = '__all__ = ["\\d"]\nimport importlib\nm = importlib.import_module("a\\.b")\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = parse_source(code, SourceFile("w.py", "w", False, len(code)))
    assert caught == []
    assert isinstance(result, FileFacts)
    assert result.exports == ("\\d",)


def test_nul_characters_in_text_are_refused_like_python_does() -> None:
    code = 'x = 1\n__all__ = ["a\x00"]\n'
    result = parse_source(code, SourceFile("n.py", "n", False, len(code)))
    assert result == Skipped("n.py", "NUL character at line 2, not Python source", "n")


def test_deep_brackets_are_skipped_before_libcst_can_crash_the_process() -> None:
    # 2,000 levels kill the process inside libcst (a segmentation fault); this test would die.
    for depth in (201, 2_000, 100_000):
        code = "x = 1\ny = " + "(" * depth + "1" + ")" * depth + "\n"
        result = parse_source(code, SourceFile("deep.py", "deep", False, len(code)))
        assert isinstance(result, Skipped)
        assert result.reason == (
            "brackets nested deeper than Python allows (200) at line 2; not parsed"
        )


def test_two_hundred_levels_are_still_analyzed() -> None:
    code = "import os\nx = " + "[" * 200 + "]" * 200 + "\n"
    result = parse_source(code, SourceFile("ok.py", "ok", False, len(code)))
    assert isinstance(result, FileFacts)


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    code = "import os\nA = '" + "(" * 3000 + "'\n# " + "[" * 3000 + '\nB = """\n' + "{" * 3000
    code += '\n"""\n'
    assert bracket_depth(code_only(code)) == 0
    assert isinstance(parse_source(code, SourceFile("s.py", "s", False, len(code))), FileFacts)


def test_nesting_too_deep_for_the_traversal_is_a_skip() -> None:
    code = "x = " + "-" * 3000 + "1\n"
    result = parse_source(code, SourceFile("neg.py", "neg", False, len(code)))
    assert result == Skipped("neg.py", "nesting too deep to analyze", "neg")


@pytest.mark.parametrize(
    "code",
    [
        "import os\r\r\rclass C:\r    pass\r",
        "import os\r\n\r\n\r\nclass C:\r\n    pass\r\n",
        "import os\n\x0c\n\nclass C:\n    pass\n",
        "import os\n'\u2028'\n\nclass C:\n    pass\n",
    ],
)
def test_lines_are_counted_as_python_counts_them(code: str) -> None:
    result = parse_source(code, SourceFile("m.py", "m", False, len(code)))
    assert isinstance(result, FileFacts)
    assert result.lines == 5
    assert [(s.name, s.line, s.end_line, s.loc) for s in result.symbols] == [("C", 4, 5, 2)]


def test_new_syntax_and_empty_files_are_analyzed() -> None:
    code = (
        "from typing import Any\n"
        "type Pair[T] = tuple[T, T]\n"
        "class Box[T: (int, str), *Ts, **P]:\n    pass\n"
        "def first[T](items: list[T]) -> T:\n    return items[0]\n"
        'def show(d: dict[str, Any]) -> str:\n    return f"{d["a"]:{f"{d["w"]}"}}"\n'
    )
    result = parse_source(code, SourceFile("new.py", "new", False, len(code)))
    assert isinstance(result, FileFacts)
    assert [s.name for s in result.symbols] == ["Box", "first", "show"]
    empty = parse_source("", SourceFile("pkg/__init__.py", "pkg", True, 0))
    assert isinstance(empty, FileFacts) and (empty.loc, empty.lines) == (0, 0)


def test_a_failing_collector_costs_one_file_not_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.extract.collectors import symbols

    def explode(self: object, node: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(symbols.SymbolCollector, "visit_ClassDef", explode)
    result = parse_source("class C:\n    pass\n", SourceFile("c.py", "c", False, 18))
    assert result == Skipped(
        "c.py",
        "internal error while extracting facts (KeyError: 'surprise'); please report it",
        "c",
    )


# Files changing between discovery and parsing.


def discovered(tmp_path: Path) -> tuple[Path, dict[str, SourceFile]]:
    (tmp_path / "app").mkdir()
    for name in ("__init__", "gone", "swapped", "piped", "dir", "locked", "moved"):
        (tmp_path / "app" / f"{name}.py").write_text("import os\n")
    discovery = discover_files(tmp_path)
    return Path(discovery.root), {f.module: f for f in discovery.files}


def test_files_vanishing_or_changing_kind_after_discovery(tmp_path: Path) -> None:
    root, files = discovered(tmp_path)
    app = tmp_path / "app"
    (app / "gone.py").unlink()
    (app / "swapped.py").unlink()
    (app / "swapped.py").symlink_to(app / "__init__.py")
    (app / "piped.py").unlink()
    os.mkfifo(app / "piped.py")
    (app / "dir.py").unlink()
    (app / "dir.py").mkdir()
    reasons = {
        module: r.reason
        for module, source in files.items()
        if isinstance(r := parse_file(root, source), Skipped)
    }
    assert reasons == {
        "app.gone": "vanished during the run (deleted or moved after it was found)",
        "app.swapped": "replaced by a symbolic link during the run, not followed",
        "app.piped": "no longer a regular file (a named pipe)",
        "app.dir": "no longer a regular file (a directory)",
    }


def test_a_directory_replaced_by_a_link_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "m.py").write_text("import os\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "m.py").write_text("import secrets\n")
    discovery = discover_files(tmp_path / "pkg")
    (tmp_path / "pkg" / "sub").rename(tmp_path / "pkg" / "old")
    (tmp_path / "pkg" / "sub").symlink_to(tmp_path / "elsewhere")
    (source,) = discovery.files
    assert parse_file(Path(discovery.root), source) == Skipped(
        "sub/m.py", "replaced by a symbolic link during the run, not followed", "sub.m"
    )


def test_unreadable_files_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs as root, where permission bits do not stop reads: refuse the open itself.
    root, files = discovered(tmp_path)
    real_open = os.open

    def refusing(path: str, flags: int, *args: object, **kwargs: object) -> int:
        if path == "locked.py":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(read.os, "open", refusing)
    assert parse_file(root, files["app.locked"]) == Skipped(
        "app/locked.py", "unreadable: permission denied", "app.locked"
    )


def test_scan_completes_when_files_vanish(tmp_path: Path) -> None:
    _, files = discovered(tmp_path)
    discovery = discover_files(tmp_path)
    (tmp_path / "app" / "moved.py").rename(tmp_path / "moved.py")
    result = scan(discovery, jobs=1)
    assert [s.path for s in result.skipped] == ["app/moved.py"]
    assert len(result.facts) == len(files) - 1


def test_results_are_deterministic_and_pickle(tmp_path: Path) -> None:
    data = Path(__file__).parent.parent.parent / "fixtures" / "hostile" / "hostile" / "models.py"
    source = SourceFile("hostile/models.py", "hostile.models", False, 0)
    first = parse_file(data.parent.parent, source)
    assert isinstance(first, FileFacts)
    assert first == parse_file(data.parent.parent, source)
    assert pickle.loads(pickle.dumps(first)) == first
