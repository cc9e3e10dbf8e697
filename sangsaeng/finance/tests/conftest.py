"""Fixtures of the loan fund tests: a fund with pools at the cast's two banks."""

from __future__ import annotations

import pytest

from sangsaeng.finance.tests.factories import make_fund, make_pool


@pytest.fixture
def fund(db):
    return make_fund()


@pytest.fixture
def pool(fund, cast):
    return make_pool(fund, cast.bank)


@pytest.fixture
def other_pool(fund, cast):
    return make_pool(fund, cast.other_bank)
