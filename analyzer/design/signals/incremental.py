"""incremental: the couplings of a tree, re-resolved only where the last run's may have changed.

What a file's couplings are depends on three things only: the file's facts, the set of modules
of the tree, and the answers other modules give to the names resolution asks them about
(``SymbolTable.track`` notes those names). ``resolve_couplings`` resolves file by file and keeps,
per file, its couplings and the names it asked (a ``CouplingState``). Given the last run's state,
it resolves again only the files whose facts changed and the files that asked a changed module
about a name whose answer changed (``changed_names``); the others' couplings come from the state.
The couplings are those a full resolution gives, in the same order: imports, then references,
then strings, each in module order. A different set of modules resolves everything again.

``encode`` and ``decode`` turn a state into bytes and back, as plain values only (no class is
read from the bytes: they are kept in a cache inside a tree that may not be trusted); bytes of
another shape decode to ``None``, which resolves everything.
"""

from __future__ import annotations

import io
import pickle
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analyzer.design.signals.couplings import (
    by_suffix,
    import_couplings,
    reference_couplings,
    string_couplings,
)
from analyzer.design.symbols.resolve import (
    Record,
    SymbolTable,
    changed_names,
    record_from,
    record_values,
)
from analyzer.model.coupling import KINDS, Coupling, Kind
from analyzer.model.facts import FileFacts

FORMAT = 3


@dataclass(frozen=True, slots=True)
class FileCouplings:
    """The couplings found in one file, and what they depend on besides the file: the names
    asked of each other module (module, names), in module order."""

    key: bytes
    asked: tuple[tuple[str, frozenset[str]], ...]
    imports: tuple[Coupling, ...]
    references: tuple[Coupling, ...]
    strings: tuple[Coupling, ...]
    external: int


@dataclass(frozen=True, slots=True)
class CouplingState:
    """Per module: its file's couplings and the record resolution read from it. Beside them, the
    data catalog as plain values (``None`` when unknown; see ``analyzer.design.data.plain``), the
    names it asked of each module and a digest of what it read of each file (see
    ``analyzer.design.data.reuse``)."""

    files: Mapping[str, FileCouplings]
    records: Mapping[str, Record]
    catalog: tuple[object, ...] | None = None
    data_asked: tuple[tuple[str, frozenset[str]], ...] = ()
    projections: Mapping[str, bytes] = field(default_factory=dict)


Changes = dict[str, frozenset[str] | None]
"""The modules whose facts changed since the last run, each with the names that may resolve
differently there (``None``: any)."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """Every coupling in the order of a full resolution; imports leaving the tree; the state to
    keep for the next run; how many files' couplings came from the last one."""

    couplings: tuple[Coupling, ...]
    external: int
    state: CouplingState
    reused: int


def resolve_couplings(
    files: Sequence[FileFacts],
    table: SymbolTable,
    keys: Mapping[str, bytes],
    previous: CouplingState | None = None,
    changes: Changes | None = None,
) -> Resolved:
    """The couplings of ``files`` (``keys``: each file's fact key by path; a file without one is
    always resolved), reusing those of ``previous`` that cannot have changed (``changes``: what
    ``changes_since`` says, when the caller has it)."""
    if changes is None:
        changes = changes_since(files, table, keys, previous)
    reusable = _reusable(files, previous, changes)
    modules = table.modules
    suffixes = by_suffix(modules)
    found: dict[str, FileCouplings] = {}
    for file in files:
        kept = previous.files.get(file.module) if previous is not None else None
        if kept is not None and file.module in reusable:
            found[file.module] = kept
            continue
        asked = table.track(file.module)
        try:
            imports, external = import_couplings([file], table, modules)
            references = reference_couplings([file], table)
            strings = string_couplings([file], table, suffixes)
        finally:
            table.untrack()
        found[file.module] = FileCouplings(
            keys.get(file.path, b""),
            tuple((m, frozenset(asked[m])) for m in sorted(asked)),
            tuple(imports),
            tuple(references),
            tuple(strings),
            external,
        )
    ordered = [found[f.module] for f in files]
    couplings = [c for f in ordered for c in f.imports]
    couplings += [c for f in ordered for c in f.references]
    couplings += [c for f in ordered for c in f.strings]
    records = {m: r for m in sorted(modules) if (r := table.record(m)) is not None}
    state = CouplingState(found, records)
    external = sum(f.external for f in ordered)
    return Resolved(tuple(couplings), external, state, len(reusable))


def changes_since(
    files: Sequence[FileFacts],
    table: SymbolTable,
    keys: Mapping[str, bytes],
    previous: CouplingState | None,
) -> Changes | None:
    """What changed since ``previous`` (see ``Changes``); ``None`` without a previous state or
    when the set of modules changed: everything is to be resolved again."""
    if previous is None or set(previous.records) != table.modules:
        return None
    changes: Changes = {}
    for file in files:
        kept = previous.files.get(file.module)
        key = keys.get(file.path)
        if kept is None or not key or kept.key != key:
            old, new = previous.records.get(file.module), table.record(file.module)
            changes[file.module] = changed_names(old, new)
    return changes


