"""The data catalog as plain values, as the incremental state keeps it, and back."""

from __future__ import annotations

import pickle

import pytest

from analyzer.design.data.catalog import DataCatalog, build_catalog
from analyzer.design.data.plain import catalog_from, catalog_values
from analyzer.design.symbols.resolve import SymbolTable
from tests.helpers import files_of
from tests.unit.test_cost import SHOP


@pytest.fixture(scope="module")
def catalog() -> DataCatalog:
    files = files_of(SHOP)
    return build_catalog(files, SymbolTable(files))


def test_the_catalog_round_trips_through_plain_values(catalog: DataCatalog) -> None:
    assert catalog.models and catalog.accesses and catalog.joins and catalog.foreign_keys
    values = catalog_values(catalog)
    # Plain values: pickled, they name no class.
    assert b"analyzer" not in pickle.dumps(values)
    assert catalog_from(pickle.loads(pickle.dumps(values))) == catalog


def test_peripheral_code_is_not_part_of_the_values(catalog: DataCatalog) -> None:
    marked = DataCatalog(models=catalog.models, peripheral=frozenset({"shop.tools"}))
    assert catalog_from(catalog_values(marked)) == DataCatalog(models=catalog.models)


def _first_model(values: tuple[object, ...]) -> tuple[object, ...]:
    models = values[0]
    assert isinstance(models, tuple) and isinstance(models[0], tuple)
    return models[0]


def _with_first_model(values: tuple[object, ...], row: object) -> tuple[object, ...]:
    models = values[0]
    assert isinstance(models, tuple)
    return ((row, *models[1:]), *values[1:])


@pytest.mark.parametrize(
    "damage",
    [
        "a field missing",
        "a number as text",
        "an unknown framework",
        "a missing part",
        "notes not text",
        "a list for a tuple",
    ],
)
def test_values_of_another_shape_give_none(catalog: DataCatalog, damage: str) -> None:
    values = catalog_values(catalog)
    row = _first_model(values)
    damaged: object = {
        "a field missing": _with_first_model(values, row[:-1]),
        "a number as text": _with_first_model(values, (*row[:4], str(row[4]), *row[5:])),
        "an unknown framework": _with_first_model(values, (*row[:5], "tortoise", *row[6:])),
        "a missing part": values[1:],
        "notes not text": (*values[:-1], (1,)),
        "a list for a tuple": _with_first_model(values, list(row)),
    }[damage]
    assert catalog_from(values) == catalog
    assert catalog_from(damaged) is None
