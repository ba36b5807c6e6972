"""libcst's parser without its node-by-node checks: the same trees, the checks back afterwards."""

from __future__ import annotations

import libcst as cst
import pytest

from analyzer.extract.trusted import parse_module
from tests.conftest import FIXTURES

ODD = """\
def f[T](x: T, /, *, y=(1)) -> T:  # 3.12 syntax, positional-only and keyword-only
    match x:
        case [1, *rest] if (rest):
            return ((x))
    return (lambda: (yield))() if x else not (x)
print(f"{1 + 1!r:>{3}}", *[i async for i in g()], **{'a': 1})
"""


def test_trees_are_those_of_libcst_itself() -> None:
    texts = [p.read_text() for p in sorted((FIXTURES / "shop").rglob("*.py"))] + [ODD]
    assert len(texts) > 50
    for text in texts:
        tree = parse_module(text)
        assert tree.deep_equals(cst.parse_module(text))
        assert tree.code == text


def test_nodes_are_unchecked_while_parsing_and_checked_again_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked: list[str] = []
    real = cst.Name._validate

    def validate(self: cst.Name) -> None:
        checked.append(self.value)
        real(self)

    monkeypatch.setattr(cst.Name, "_validate", validate)
    parse_module("total = price * quantity\n")
    assert checked == []
    cst.parse_module("total = price * quantity\n")
    assert checked == ["total", "price", "quantity"]
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def broken(:\n")
    with pytest.raises(cst.CSTValidationError):  # a node built by hand is checked as before
        cst.Name("")
