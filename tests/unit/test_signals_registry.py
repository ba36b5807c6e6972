"""The registry of coupling signals: one registration feeds weights, the graph and the reports."""

from __future__ import annotations

import pytest

from analyzer.design.cost.registered import SignalInputs, registered_couplings
from analyzer.design.data.catalog import build_catalog
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.coupling import KINDS
from analyzer.model.errors import SeamsError
from analyzer.model.options import Weights
from analyzer.model.signals import Signal, kinds, label, register, signal
from reports.cards import dependency_matrix
from reports.kinds import document_kinds
from tests.helpers import files_of, flows_of
from tests.unit.test_cost import SHOP


def test_every_kind_is_registered_once_with_a_weight_and_a_label() -> None:
    assert kinds() == KINDS
    assert kinds()[:5] == ("import", "call", "inheritance", "data", "cochange")
    assert {"transaction", "couse"} <= set(kinds())
    assert dict(Weights().values) == {k: signal(k).default_weight for k in kinds()}  # type: ignore[union-attr]
    assert label("couse") == "co-use" and label("not-registered") == "not-registered"


def test_registrations_are_checked() -> None:
    with pytest.raises(ValueError, match="registered already"):
        register(Signal("call", 1.0, "call", "again", "uses"))
    with pytest.raises(ValueError, match="lower-case identifier"):
        register(Signal("Co Use", 1.0, "x", "x", "x"))
    with pytest.raises(ValueError, match=r"package\.module:function"):
        register(Signal("newkind", 1.0, "x", "x", "x", extractor="no_colon"))


def test_weights_take_the_registered_kinds_and_name_them_on_a_mistake() -> None:
    weights = Weights.parse("transaction=0,couse=2")
    assert (weights.of("transaction"), weights.of("couse"), weights.of("data")) == (0.0, 2.0, 2.0)
    with pytest.raises(SeamsError, match="kinds: import, call, inheritance, data, cochange"):
        Weights.parse("imports=2")


def test_registered_extractors_run_unless_their_weight_is_zero() -> None:
    files = files_of(SHOP)
    table = SymbolTable(files)
    inputs = SignalInputs(files, table, build_catalog(files, table), flows_of(SHOP))
    found = registered_couplings(inputs, Weights.parse("couse=0.5"))
    transaction = sorted((c.source, c.target, c.line) for c in found if c.kind == "transaction")
    assert transaction == [
        ("shop.orders.services:place", "table::orders_order", 15),
        ("shop.orders.services:place", "table::orders_orderline", 15),
        ("shop.orders.services:place", "table::payments_payment", 15),
    ]
    couse = {(c.source, c.target) for c in found if c.kind == "couse"}
    assert ("shop.orders.views:checkout", "table::catalog_product") in couse
    assert not [c for c in registered_couplings(inputs, Weights()) if c.kind == "couse"]
    quiet = registered_couplings(inputs, Weights.parse("transaction=0,couse=0"))
    assert quiet == []


def test_reports_keep_the_kinds_they_do_not_know() -> None:
    document = {
        "services": [{"name": "a"}, {"name": "b"}],
        "dependencies": [
            {"from": "a", "to": "b", "weight": 2.0, "kinds": {"call": 1, "telepathy": 3}}
        ],
    }
    assert document_kinds(document)[-1] == "telepathy"
    cell = dependency_matrix(document, ["a", "b"])[0][1]
    assert cell is not None and cell.kinds == (("call", 1), ("telepathy", 3))
