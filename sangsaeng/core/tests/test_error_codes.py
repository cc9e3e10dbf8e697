"""Error codes per domain: the core's, an app's enum, the one flat namespace."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import translation

from sangsaeng.core import error_codes
from sangsaeng.core.error_codes import ErrorCode, register_error_codes


@pytest.fixture
def clean_registry():
    saved = dict(error_codes._CODES)
    yield
    error_codes._CODES.clear()
    error_codes._CODES.update(saved)


def test_the_core_codes_are_registered_with_their_statuses():
    codes = {item.code: item for item in error_codes.registered_codes()}

    for code in (
        "invalid",
        "unauthenticated",
        "forbidden",
        "not_found",
        "conflict",
        "invalid_transition",
        "state_changed",
        "rate_limited",
        "out_of_range",
        "unavailable",
        "server_error",
        "idempotency_in_progress",
        "idempotency_mismatch",
    ):
        assert codes[code].domain == "core"
    assert error_codes.http_status("invalid_transition") == 422
    assert error_codes.http_status("state_changed") == 409
    assert error_codes.http_status("no_such_code") == 422
    assert not error_codes.is_registered("no_such_code") and not error_codes.is_registered(None)


def test_descriptions_are_translated():
    with translation.override("ko"):
        korean = str(error_codes.lookup(ErrorCode.STATE_CHANGED).description)

    assert korean != str(ErrorCode.STATE_CHANGED.label)


def test_an_app_registers_its_own_enum_with_statuses(clean_registry):
    @register_error_codes("finance", statuses={"pool_exhausted": 409})
    class FinanceErrorCode(models.TextChoices):
        POOL_EXHAUSTED = "pool_exhausted", "The bank's pool has not enough left."
        OVER_LIMIT = "over_company_limit", "Above the company's limit."

    assert error_codes.lookup("pool_exhausted").domain == "finance"
    assert error_codes.http_status(FinanceErrorCode.POOL_EXHAUSTED) == 409
    assert error_codes.http_status(FinanceErrorCode.OVER_LIMIT) == 422
    listed = [item.code for item in error_codes.registered_codes()]
    assert listed.index("pool_exhausted") > listed.index("idempotency_mismatch")  # core first


def test_a_code_belongs_to_one_domain(clean_registry):
    with pytest.raises(ImproperlyConfigured, match="already registered by 'core'"):

        @register_error_codes("rnd")
        class Clash(models.TextChoices):
            CONFLICT = "conflict", "Mine too"
