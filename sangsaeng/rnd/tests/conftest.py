"""Fixtures of the R&D tests: an open call, reviewers, and a helper to count audit events."""

from __future__ import annotations

import pytest

from sangsaeng.rnd.tests.factories import make_call, make_reviewer


@pytest.fixture
def call(cast):
    return make_call()


@pytest.fixture
def reviewers(cast):
    return [cast.reviewer] + [make_reviewer(email=f"rev{k}@host.example") for k in range(3)]
