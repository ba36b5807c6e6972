"""The fact codec and the SQLite fact cache: round trips, keys, pruning, damage, concurrency."""

from __future__ import annotations

import os
import pickle
import sqlite3
import zlib
from pathlib import Path

import pytest

from analyzer.extract import cache as cache_module
from analyzer.extract.cache import DB_NAME, FactCache, fact_key
from analyzer.extract.codec import DamagedFacts, decode, encode
from analyzer.extract.discover import discover_files
from analyzer.extract.parse import parse_file
from analyzer.model.facts import FileFacts, ParseResult, Skipped
from analyzer.model.source import SourceFile
from tests.conftest import FIXTURES


def _shop_facts() -> list[ParseResult]:
    discovery = discover_files(FIXTURES / "shop")
    return [parse_file(Path(discovery.root), f) for f in discovery.files]


def test_codec_round_trips_real_facts() -> None:
    results = _shop_facts()
    assert any(isinstance(r, FileFacts) and r.symbols and r.imports for r in results)
    for result in results:
        assert decode(encode(result)) == result
    skipped = Skipped("a.py", "syntax error at line 3: ...", "a")
    assert decode(encode(skipped)) == skipped


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo pwned",))


@pytest.mark.parametrize(
    "blob",
    [
        zlib.compress(pickle.dumps(_Boom())),
        zlib.compress(pickle.dumps({"path": "a.py"})),
        zlib.compress(b"not a pickle"),
        b"not even compressed",
    ],
    ids=["code-running pickle", "not facts", "garbage pickle", "garbage"],
)
def test_codec_builds_nothing_but_facts(blob: bytes) -> None:
    with pytest.raises(DamagedFacts):
        decode(blob)


def _source(path: str = "pkg/mod.py", module: str = "pkg.mod") -> SourceFile:
    return SourceFile(path, module, False, 10)


def test_key_changes_with_content_path_module_and_fact_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = fact_key(_source(), b"x = 1\n")
    assert base == fact_key(_source(), b"x = 1\n")
    assert base != fact_key(_source(), b"x = 2\n")
    assert base != fact_key(_source("pkg/other.py"), b"x = 1\n")
    assert base != fact_key(_source(module="other.mod"), b"x = 1\n")
    cache_module.code_digest.cache_clear()
    monkeypatch.setattr(cache_module, "FACTS_VERSION", cache_module.FACTS_VERSION + 1)
    try:
        assert base != fact_key(_source(), b"x = 1\n")
    finally:
        cache_module.code_digest.cache_clear()


def _fill(directory: Path, root: str = "/tree") -> tuple[list[bytes], list[ParseResult]]:
    results = _shop_facts()
    keys = [fact_key(_source(f"m{i}.py", f"m{i}"), str(i).encode()) for i in range(len(results))]
    cache = FactCache.open(directory)
    rows = [(k, r.path, encode(r)) for k, r in zip(keys, results, strict=True)]
    cache.save(root, rows, keys)
    cache.close()
    assert not cache.notes
    return keys, results


def test_stored_facts_come_back_and_stale_rows_are_pruned(tmp_path: Path) -> None:
    keys, results = _fill(tmp_path)
    cache = FactCache.open(tmp_path)
    assert cache.load(keys) == dict(zip(keys, results, strict=True))
    cache.save("/tree", [], keys[:3])  # the tree now has only three of those files
    cache.save("/other-tree", [], [])  # another tree's run leaves this tree's rows alone
    assert set(cache.load(keys)) == set(keys[:3])
    cache.close()
    assert (tmp_path / ".gitignore").read_text().strip().endswith("*")


def _damage_truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def _damage_garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\n" * 100)


def _damage_foreign(path: Path) -> None:
    path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()


def _damage_rows(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE facts SET data = ?", (zlib.compress(pickle.dumps(_Boom())),))
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "damage", [_damage_truncate, _damage_garbage, _damage_foreign, _damage_rows]
)
def test_a_damaged_cache_is_reported_once_and_rebuilt(tmp_path: Path, damage: object) -> None:
    keys, results = _fill(tmp_path)
    damage(tmp_path / DB_NAME)  # type: ignore[operator]
    cache = FactCache.open(tmp_path)
    assert cache.load(keys) == {}
    assert len(cache.notes) == 1 and "rebuilt" in cache.notes[0]
    rows = [(k, r.path, encode(r)) for k, r in zip(keys, results, strict=True)]
    cache.save("/tree", rows, keys)
    cache.close()
    again = FactCache.open(tmp_path)
    assert again.load(keys) == dict(zip(keys, results, strict=True))
    assert again.notes == []
    again.close()


def test_an_unwritable_cache_directory_disables_the_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = FactCache.open(blocker / "cache")
    assert not cache.usable
    assert cache.load([b"k"]) == {}
    cache.save("/tree", [(b"k", "a.py", encode(Skipped("a.py", "x")))], [b"k"])
    assert len(cache.notes) == 1 and "cache disabled" in cache.notes[0]


def test_two_open_caches_share_one_database(tmp_path: Path) -> None:
    first, second = FactCache.open(tmp_path), FactCache.open(tmp_path)
    a, b = Skipped("a.py", "one"), Skipped("b.py", "two")
    first.save("/tree", [(b"a", "a.py", encode(a))], [b"a"])
    second.save("/tree2", [(b"b", "b.py", encode(b))], [b"b"])
    assert first.load([b"a", b"b"]) == {b"a": a, b"b": b}
    first.close()
    second.close()
    assert first.notes == second.notes == []


def test_a_cache_directory_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "tree" / ".seams-cache"
    link.parent.mkdir()
    link.symlink_to(elsewhere)
    cache = FactCache.open(link)
    assert not cache.usable
    assert cache.notes == [f"cache disabled: {link} is a symbolic link (use --cache-dir)"]
    assert list(elsewhere.iterdir()) == []


def test_blobs_keep_the_latest_value_per_slot_under_its_key(tmp_path: Path) -> None:
    cache = FactCache.open(tmp_path)
    try:
        cache.put_blob("result:/a", b"k1", b"first")
        cache.put_blob("result:/b", b"k1", b"other tree")
        assert cache.get_blob("result:/a", b"k1") == b"first"
        cache.put_blob("result:/a", b"k2", b"second")
        assert cache.get_blob("result:/a", b"k1") is None  # replaced, not accumulated
        assert cache.get_blob("result:/a", b"k2") == b"second"
        assert cache.get_blob("result:/b", b"k1") == b"other tree"
        db = sqlite3.connect(tmp_path / DB_NAME)
        db.execute("UPDATE blobs SET data = ? WHERE slot = 'result:/b'", (b"not zlib",))
        db.commit()
        db.close()
        assert cache.get_blob("result:/b", b"k1") is None
    finally:
        cache.close()
    reopened = FactCache.open(tmp_path)
    try:
        assert reopened.get_blob("result:/a", b"k2") == b"second"
    finally:
        reopened.close()