def _reusable(
    files: Sequence[FileFacts], previous: CouplingState | None, changes: Changes | None
) -> set[str]:
    """Modules whose couplings in ``previous`` are still those a resolution would find."""
    if previous is None or changes is None:
        return set()
    reusable: set[str] = set()
    for file in files:
        if file.module in changes:
            continue
        for other, names in previous.files[file.module].asked:
            if other in changes:
                changed = changes[other]
                if changed is None or not changed.isdisjoint(names):
                    break
        else:
            reusable.add(file.module)
    return reusable


# The state as plain values: (FORMAT, strings, {module: record values}, {module: (key, asked,
# imports, references, strings, external)}, (catalog, data_asked, projections)), where each list
# of couplings is bytes: per coupling, nine 64-bit integers (``_FIELDS``), the text fields as
# indexes into ``strings``; the catalog's values are checked where they are read.

_KINDS: dict[str, Kind] = {k: k for k in KINDS}
_FIELDS = ("source", "target", "kind", "path", "line", "detail", "count", "soft", "mode")


def encode(state: CouplingState) -> bytes:
    strings: dict[str, int] = {}
    records = {m: record_values(r) for m, r in state.records.items()}
    files = {
        m: (
            f.key,
            f.asked,
            _pack(f.imports, strings),
            _pack(f.references, strings),
            _pack(f.strings, strings),
            f.external,
        )
        for m, f in state.files.items()
    }
    extra = (state.catalog, state.data_asked, dict(state.projections))
    value = (FORMAT, list(strings), records, files, extra)
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _pack(couplings: tuple[Coupling, ...], strings: dict[str, int]) -> bytes:
    ints: list[int] = []
    for c in couplings:
        for text in (c.source, c.target, c.kind, c.path):
            ints.append(strings.setdefault(text, len(strings)))
        ints.append(c.line)
        ints.append(strings.setdefault(c.detail, len(strings)))
        ints.append(c.count)
        ints.append(int(c.soft))
        ints.append(strings.setdefault(c.mode, len(strings)))
    return array("q", ints).tobytes()


class _PlainValues(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"not a plain value: {module}.{name}")


class _Malformed(Exception):
    pass


def decode(data: bytes) -> CouplingState | None:
    """The state ``encode`` wrote, or ``None`` for bytes of any other shape."""
    try:
        value = _PlainValues(io.BytesIO(data)).load()
        if not (isinstance(value, tuple) and len(value) == 5 and value[0] == FORMAT):
            return None
        _, strings, raw_records, raw_files, (catalog, data_asked, projections) = value
        if not isinstance(raw_records, dict) or not isinstance(raw_files, dict):
            return None
        if not isinstance(strings, list) or not all(type(t) is str for t in strings):
            return None
        records: dict[str, Record] = {}
        for module, values in raw_records.items():
            record = record_from(values)
            if not isinstance(module, str) or record is None:
                return None
            records[module] = record
        files = {m: _file(m, v, strings) for m, v in raw_files.items()}
        if catalog is not None and type(catalog) is not tuple:
            return None
        _check_asked(data_asked)
        if not isinstance(projections, dict) or not all(
            isinstance(m, str) and isinstance(d, bytes) for m, d in projections.items()
        ):
            return None
    except (_Malformed, pickle.UnpicklingError, EOFError, TypeError, ValueError, IndexError):
        return None
    except (AttributeError, KeyError, MemoryError, RecursionError):
        return None
    return CouplingState(files, records, catalog, data_asked, projections)


def _check_asked(asked: object) -> None:
    if not isinstance(asked, tuple):
        raise _Malformed
    for entry in asked:
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], frozenset)):
            raise _Malformed


def _file(module: object, values: object, strings: list[str]) -> FileCouplings:
    if not isinstance(module, str) or not isinstance(values, tuple) or len(values) != 6:
        raise _Malformed
    key, asked, imports, references, found, external = values
    if not isinstance(key, bytes) or type(external) is not int:
        raise _Malformed
    _check_asked(asked)
    return FileCouplings(
        key,
        asked,
        _unpack(imports, strings),
        _unpack(references, strings),
        _unpack(found, strings),
        external,
    )


def _unpack(data: object, s: list[str]) -> tuple[Coupling, ...]:
    """Couplings ``_pack`` wrote; an index out of ``s`` raises ``IndexError``, an unknown kind
    ``KeyError``."""
    if not isinstance(data, bytes) or len(data) % (8 * len(_FIELDS)):
        raise _Malformed
    v = memoryview(data).cast("q")
    return tuple(
        Coupling(
            s[v[i]],
            s[v[i + 1]],
            _KINDS[s[v[i + 2]]],
            s[v[i + 3]],
            v[i + 4],
            s[v[i + 5]],
            v[i + 6],
            v[i + 7] != 0,
            s[v[i + 8]],
        )
        for i in range(0, len(v), len(_FIELDS))
    )
