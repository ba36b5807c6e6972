"""discover: the analyzable Python files under a path, each with its dotted module name.

Honours ``.gitignore`` files at every level (pathspec's git semantics), user ``--exclude`` globs
(gitignore syntax, relative to the analyzed path), and leaves out tests and migrations unless
asked. Symbolic links are never followed; each one met is reported in ``skipped`` with what it
points at (a loop, outside the tree, a file analyzed under its own name), as are directories
named like Python files, non-regular files, and names that cannot be module names. Files are
named as Python would import them: from the
``src/`` directory when there is one, else from the analyzed path (or from above it when the path
is itself a package).
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from analyzer.extract.read import file_kind, open_dir
from analyzer.model.errors import SeamsError
from analyzer.model.facts import Skipped
from analyzer.model.source import Discovery, SourceFile

# Directories that never hold the analyzed application's own code.
_NEVER = frozenset(
    {
        "__pycache__",
        "node_modules",
        "site-packages",
        "venv",
        "env",
        "build",
        "dist",
        "seams-report",
        "htmlcov",
        "__pypackages__",
    }
)
_TEST_DIRS = frozenset({"tests", "test", "testing"})
_MIGRATION_DIRS = frozenset({"migrations"})
_TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "*_tests.py", "tests.py", "conftest.py")
# Characters that would break a line of output or are not text: control characters, lone
# surrogates (bytes of a name that was not UTF-8), line and paragraph separators.
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True, slots=True)
class DiscoverOptions:
    excludes: tuple[str, ...] = ()
    include_tests: bool = False
    include_migrations: bool = False


class _Ignores:
    """The .gitignore files met on the way down plus the user's excludes, git precedence."""

    def __init__(self, excludes: Sequence[str]) -> None:
        self._specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        self._user = pathspec.GitIgnoreSpec.from_lines(excludes) if excludes else None

    def add(self, rel_dir: str, lines: list[str]) -> None:
        self._specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        probe = rel + "/" if is_dir else rel
        if self._user is not None and self._user.match_file(probe):
            return True
        verdict: bool | None = None
        for base, spec in self._specs:
            if base and not probe.startswith(base + "/"):
                continue
            result = spec.check_file(probe[len(base) + 1 :] if base else probe).include
            if result is not None:
                verdict = result
        return bool(verdict)


def _naming_root(path: Path) -> tuple[Path, str]:
    """Where module names start, and the dotted prefix of ``path`` itself from there."""
    prefix: list[str] = []
    current = path
    while (current / "__init__.py").is_file() and current.parent != current:
        prefix.append(current.name)
        current = current.parent
    return current, ".".join(reversed(prefix))


def _is_test_file(name: str) -> bool:
    return any(Path(name).match(pattern) for pattern in _TEST_FILE_PATTERNS)


@dataclass(slots=True)
class _Walk:
    """State of one walk: where it started, what was left out and why."""

    root: str
    options: DiscoverOptions
    ignores: _Ignores
    skipped: list[Skipped]
    excluded: int = 0

    def skip(self, rel: str, reason: str) -> None:
        self.skipped.append(Skipped(shown(rel), reason))


def _walk(walk: _Walk) -> Iterator[tuple[str, int]]:
    """(relative POSIX path, size) of every candidate .py file, in sorted order.

    Directories are opened by descriptor, one level at a time, so no symbolic link is followed
    even if one appears during the walk, and paths longer than PATH_MAX work.
    """
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            with open_dir(walk.root, rel_dir) as fd:
                subdirs = yield from _scan_dir(walk, fd, rel_dir)
        except OSError as exc:
            walk.skip(rel_dir or ".", f"unreadable directory: {exc.strerror or exc}")
            continue
        stack.extend(reversed(subdirs))


def _scan_dir(walk: _Walk, fd: int, rel_dir: str) -> Generator[tuple[str, int], None, list[str]]:
    _read_gitignore(walk, fd, rel_dir)
    subdirs = []
    for entry in sorted(os.scandir(fd), key=lambda e: e.name):
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # gone since the directory was listed
        if stat.S_ISLNK(st.st_mode):
            reason = _symlink_reason(walk, fd, entry.name, rel)
            if reason is not None:
                walk.skip(rel, reason)
        elif stat.S_ISDIR(st.st_mode):
            if _skip_dir(entry.name, walk.options) or walk.ignores.ignored(rel, is_dir=True):
                walk.excluded += 1
            elif (reason := _bad_dir_name(entry.name)) is not None:
                walk.skip(rel, reason)
            else:
                subdirs.append(rel)
        elif entry.name.endswith(".py"):
            if walk.ignores.ignored(rel, is_dir=False) or (
                not walk.options.include_tests and _is_test_file(entry.name)
            ):
                walk.excluded += 1
            elif not stat.S_ISREG(st.st_mode):
                walk.skip(rel, f"{file_kind(st.st_mode)}, not a regular file")
            elif (reason := _bad_file_name(entry.name)) is not None:
                walk.skip(rel, reason)
            else:
                yield rel, st.st_size
    return subdirs


