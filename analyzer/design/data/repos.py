"""Repository classes that act on ``self.model``: what their methods do to its table.

A base repository (``BaseRepository.add`` calling ``self.session.add(entity)``,
``BaseRepository.get`` calling ``session.get(self.model, pk)``) names no table; each subclass
fixes one with ``model = Invoice``. The base class's accesses are kept as modes per method
(``generic``), followed through its calls to its own methods (``self_calls``), and charged to
each call through a subclass, at the calling line.
"""

from __future__ import annotations

from analyzer.design.data.kinds import Mode
from analyzer.design.data.models import ModelCatalog
from analyzer.design.symbols.bindings import Bindings
from analyzer.model.facts import FileFacts


class Repositories:
    def __init__(
        self, catalog: ModelCatalog, bindings: Bindings, files: dict[str, FileFacts]
    ) -> None:
        self.catalog = catalog
        self.bindings = bindings
        self.generic: dict[tuple[str, str], set[Mode]] = {}
        self.self_calls: dict[tuple[str, str], set[str]] = {}
        self.returns: dict[str, dict[str, str]] = {
            m: dict(f.data.returns) for m, f in files.items() if f.data
        }
        self._model_attr: dict[str, str | None] = {}

    def declares_model(self, cid: str) -> bool:
        for c in [cid, *self.catalog.ancestors(cid)]:
            fact = self.catalog.classes[c].fact
            if fact is not None and ("model" in fact.declared or "model" in dict(fact.names)):
                return True
        return False

    def concrete_model(self, cid: str) -> str | None:
        """The model a class's ``model = X`` attribute (own or inherited) names."""
        if cid not in self._model_attr:
            self._model_attr[cid] = None
            named = self.class_name_attribute(cid, "model")
            if named is not None:
                owner, chain = named
                module = self.catalog.classes[owner].file.module
                node = self.catalog.table.resolve(module, chain)
                self._model_attr[cid] = node if node in self.catalog.models else None
        return self._model_attr[cid]

    def class_name_attribute(self, cid: str, attr: str) -> tuple[str, str] | None:
        for c in [cid, *self.catalog.ancestors(cid)]:
            fact = self.catalog.classes[c].fact
            if fact is not None and attr in dict(fact.names):
                return c, dict(fact.names)[attr]
        return None

    def generic_modes(
        self, cls: str, method: str, seen: set[tuple[str, str]] | None = None
    ) -> set[Mode]:
        """How calling ``method`` on an object of ``cls`` touches ``self.model``'s table."""
        seen = seen if seen is not None else set()
        owner = self.method_owner(cls, method)
        if owner is None or (owner, method) in seen:
            return set()
        seen.add((owner, method))
        modes = set(self.generic.get((owner, method), set()))
        for called in sorted(self.self_calls.get((owner, method), set())):
            modes |= self.generic_modes(cls, called, seen)
        return modes

    def method_owner(self, cls: str, method: str) -> str | None:
        for c in [cls, *self.catalog.ancestors(cls)]:
            fact = self.catalog.classes[c].fact
            if fact is not None and method in fact.methods:
                return c
        return None
