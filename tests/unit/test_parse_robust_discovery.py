"""discover on hostile trees: links, odd directories and names, very long paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer.extract.discover import discover_files
from analyzer.extract.parse import parse_file
from analyzer.model.facts import FileFacts

PATH_MAX = os.pathconf("/", "PC_PATH_MAX")


def make(root: Path, *files: str) -> Path:
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("import os\n")
    return root


def skips(root: Path) -> dict[str, str]:
    return {s.path: s.reason for s in discover_files(root).skipped}


def modules(root: Path) -> list[str]:
    return [f.module for f in discover_files(root).files]


def test_every_kind_of_symbolic_link_is_reported_and_none_is_followed(tmp_path: Path) -> None:
    app = make(tmp_path / "app", "__init__.py", "real.py", "sub/__init__.py")
    make(tmp_path, "outside/secret.py")
    (app / "loop_a").symlink_to("loop_b")
    (app / "loop_b").symlink_to("loop_a")
    (app / "self.py").symlink_to("self.py")
    (app / "sub" / "up").symlink_to("..")
    (app / "root").symlink_to(app)
    (app / "secret.py").symlink_to(tmp_path / "outside" / "secret.py")
    (app / "outside_dir").symlink_to(tmp_path / "outside")
    (app / "alias.py").symlink_to("real.py")
    (app / "sub_alias").symlink_to("sub")
    (app / "dangling.py").symlink_to("nowhere.py")
    (app / "notes.txt").symlink_to("nowhere.txt")  # neither code nor a directory: not worth a line
    assert skips(app) == {
        "alias.py": "symbolic link to real.py inside the tree, not followed",
        "dangling.py": "broken symbolic link, not followed",
        "loop_a": "symbolic link loop, not followed",
        "loop_b": "symbolic link loop, not followed",
        "outside_dir": "symbolic link to outside the analyzed tree, not followed",
        "root": "symbolic link to an enclosing directory (a loop), not followed",
        "secret.py": "symbolic link to outside the analyzed tree, not followed",
        "self.py": "symbolic link loop, not followed",
        "sub/up": "symbolic link to an enclosing directory (a loop), not followed",
        "sub_alias": "symbolic link to sub inside the tree, not followed",
    }
    assert modules(app) == ["app", "app.real", "app.sub"]


def test_directories_named_like_files_and_non_regular_files(tmp_path: Path) -> None:
    root = make(tmp_path, "pkg/__init__.py", "pkg/thing.py/__init__.py", "pkg/thing.py/inner.py")
    os.mkfifo(root / "pkg" / "pipe.py")
    assert skips(root) == {
        "pkg/pipe.py": "a named pipe, not a regular file",
        "pkg/thing.py": "a directory named like a Python file, not a package",
    }
    assert modules(root) == ["pkg"]


def test_names_that_cannot_be_module_names(tmp_path: Path) -> None:
    root = make(tmp_path, "pkg/__init__.py", "pkg/settings.local.py", "pkg/.py", "pkg/ok.py")
    bad_byte = b"caf\xe9".decode("utf-8", "surrogateescape")
    make(
        root, f"pkg/{bad_byte}.py", f"pkg/{bad_byte}dir/inner.py", "pkg/a\nb.py", "pkg/a\u2028b.py"
    )
    make(root, "pkg/\x1b[31mred.py")
    assert skips(root) == {
        "pkg/.py": "file name is just .py, so it cannot be a module name",
        "pkg/a\\x0ab.py": (
            "file name has control or line-break characters, so it cannot be a module name"
        ),
        "pkg/a\\u2028b.py": (
            "file name has control or line-break characters, so it cannot be a module name"
        ),
        "pkg/caf\\xe9.py": "file name is not valid UTF-8, so it cannot be a module name",
        "pkg/caf\\xe9dir": "directory name is not valid UTF-8; nothing under it can be a module",
        "pkg/settings.local.py": "file name cannot be a module name (a dot before .py)",
        "pkg/\\x1b[31mred.py": (
            "file name has control or line-break characters, so it cannot be a module name"
        ),
    }
    assert modules(root) == ["pkg", "pkg.ok"]


def test_unicode_names_including_invisible_characters_are_analyzed(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        "ünï/__init__.py",
        "ünï/日本語.py",
        "ünï/שלום.py",
        "ünï/rtl\u202egnp.py",
        "ünï/zero\u200bwidth.py",
        'ünï/" onmouseover="x.py',
    )
    assert skips(root) == {}
    assert modules(root) == [
        "ünï",
        'ünï." onmouseover="x',
        "ünï.rtl\u202egnp",
        "ünï.zero\u200bwidth",
        "ünï.שלום",
        "ünï.日本語",
    ]


def test_paths_longer_than_path_max_are_discovered_and_read(tmp_path: Path) -> None:
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "__init__.py").write_text("")
    fd = os.open(tmp_path / "deep", os.O_RDONLY)
    parts = []
    for i in range(PATH_MAX // 200 + 2):
        parts.append(f"p{i:02d}_" + "x" * 195)
        os.mkdir(parts[-1], dir_fd=fd)
        inner = os.open(parts[-1], os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    leaf = os.open("leaf.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(leaf, b"from deep import other\n")
    os.close(leaf)
    os.close(fd)
    discovery = discover_files(tmp_path)
    (source,) = [f for f in discovery.files if f.module.endswith(".leaf")]
    assert len(source.path) > PATH_MAX
    assert source.module == ".".join(["deep", *parts, "leaf"])
    facts = parse_file(Path(discovery.root), source)
    assert isinstance(facts, FileFacts)
    assert [i.target for i in facts.imports] == ["deep.other"]


@pytest.mark.parametrize("name", ["tests", "migrations", ".hidden.py"])
def test_default_exclusions_win_over_name_checks(tmp_path: Path, name: str) -> None:
    root = make(tmp_path, "pkg/__init__.py", f"pkg/{name}/a.py")
    assert skips(root) == {}
