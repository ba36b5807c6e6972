"""Raw SQL: the text of a SQL string literal, and the tables it reads and writes.

sqlglot parses the text (default dialect, then PostgreSQL and MySQL); INSERT/UPDATE/DELETE/MERGE
targets (and DDL targets) are written, every other table it names is read, common table
expressions are not tables. Text sqlglot cannot parse falls back to a conservative scan of the
words after ``FROM``/``JOIN`` (read), ``INTO``/``UPDATE``/``DELETE FROM`` (written), and the
result says so. Query parameters (``%s``, ``%(name)s``, ``:name``, ``?``) and f-string
replacement fields are neutralised first; a table name that comes from a replacement field is
unknown and left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import libcst as cst

if TYPE_CHECKING:
    from sqlglot import exp

# sqlglot is imported where SQL is parsed: it costs ~0.1 s to load, and most files (and most
# incremental runs, which re-parse one file) hold no SQL at all.

DYNAMIC = "seams_dynamic_name"
_DIALECTS = (None, "postgres", "mysql")
_PARAM = re.compile(r"%\(\w+\)s|%[sdif]")
_FIELD = re.compile(r"\{[^{}]*\}")
_SQL_START = re.compile(
    r"^\s*(?:\(\s*)*(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|REPLACE|TRUNCATE)\b", re.IGNORECASE
)
_PART = r"`[^`]+`|\"[^\"]+\"|\[[^\]]+\]|[A-Za-z_][\w$]*"
_NAME = rf"({_PART})(?:\s*\.\s*({_PART}))?"
_DELETE = re.compile(r"\bDELETE\s+FROM\s+" + _NAME, re.IGNORECASE)
_WRITE = re.compile(r"\b(?:INTO|UPDATE|TRUNCATE(?:\s+TABLE)?)\s+" + _NAME, re.IGNORECASE)
_READ = re.compile(r"\b(?:FROM|JOIN)\s+" + _NAME + r"(?![\w$(])", re.IGNORECASE)
_NOT_TABLES = frozenset({"select", "lateral", "unnest", "only", "set", "table", "values"})


@dataclass(frozen=True, slots=True)
class SqlTables:
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    parsed: bool


def looks_like_sql(text: str) -> bool:
    """True for text that starts like a SQL statement (``SELECT``, ``INSERT``, ``WITH``...)."""
    return bool(_SQL_START.match(text))


def literal_text(node: cst.BaseExpression | None) -> str | None:
    """The static text of a string expression: plain, implicitly concatenated, an f-string (its
    replacement fields stand for an unknown name) or the left side of ``"..." % args``."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = literal_text(node.left), literal_text(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, cst.FormattedString):
        parts = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
            else:
                parts.append(DYNAMIC)
        return "".join(parts)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return literal_text(node.left)
    return None


def _clean(name: str) -> str:
    return name.strip().strip('`"[]')


def _neutralise(text: str) -> str:
    return _FIELD.sub(DYNAMIC, _PARAM.sub("?", text))


@lru_cache(maxsize=4096)
def sql_tables(text: str) -> SqlTables:
    """Tables read and written by ``text`` (one or more statements)."""
    import sqlglot  # noqa: PLC0415 - loaded on first use, see top
    from sqlglot.errors import SqlglotError  # noqa: PLC0415

    cleaned = _neutralise(text)
    for dialect in _DIALECTS:
        try:
            statements = [s for s in sqlglot.parse(cleaned, read=dialect) if s is not None]
        except (SqlglotError, ValueError, TypeError, RecursionError):
            continue
        if statements:
            return _from_trees(statements)
    return _scan(cleaned)


_DDL = frozenset({"Drop", "TruncateTable", "Alter"})


def _targets(statement: Any) -> list[exp.Table]:
    """The tables a statement writes: its INSERT/UPDATE/DELETE/MERGE target, or every table a
    DDL statement names."""
    from sqlglot import exp  # noqa: PLC0415

    if type(statement).__name__ in _DDL:
        return list(statement.find_all(exp.Table))
    if isinstance(statement, (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create)):
        target = statement.this
        if isinstance(target, exp.Table):
            return [target]
        found = target.find(exp.Table) if target is not None else None
        return [found] if found is not None else []
    return []


def _from_trees(statements: list[Any]) -> SqlTables:
    from sqlglot import exp  # noqa: PLC0415

    reads: set[str] = set()
    writes: set[str] = set()
    for statement in statements:
        ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
        targets = [t for node in statement.walk() for t in _targets(node)]
        target_ids = {id(t) for t in targets}
        for table in targets:
            if table.name and table.name.lower() not in ctes:
                writes.add(table.name)
        for table in statement.find_all(exp.Table):
            name = table.name
            if not name or id(table) in target_ids or name.lower() in ctes:
                continue
            reads.add(name)
    return _result(reads, writes, parsed=True)


def _scan(text: str) -> SqlTables:
    writes = {_clean(m.group(2) or m.group(1)) for m in _DELETE.finditer(text)}
    rest = _DELETE.sub(" ", text)
    writes |= {_clean(m.group(2) or m.group(1)) for m in _WRITE.finditer(rest)}
    reads = {_clean(m.group(2) or m.group(1)) for m in _READ.finditer(rest)}
    reads = {r for r in reads if r.lower() not in _NOT_TABLES}
    writes = {w for w in writes if w.lower() not in _NOT_TABLES}
    return _result(reads, writes, parsed=False)


def _result(reads: set[str], writes: set[str], parsed: bool) -> SqlTables:
    def keep(names: set[str]) -> tuple[str, ...]:
        return tuple(sorted(n for n in names if n and DYNAMIC not in n))

    return SqlTables(keep(reads), keep(writes), parsed)
