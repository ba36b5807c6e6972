"""compiled: the report's templates, compiled once per user and Python version, not per run.

Compiling the templates costs about 0.2 s, as much on every run as on the first. Jinja keeps the
compiled code of each template in a bytecode cache: here its file system one, in the per-user
directory it creates in the system's temporary directory (mode 0700, owned by the user, checked
on every use). An entry is keyed by the template's name and the checksum of its source, and
tagged with Jinja's and Python's versions, so an edited template or another Python compiles
afresh. The cache only saves time: a directory that cannot be made safe or written, or an entry
that cannot be read, leaves the templates to be compiled as before.
"""

from __future__ import annotations

import contextlib

import jinja2
from jinja2.bccache import Bucket


class _Forgiving(jinja2.FileSystemBytecodeCache):
    """Jinja's file system cache, whose failures cost only the time it would have saved."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged or unreadable entry: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        # a full disk, a directory gone: compiled next time too
        with contextlib.suppress(OSError, ValueError):
            super().dump_bytecode(bucket)


def template_cache() -> jinja2.BytecodeCache | None:
    """The cache of compiled templates; ``None`` when no safe directory can be had."""
    try:
        return _Forgiving()
    except (OSError, RuntimeError):  # jinja raises RuntimeError for a directory it cannot trust
        return None
