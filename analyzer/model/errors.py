"""Errors a user can cause. Each carries the process exit code the CLI should use."""

from __future__ import annotations


class SeamsError(Exception):
    """A problem with the user's input, options or configuration: one sentence, exit code 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[type[SeamsError], tuple[str]]:
        return (type(self), (self.message,))


class ConfigError(SeamsError):
    """Invalid configuration: every problem found, each with its key path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        if len(self.problems) == 1:
            super().__init__(f"{source}: {self.problems[0]}")
            return
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source} has {len(self.problems)} configuration error(s):\n{lines}")

    def __reduce__(self) -> tuple[type[ConfigError], tuple[str, list[str]]]:  # type: ignore[override]
        return (type(self), (self.source, self.problems))