def _read_gitignore(walk: _Walk, fd: int, rel_dir: str) -> None:
    try:
        fd_file = os.open(".gitignore", os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=fd)
    except OSError:
        return
    with os.fdopen(fd_file, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return
        lines = handle.read().decode("utf-8", errors="replace").splitlines()
    walk.ignores.add(rel_dir, lines)


def _symlink_reason(walk: _Walk, fd: int, name: str, rel: str) -> str | None:
    """Why a symbolic link was not followed, or ``None`` when it is not worth a mention (a
    link to something that is neither a directory nor a .py file)."""
    try:
        target = os.stat(name, dir_fd=fd, follow_symlinks=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop, not followed"
        return "broken symbolic link, not followed" if name.endswith(".py") else None
    if not (name.endswith(".py") or stat.S_ISDIR(target.st_mode)):
        return None
    real = os.path.realpath(os.path.join(walk.root, rel))
    parent = os.path.dirname(os.path.join(walk.root, rel))
    if parent == real or parent.startswith(real + os.sep):
        return "symbolic link to an enclosing directory (a loop), not followed"
    if not real.startswith(walk.root + os.sep):
        return "symbolic link to outside the analyzed tree, not followed"
    inside = Path(os.path.relpath(real, walk.root)).as_posix()
    return f"symbolic link to {shown(inside)} inside the tree, not followed"


def _bad_dir_name(name: str) -> str | None:
    if name.endswith(".py"):
        return "a directory named like a Python file, not a package"
    problem = _name_problem(name)
    return f"directory name {problem}; nothing under it can be a module" if problem else None


def _bad_file_name(name: str) -> str | None:
    problem = _name_problem(name)
    if problem:
        return f"file name {problem}, so it cannot be a module name"
    stem = name[:-3]
    if not stem:
        return "file name is just .py, so it cannot be a module name"
    if "." in stem:
        return "file name cannot be a module name (a dot before .py)"
    return None


def _name_problem(name: str) -> str | None:
    if name.isprintable():
        return None
    categories = {unicodedata.category(c) for c in name}
    if "Cs" in categories:
        return "is not valid UTF-8"
    if categories & _BAD_CATEGORIES:
        return "has control or line-break characters"
    return None


def shown(rel: str) -> str:
    """``rel`` safe to print and store: undecodable bytes and control characters as escapes."""
    if _name_problem(rel) is None:
        return rel
    return "".join(_escape(c) if unicodedata.category(c) in _BAD_CATEGORIES else c for c in rel)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _skip_dir(name: str, options: DiscoverOptions) -> bool:
    if name.startswith(".") or name in _NEVER or name.endswith(".egg-info"):
        return True
    if not options.include_tests and name in _TEST_DIRS:
        return True
    return not options.include_migrations and name in _MIGRATION_DIRS


def _module_name(rel: str, source_root: str, prefix: str) -> tuple[str, bool]:
    inside = rel[len(source_root) + 1 :] if source_root else rel
    parts = inside[:-3].split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    if prefix:
        parts = [*prefix.split("."), *parts]
    return ".".join(parts), is_package


def discover_files(path: str | Path, options: DiscoverOptions | None = None) -> Discovery:
    """The analyzable files under ``path``, sorted by module name. Raises ``SeamsError``."""
    options = options or DiscoverOptions()
    root = Path(path)
    if not root.exists():
        raise SeamsError(f"path does not exist: {path}")
    if not root.is_dir():
        raise SeamsError(f"not a directory: {path} (give the repository or package directory)")
    root = root.resolve()
    _, prefix = _naming_root(root)
    src = "src" if (root / "src").is_dir() and not prefix else ""
    walk = _Walk(str(root), options, _Ignores(options.excludes), [])
    candidates = list(_walk(walk))
    skipped = walk.skipped
    by_module: dict[str, SourceFile] = {}
    for rel, size in candidates:
        source_root = src if src and rel.startswith(src + "/") else ""
        module, is_package = _module_name(rel, source_root, prefix)
        if not module:
            skipped.append(Skipped(rel, "a package __init__ at the naming root has no module name"))
            continue
        if module in by_module:
            other = by_module[module].path
            skipped.append(
                Skipped(rel, f"duplicate module name {module} (also defined by {other})", module)
            )
            continue
        by_module[module] = SourceFile(rel, module, is_package, size)
    if not by_module:
        detail = f" ({walk.excluded} excluded by ignore rules or defaults)" if walk.excluded else ""
        raise SeamsError(f"no Python files to analyze under {path}{detail}")
    roots = tuple(
        sorted({src if src and f.path.startswith(src + "/") else "." for f in by_module.values()})
    )
    return Discovery(
        root=str(root),
        files=tuple(sorted(by_module.values(), key=lambda f: f.module)),
        source_roots=roots,
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        excluded=walk.excluded,
    )
