"""Facts extracted from one source file.

Everything here is a frozen, slotted, pickleable dataclass: facts travel back from worker processes
and are stored in the cache, so they hold plain values only (no syntax-tree nodes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analyzer.model.data import DataFacts
from analyzer.model.flow import EntryFact, FlowFacts

# The shape and meaning of the facts below: bump it whenever a field is added, removed or changes
# meaning, so that cached facts of an older shape are never read back.
FACTS_VERSION = 4

SymbolKind = Literal["class", "function"]
RefKind = Literal["call", "ref", "base", "decorator", "annotation"]


@dataclass(frozen=True, slots=True)
class ImportFact:
    """One imported name.

    ``module`` is the absolute dotted module the statement names (relative imports resolved);
    ``name`` is the imported attribute for ``from`` imports (``"*"`` for star imports) and ``None``
    for ``import a.b.c``. ``alias`` is the local name the import binds (``None`` for a star import).
    """

    module: str
    name: str | None
    alias: str | None
    line: int
    type_checking: bool = False
    local: bool = False
    conditional: bool = False
    dynamic: bool = False

    @property
    def binding(self) -> str | None:
        """The local name this import binds (``None`` for star and dynamic imports)."""
        if self.name == "*" or self.dynamic:
            return None
        if self.alias:
            return self.alias
        return self.name if self.name is not None else self.module.split(".")[0]

    @property
    def bound(self) -> str:
        """The dotted name the local binding refers to."""
        if self.name is not None and self.name != "*":
            return f"{self.module}.{self.name}"
        if self.alias:
            return self.module
        return self.module.split(".")[0]

    @property
    def target(self) -> str:
        """The most specific dotted name imported: ``pkg.mod.Name`` or ``pkg.mod``."""
        if self.name is None or self.name == "*":
            return self.module
        return f"{self.module}.{self.name}"

    def __str__(self) -> str:
        flags = [
            f
            for f, on in (
                ("type-checking", self.type_checking),
                ("local", self.local),
                ("conditional", self.conditional),
                ("dynamic", self.dynamic),
            )
            if on
        ]
        suffix = f" [{', '.join(flags)}]" if flags else ""
        return f"-> {self.target} (l. {self.line}){suffix}"


@dataclass(frozen=True, slots=True)
class RefFact:
    """A dotted name used in code (``Order``, ``services.place_order``, ``self.repo.get``).

    ``chain`` is the name as written; ``count`` how often it occurs in the enclosing scope and
    ``line`` its first occurrence. ``kind`` is the strongest role it plays: a base class, a
    decorator, a call, an annotation or a plain reference.
    """

    chain: str
    line: int
    kind: RefKind = "ref"
    count: int = 1

    def __str__(self) -> str:
        return f"{self.kind} {self.chain} (l. {self.line}, x{self.count})"


@dataclass(frozen=True, slots=True)
class AttrBinding:
    """``self.<attr> = <Callee>(...)`` in a class, or ``name = <Callee>(...)`` at module level."""

    name: str
    value: str
    line: int
    call: bool = True


@dataclass(frozen=True, slots=True)
class SymbolFact:
    """A top-level class or function (also when defined in a module-level ``if``/``try``)."""

    name: str
    kind: SymbolKind
    line: int
    end_line: int
    loc: int
    bases: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    refs: tuple[RefFact, ...] = ()
    attributes: tuple[AttrBinding, ...] = ()
    conditional: bool = False

    def __str__(self) -> str:
        return f"{self.kind} {self.name} (l. {self.line}-{self.end_line}, {self.loc} loc)"


@dataclass(frozen=True, slots=True)
class StringRef:
    """A reference made through a string: ``import_module("a.b")``, ``get_model("app", "M")``...

    ``via`` names the mechanism (``import_module``, ``import_string``, ``get_model``, ``get_class``,
    ``celery``, ``signal``, ``route``...); ``target`` is the dotted or app-qualified name as far
    as it can be read statically; ``scope`` is the top-level symbol using it (``""``: module level).
    """

    via: str
    target: str
    line: int
    scope: str = ""


@dataclass(frozen=True, slots=True)
class Pragma:
    """A ``# seams: ignore[rule, ...] reason`` comment."""

    line: int
    rules: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything Seams knows about one module, extracted in one traversal of its syntax tree."""

    path: str
    module: str
    is_package: bool
    loc: int
    lines: int
    imports: tuple[ImportFact, ...] = ()
    symbols: tuple[SymbolFact, ...] = ()
    module_refs: tuple[RefFact, ...] = ()
    bindings: tuple[AttrBinding, ...] = ()
    globals: tuple[str, ...] = ()
    exports: tuple[str, ...] | None = None
    strings: tuple[StringRef, ...] = ()
    pragmas: tuple[Pragma, ...] = ()
    notes: tuple[str, ...] = ()
    data: DataFacts | None = None
    entries: tuple[EntryFact, ...] = ()
    flow: FlowFacts | None = None

    def __str__(self) -> str:
        return (
            f"{self.module} ({self.path}: {len(self.imports)} imports, {len(self.symbols)} symbols)"
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file Seams could not analyze, and why (one line)."""

    path: str
    reason: str
    module: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


ParseResult = FileFacts | Skipped
