"""registered: the couplings of the signals registered with an extractor.

``analyzer.model.signals`` names each signal's extractor as ``"package.module:function"``; each
is called with the same ``SignalInputs`` and returns couplings of its kind. A signal weighing 0
is not extracted: it would add nothing to the graph.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from analyzer.design.cost.flows import Flows
from analyzer.design.data.catalog import DataCatalog
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts
from analyzer.model.options import Weights
from analyzer.model.signals import signals


@dataclass(frozen=True, slots=True)
class SignalInputs:
    """What an extractor may read: the facts, the symbol table, the data catalog, the flows."""

    files: Sequence[FileFacts]
    table: SymbolTable
    catalog: DataCatalog
    flows: Flows


Extractor = Callable[[SignalInputs], list[Coupling]]


def extractor(spec: str) -> Extractor:
    module, _, name = spec.partition(":")
    return cast(Extractor, getattr(importlib.import_module(module), name))


def registered_couplings(inputs: SignalInputs, weights: Weights) -> list[Coupling]:
    """The couplings of every registered signal that has an extractor and a weight."""
    found: list[Coupling] = []
    for signal in signals():
        if signal.extractor and weights.of(signal.kind) > 0:
            found.extend(c for c in extractor(signal.extractor)(inputs) if c.kind == signal.kind)
    return found
