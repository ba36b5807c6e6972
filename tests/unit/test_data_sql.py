"""Raw SQL: tables read and written, parameters, the fallback scan."""

from __future__ import annotations

import libcst as cst
import pytest

from analyzer.extract.collectors.sql import literal_text, looks_like_sql, sql_tables


@pytest.mark.parametrize(
    ("sql", "reads", "writes"),
    [
        (
            "SELECT id FROM orders o JOIN order_lines l ON l.order_id = o.id",
            ["order_lines", "orders"],
            [],
        ),
        ("UPDATE stock SET qty = qty - %s WHERE id = %s", [], ["stock"]),
        ("INSERT INTO audit (a, b) VALUES (%(a)s, :b)", [], ["audit"]),
        ("DELETE FROM carts WHERE id IN (SELECT cart_id FROM stale)", ["stale"], ["carts"]),
        (
            "UPDATE invoices SET status = 'void' WHERE NOT EXISTS "
            "(SELECT 1 FROM payments p WHERE p.invoice_id = invoices.id)",
            ["payments"],
            ["invoices"],
        ),
        (
            "WITH recent AS (SELECT * FROM events) INSERT INTO digest SELECT * FROM recent",
            ["events"],
            ["digest"],
        ),
        (
            "MERGE INTO target t USING source s ON t.id = s.id WHEN MATCHED THEN UPDATE SET x = 1",
            ["source"],
            ["target"],
        ),
        ("SELECT * FROM public.customers", ["customers"], []),
        ("TRUNCATE TABLE sessions", [], ["sessions"]),
        ("SELECT 1; DELETE FROM logs", [], ["logs"]),
    ],
)
def test_tables_read_and_written(sql: str, reads: list[str], writes: list[str]) -> None:
    found = sql_tables(sql)
    assert found.parsed
    assert list(found.reads) == reads
    assert list(found.writes) == writes


def test_unparsable_sql_falls_back_to_a_keyword_scan_and_says_so() -> None:
    found = sql_tables("SELECT ((( FROM weird_table JOIN other ON ))) DELETE FROM trash WHERE")
    assert not found.parsed
    assert found.reads == ("other", "weird_table")
    assert found.writes == ("trash",)


def test_a_table_named_by_a_replacement_field_is_unknown() -> None:
    found = sql_tables("SELECT * FROM {table} JOIN known ON known.id = {table}.known_id")
    assert found.reads == ("known",)


def _expr(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def test_literal_text_of_string_forms() -> None:
    assert literal_text(_expr('"SELECT 1"')) == "SELECT 1"
    assert literal_text(_expr('"SELECT a " "FROM t"')) == "SELECT a FROM t"
    assert (
        literal_text(_expr('"SELECT * FROM t WHERE id = %s" % x'))
        == "SELECT * FROM t WHERE id = %s"
    )
    text = literal_text(_expr('f"SELECT * FROM {name} WHERE a = 1"'))
    assert text is not None and text.startswith("SELECT * FROM ") and "{" not in text
    assert literal_text(_expr("query")) is None


def test_only_statements_look_like_sql() -> None:
    assert looks_like_sql("  select * from t")
    assert looks_like_sql("(SELECT 1) UNION (SELECT 2)")
    assert looks_like_sql("WITH x AS (SELECT 1) SELECT * FROM x")
    assert not looks_like_sql("Thanks from the whole team")
