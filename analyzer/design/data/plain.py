"""plain: the data catalog as plain values (tuples, strings, numbers) and back.

The last run's catalog is kept for the next check in a cache inside the analyzed tree, which may
not be trusted: its bytes are read back as plain values only (no class is looked up), and
``catalog_from`` checks every value against the type its field declares before it builds the
catalog. Values of any other shape give ``None``, and the catalog is built again.

``peripheral`` is left out: it comes from the roles of the current run, not from the catalog.
"""

from __future__ import annotations

import functools
import operator
import types
import typing
from collections.abc import Callable
from dataclasses import fields
from typing import Any, Literal, Union

from analyzer.design.data.catalog import (
    DataCatalog,
    ForeignKey,
    ModelReference,
    TableAccess,
    TableInfo,
)
from analyzer.design.data.joins import Join
from analyzer.design.data.kinds import Model

# The catalog's parts made of records, in the order of the values; its notes follow them.
_PARTS: tuple[tuple[str, type], ...] = (
    ("models", Model),
    ("tables", TableInfo),
    ("accesses", TableAccess),
    ("foreign_keys", ForeignKey),
    ("references", ModelReference),
    ("joins", Join),
)

Check = Callable[[object], bool]


def catalog_values(catalog: DataCatalog) -> tuple[object, ...]:
    """``catalog`` as plain values: per part, one tuple of field values per record; then the
    notes."""
    parts = [tuple(map(_getter(cls), getattr(catalog, name))) for name, cls in _PARTS]
    return (*parts, catalog.notes)


def catalog_from(values: object) -> DataCatalog | None:
    """The catalog ``catalog_values`` gave ``values``, or ``None`` for values of another shape."""
    if type(values) is not tuple or len(values) != len(_PARTS) + 1:
        return None
    *parts, notes = values
    built: dict[str, Any] = {}
    for (name, cls), rows in zip(_PARTS, parts, strict=True):
        checks = _checks(cls)
        if type(rows) is not tuple:
            return None
        for row in rows:
            if type(row) is not tuple or len(row) != len(checks):
                return None
            if not all(check(value) for check, value in zip(checks, row, strict=True)):
                return None
        built[name] = tuple(cls(*row) for row in rows)
    if not _tuple_of(_is(str))(notes):
        return None
    return DataCatalog(notes=notes, **built)


@functools.cache
def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    return operator.attrgetter(*(f.name for f in fields(cls)))


@functools.cache
def _checks(cls: type) -> tuple[Check, ...]:
    """Per field of ``cls``, whether a value is of the type the field declares."""
    hints = typing.get_type_hints(cls)
    return tuple(_check(hints[f.name]) for f in fields(cls))


def _check(hint: object) -> Check:
    """A check for the types catalog records use; any other type is an error of this module."""
    origin = typing.get_origin(hint)
    if hint in (str, int, bool):
        return _is(typing.cast(type, hint))
    if hint is type(None):
        return lambda value: value is None
    if origin is Literal:
        allowed = frozenset(typing.get_args(hint))
        return lambda value: type(value) is str and value in allowed
    if origin in (Union, types.UnionType):
        checks = tuple(_check(arg) for arg in typing.get_args(hint))
        return lambda value: any(check(value) for check in checks)
    if origin is tuple and typing.get_args(hint)[1:] == (Ellipsis,):
        return _tuple_of(_check(typing.get_args(hint)[0]))
    raise TypeError(f"no plain form for fields of type {hint!r}")


def _is(kind: type) -> Check:
    return lambda value: type(value) is kind


def _tuple_of(check: Check) -> Check:
    return lambda value: type(value) is tuple and all(map(check, value))
