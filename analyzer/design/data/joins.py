"""joins: the queries that read two tables together, in one SQL statement.

Once those tables live in different services, such a query becomes API composition or a
replicated read model. Found for ORM queries that follow a relation (Django lookups such as
``customer__email``, ``select_related``/``prefetch_related``, SQLAlchemy ``join()`` and loader
options; see ``AccessInterpreter.joins``) and for raw SQL naming two or more tables it reads
(a ``JOIN``, a subquery, or a comma in ``FROM``: each makes the database combine the tables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analyzer.design.data.access import AccessInterpreter, Context
from analyzer.model.facts import FileFacts


@dataclass(frozen=True, slots=True)
class Join:
    """``source`` (a code node) queries ``table`` joined with ``joined`` at ``path``:``line``;
    ``how``: ``lookup``, ``related``, ``join``, a loader option (``joinedload``...) or ``sql``."""

    source: str
    table: str
    joined: str
    how: str
    path: str
    line: int

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{self.source} joins {self.table} with {self.joined} ({self.how}, {where})"


def _node(module: str, scope: str) -> str:
    return f"{module}:{scope}" if scope else module


def find_joins(
    files: Sequence[FileFacts], interpreter: AccessInterpreter, canonical: Mapping[str, str]
) -> tuple[Join, ...]:
    """Every join of ``files``; table names as ``canonical`` (lower-case name -> name) has them."""

    def name(table: str) -> str:
        return canonical.get(table.lower(), table)

    found: set[Join] = set()
    for f in files:
        if f.data is None:
            continue
        contexts: dict[str, Context] = {}
        for fact in f.data.accesses:
            if not interpreter.may_join(fact):
                continue
            context = contexts.get(fact.scope)
            if context is None:
                context = contexts[fact.scope] = interpreter.context(f, fact.scope)
            for table, joined, how in interpreter.joins(fact, context):
                if name(table) != name(joined):
                    source = _node(f.module, fact.scope)
                    found.add(Join(source, name(table), name(joined), how, f.path, fact.line))
        for sql in f.data.sql:
            reads = list(dict.fromkeys(name(t) for t in sql.reads))
            for joined in reads[1:]:
                source = _node(f.module, sql.scope)
                found.add(Join(source, reads[0], joined, "sql", f.path, sql.line))
    return tuple(sorted(found, key=lambda j: (j.path, j.line, j.table, j.joined, j.how)))
