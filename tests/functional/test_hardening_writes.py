"""Every file Seams writes goes through reports.files (temporary file, then rename), except the
cache, which has its own module. Checked on the source, so a new writer cannot slip in."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

ALLOWED = {"reports/files.py"}
WRITE_METHODS = {"write_text", "write_bytes", "mkfifo", "symlink_to", "hardlink_to"}
WRITE_FUNCTIONS = {"copy", "copy2", "copyfile", "copytree", "move", "rename", "replace"}


def is_cache_module(rel: str) -> bool:
    return "cache" in Path(rel).stem


def writes_in(path: Path) -> list[str]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        module = (
            func.value.id
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else ""
        )
        if name in WRITE_METHODS or (name in WRITE_FUNCTIONS and module in ("os", "shutil")):
            found.append((node.lineno, f"{name}()"))
        elif name in ("open", "fdopen") and _opens_for_writing(node):
            found.append((node.lineno, f"{name}(..., write mode)"))
        elif name == "open" and _has_write_flag(node):
            found.append((node.lineno, "os.open(..., O_WRONLY/O_RDWR/O_CREAT)"))
    return [f"{what} at line {line}" for line, what in sorted(found)]


def _opens_for_writing(call: ast.Call) -> bool:
    modes = list(call.args[1:2]) + [k.value for k in call.keywords if k.arg == "mode"]
    return any(
        isinstance(m, ast.Constant) and isinstance(m.value, str) and set(m.value) & set("wax+")
        for m in modes
    )


def _has_write_flag(call: ast.Call) -> bool:
    return any(
        isinstance(n, ast.Attribute) and n.attr in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND")
        for n in ast.walk(call)
    )


def test_no_module_writes_files_except_through_reports_files() -> None:
    offenders = {}
    for package in ("analyzer", "reports"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ALLOWED or is_cache_module(rel):
                continue
            if found := writes_in(path):
                offenders[rel] = found
    assert offenders == {}


def test_the_check_sees_a_direct_write(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom pathlib import Path\n"
        "Path('x').write_text('y')\n"
        "with open('report.html', 'w') as f:\n    pass\n"
        "os.open('x', os.O_WRONLY | os.O_CREAT)\n"
        "os.replace('a', 'b')\n'text'.replace('a', 'b')\n"
        "with open('in.txt') as f:\n    pass\n"
    )
    assert writes_in(sample) == [
        "write_text() at line 3",
        "open(..., write mode) at line 4",
        "os.open(..., O_WRONLY/O_RDWR/O_CREAT) at line 6",
        "replace() at line 7",
    ]
