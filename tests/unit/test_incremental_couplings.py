"""Couplings re-resolved from the last run's state equal those of a full resolution."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from analyzer.collect import Collected, WantedFlows, derive
from analyzer.design.data.catalog import DataCatalog
from analyzer.design.signals.couplings import (
    import_couplings,
    reference_couplings,
    string_couplings,
)
from analyzer.design.signals.incremental import (
    CouplingState,
    Resolved,
    decode,
    encode,
    resolve_couplings,
)
from analyzer.design.symbols.resolve import SymbolTable
from analyzer.extract.cache import fact_key, open_cache
from analyzer.extract.discover import discover_files
from analyzer.extract.scan import scan
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts
from analyzer.model.options import AnalyzeOptions
from analyzer.model.timings import Timings
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def facts_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fact cache for the module: each copy of the fixture parses only what an edit changed."""
    return tmp_path_factory.mktemp("facts")


@pytest.fixture
def root(tmp_path: Path, facts_cache: Path) -> Path:
    """A copy of the shop fixture, its facts kept in ``facts_cache``."""
    copy = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", copy)
    _CACHES[copy] = facts_cache
    return copy


_CACHES: dict[Path, Path] = {}


def _facts(root: Path) -> tuple[tuple[FileFacts, ...], dict[str, bytes]]:
    discovery = discover_files(root)
    with open_cache(_CACHES[root]) as cache:
        files = scan(discovery, jobs=1, cache=cache).facts
    keys = {s.path: fact_key(s, (root / s.path).read_bytes()) for s in discovery.files}
    return files, keys


def _resolve(
    root: Path, previous: CouplingState | None = None
) -> tuple[Resolved, tuple[list[Coupling], int]]:
    """Resolved from ``previous``, and the couplings and external imports of a full resolution."""
    files, keys = _facts(root)
    resolved = resolve_couplings(files, SymbolTable(files), keys, previous)
    table = SymbolTable(files)
    imports, external = import_couplings(files, table)
    full = [*imports, *reference_couplings(files, table), *string_couplings(files, table)]
    return resolved, (full, external)


def _edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def _body_change(text: str) -> str:
    signature = "def unit_price(product: Product) -> Money:\n"
    return text.replace(signature, signature + "    get_product(product.pk)\n", 1)


def _new_import(text: str) -> str:
    return (
        "from shop.payments.services import payment_status\n"
        + text
        + ("\n\ndef _status_of(order_id):\n    return payment_status(order_id)\n")
    )


def _new_model(text: str) -> str:
    return text + (
        "\n\nclass Supplier(models.Model):\n"
        "    brand = models.ForeignKey(Brand, on_delete=models.CASCADE)\n"
    )


def _removed_function(text: str) -> str:
    return re.sub(r"\ndef get_sellable_product\(.*?\n(?=def )", "\n", text, count=1, flags=re.S)


def _appended_function(text: str) -> str:
    return text + "\n\ndef _price_function():\n    return unit_price\n"


