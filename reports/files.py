"""Writing outputs without ever leaving a half-written file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    write_all_atomic({path: content})


def write_all_atomic(outputs: Mapping[Path, str | bytes]) -> None:
    """Write several files so that they change together: each is written in full to a temporary
    file beside its target first, and only then are all renamed over their targets. A failure
    while writing (a full disk, say) leaves every target as it was; renames rarely fail, and
    callers check beforehand that no target is a directory."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in outputs.items():
            staged.append((_stage(path, content), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _stage(path: Path, content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp
