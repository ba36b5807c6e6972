"""What discovery finds: the analyzable files of a repository and their module names."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model.facts import Skipped


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Python file to analyze. ``path`` is relative to the analyzed root, POSIX separators."""

    path: str
    module: str
    is_package: bool
    size: int

    def __str__(self) -> str:
        return f"{self.module} ({self.path})"


@dataclass(frozen=True, slots=True)
class Discovery:
    """The files of one analysis, sorted by module name, and what was left out."""

    root: str
    files: tuple[SourceFile, ...]
    source_roots: tuple[str, ...]
    skipped: tuple[Skipped, ...] = ()
    excluded: int = 0

    @property
    def modules(self) -> frozenset[str]:
        return frozenset(f.module for f in self.files)
