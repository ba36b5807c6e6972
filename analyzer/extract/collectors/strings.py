"""Coupling made through strings and framework wiring, which no import shows.

- ``import_string("a.b.C")`` (Django) names a class or function by its dotted path;
- ``get_class("catalogue.models", "Product")`` / ``get_classes(label, ["A", "B"])``
  (django-oscar's app loading) name a class by app module label and name;
- ``include("shop.orders.urls")`` wires a URL conf by its dotted name;
- ``@receiver(post_save, sender=Order)`` ties a handler to the model whose saves it reacts to.

Each becomes a ``StringRef`` (``via``, ``target`` as written) in the scope that makes it; the
design stage resolves them into soft couplings. Django's ``apps.get_model`` is read by the data
collector, which knows app labels.
"""

from __future__ import annotations

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.collectors.imports import string_value
from analyzer.extract.scope import Scope, dotted
from analyzer.model.facts import StringRef

_IMPORT_STRING = frozenset({"import_string", "module_loading.import_string"})
_GET_CLASS = frozenset({"get_class", "loading.get_class"})
_GET_CLASSES = frozenset({"get_classes", "loading.get_classes"})
_INCLUDE = frozenset({"include", "urls.include"})
_RECEIVER = frozenset({"receiver", "dispatch.receiver"})


def _name(node: cst.BaseExpression) -> str:
    name = dotted(node) or ""
    parts = name.split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 else name


def _strings(node: cst.BaseExpression) -> list[str]:
    if isinstance(node, (cst.List, cst.Tuple)):
        values = [string_value(el.value) for el in node.elements]
        return [v for v in values if v]
    value = string_value(node)
    return [value] if value else []


class StringCollector(BatchableCSTVisitor):
    """Gives ``facts()``: string and framework references in source order."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope
        self._found: list[tuple[cst.CSTNode, str, str, str]] = []

    def _add(self, node: cst.CSTNode, via: str, target: str) -> None:
        self.scope.positions.mark(node)
        self._found.append((node, via, target, self.scope.top or ""))

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args:
            return
        name = _name(node.func)
        first = node.args[0].value
        if name in _IMPORT_STRING or name in _INCLUDE:
            target = string_value(first)
            if target and all(p.isidentifier() for p in target.split(".")):
                self._add(node, "import_string" if name in _IMPORT_STRING else "include", target)
        elif (name in _GET_CLASS or name in _GET_CLASSES) and len(node.args) >= 2:
            label = string_value(first)
            if label:
                for cls in _strings(node.args[1].value):
                    self._add(node, "get_class", f"{label}:{cls}")

    def visit_Decorator(self, node: cst.Decorator) -> None:
        call = node.decorator
        if not isinstance(call, cst.Call) or _name(call.func) not in _RECEIVER:
            return
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "sender":
                sender = dotted(arg.value)
                if sender:
                    self._add(node, "receiver", sender)

    def facts(self) -> tuple[StringRef, ...]:
        line = self.scope.positions.line
        return tuple(StringRef(via, t, line(n), scope) for n, via, t, scope in self._found)
