"""scan: worker processes, crashes of the parser, the cache between runs, result order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analyzer.extract import scan as scan_module
from analyzer.extract.cache import open_cache
from analyzer.extract.discover import discover_files
from analyzer.extract.scan import ScanResult, scan
from tests.conftest import FIXTURES

# libcst's native parser overflows its stack on this (measured: 1,000 nested brackets parse).
CRASHER = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"


def _tree(tmp_path: Path, crasher: bool = False) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "shop", root)
    if crasher:
        (root / "shop" / "deep.py").write_text(CRASHER)
        rows = "".join(f"    ('k{i}', 'value {i}'),\n" for i in range(12_000))
        (root / "shop" / "codes.py").write_text(f"import os\n\nCODES = (\n{rows})\n")
    return root


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use worker processes however little there is to parse."""
    monkeypatch.setattr(scan_module, "_POOL_MIN_BYTES", 0)


def _summary(result: ScanResult) -> tuple[object, ...]:
    return (result.facts, result.skipped)


@pytest.mark.usefixtures("pooled")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_too_deep_for_the_parser_is_skipped_and_the_run_goes_on(
    tmp_path: Path, jobs: int
) -> None:
    # Nesting that would crash libcst is refused before parsing; a crash that gets past that
    # check costs one file too (tests/functional/test_hardening_pool.py, with a small stack).
    discovery = discover_files(_tree(tmp_path, crasher=True))
    result = scan(discovery, jobs)
    assert [(s.path, s.reason) for s in result.skipped] == [
        ("shop/deep.py", "brackets nested deeper than Python allows (200) at line 1; not parsed")
    ]
    modules = [f.module for f in result.facts]
    assert modules == sorted(modules)
    assert len(modules) == len(discovery.files) - 1
    [codes] = [f for f in result.facts if f.module == "shop.codes"]
    assert codes.imports[0].module == "os" and "ast" in codes.notes[0]


@pytest.mark.usefixtures("pooled")
def test_results_are_the_same_in_one_process_in_workers_and_from_the_cache(
    tmp_path: Path,
) -> None:
    discovery = discover_files(_tree(tmp_path, crasher=True))
    alone = scan(discovery, 1)
    with open_cache(tmp_path / "cache") as cache:
        cold = scan(discovery, 2, cache=cache)
    with open_cache(tmp_path / "cache") as cache:
        warm = scan(discovery, 2, cache=cache)
    assert _summary(alone) == _summary(cold) == _summary(warm)
    assert (cold.parsed, cold.cached) == (len(discovery.files), 0)
    assert (warm.parsed, warm.cached) == (0, len(discovery.files))


@pytest.mark.parametrize("jobs", [1, 2])
def test_only_changed_files_are_parsed_again(tmp_path: Path, jobs: int) -> None:
    root = _tree(tmp_path)
    directory = tmp_path / "cache"
    with open_cache(directory) as cache:
        first = scan(discover_files(root), jobs, cache=cache)
    target = root / "shop" / "orders" / "services.py"
    target.write_text(target.read_text() + "\n\ndef added_later():\n    return None\n")
    discovery = discover_files(root)
    with open_cache(directory) as cache:
        # With a second process, the changed file is parsed there while the rest is loaded.
        second = scan(discovery, jobs, cache=cache)
    assert _summary(second) == _summary(scan(discovery, 1))
    assert (second.parsed, second.cached) == (1, len(discovery.files) - 1)
    [services] = [f for f in second.facts if f.path == "shop/orders/services.py"]
    assert "added_later" in {s.name for s in services.symbols}
    assert len(second.facts) == len(first.facts)
    target.unlink()
    with open_cache(directory) as cache:
        third = scan(discover_files(root), jobs, cache=cache)
    assert (third.parsed, third.cached) == (0, len(discovery.files) - 1)


@pytest.mark.usefixtures("pooled")
@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_is_called_once_while_the_files_are_parsed(tmp_path: Path, jobs: int) -> None:
    # In parser processes, it runs while they load the parser: they already hold their first
    # files, and none has answered yet. Here, it runs before the first file is parsed.
    root = _tree(tmp_path)
    discovery = discover_files(root)
    seen: list[tuple[bool, int]] = []
    results: list[int] = []

    def record(real):  # type: ignore[no-untyped-def]
        def recorded(run: scan_module._Run, index: int, *rest: object) -> None:
            results.append(index)
            real(run, index, *rest)

        return recorded

    with pytest.MonkeyPatch.context() as patch:
        for name in ("received", "done"):
            patch.setattr(scan_module._Run, name, record(getattr(scan_module._Run, name)))
        result = scan(
            discovery, jobs, meanwhile=lambda parsing: seen.append((parsing, len(results)))
        )
    assert seen == [(True, 0)]
    assert result.parsed == len(discovery.files) == len(results)
    with open_cache(tmp_path / "cache") as cache:
        scan(discovery, jobs, cache=cache)
    with open_cache(tmp_path / "cache") as cache:  # nothing to parse: called all the same
        warm = scan(
            discovery, jobs, cache=cache, meanwhile=lambda parsing: seen.append((parsing, -1))
        )
    assert seen == [(True, 0), (False, -1)] and warm.parsed == 0
