"""Shared by the check tests: a temporary git copy of a fixture with boundaries declared."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from analyzer.check.mapping import ServiceMap
from analyzer.config import parse_config
from tests.conftest import FIXTURES, Run, run_seams

# Code appended to the checkout fixture's payments/services.py: a refund that puts stock back in
# the same transaction (across payments and inventory), and a report joining payments with
# orders in raw SQL.
REFUND_AND_RESTOCK = """

def refund_and_restock(order_number, amount, product_id):
    from django.db import transaction

    from inventory import services as inventory_services

    with transaction.atomic():
        payment = Payment.objects.filter(order_number=order_number).first()
        Refund.objects.create(payment=payment, amount=amount)
        inventory_services.restock("main", product_id, 1)


def paid_orders():
    return list(Payment.objects.raw(
        "SELECT p.* FROM payments_payment p JOIN orders_order o ON o.number = p.order_number"
    ))
"""


def git_copy(fixture: str, target: Path) -> Path:
    shutil.copytree(FIXTURES / fixture, target)
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=target, check=True)
    subprocess.run([*git, "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-qm", "fixture"], cwd=target, check=True)
    return target


def init(repo: Path) -> Run:
    return run_seams("init", repo, "--jobs", "1", "-q")


def check(repo: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    return run_seams("check", repo, "--jobs", "1", "-q", *args, env=env)


@dataclass(frozen=True)
class Edit:
    path: str
    line: int
    source: str
    target: str


def module_file(repo: Path, module: str) -> Path | None:
    base = repo / module.replace(".", "/")
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _modules_by_service(repo: Path, config: dict[str, Any]) -> dict[str, list[str]]:
    """Every module of the copy under the service its boundaries map it to, leaving out the
    modules split between services by symbol patterns."""
    boundaries = parse_config(config, "seams.toml").boundaries
    assert boundaries is not None
    services = ServiceMap(boundaries)
    split = {p.split(":", 1)[0] for s in config["service"] for p in s["modules"] if ":" in p}
    found: dict[str, list[str]] = {s["name"]: [] for s in config["service"]}
    for path in sorted(repo.rglob("*.py")):
        parts = path.relative_to(repo).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        owner = services.module(module)
        if owner in found and module not in split and "tests" not in parts:
            found[owner].append(module)
    return found


def new_dependency(repo: Path) -> Edit:
    """Append to a module of one service an import of another service it does not use yet.

    Modules split between services by symbol patterns are avoided, so tach and import-linter
    (which see whole modules only) can check the same edit.
    """
    config = tomllib.loads((repo / "seams.toml").read_text())
    baseline = json.loads((repo / ".seams-baseline.json").read_text())
    modules = _modules_by_service(repo, config)
    # The services' dependency graph as recorded: an edit that closed a new cycle would add a
    # cycle violation and make the recorded one stale, so only edits that keep cycles as they
    # are qualify (the target does not reach the source yet, or both are in one cycle already).
    # Only dependencies make cycles: a pair's foreign-key or table-write entries do not.
    recorded = nx.DiGraph(
        tuple(k.split(" -> "))
        for k, found in baseline["violations"].items()
        if " -> " in k and any(f.startswith("new_dependency ") for f in found)
    )
    recorded.add_nodes_from(modules)
    for source, own in sorted(modules.items()):
        for target, others in sorted(modules.items()):
            if source == target or f"{source} -> {target}" in baseline["violations"]:
                continue
            if nx.has_path(recorded, target, source) and not nx.has_path(recorded, source, target):
                continue
            files = [(m, module_file(repo, m)) for m in own]
            files = [(m, f) for m, f in files if f is not None and f.name != "__init__.py"]
            if files and others:
                path = files[0][1]
                text = path.read_text()
                path.write_text(text + f"\nimport {others[0]}  # new\n")
                line = len((text + "\n").splitlines()) + 1
                return Edit(path.relative_to(repo).as_posix(), line, source, target)
    raise AssertionError("every service already depends on every other")
