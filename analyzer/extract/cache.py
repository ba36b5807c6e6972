"""cache: per-file facts in SQLite, so each file content is parsed once.

One database, ``facts.sqlite3``, in ``PATH/.seams-cache/`` (or ``--cache-dir``), in WAL mode so
that concurrent runs read while one writes. A row's key is a digest of the file's bytes, its path
and module name, the Seams version, ``FACTS_VERSION`` and the source of the code that extracts
facts, so any change to the file or to the extractor misses. Rows hold facts pickled and
compressed by ``codec``, which reads back nothing but fact objects: the cache sits inside the
(possibly untrusted) analyzed tree.

Nothing here ever fails a run: a file that is not our database (foreign, corrupt, truncated) is
reported in one line and rebuilt; a busy, read-only or full disk leaves the run uncached.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from analyzer import __version__
from analyzer.extract.codec import DamagedFacts, decode
from analyzer.model.facts import FACTS_VERSION, ParseResult
from analyzer.model.source import SourceFile

CACHE_DIRNAME = ".seams-cache"
DB_NAME = "facts.sqlite3"
_APPLICATION_ID = 0x5EA45CAC  # the header tag saying "this file is a Seams cache"
_FORMAT = 1  # the table layout; bumped when it changes
_KEEP_SECONDS = 30 * 24 * 3600  # rows of other trees unused this long are dropped
_CHUNK = 500
_SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF): another run holds the lock; the
# machine is at fault (permissions, memory, read-only, I/O, disk full, cannot open). Any other
# error on our own statements means the file is not the database we wrote.
_BUSY = frozenset({5, 6})
_ENVIRONMENT = frozenset({3, 7, 8, 10, 13, 14})


# Whole-run results kept beside the facts, one per slot (``history:<root>``, ``result:<root>``):
# git history by HEAD commit, and an analysis by a digest of everything it depends on.
_BLOBS = (
    "CREATE TABLE IF NOT EXISTS blobs (slot TEXT PRIMARY KEY, key BLOB NOT NULL,"
    " used INTEGER NOT NULL, data BLOB NOT NULL)"
)


class CacheDamaged(Exception):
    """The database is not ours or not intact."""


@functools.cache
def code_digest(*folders: str) -> bytes:
    """Seams' version, ``FACTS_VERSION`` and the source of ``folders`` of the analyzer package
    (all of it without any): what a cached result was computed by."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{__version__}\0{FACTS_VERSION}\0".encode())
    package = Path(__file__).resolve().parent.parent
    for folder in folders or ("",):
        for path in sorted((package / folder).rglob("*.py")):
            with contextlib.suppress(OSError):
                digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return digest.digest()


def _schema() -> bytes:
    """What extracts facts: the extractor and the fact model."""
    return code_digest("extract", "model")


def fact_key(source: SourceFile, data: bytes) -> bytes:
    """What a file's facts depend on: its bytes, path and module name, and the extractor."""
    digest = hashlib.blake2b(_schema(), digest_size=20)
    digest.update(f"{source.path}\0{source.module}\0{int(source.is_package)}\0".encode())
    digest.update(data)
    return digest.digest()


