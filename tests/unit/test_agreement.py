from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from analyzer.design.evaluate.agreement import (
    adjusted_rand_index,
    agreement,
    mojo_distance,
    mojofm,
    normalized_mutual_information,
)

labelings = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5)), min_size=2, max_size=40)


def as_maps(pairs: list[tuple[int, int]]) -> tuple[dict[str, str], dict[str, str]]:
    return (
        {f"m{i}": f"a{a}" for i, (a, _) in enumerate(pairs)},
        {f"m{i}": f"b{b}" for i, (_, b) in enumerate(pairs)},
    )


@settings(max_examples=300, deadline=None)
@given(labelings)
def test_ari_and_nmi_match_scikit_learn(pairs: list[tuple[int, int]]) -> None:
    proposal, reference = as_maps(pairs)
    keys = sorted(proposal)
    ours_ari = adjusted_rand_index(proposal, reference)
    theirs_ari = adjusted_rand_score([reference[k] for k in keys], [proposal[k] for k in keys])
    assert ours_ari == pytest.approx(theirs_ari, abs=1e-9)
    ours_nmi = normalized_mutual_information(proposal, reference)
    theirs_nmi = normalized_mutual_info_score(
        [reference[k] for k in keys], [proposal[k] for k in keys]
    )
    assert ours_nmi == pytest.approx(theirs_nmi, abs=1e-9)


def test_mojo_by_hand() -> None:
    # A = {1,2,3} {4,5} {6}; B = {1,2} {3,4,5,6}: move 3 into {4,5}, join {6} with it -> 2.
    proposal = {"1": "x", "2": "x", "3": "x", "4": "y", "5": "y", "6": "z"}
    reference = {"1": "P", "2": "P", "3": "Q", "4": "Q", "5": "Q", "6": "Q"}
    assert mojo_distance(proposal, reference) == 2
    # max distance: n - g with g from the sorted reference sizes [2, 4] -> 6 - 2 = 4
    assert mojofm(proposal, reference) == pytest.approx(50.0)


def test_identical_partitions_agree_fully_whatever_the_labels() -> None:
    proposal = {"a": "orders", "b": "orders", "c": "billing", "d": "billing"}
    reference = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert agreement(proposal, reference) == {"ari": 1.0, "nmi": 1.0, "mojofm": 100.0, "items": 4}


def test_only_items_in_both_count() -> None:
    proposal = {"a": "x", "b": "x", "extra": "y"}
    reference = {"a": "1", "b": "1", "c": "2"}
    assert agreement(proposal, reference)["items"] == 2


@settings(max_examples=200, deadline=None)
@given(labelings)
def test_mojofm_is_a_percentage_and_mojo_is_bounded(pairs: list[tuple[int, int]]) -> None:
    proposal, reference = as_maps(pairs)
    assert 0.0 <= mojofm(proposal, reference) <= 100.0
    assert mojo_distance(proposal, reference) <= len(pairs)


def test_a_truths_shared_items_are_left_out_of_the_reference(tmp_path) -> None:
    from reports.json_report import load_reference

    truth = tmp_path / "truth.json"
    truth.write_text(
        '{"modules": {"shop.orders": "orders", "shop.core": "shared"},'
        ' "symbols": {"shop.orders:place": "orders", "shop.core:Money": "shared",'
        ' "shop.orders:helper": "orders"},'
        ' "shared": ["shop.core", "shop.orders:helper"]}'
    )
    assert load_reference(truth) == {
        "modules": {"shop.orders": "orders"},
        "symbols": {"shop.orders:place": "orders"},
    }
