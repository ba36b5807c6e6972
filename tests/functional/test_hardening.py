"""`seams analyze` on fixtures/hostile: it completes, skips exactly the broken files with their
reasons, analyzes the unusual ones, and never executes anything from the analyzed tree."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Run, run_seams

HOSTILE = FIXTURES / "hostile"
EXPECTED = json.loads((HOSTILE / "expected.json").read_text(encoding="utf-8"))
PATH_MAX = os.pathconf("/", "PC_PATH_MAX")


def markers(tree: Path) -> list[str]:
    """Marker files left by executed fixture code (walked by descriptor: paths may be very long)."""
    return sorted(name for _, _, files, _ in os.fwalk(tree) for name in files if "IMPORTED" in name)


def document(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "decomposition.json").read_text(encoding="utf-8"))


def hostile_copy(tmp: Path) -> Path:
    """fixtures/hostile copied with its links intact; its outside links point at ../shop (and, for
    the extras, ../layered), so those are linked beside the copy."""
    fixtures = tmp / "fixtures"
    fixtures.mkdir()
    for neighbour in ("shop", "layered"):
        (fixtures / neighbour).symlink_to(FIXTURES / neighbour)
    return Path(shutil.copytree(HOSTILE, fixtures / "hostile", symlinks=True))


def add_extras(root: Path) -> dict[str, str]:
    """What git cannot hold portably; returns the skips it must cause."""
    extras = root / "extras"
    extras.mkdir()
    os.mkfifo(extras / "pipe.py")
    (extras / "up").symlink_to("..")
    (extras / "outside_dir").symlink_to("../../layered")
    (extras / b"caf\xe9.py".decode("utf-8", "surrogateescape")).write_text("x = 1\n")
    (extras / "new\nline.py").write_text("x = 1\n")
    (extras / "title\x1b]0;owned\x07.py").write_text("x = 1\n")
    (extras / "generated.py").write_text(generated_module(100_000), encoding="utf-8")
    _write_deep(extras / "deep", depth=PATH_MAX // 200 + 2, name="leaf.py", text="import os\n")
    return {
        "extras/pipe.py": "a named pipe, not a regular file",
        "extras/up": "symbolic link to an enclosing directory (a loop), not followed",
        "extras/outside_dir": "symbolic link to outside the analyzed tree, not followed",
        "extras/caf\\xe9.py": "file name is not valid UTF-8, so it cannot be a module name",
        "extras/new\\x0aline.py": (
            "file name has control or line-break characters, so it cannot be a module name"
        ),
        "extras/title\\x1b]0;owned\\x07.py": (
            "file name has control or line-break characters, so it cannot be a module name"
        ),
    }


def _write_deep(base: Path, depth: int, name: str, text: str) -> None:
    """base/level00_ddd.../level01_ddd.../name, longer than PATH_MAX: made one level at a time
    through directory descriptors, as no single path may be that long."""
    base.mkdir()
    fd = os.open(base, os.O_RDONLY)
    for i in range(depth):
        part = f"level{i:02d}_" + "d" * 190
        os.mkdir(part, dir_fd=fd)
        inner = os.open(part, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    handle = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(handle, text.encode())
    os.close(handle)
    os.close(fd)


def generated_module(lines: int) -> str:
    out = ['"""Generated."""', "from hostile.models import Hover", ""]
    i = 0
    while len(out) < lines:
        if i % 1000 == 0:
            out += [f"class Generated{i:06d}(Hover):", f"    code = {i}", ""]
        out.append(f"CONSTANT_{i:06d} = {i}")
        i += 1
    return "\n".join(out[:lines]) + "\n"


@pytest.fixture(scope="module")
def committed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """The committed tree itself, tests included (so conftest.py is analyzed too)."""
    out = tmp_path_factory.mktemp("hostile-out")
    marker = out.parent / "hostile-marker"
    run = run_seams(
        "analyze",
        HOSTILE,
        "-o",
        out,
        "--no-git",
        "--include-tests",
        env={"SEAMS_HOSTILE_MARKER": str(marker)},
    )
    assert not marker.exists(), marker.read_text()
    return out, run


def test_committed_tree_completes_and_skips_exactly_the_broken_files(
    committed_run: tuple[Path, Run],
) -> None:
    out, run = committed_run
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    doc = document(out)
    assert {s["path"]: s["reason"] for s in doc["skipped"]} == EXPECTED["skipped"]
    assert sorted(doc["modules"]) == sorted([*EXPECTED["modules"], "conftest"])


def test_nothing_from_the_analyzed_tree_ran(committed_run: tuple[Path, Run]) -> None:
    out, run = committed_run
    assert run.code == 0
    assert markers(HOSTILE) == []
    assert {"setup", "sitecustomize", "conftest", "hostile.boom", "hostile.__main__"} <= set(
        document(out)["modules"]
    )


def test_unusual_files_are_analyzed_symbol_by_symbol(committed_run: tuple[Path, Run]) -> None:
    out, _ = committed_run
    symbols = set(document(out)["symbols"])
    # CR-only, CRLF and form-feed files (their line numbers: tests/unit/test_parse_robust.py),
    # PEP 695/701 syntax that Python 3.11 itself rejects, right-to-left and CJK class names.
    assert {
        "hostile.line_endings.cr_only:CrOnly",
        "hostile.line_endings.crlf:Crlf",
        "hostile.line_endings.form_feed:FormFeed",
        "hostile.modern:Box",
        "hostile.modern:first",
        "hostile.modern:describe",
        "hostile.unicode_names:הזמנה",
        "hostile.unicode_names:طلب",
        "hostile.unicode_names:注文",
    } <= symbols


def test_same_input_gives_byte_identical_json(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        run = run_seams("analyze", HOSTILE, "-o", out, "--no-git", env={"PYTHONHASHSEED": seed})
        assert run.code == 0, run.stderr
        outputs.append((out / "decomposition.json").read_bytes())
    assert outputs[0] == outputs[1]


def test_full_hostile_tree_with_what_git_cannot_hold(tmp_path: Path) -> None:
    tree = hostile_copy(tmp_path)
    extra_skips = add_extras(tree)
    marker = tmp_path / "marker"
    out = tmp_path / "out"
    run = run_seams(
        "analyze",
        tree,
        "-o",
        out,
        "--no-git",
        "--granularity",
        "module",
        "--jobs",
        "1",
        env={"SEAMS_HOSTILE_MARKER": str(marker)},
    )
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert not marker.exists()
    assert markers(tree) == []
    doc = document(out)
    assert {s["path"]: s["reason"] for s in doc["skipped"]} == EXPECTED["skipped"] | extra_skips
    modules = set(doc["modules"])
    assert set(EXPECTED["modules"]) <= modules
    assert "extras.generated" in modules
    leaf = [m for m in modules if m.startswith("extras.deep.") and m.endswith(".leaf")]
    assert len(leaf) == 1 and len(leaf[0]) > PATH_MAX
    generated = next(n for n in doc["graph"]["nodes"] if n["id"] == "extras.generated")
    assert generated["loc"] > 99_000
