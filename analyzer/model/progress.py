"""How long-running stages report progress; the CLI supplies a terminal implementation."""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    def start(self, stage: str, total: int | None = None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def done(self) -> None: ...


class SilentReporter:
    """Reports nothing: for library use, tests, ``--quiet`` and non-terminals."""

    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def done(self) -> None:
        pass
