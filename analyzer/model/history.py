"""Version-control history as Seams uses it: which files changed in which commits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class History:
    """Recent commits touching the analyzed path (paths relative to it), newest first, and what
    to tell the user about them (a shallow clone, or why there is no history)."""

    commits: tuple[Commit, ...] = ()
    head: str = ""
    shallow: bool = False
    note: str = ""

    @property
    def available(self) -> bool:
        return bool(self.commits)
