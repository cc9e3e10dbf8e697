"""Concurrent recommendations (threads acting as app servers): when k fit, exactly k succeed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.core.testing import race
from sangsaeng.finance import services
from sangsaeng.finance.models import CompanyExposure, FundBank, LoanApplication, LoanFund
from sangsaeng.finance.tests.factories import EOK, make_application, make_fund, make_pool
from sangsaeng.partners.tests.factories import make_partner_owner

THREADS = 50


def _manager():
    host = OrganizationFactory(kind=OrganizationKind.HOST)
    return make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host)


@pytest.mark.django_db(transaction=True)
def test_fifty_recommendations_against_a_pool_that_fits_seven_admit_exactly_seven():
    manager = _manager()
    fund = make_fund()
    pool = make_pool(fund, pool_krw=7 * EOK)
    applications = []
    for _ in range(THREADS):
        partner, owner = make_partner_owner()
        applications.append(make_application(partner, pool, owner, amount_krw=EOK))

    succeeded, errors = race(
        *[
            (lambda app=app: services.recommend_application(actor=manager, application=app))
            for app in applications
        ]
    )

    assert succeeded == 7
    assert len(errors) == THREADS - 7 and all(isinstance(e, ValidationError) for e in errors), errors[:3]
    pool.refresh_from_db()
    assert (pool.reserved_krw, pool.outstanding_krw) == (7 * EOK, 0)
    assert LoanApplication.objects.filter(status="recommended").count() == 7
    assert LoanFund.objects.get(pk=fund.pk).reserved_krw == 7 * EOK


@pytest.mark.django_db(transaction=True)
def test_fifty_recommendations_for_one_company_stop_at_its_limit():
    manager = _manager()
    fund = make_fund(limits_by_tier={"1": 5 * EOK})
    partner, owner = make_partner_owner()
    pools = [make_pool(fund), make_pool(fund)]
    applications = [make_application(partner, pools[i % 2], owner, amount_krw=EOK) for i in range(THREADS)]

    succeeded, errors = race(
        *[
            (lambda app=app: services.recommend_application(actor=manager, application=app))
            for app in applications
        ]
    )

    assert succeeded == 5
    assert all(isinstance(e, ValidationError) for e in errors), errors[:3]
    assert CompanyExposure.objects.get(partner=partner).reserved_krw == 5 * EOK
    assert sum(FundBank.objects.values_list("reserved_krw", flat=True)) == 5 * EOK
