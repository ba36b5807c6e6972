"""Random valid and invalid sources and package trees: discovery and parsing never raise, and the
same input always gives the same facts. bench/fuzz.py runs the same properties much longer."""

from __future__ import annotations

import os
import pickle
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from analyzer.extract.discover import discover_files
from analyzer.extract.parse import parse_file, parse_source
from analyzer.extract.scan import scan
from analyzer.model.errors import SeamsError
from analyzer.model.facts import FileFacts, ParseResult, Skipped
from analyzer.model.source import Discovery, SourceFile
from tests.fuzz.strategies import Tree, source_bytes, sources, trees

FUZZ = settings(
    max_examples=int(os.environ.get("SEAMS_FUZZ_EXAMPLES", "150")),
    deadline=None,  # libcst's time varies with the machine's load; speed is measured elsewhere
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOURCE = SourceFile("pkg/mod.py", "pkg.mod", False, 0)


def check_result(result: ParseResult) -> None:
    assert isinstance(result, FileFacts | Skipped)
    if isinstance(result, Skipped):
        assert result.reason and "\n" not in result.reason
        assert not result.reason.startswith("internal error"), result.reason
    assert pickle.loads(pickle.dumps(result)) == result


@contextmanager
def no_warnings() -> Iterator[None]:
    """Python's warnings about the analyzed code must never reach the user."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    assert [str(w.message) for w in caught] == []


def check_source(text: str) -> list[ParseResult]:
    with no_warnings():
        first = parse_source(text, SOURCE)
    check_result(first)
    assert parse_source(text, SOURCE) == first
    return [first]


def check_bytes(data: bytes) -> list[ParseResult]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pkg").mkdir()
        (Path(tmp) / "pkg" / "mod.py").write_bytes(data)
        with no_warnings():
            first = parse_file(Path(tmp), SOURCE)
        check_result(first)
        assert parse_file(Path(tmp), SOURCE) == first
        return [first]


def materialize(tree: Tree, root: Path) -> None:
    for rel, data in tree.files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for rel, target in tree.links:
        link = root / rel
        if link.parent.is_dir() and not os.path.lexists(link):
            link.symlink_to(target)


def discover_and_scan(root: Path) -> tuple[Discovery, tuple[ParseResult, ...]] | None:
    try:
        discovery = discover_files(root)
    except SeamsError as exc:
        assert exc.message.startswith("no Python files to analyze under"), exc.message
        return None
    result = scan(discovery, jobs=1)
    return discovery, (*result.facts, *result.skipped)


def check_tree(tree: Tree) -> list[ParseResult]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        materialize(tree, root)
        first = discover_and_scan(root)
        if first is None:
            return []
        discovery, results = first
        assert [f.module for f in discovery.files] == sorted(f.module for f in discovery.files)
        for result in results:
            check_result(result)
        assert discover_and_scan(root) == first
        return [*discovery.skipped, *results]


@pytest.mark.slow
@FUZZ
@given(sources)
def test_parsing_any_source_never_raises_and_is_deterministic(text: str) -> None:
    check_source(text)


@pytest.mark.slow
@FUZZ
@given(source_bytes())
def test_reading_any_bytes_never_raises_and_is_deterministic(data: bytes) -> None:
    check_bytes(data)


@pytest.mark.slow
@settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 3))
@given(trees())
def test_discovering_and_parsing_any_tree_never_raises_and_is_deterministic(tree: Tree) -> None:
    check_tree(tree)
