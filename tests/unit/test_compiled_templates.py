"""The compiled-template cache: it saves compiling, and its failures cost nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import jinja2
import pytest

from reports import compiled
from reports.compiled import template_cache

SOURCE = "{% for x in items %}<li>{{ x }}</li>{% endfor %}"


def _render(cache: jinja2.BytecodeCache | None, source: str = SOURCE) -> str:
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"t.j2": source}), autoescape=True, bytecode_cache=cache
    )
    return env.get_template("t.j2").render(items=["a", "<b>"])


def _cache(directory: Path) -> jinja2.FileSystemBytecodeCache:
    made = compiled._Forgiving(str(directory))
    assert isinstance(made, jinja2.FileSystemBytecodeCache)
    return made


def test_a_template_compiled_once_is_loaded_the_next_time(tmp_path: Path) -> None:
    assert _render(_cache(tmp_path)) == "<li>a</li><li>&lt;b&gt;</li>"
    entries = sorted(tmp_path.iterdir())
    assert len(entries) == 1
    written = entries[0].stat().st_mtime_ns
    assert _render(_cache(tmp_path)) == "<li>a</li><li>&lt;b&gt;</li>"
    assert entries[0].stat().st_mtime_ns == written  # loaded, not compiled and written again


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    _render(_cache(tmp_path))
    assert _render(_cache(tmp_path), SOURCE.replace("li", "p")) == "<p>a</p><p>&lt;b&gt;</p>"


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_damaged_entry_is_compiled_again(tmp_path: Path, damage: bytes | None) -> None:
    _render(_cache(tmp_path))
    (entry,) = tmp_path.iterdir()
    data = entry.read_bytes()
    # None: the header intact, the code cut short
    entry.write_bytes(data[: len(data) // 2] if damage is None else damage)
    assert _render(_cache(tmp_path)) == "<li>a</li><li>&lt;b&gt;</li>"


def test_a_directory_it_cannot_write_costs_nothing_but_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full)
    assert _render(_cache(tmp_path)) == "<li>a</li><li>&lt;b&gt;</li>"
    assert not list(tmp_path.iterdir())


def test_a_vanished_directory_costs_nothing_but_time(tmp_path: Path) -> None:
    assert _render(_cache(tmp_path / "gone")) == "<li>a</li><li>&lt;b&gt;</li>"


def test_no_safe_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    def untrusted(self: object) -> str:
        raise RuntimeError("Cannot determine safe temp directory.")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "_get_default_cache_dir", untrusted)
    assert template_cache() is None
    assert _render(template_cache()) == "<li>a</li><li>&lt;b&gt;</li>"
