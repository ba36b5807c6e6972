"""The coupling signals: every kind of coupling the graph fuses, registered once.

A signal is one kind of evidence that two pieces of code (or code and data) belong together.
Its registration says everything the rest of Seams needs to know about it:

- ``kind``: the name used everywhere (weights, the kinds of a dependency in
  decomposition.json, the configuration);
- ``extractor``: ``"package.module:function"`` giving its couplings from the collected inputs
  (``analyzer.design.cost.registered.SignalInputs``), or ``""`` for the kinds the pipeline makes
  itself from the facts (imports, references, data access, git history);
- ``default_weight``: its weight in the fused graph when the user sets none;
- how it renders: a short ``label``, a one-sentence ``description``, the ``verb`` a check
  message uses, and whether it ties code to code or code to ``data`` (tables);
- ``version``: the decomposition contract that introduced it (a new kind is a new contract
  version, see ``reports/schema``).

Adding a signal is one ``register`` call here plus its extractor function; weights, the
configuration, the graph, decomposition.json and the reports pick it up from this registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Between = Literal["code", "data"]


@dataclass(frozen=True, slots=True)
class Signal:
    """One registered kind of coupling (see the module docstring)."""

    kind: str
    default_weight: float
    label: str
    description: str
    verb: str
    between: Between = "code"
    extractor: str = ""
    version: int = 1

    def __str__(self) -> str:
        return f"{self.kind} (weight {self.default_weight:g}): {self.description}"


_REGISTRY: dict[str, Signal] = {}


def register(signal: Signal) -> Signal:
    """Add ``signal``; a kind is registered once and must be a lower-case identifier."""
    if not signal.kind.isidentifier() or signal.kind != signal.kind.lower():
        raise ValueError(f"signal kind must be a lower-case identifier: {signal.kind!r}")
    if signal.kind in _REGISTRY:
        raise ValueError(f"signal {signal.kind!r} is registered already")
    if signal.default_weight < 0:
        raise ValueError(f"signal {signal.kind!r}: a weight is >= 0")
    if signal.extractor and ":" not in signal.extractor:
        raise ValueError(f"signal {signal.kind!r}: extractor is 'package.module:function'")
    _REGISTRY[signal.kind] = signal
    return signal


def signals() -> tuple[Signal, ...]:
    """Every registered signal, in registration order."""
    return tuple(_REGISTRY.values())


def signal(kind: str) -> Signal | None:
    return _REGISTRY.get(kind)


def kinds() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def label(kind: str) -> str:
    """How a kind reads in a report; a kind nothing registered reads as its name."""
    found = _REGISTRY.get(kind)
    return found.label if found is not None else kind


# The built-in kinds: the pipeline makes their couplings from the facts directly.
# Why the weights: docs/configuration.md (measured on saleor, django-oscar and pretix).
register(
    Signal(
        "import",
        1.0,
        "import",
        "One module imports another, or a name from it.",
        "imports",
    )
)
register(
    Signal(
        "call",
        1.0,
        "call",
        "A function or class uses another: calls, attribute access, type hints, decorators.",
        "uses",
    )
)
register(Signal("inheritance", 1.0, "inheritance", "A class derives from another.", "subclasses"))
register(
    Signal(
        "data",
        2.0,
        "data",
        "Code reads or writes a database table; a model defines its table.",
        "touches",
        between="data",
    )
)
register(
    Signal(
        "cochange",
        0.5,
        "co-change",
        "Files that change in the same commits.",
        "co-changes with",
    )
)
# The cost signals: what a cut breaks (docs/metrics.md, "Cost of the cut").
# Measured on the fixtures with a reference (bench/quality/fixtures.py: mean symbol ARI of seeds
# 0-2, automatic and at the reference's count), against weight 0: transaction at 0.25 lifts shop
# 0.914 -> 0.924 (37 of 37 tables exact either way) and leaves layered and orm_django as they
# were; at 1.0 orm_django falls 0.856 -> 0.825. co-use lowers layered at every weight tried
# (0.792 -> 0.714 at 0.1, 0.708 at 0.5) and shop at 0.5 (0.914 -> 0.892, 37 -> 24 tables exact),
# so it is off by default. Both are provisional until the quality benchmark's dev split decides.
register(
    Signal(
        "transaction",
        0.25,
        "transaction",
        "Code that writes tables in one database transaction, to each table it writes there: "
        "splitting them turns the transaction into a saga.",
        "writes in one transaction",
        between="data",
        extractor="analyzer.design.cost.signals:transaction_couplings",
        version=2,
    )
)
register(
    Signal(
        "couse",
        0.0,
        "co-use",
        "An entry point (a view, task, command, GraphQL field, receiver) to each table its "
        "call tree reads or writes: what one functionality uses together.",
        "uses with",
        between="data",
        extractor="analyzer.design.cost.signals:couse_couplings",
        version=2,
    )
)
