"""Synthetic demo data: valid identity numbers and deterministic, distinct fictional names."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sangsaeng.demo import synthetic
from sangsaeng.partners.validators import normalize_brn, normalize_corporate_number


@pytest.mark.parametrize(
    ("brn", "valid"),
    [("1168200276", True), ("1348672683", True), ("1168200278", False), ("1000100019", False)],
)
def test_brn_rule_matches_the_domain_vectors(brn, valid):
    assert synthetic.is_valid_brn(brn) is valid


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_identity_numbers_pass_the_registry_validators(seed):
    rng = random.Random(seed)
    brn = synthetic.make_brn(rng)
    corporate = synthetic.corporate_number(rng)
    assert synthetic.is_valid_brn(brn)
    assert normalize_brn(brn) == brn
    assert normalize_corporate_number(corporate) == corporate


def test_unique_brns_are_distinct_and_avoid_taken_numbers():
    taken = set(synthetic.unique_brns(random.Random(1), 50))
    fresh = synthetic.unique_brns(random.Random(1), 500, taken=taken)
    assert len(set(fresh)) == 500
    assert not taken & set(fresh)


def test_company_names_are_deterministic_distinct_and_skip_excluded_names():
    def first(n, seed):
        names = synthetic.company_names(seed, exclude=frozenset({"하이테크", "이루온"}))
        return [next(names) for _ in range(n)]

    names = first(3000, seed=7)
    assert names == first(3000, seed=7)
    assert len({n.name_ko for n in names}) == 3000
    assert len({n.domain for n in names}) == 3000
    assert not {"하이테크", "이루온"} & {n.name_ko for n in names}
