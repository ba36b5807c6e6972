"""After a one-file change, the check derived from the last run's state finds the violations a
cold check finds, the distributed transactions and cross-service joins included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analyzer.check.rules import find_violations
from analyzer.collect import Collected, derive
from analyzer.design.signals.incremental import CouplingState, decode, encode
from analyzer.extract.cache import fact_key, open_cache
from analyzer.extract.discover import discover_files
from analyzer.extract.scan import scan
from analyzer.model.boundaries import Boundaries, Boundary
from analyzer.model.options import AnalyzeOptions
from analyzer.model.timings import Timings
from analyzer.model.violations import Violation
from tests.check_support import REFUND_AND_RESTOCK
from tests.conftest import FIXTURES

BOUNDARIES = Boundaries(
    tuple(
        Boundary(name, (name,))
        for name in ("catalog", "customers", "inventory", "notifications", "orders", "payments")
    )
)
COST_RULES = ("distributed_transaction", "cross_service_join")

# In the checkout's transaction, the payment is looked up instead of recorded: the transaction
# writes no payments table any more. Only calls change, on the same lines.
LOOKUP = (
    "orders/views.py",
    'payment_services.record_payment(order.number, order.total, data["payment_token"])',
    "payment_services.payments_for(order.number)",
)
# A refund putting stock back in the same transaction, and a raw SQL join of payments and orders.
REFUND = (
    "payments/services.py",
    "    return list(Payment.objects.filter(order_number=order_number))\n",
    "    return list(Payment.objects.filter(order_number=order_number))\n" + REFUND_AND_RESTOCK,
)
EDITS = {"a call in a transaction": LOOKUP, "a new transaction and join": REFUND}


@pytest.fixture(scope="module")
def facts_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("facts")


def _derive(root: Path, cache_dir: Path, previous: CouplingState | None = None) -> Collected:
    """As a check derives from the last state ``previous`` (the flows its rules read), or, without
    it, cold and with all the flows."""
    discovery = discover_files(root)
    with open_cache(cache_dir) as cache:
        scanned = scan(discovery, jobs=1, cache=cache)
    options, timings = AnalyzeOptions(jobs=1), Timings()
    if previous is None:
        return derive(discovery, scanned, options, timings)
    keys = {s.path: fact_key(s, (root / s.path).read_bytes()) for s in discovery.files}
    return derive(discovery, scanned, options, timings, keys, previous, "rules")


def _state(root: Path, cache_dir: Path) -> CouplingState:
    """The state a first check leaves, written and read back."""
    discovery = discover_files(root)
    with open_cache(cache_dir) as cache:
        scanned = scan(discovery, jobs=1, cache=cache)
    keys = {s.path: fact_key(s, (root / s.path).read_bytes()) for s in discovery.files}
    options = AnalyzeOptions(jobs=1)
    state = derive(discovery, scanned, options, Timings(), keys, None, "rules").coupling_state
    assert state is not None
    found = decode(encode(state))
    assert found is not None
    return found


def _violations(collected: Collected) -> list[Violation]:
    return find_violations(collected.files, collected.couplings, BOUNDARIES, collected.flows)


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_checked_from_the_last_state_finds_what_a_cold_check_finds(
    tmp_path: Path, facts_cache: Path, kind: str
) -> None:
    root = tmp_path / "store"
    shutil.copytree(FIXTURES / "checkout", root)
    previous = _state(root, facts_cache)
    before = _violations(_derive(root, facts_cache))
    path, old, new = EDITS[kind]
    text = (root / path).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (root / path).write_text(text.replace(old, new), encoding="utf-8")

    incremental = _derive(root, facts_cache, previous)
    found = _violations(incremental)
    cold = _violations(_derive(root, facts_cache))

    assert found == cold
    assert {v.rule for v in found} >= set(COST_RULES)
    changed = {v.key for v in found} ^ {v.key for v in before}
    assert {key.split(" ", 1)[0] for key in changed} & set(COST_RULES)
    # The call changes nothing the data catalog reads: it is kept. The new code reads and
    # writes tables: the catalog is built again.
    assert incremental.coupling_state is not None
    kept = incremental.coupling_state.catalog is previous.catalog
    assert kept is (kind == "a call in a transaction")
