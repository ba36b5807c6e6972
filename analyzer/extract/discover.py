"""discover: the analyzable Python files under a path, each with its dotted module name.

Honours ``.gitignore`` files at every level (pathspec's git semantics), user ``--exclude`` globs
(gitignore syntax, relative to the analyzed path), and leaves out tests and migrations unless
asked. Symbolic links are not followed. Files are named as Python would import them: from the
``src/`` directory when there is one, else from the analyzed path (or from above it when the path
is itself a package).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

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

    def add(self, rel_dir: str, path: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
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


def _walk(
    root: Path, options: DiscoverOptions, skipped: list[Skipped], counts: list[int]
) -> Iterator[tuple[str, int]]:
    """(relative POSIX path, size) of every candidate .py file, in sorted order."""
    ignores = _Ignores(options.excludes)
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        directory = root / rel_dir if rel_dir else root
        if (directory / ".gitignore").is_file():
            ignores.add(rel_dir, directory / ".gitignore")
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(rel_dir or ".", f"unreadable directory: {exc.strerror or exc}"))
            continue
        subdirs = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue
            if stat.S_ISLNK(mode):
                if entry.name.endswith(".py") or _is_dir(entry):
                    skipped.append(Skipped(rel, "symbolic link, not followed"))
                continue
            if stat.S_ISDIR(mode):
                if _skip_dir(entry.name, options) or ignores.ignored(rel, is_dir=True):
                    counts[0] += 1
                    continue
                subdirs.append(rel)
            elif stat.S_ISREG(mode) and entry.name.endswith(".py"):
                if ignores.ignored(rel, is_dir=False) or (
                    not options.include_tests and _is_test_file(entry.name)
                ):
                    counts[0] += 1
                    continue
                yield rel, entry.stat(follow_symlinks=False).st_size
        stack.extend(reversed(subdirs))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


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
    skipped: list[Skipped] = []
    counts = [0]
    by_module: dict[str, SourceFile] = {}
    try:
        candidates = list(_walk(root, options, skipped, counts))
    except RecursionError:  # pragma: no cover - the walk is iterative; kept as a guard
        raise SeamsError(f"directory tree too deep under {path}") from None
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
        detail = f" ({counts[0]} excluded by ignore rules or defaults)" if counts[0] else ""
        raise SeamsError(f"no Python files to analyze under {path}{detail}")
    roots = tuple(
        sorted({src if src and f.path.startswith(src + "/") else "." for f in by_module.values()})
    )
    return Discovery(
        root=str(root),
        files=tuple(sorted(by_module.values(), key=lambda f: f.module)),
        source_roots=roots,
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        excluded=counts[0],
    )
