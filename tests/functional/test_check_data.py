"""Data rules end to end: a write to a table another service owns fails `seams check`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.check_support import check, git_copy, init, module_file


def test_writing_another_services_table_fails(tmp_path: Path) -> None:
    repo = git_copy("shop", tmp_path / "shop")
    assert init(repo).code == 0
    assert check(repo).code == 0
    config = tomllib.loads((repo / "seams.toml").read_text())
    owners = {t: s["name"] for s in config["service"] for t in s.get("tables", [])}
    assert owners, "init declares the tables each service owns"
    table, owner = sorted(owners.items())[0]
    split = {p.split(":", 1)[0] for s in config["service"] for p in s["modules"] if ":" in p}
    writer, path = next(
        (s["name"], module_file(repo, p))
        for s in config["service"]
        if s["name"] != owner
        for p in s["modules"]
        if ":" not in p and p not in split and module_file(repo, p) is not None
    )
    assert path is not None
    text = path.read_text()
    path.write_text(
        text
        + "\n\ndef _reset_rows():\n"
        + "    from django.db import connection\n\n"
        + "    with connection.cursor() as cursor:\n"
        + f'        cursor.execute("UPDATE {table} SET id = id")\n'
    )
    lines = path.read_text().splitlines()
    line = next(i for i, t in enumerate(lines, 1) if 'cursor.execute("UPDATE' in t)
    run = check(repo)
    assert run.code == 1, run.stdout
    assert "foreign_table_write" in run.stdout
    assert f"{writer} -> {owner}" in run.stdout
    assert f"{path.relative_to(repo).as_posix()}:{line}" in run.stdout
