"""Couplings: the typed, located dependencies between pieces of code (and tables).

Node ids: a module's own top-level code is the module's dotted name (``shop.orders.api``); a
top-level class or function is ``module:Name``; a database table is ``table::name``.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model.signals import kinds

Kind = str
"""A registered signal's kind (``analyzer.model.signals``): ``import``, ``call``..."""
KINDS: tuple[Kind, ...] = kinds()
TABLE_PREFIX = "table::"


def module_of(node: str) -> str:
    """The module a code node belongs to (``""`` for tables)."""
    if node.startswith(TABLE_PREFIX):
        return ""
    return node.split(":", 1)[0]


def table_node(name: str) -> str:
    return TABLE_PREFIX + name


def is_table(node: str) -> bool:
    return node.startswith(TABLE_PREFIX)


@dataclass(frozen=True, slots=True)
class Coupling:
    """``source`` depends on ``target`` in the way ``kind`` says, written at ``path``:``line``.

    ``detail`` names what is used (``shop.payments.services:charge``, ``orders_order``);
    ``count`` is how often; ``soft`` marks couplings made through strings or framework wiring
    (``get_model("app", "Model")``, signal receivers, ``.delay``), which weigh less. ``mode`` is
    ``"read"`` or ``"write"`` for table access and ``"fk"`` for a foreign key, else ``""``.
    """

    source: str
    target: str
    kind: Kind
    path: str
    line: int
    detail: str
    count: int = 1
    soft: bool = False
    mode: str = ""

    def __str__(self) -> str:
        soft = " (soft)" if self.soft else ""
        return f"{self.source} -> {self.target} [{self.kind}{soft}] {self.path}:{self.line}"