EDITS = {
    "appended function": ("shop/catalog/services.py", _appended_function),
    "body change": ("shop/catalog/services.py", _body_change),
    "new import": ("shop/inventory/services.py", _new_import),
    "new model": ("shop/catalog/models.py", _new_model),
    "removed function": ("shop/catalog/services.py", _removed_function),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_after_an_edit_the_couplings_are_those_of_a_full_resolution(root: Path, kind: str) -> None:
    first, full = _resolve(root)
    assert first.reused == 0
    assert (list(first.couplings), first.external) == full
    before = set(first.couplings)
    path, change = EDITS[kind]
    _edit(root / path, change)

    again, full = _resolve(root, decode(encode(first.state)))

    assert (list(again.couplings), again.external) == full
    assert set(again.couplings) != before
    files = len(first.state.files)
    assert 0 < again.reused < files


def test_a_removed_function_resolves_its_users_again(root: Path) -> None:
    first, _ = _resolve(root)
    users = [c for c in first.couplings if c.target == "shop.catalog.services:get_sellable_product"]
    assert {c.path for c in users} == {"shop/orders/services.py"}
    _edit(root / "shop/catalog/services.py", _removed_function)

    again, full = _resolve(root, first.state)

    # Two files resolved again: the edited one and the one using the removed function.
    assert again.reused == len(first.state.files) - 2
    assert not [c for c in again.couplings if c.target.endswith(":get_sellable_product")]
    assert (list(again.couplings), again.external) == full


def test_an_unchanged_tree_reuses_every_file(root: Path) -> None:
    first, _ = _resolve(root)
    again, _ = _resolve(root, first.state)
    assert again.reused == len(first.state.files)
    assert again.couplings == first.couplings


def test_a_new_module_resolves_everything(root: Path) -> None:
    first, _ = _resolve(root)
    (root / "shop/catalog/brands.py").write_text("from shop.catalog.models import Brand\n")
    again, full = _resolve(root, first.state)
    assert again.reused == 0
    assert (list(again.couplings), again.external) == full


def test_the_state_round_trips_and_damaged_bytes_read_as_none(root: Path) -> None:
    state = _resolve(root)[0].state
    data = encode(state)
    assert decode(data) == state
    assert decode(b"") is None
    assert decode(data[: len(data) // 2]) is None
    assert decode(b"\x80\x05csubprocess\ncall\n.") is None  # a class is never looked up


def _derive(
    root: Path, previous: CouplingState | None, flows: WantedFlows = "none"
) -> tuple[Collected, Collected]:
    """``derive`` from ``previous``, and a full ``derive`` of the same facts, both with the
    ``flows`` asked for."""
    discovery = discover_files(root)
    with open_cache(_CACHES[root]) as cache:
        scanned = scan(discovery, jobs=1, cache=cache)
    keys = {s.path: fact_key(s, (root / s.path).read_bytes()) for s in discovery.files}
    options = AnalyzeOptions(jobs=1)
    since = derive(discovery, scanned, options, Timings(), keys, previous, flows)
    return since, derive(discovery, scanned, options, Timings(), flows=flows)


def _kept(again: Collected, previous: CouplingState) -> bool:
    """Whether ``again`` kept the catalog of ``previous`` rather than building it again."""
    assert again.coupling_state is not None and previous.catalog is not None
    return again.coupling_state.catalog is previous.catalog


@pytest.mark.parametrize("kind", list(EDITS))
def test_data_couplings_after_an_edit_are_those_of_a_full_derivation(root: Path, kind: str) -> None:
    first, full = _derive(root, None)
    assert first.couplings == full.couplings
    assert first.coupling_state is not None
    path, change = EDITS[kind]
    _edit(root / path, change)
    previous = decode(encode(first.coupling_state))
    assert previous is not None

    again, full = _derive(root, previous)

    assert again.couplings == full.couplings
    assert again.external_imports == full.external_imports
    assert again.data == full.data != DataCatalog()
    # A function added at the end changes nothing the catalog reads: it is kept. The other
    # edits change data facts (or move them to other lines): it is built again.
    assert _kept(again, previous) is (kind == "appended function")


def test_a_changed_name_the_catalog_asked_about_rebuilds_it(root: Path) -> None:
    first, _ = _derive(root, None)
    state = first.coupling_state
    assert state is not None
    # As if building the catalog had asked catalog.services what ``get_sellable_product`` is.
    asked = (*state.data_asked, ("shop.catalog.services", frozenset({"get_sellable_product"})))
    _edit(root / "shop/catalog/services.py", _removed_function)
    previous = replace(state, data_asked=asked)

    again, full = _derive(root, previous)

    assert not _kept(again, previous)
    assert again.data == full.data != DataCatalog()
    assert again.couplings == full.couplings


def test_damaged_catalog_values_build_the_catalog_again(root: Path) -> None:
    first, _ = _derive(root, None)
    state = first.coupling_state
    assert state is not None and state.catalog is not None
    _edit(root / "shop/catalog/services.py", _appended_function)
    models, *rest = state.catalog
    assert isinstance(models, tuple)
    damaged = replace(state, catalog=((models[0][:-1], *models[1:]), *rest))

    again, full = _derive(root, damaged)

    assert not _kept(again, damaged)
    assert again.data == full.data != DataCatalog()


def test_with_the_flows_a_kept_catalog_gives_the_flows_of_a_full_derivation(root: Path) -> None:
    first, _ = _derive(root, None, flows="all")
    assert first.coupling_state is not None
    # Nothing the catalog reads changes: it is kept, and the flows are built from it.
    _edit(root / "shop/catalog/services.py", _appended_function)
    previous = decode(encode(first.coupling_state))
    assert previous is not None

    again, full = _derive(root, previous, flows="all")

    assert _kept(again, previous)
    assert again.couplings == full.couplings
    assert again.data == full.data != DataCatalog()
    assert again.flows is not None and full.flows is not None
    assert full.flows.entries and full.flows.joins
    for part in ("entries", "hooks", "transactions", "joins", "loops", "definers"):
        assert getattr(again.flows, part) == getattr(full.flows, part), part
