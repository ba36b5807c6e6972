"""codec: one file's facts as compact bytes, for worker processes and the fact cache.

Facts are pickled with each fact object as its class and field values, then compressed. Reading
back builds only the dataclasses of the fact modules, ``analyzer.model.facts``,
``analyzer.model.data`` and ``analyzer.model.flow`` (the bytes may come from a cache
inside an untrusted tree, and unpickling anything else could run code), setting their slots
directly: about twice as fast as pickle's default for frozen dataclasses, which matters when a
warm run reads every file's facts.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import operator
import pickle
import zlib
from collections.abc import Callable
from typing import Any

from analyzer.model import data as data_model
from analyzer.model import facts as facts_model
from analyzer.model import flow as flow_model
from analyzer.model.facts import FileFacts, ParseResult, Skipped

# The modules whose dataclasses make up a file's facts; nothing else is ever built from bytes.
FACT_MODULES = {m.__name__: m for m in (facts_model, data_model, flow_model)}


class DamagedFacts(ValueError):
    """The bytes are not facts written by ``encode``."""


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: object) -> Any:
        cls: type = type(obj)
        values = _values(cls)
        return NotImplemented if values is None else (cls, values(obj))


@functools.cache
def _values(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """The function giving an instance's field values, for fact classes only."""
    if cls.__module__ not in FACT_MODULES or not dataclasses.is_dataclass(cls):
        return None
    names = [f.name for f in dataclasses.fields(cls)]
    getter = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (getter(obj),)
    return getter


@functools.cache
def _builder(cls: type) -> Callable[..., Any]:
    """A function making an instance of ``cls`` from its field values (``__init__`` is not run:
    the values are those of an instance that was). It is generated for the class, one setter
    call per field and no loop, as ``dataclasses`` generates ``__init__``: a warm run builds
    hundreds of thousands of facts."""
    names = [f.name for f in dataclasses.fields(cls)]
    slots = set(getattr(cls, "__slots__", ()))
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    for i, name in enumerate(names):
        scope[f"set{i}"] = cls.__dict__[name].__set__ if name in slots else _setter(name)
    values = ", ".join(f"v{i}" for i in range(len(names)))
    lines = [f"def build({values}):", "    obj = new(cls)"]
    lines += [f"    set{i}(obj, v{i})" for i in range(len(names))]
    lines.append("    return obj")
    exec("\n".join(lines), scope)  # our own field names only, nothing from the bytes
    built: Callable[..., Any] = scope["build"]
    return built


def _setter(name: str) -> Callable[[Any, Any], None]:
    def set_field(obj: Any, value: Any) -> None:
        object.__setattr__(obj, name, value)

    return set_field


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        home = FACT_MODULES.get(module)
        found = getattr(home, name, None) if home is not None else None
        if isinstance(found, type) and dataclasses.is_dataclass(found):
            return _builder(found)
        raise DamagedFacts(f"unexpected object {module}.{name}")


def encode(result: ParseResult) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(result)
    return zlib.compress(buffer.getbuffer(), 1)


def decode(blob: bytes) -> ParseResult:
    """Raises ``DamagedFacts``."""
    try:
        value = _Unpickler(io.BytesIO(zlib.decompress(blob))).load()
    except DamagedFacts:
        raise
    except Exception as exc:  # zlib.error, UnpicklingError, EOFError, TypeError... on bad bytes
        raise DamagedFacts(f"unreadable facts ({type(exc).__name__})") from None
    if not isinstance(value, FileFacts | Skipped):
        raise DamagedFacts("not the facts of a file")
    return value
