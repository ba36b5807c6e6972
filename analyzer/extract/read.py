"""Reading files of the analyzed tree safely, and decoding source text the way Python does.

A path is opened one component at a time below the analyzed root, never through a symbolic link:
a file or directory swapped for a link after discovery is not read, and paths longer than the
system's PATH_MAX still work. Only regular files are read (a named pipe would block forever, a
device might never end). Every failure becomes ``Unreadable`` or ``UndecodableSource`` with a
one-line reason for the ``skipped`` list.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
import tokenize
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate

_FOLLOW_NOTHING = hasattr(os, "O_NOFOLLOW") and os.open in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_FILE_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)


class Unreadable(Exception):
    """A file that cannot be read now, with the reason in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UndecodableSource(ValueError):
    """The bytes are not text in the encoding the file declares (PEP 263), or not text at all."""


@contextmanager
def open_dir(root: str, rel_dir: str) -> Iterator[int]:
    """A descriptor of ``root/rel_dir``, reached without following any symbolic link below root."""
    fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    try:
        for part in rel_dir.split("/") if rel_dir else ():
            inner = _open_subdir(fd, part)
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def _open_subdir(fd: int, name: str) -> int:
    try:
        return os.open(name, _DIR_FLAGS | _CLOEXEC, dir_fd=fd)
    except NotADirectoryError:
        # Linux reports a symbolic link met with O_NOFOLLOW | O_DIRECTORY as "not a directory".
        if stat.S_ISLNK(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
            raise OSError(errno.ELOOP, "is a symbolic link", name) from None
        raise


def read_bytes(root: str, rel: str) -> bytes:
    """The content of the regular file ``root/rel`` (POSIX ``rel``). Raises ``Unreadable``."""
    try:
        if not _FOLLOW_NOTHING:  # pragma: no cover - platforms without openat/O_NOFOLLOW
            return _read_plain(os.path.join(root, rel))
        directory, _, name = rel.rpartition("/")
        with open_dir(root, directory) as dir_fd:
            fd = os.open(name, _FILE_FLAGS | _CLOEXEC, dir_fd=dir_fd)
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise Unreadable(f"no longer a regular file ({file_kind(mode)})")
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise Unreadable(_os_reason(exc)) from None


def _read_plain(path: str) -> bytes:  # pragma: no cover - platforms without openat/O_NOFOLLOW
    if os.path.islink(path):
        raise OSError(errno.ELOOP, "is a symbolic link")
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise Unreadable(f"no longer a regular file ({file_kind(mode)})")
    with open(path, "rb") as handle:
        return handle.read()


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "vanished during the run (deleted or moved after it was found)"
    if exc.errno == errno.ELOOP:
        return "replaced by a symbolic link during the run, not followed"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "unreadable: permission denied"
    return f"unreadable: {exc.strerror or exc}"


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def nonblank_lines(text: str) -> list[int]:
    """Non-blank lines up to each line: item ``i`` counts those among the first ``i`` lines, so
    the text has ``len(result) - 1`` lines and a span's lines of code are a difference. Lines
    end where Python's do: at ``\n``, ``\r\n`` and a lone ``\r`` (not ``str.splitlines()``:
    form feeds and U+2028 do not end lines)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [0, *accumulate(1 if line.strip() else 0 for line in lines)]


def decode_source(data: bytes) -> str:
    """Decode like Python does (a UTF-8 BOM or a PEP 263 coding cookie, else UTF-8).

    Raises ``UndecodableSource`` with a reason that says what is wrong and where.
    """
    if data.startswith(_UTF32_BOMS) or data.startswith(_UTF16_BOMS):
        width = 32 if data.startswith(_UTF32_BOMS) else 16
        raise UndecodableSource(
            f"encoded as UTF-{width} (byte-order mark); Python source must be UTF-8 "
            "or declare an ASCII-compatible encoding"
        )
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise UndecodableSource(f"binary file (NUL byte at line {line}), not Python source")
    encoding = _declared_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableSource(_decode_reason(data, encoding, exc)) from None
    except LookupError:
        raise UndecodableSource(
            f"declares encoding {encoding!r}, which is not a text encoding"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _declared_encoding(data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        message = str(exc.msg if exc.msg else exc)
        cookie = _cookie(data)
        if message.startswith("unknown encoding"):
            raise UndecodableSource(
                f"declares an unknown encoding {cookie!r} (coding cookie)"
            ) from None
        if message.startswith("encoding problem") and data.startswith(codecs.BOM_UTF8):
            raise UndecodableSource(
                f"has a UTF-8 byte-order mark but its coding cookie declares {cookie!r}"
            ) from None
        # The first two lines are not UTF-8: report the first bad byte below.
        return "utf-8"
    return encoding


def _cookie(data: bytes) -> str:
    head = b"\n".join(data.removeprefix(codecs.BOM_UTF8).split(b"\n", 2)[:2])
    match = _COOKIE.search(head)
    return match.group(1).decode("ascii", "replace") if match else "?"


def _decode_reason(data: bytes, encoding: str, exc: UnicodeDecodeError) -> str:
    line = data.count(b"\n", 0, exc.start) + 1
    where = f"byte 0x{data[exc.start : exc.start + 1].hex()} at line {line}"
    name = codecs.lookup(encoding).name
    if data.startswith(codecs.BOM_UTF8):
        return f"not valid UTF-8 although it starts with a UTF-8 byte-order mark ({where})"
    if _cookie(data) == "?":
        return f"not valid UTF-8 ({where}) and no coding cookie declares another encoding"
    shown = "UTF-8" if name.startswith("utf-8") else name
    return f"not valid {shown} as its coding cookie declares ({where})"
