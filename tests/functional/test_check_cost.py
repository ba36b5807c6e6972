"""`seams check` ratchets distributed transactions and cross-service joins like the other rules,
and its SARIF, JUnit and GitHub outputs carry them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.check_support import REFUND_AND_RESTOCK, check, git_copy, init

NEW_CODE = REFUND_AND_RESTOCK


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = git_copy("checkout", tmp_path_factory.mktemp("checkout") / "store")
    assert init(target).code == 0
    return target


def test_the_existing_transaction_and_joins_are_recorded_in_the_baseline(repo: Path) -> None:
    baseline = json.loads((repo / ".seams-baseline.json").read_text())
    keys = {key for entries in baseline["violations"].values() for key in entries}
    (saga,) = [k for k in keys if k.startswith("distributed_transaction orders.views:checkout ")]
    assert len(saga.rsplit(" ", 1)[1].split("+")) == 3  # orders, stock and payments
    assert (
        "cross_service_join orders.services:lines_with_products orders_orderline -> catalog_product"
        in keys
    )
    run = check(repo)
    assert run.code == 0, run.stdout


@pytest.fixture(scope="module")
def edited(repo: Path) -> Path:
    with (repo / "payments" / "services.py").open("a") as handle:
        handle.write(NEW_CODE)
    return repo


def new_lines(repo: Path) -> dict[str, int]:
    text = (repo / "payments" / "services.py").read_text().splitlines()
    return {
        "transaction": next(i for i, t in enumerate(text, 1) if "with transaction.atomic()" in t),
        "join": next(i for i, t in enumerate(text, 1) if "Payment.objects.raw(" in t),
    }


def test_a_new_transaction_and_a_new_join_fail_the_check(edited: Path) -> None:
    run = check(edited)
    lines = new_lines(edited)
    assert run.code == 1
    found = [line.strip() for line in run.stdout.splitlines()]
    (saga,) = [
        t for t in found if t.startswith(f"error payments/services.py:{lines['transaction']}:")
    ]
    assert saga.endswith("(rule distributed_transaction)")
    assert "writes tables of inventory, payments" in saga
    (join,) = [t for t in found if t.startswith(f"error payments/services.py:{lines['join']}:")]
    assert join.endswith("(rule cross_service_join)")
    assert "joins orders_order, which the boundaries place in orders" in join
    assert "orders.views.checkout" not in run.stdout  # the recorded one stays known


def test_sarif_junit_and_github_outputs_carry_them(edited: Path) -> None:
    lines = new_lines(edited)
    sarif = json.loads(check(edited, "--format", "sarif").stdout)
    results = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sarif["runs"][0]["results"]
    }
    assert ("distributed_transaction", "payments/services.py", lines["transaction"]) in results
    assert ("cross_service_join", "payments/services.py", lines["join"]) in results
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"distributed_transaction", "cross_service_join"} <= rules

    junit = ET.fromstring(check(edited, "--format", "junit").stdout)
    failed = {
        case.get("classname") for case in junit.iter("testcase") if case.find("failure") is not None
    }
    assert {"seams.distributed_transaction", "seams.cross_service_join"} <= failed

    github = check(edited, "--format", "github").stdout
    assert (
        f"::error file=payments/services.py,line={lines['transaction']},"
        "title=seams distributed_transaction" in github
    )
    assert (
        f"::error file=payments/services.py,line={lines['join']},title=seams cross_service_join"
        in github
    )


@pytest.mark.slow
def test_a_check_after_edits_finds_them_as_a_check_without_the_cache(tmp_path: Path) -> None:
    repo = git_copy("checkout", tmp_path / "store")
    assert init(repo).code == 0
    assert check(repo).code == 0  # keeps the couplings for the next check
    services = repo / "payments" / "services.py"
    # The new transaction and join, then a function that changes nothing the data catalog
    # reads: the flows are still those of the whole catalog.
    edits = [NEW_CODE, "\n\ndef _refund_total(refunds):\n    return sum(refunds)\n"]
    for code in edits:
        with services.open("a") as handle:
            handle.write(code)
        incremental = check(repo, "--format", "json")
        cold = check(repo, "--format", "json", "--no-cache")
        assert incremental.code == cold.code == 1
        assert incremental.stdout == cold.stdout
        rules = {v["rule"] for v in json.loads(incremental.stdout)["violations"]}
        assert {"distributed_transaction", "cross_service_join"} <= rules
