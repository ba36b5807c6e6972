"""reuse: whether the last run's data catalog still holds after some files changed.

The catalog reads each file's facts directly, all but its functions (their names only, through
the symbol table and the module-level bindings), the module's own references, line counts, notes,
pragmas, entry points and flow (calls, loops, transactions: the cost of the cut reads those);
``projection`` is a digest of the rest. The names asked of each module through the
symbol table and the bindings while the catalog is built are noted (``build_tracked``). So the
catalog built from the last run's facts is the one the current facts give when the set of
modules is the same, every changed file has the same projection, and no name asked of a changed
module resolves differently there (``changed_names``).
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import replace

from analyzer.design.data.catalog import DataCatalog, build_catalog
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.facts import FileFacts

Asked = tuple[tuple[str, frozenset[str]], ...]


def projection(file: FileFacts) -> bytes:
    """A digest of what the data catalog reads of ``file`` directly (see the module doc)."""
    kept = replace(
        file,
        symbols=tuple(s for s in file.symbols if s.kind == "class"),
        module_refs=(),
        loc=0,
        lines=0,
        notes=(),
        pragmas=(),
        entries=(),
        flow=None,
    )
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: equal facts give equal bytes, however their objects are shared
    pickler.dump(kept)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()


def build_tracked(
    files: Sequence[FileFacts], table: SymbolTable, known: Mapping[str, bytes]
) -> tuple[DataCatalog, Asked, dict[str, bytes]]:
    """The catalog of ``files``, the names it asked of each module, and each file's projection
    (``known``: projections already computed, by module)."""
    asked = table.track("")
    try:
        catalog = build_catalog(files, table, asked)
    finally:
        table.untrack()
    projections = {f.module: known.get(f.module) or projection(f) for f in files}
    return catalog, tuple((m, frozenset(asked[m])) for m in sorted(asked)), projections


def catalog_holds(
    changed: Mapping[str, frozenset[str] | None],
    files: Sequence[FileFacts],
    asked: Asked,
    projections: Mapping[str, bytes],
) -> bool:
    """Whether the catalog that asked ``asked`` and read files of ``projections`` is the one
    ``files`` give, when ``changed`` says which modules changed and which of their names may
    resolve differently (``None``: any name)."""
    for file in files:
        if file.module in changed and projections.get(file.module) != projection(file):
            return False
    names_asked = dict(asked)
    for module, names in changed.items():
        wanted = names_asked.get(module)
        if wanted is not None and (names is None or not names.isdisjoint(wanted)):
            return False
    return True