def _check_header(path: Path) -> None:
    """Reject files that are not SQLite databases, or are shorter than their header says."""
    try:
        size = path.stat().st_size
        if size == 0:
            return
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return
    if len(header) < 100 or not header.startswith(_SQLITE_HEADER):
        raise CacheDamaged("not a SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    if page_size < 512 or size % page_size or (valid and size < pages * page_size):
        raise CacheDamaged("truncated")


@contextmanager
def open_cache(directory: Path | None) -> Iterator[FactCache | None]:
    """The cache in ``directory`` for the length of a run (``None``: no cache), closed after;
    one that cannot be used still carries the notes saying why."""
    cache = FactCache.open(directory) if directory is not None else None
    try:
        yield cache
    finally:
        if cache is not None:
            cache.close()


class FactCache:
    """An open cache; see the module documentation. ``notes`` collects one-line notices."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / DB_NAME
        self.notes: list[str] = []
        self._db: sqlite3.Connection | None = None

    @classmethod
    def open(cls, directory: Path) -> FactCache:
        cache = cls(directory)
        if directory.is_symlink() or cache.path.is_symlink():
            # The default location is inside the analyzed tree: never follow a link out of it.
            link = directory if directory.is_symlink() else cache.path
            cache.notes.append(f"cache disabled: {link} is a symbolic link (use --cache-dir)")
            return cache
        try:
            cache._prepare_directory()
        except OSError as exc:
            cache.notes.append(
                f"cache disabled: cannot create {directory}: {exc.strerror or exc}"
                " (use --cache-dir or --no-cache)"
            )
            return cache
        cache._connect_or_rebuild()
        return cache

    @property
    def usable(self) -> bool:
        return self._db is not None

    def load(self, keys: Sequence[bytes]) -> dict[bytes, ParseResult]:
        """Facts stored under any of ``keys``."""
        if self._db is None:
            return {}
        found: dict[bytes, ParseResult] = {}
        try:
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT key, data FROM facts WHERE key IN ({marks})"
                for key, blob in self._db.execute(sql, chunk):
                    found[key] = decode(blob)
        except (sqlite3.Error, CacheDamaged, DamagedFacts) as exc:
            self._recover(exc)
            return {}
        return found

    def present(self, keys: Sequence[bytes]) -> set[bytes]:
        """Which of ``keys`` are stored (nothing is read back)."""
        if self._db is None:
            return set()
        found: set[bytes] = set()
        try:
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT key FROM facts WHERE key IN ({marks})"
                found.update(key for (key,) in self._db.execute(sql, chunk))
        except sqlite3.Error:
            return set()  # ``load`` will meet the problem and say it
        return found

    def save(
        self, root: str, rows: Sequence[tuple[bytes, str, bytes]], used: Iterable[bytes]
    ) -> None:
        """Store ``rows`` (key, path, encoded facts) for the tree at ``root``; drop its rows not
        in ``used`` (stale versions of its files) and any row unused for a month."""
        if self._db is None:
            return
        encoded = [(key, root, path, blob) for key, path, blob in rows]
        current = [(key,) for key in used]
        for attempt in (1, 2):
            try:
                self._write(root, encoded, current)
                return
            except (sqlite3.Error, CacheDamaged) as exc:
                if attempt == 2 or not self._recover(exc):
                    return

    def _write(
        self, root: str, rows: list[tuple[bytes, str, str, bytes]], current: list[tuple[bytes]]
    ) -> None:
        assert self._db is not None
        now = int(time.time())
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS current (key BLOB PRIMARY KEY)")
            db.execute("DELETE FROM temp.current")
            db.executemany("INSERT OR IGNORE INTO temp.current VALUES (?)", current)
            db.executemany(
                "INSERT OR REPLACE INTO facts (key, root, path, used, data) VALUES (?, ?, ?, ?, ?)",
                [(k, r, p, now, d) for k, r, p, d in rows],
            )
            db.execute(
                "UPDATE facts SET used = ?"
                " WHERE used < ? AND key IN (SELECT key FROM temp.current)",
                (now, now - 24 * 3600),
            )
            db.execute(
                "DELETE FROM facts WHERE (root = ? AND key NOT IN (SELECT key FROM temp.current))"
                " OR used < ?",
                (root, now - _KEEP_SECONDS),
            )
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    def get_blob(self, slot: str, key: bytes) -> bytes | None:
        """The data last stored in ``slot`` if it was stored under ``key``."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT data FROM blobs WHERE slot = ? AND key = ?", (slot, key)
            ).fetchone()
        except sqlite3.Error as exc:
            self._recover(exc)
            return None
        if row is None:
            return None
        try:
            return zlib.decompress(row[0])
        except (zlib.error, TypeError):
            return None

    def put_blob(self, slot: str, key: bytes, data: bytes) -> None:
        """Keep ``data`` in ``slot`` (one per slot: the latest), and drop slots unused for a
        month. Failing to store is never an error."""
        if self._db is None:
            return
        now = int(time.time())
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO blobs (slot, key, used, data) VALUES (?, ?, ?, ?)",
                    (slot, key, now, zlib.compress(data, 1)),
                )
                self._db.execute("DELETE FROM blobs WHERE used < ?", (now - _KEEP_SECONDS,))
                self._db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._recover(exc)

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _prepare_directory(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by seams: a cache, never commit it.\n*\n")
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This directory is a cache of seams (seams-analyzer); see https://bford.info/cachedir/\n"
            )

    def _connect_or_rebuild(self) -> None:
        try:
            self._connect()
        except (sqlite3.Error, CacheDamaged) as exc:
            self._recover(exc)

    def _connect(self) -> None:
        _check_header(self.path)
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 10000")
            self._init_schema(db)
            for _ in range(20):
                mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() == "wal":
                    break
                time.sleep(0.05)
            db.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            db.close()
            raise
        self._db = db

    @staticmethod
    def _init_schema(db: sqlite3.Connection) -> None:
        app, version = (
            db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version")
        )
        if app == _APPLICATION_ID and version == _FORMAT:
            db.execute(_BLOBS)  # added to the format later: older caches gain it here
            return
        if app != 0 or db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise CacheDamaged("not a Seams cache" if app != _APPLICATION_ID else "older format")
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA application_id").fetchone()[0] == 0:
                db.execute(
                    "CREATE TABLE facts (key BLOB PRIMARY KEY, root TEXT NOT NULL,"
                    " path TEXT NOT NULL, used INTEGER NOT NULL, data BLOB NOT NULL)"
                )
                db.execute("CREATE INDEX facts_root ON facts (root)")
                db.execute(_BLOBS)
                db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {_FORMAT}")
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    def _recover(self, exc: Exception) -> bool:
        """Rebuild a damaged database; give up quietly on a busy one, with a notice otherwise.
        True when the cache is usable again."""
        self.close()
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in _BUSY:
            self.notes.append("cache busy (another run is writing it): this run's facts not saved")
            return False
        if code in _ENVIRONMENT:
            self.notes.append(f"cache disabled: {self.path}: {exc}")
            return False
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")
        self.notes.append(f"cache {self.path} was unusable ({exc}); rebuilt it")
        try:
            self._connect()
        except (sqlite3.Error, CacheDamaged) as again:
            self.close()
            self.notes.append(f"cache disabled: {self.path}: {again}")
            return False
        return True
