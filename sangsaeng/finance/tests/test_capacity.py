"""Capacity invariants: whatever the sequence of workflow steps, outstanding + reserved stays within
each bank pool, the fund and each company's limit, and the counters equal the sum of the parts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangsaeng.finance import services
from sangsaeng.finance.models import CompanyExposure, FundBank, Loan, LoanApplication, LoanFund
from sangsaeng.finance.tests.factories import EOK, backdate, make_application, make_fund, make_pool

steps = st.lists(
    st.tuples(
        st.sampled_from(["recommend", "approve", "bank_reject", "disburse", "repay", "expire", "apply"]),
        st.integers(min_value=0, max_value=9),
        st.integers(min_value=1, max_value=6),
    ),
    max_size=25,
)


def _check_invariants():
    for fund in LoanFund.objects.all():
        assert 0 <= fund.outstanding_krw + fund.reserved_krw <= fund.total_krw
    for pool in FundBank.objects.all():
        assert 0 <= pool.outstanding_krw + pool.reserved_krw <= pool.pool_krw
        reserved = sum(a.reserved_krw for a in LoanApplication.objects.filter(pool=pool))
        outstanding = sum(loan.balance_krw for loan in Loan.objects.filter(pool=pool))
        assert (pool.reserved_krw, pool.outstanding_krw) == (reserved, outstanding)
    for exposure in CompanyExposure.objects.all():
        assert 0 <= exposure.outstanding_krw + exposure.reserved_krw <= exposure.limit_krw


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_counters_never_exceed_ceilings_and_match_the_parts(cast, steps):
    fund = make_fund(total_krw=12 * EOK, limits_by_tier={"1": 7 * EOK})
    pools = [make_pool(fund, cast.bank, pool_krw=8 * EOK), make_pool(fund, cast.other_bank, pool_krw=6 * EOK)]
    partners = [cast.partner, cast.other_partner]
    apps: list[LoanApplication] = []
    for action, index, eok in steps:
        try:
            with transaction.atomic():
                if action == "apply" or not apps:
                    apps.append(
                        make_application(
                            partners[index % 2],
                            pools[index % 2 - 1],
                            cast.partner_owner,
                            amount_krw=eok * EOK,
                        )
                    )
                    continue
                application = LoanApplication.objects.get(pk=apps[index % len(apps)].pk)
                if action == "recommend":
                    services.recommend_application(actor=cast.program_manager, application=application)
                elif action == "approve":
                    services.bank_approve(
                        actor=cast.loan_officer
                        if application.pool.bank_id == cast.bank.pk
                        else cast.other_loan_officer,
                        application=application,
                        amount_krw=max(1, application.reserved_krw - EOK // 2),
                    )
                elif action == "bank_reject":
                    officer = (
                        cast.loan_officer
                        if application.pool.bank_id == cast.bank.pk
                        else cast.other_loan_officer
                    )
                    services.bank_reject(actor=officer, application=application, reason="x")
                elif action == "disburse":
                    officer = (
                        cast.loan_officer
                        if application.pool.bank_id == cast.bank.pk
                        else cast.other_loan_officer
                    )
                    backdate(application, dt.date(2025, 1, 6))
                    services.disburse_loan(
                        actor=officer, application=application, disbursed_on=dt.date(2025, 1, 6)
                    )
                elif action == "repay":
                    loan = Loan.objects.filter(application=application, status="active").first()
                    if loan is not None:
                        officer = (
                            cast.loan_officer
                            if loan.pool.bank_id == cast.bank.pk
                            else cast.other_loan_officer
                        )
                        services.record_repayment(
                            actor=officer,
                            loan=loan,
                            paid_on=loan.saving_accrued_until,
                            principal_krw=min(loan.balance_krw, eok * EOK // 2),
                        )
                elif action == "expire":
                    services.expire_recommendations(today=dt.date(2099, 1, 1))
        except ValidationError:
            pass
        _check_invariants()


@pytest.mark.django_db
def test_the_database_refuses_a_pool_over_its_ceiling(fund, pool):
    with pytest.raises(IntegrityError), transaction.atomic():
        FundBank.objects.filter(pk=pool.pk).update(reserved_krw=pool.pool_krw + 1)
