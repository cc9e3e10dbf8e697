"""Fund set-up by host administrators: rules, banks, and ceilings never below what is in use."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import services
from sangsaeng.finance.models import FundBank, LoanFund
from sangsaeng.finance.tests.factories import EOK, make_application

pytestmark = pytest.mark.django_db


def _send(client, method, url, data):
    return client.generic(method, url, data=json.dumps(data), content_type="application/json")


def test_admin_creates_a_fund_and_adds_a_bank(cast, login):
    client = login(cast.host_admin)

    fund = _send(
        client,
        "POST",
        "/api/v1/finance/funds",
        {
            "name": "2027 펀드",
            "total_krw": 1000 * EOK,
            "valid_from": "2027-01-01",
            "limits_by_tier": {"1": 10 * EOK},
        },
    )
    assert fund.status_code == 201, fund.content
    pool = _send(
        client,
        "POST",
        f"/api/v1/finance/funds/{fund.json()['id']}/banks",
        {
            "bank_id": cast.bank.pk,
            "deposit_krw": 100 * EOK,
            "pool_krw": 300 * EOK,
            "base_rate": "4.2",
            "reduction": "1.8",
        },
    )

    assert pool.status_code == 201, pool.content
    assert pool.json()["fund_rate"] == "2.400"
    assert AuditEvent.objects.filter(action__in=("finance.create_fund", "finance.add_fund_bank")).count() == 2


@pytest.mark.parametrize("who", ["program_manager", "partner_owner", "loan_officer"])
def test_only_host_admins_set_up_funds(cast, fund, pool, login, who):
    client = login(getattr(cast, who))

    assert _send(client, "PATCH", f"/api/v1/finance/funds/{fund.pk}", {"name": "x"}).status_code == 403
    assert _send(client, "PATCH", f"/api/v1/finance/pools/{pool.pk}", {"pool_krw": 1}).status_code == 403
    assert LoanFund.objects.get(pk=fund.pk).name == fund.name


def test_a_pool_cannot_shrink_below_what_is_reserved(cast, fund, pool):
    application = make_application(cast.partner, pool, cast.partner_owner, amount_krw=3 * EOK)
    services.recommend_application(actor=cast.program_manager, application=application)

    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.update_bank(actor=cast.host_admin, pool=pool, values={"pool_krw": 2 * EOK})
    assert "pool_krw" in error.value.error_dict
    assert AuditEvent.objects.count() == events
    services.update_bank(actor=cast.host_admin, pool=pool, values={"pool_krw": 3 * EOK, "reduction": "2.5"})

    pool.refresh_from_db()
    assert (pool.pool_krw, str(pool.reduction)) == (3 * EOK, "2.500")
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == 3 * EOK


def test_fund_total_cannot_drop_below_what_is_reserved(cast, fund, pool):
    application = make_application(cast.partner, pool, cast.partner_owner, amount_krw=3 * EOK)
    services.recommend_application(actor=cast.program_manager, application=application)

    with pytest.raises(ValidationError):
        services.update_fund(actor=cast.host_admin, fund=fund, values={"total_krw": 2 * EOK})
    services.update_fund(actor=cast.host_admin, fund=fund, values={"total_krw": 5 * EOK, "name": "개편"})

    fund.refresh_from_db()
    assert (fund.total_krw, fund.name, fund.reserved_krw) == (5 * EOK, "개편", 3 * EOK)
