"""The loan workflow services: apply → recommend → bank approve → disburse → repay, and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import services
from sangsaeng.finance.models import CompanyExposure, FundBank, LoanApplication, LoanFund, Repayment
from sangsaeng.finance.tests.factories import EOK, backdate, make_application
from sangsaeng.partners.models import PartnerStatus

pytestmark = pytest.mark.django_db


def _counters(pool: FundBank) -> tuple[int, int, int, int]:
    pool.refresh_from_db()
    fund = LoanFund.objects.get(pk=pool.fund_id)
    return pool.outstanding_krw, pool.reserved_krw, fund.outstanding_krw, fund.reserved_krw


def _apply(cast, fund, pool, **overrides):
    values = {
        "actor": cast.partner_owner,
        "fund": fund,
        "pool": pool,
        "amount_krw": 3 * EOK,
        "purpose": "working",
        "term_months": 12,
        "method": "equal_payment",
    }
    values.update(overrides)
    return services.apply_for_loan(**values)


def test_partner_applies_for_its_own_company(cast, fund, pool):
    application = _apply(cast, fund, pool, use_of_funds="원자재 구매")

    assert application.partner == cast.partner
    assert application.status == "applied"
    assert (
        AuditEvent.objects.filter(action="finance.apply_for_loan", object_id=str(application.pk)).count() == 1
    )


def test_application_above_the_tier_limit_is_refused(cast, fund, pool):
    with pytest.raises(ValidationError) as error:
        _apply(cast, fund, pool, amount_krw=11 * EOK)

    assert "amount_krw" in error.value.error_dict
    assert LoanApplication.objects.count() == 0


@pytest.mark.parametrize("who", ["loan_officer", "program_manager", "observer"])
def test_only_partner_people_apply(cast, fund, pool, who):
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        _apply(cast, fund, pool, actor=getattr(cast, who))
    assert LoanApplication.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_recommendation_reserves_against_company_pool_and_fund(cast, fund, pool):
    application = _apply(cast, fund, pool)

    services.recommend_application(actor=cast.program_manager, application=application, amount_krw=2 * EOK)

    application.refresh_from_db()
    assert application.status == "recommended"
    assert application.reserved_krw == 2 * EOK
    assert application.recommendation.serial.startswith("SS-")
    assert _counters(pool) == (0, 2 * EOK, 0, 2 * EOK)
    assert CompanyExposure.objects.get(partner=cast.partner).reserved_krw == 2 * EOK


@pytest.mark.parametrize("who", ["reviewer", "auditor", "loan_officer", "partner_owner"])
def test_only_host_managers_recommend(cast, fund, pool, who):
    application = _apply(cast, fund, pool)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.recommend_application(actor=getattr(cast, who), application=application)

    application.refresh_from_db()
    assert application.status == "applied"
    assert _counters(pool) == (0, 0, 0, 0)
    assert AuditEvent.objects.count() == events


def test_recommendation_refused_for_a_suspended_partner_or_missing_fair_trade(cast, fund, pool):
    application = _apply(cast, fund, pool)
    fund.requires_fair_trade = True
    fund.save()
    type(cast.partner).objects.filter(pk=cast.partner.pk).update(status=PartnerStatus.SUSPENDED)

    with pytest.raises(ValidationError) as error:
        services.recommend_application(actor=cast.program_manager, application=application)

    assert len(error.value.messages) == 2
    assert _counters(pool) == (0, 0, 0, 0)


def test_company_limit_counts_all_its_loans(cast, fund, pool, other_pool):
    first = make_application(cast.partner, pool, cast.partner_owner, amount_krw=8 * EOK)
    second = make_application(cast.partner, other_pool, cast.partner_owner, amount_krw=3 * EOK)
    services.recommend_application(actor=cast.program_manager, application=first)

    with pytest.raises(ValidationError) as error:
        services.recommend_application(actor=cast.program_manager, application=second)

    assert error.value.error_dict["amount_krw"][0].code == "company_limit"
    second.refresh_from_db()
    assert second.status == "applied"
    assert _counters(other_pool) == (0, 0, 0, 8 * EOK)


def test_pool_limit_refuses_what_does_not_fit(cast, fund):
    from sangsaeng.finance.tests.factories import make_pool

    small = make_pool(fund, cast.bank, pool_krw=4 * EOK)
    application = make_application(cast.partner, small, cast.partner_owner, amount_krw=5 * EOK)

    with pytest.raises(ValidationError) as error:
        services.recommend_application(actor=cast.program_manager, application=application)

    assert error.value.error_dict["amount_krw"][0].code == "pool_limit"
    assert _counters(small) == (0, 0, 0, 0)
    assert not CompanyExposure.objects.filter(partner=cast.partner, reserved_krw__gt=0).exists()


def test_host_rejects_with_a_reason(cast, fund, pool):
    application = _apply(cast, fund, pool)

    with pytest.raises(ValidationError):
        services.reject_application(actor=cast.program_manager, application=application, reason=" ")
    services.reject_application(actor=cast.program_manager, application=application, reason="서류 미비")

    application.refresh_from_db()
    assert (application.status, application.status_reason) == ("rejected", "서류 미비")


def _recommended(cast, fund, pool, amount=3 * EOK, **fields):
    application = make_application(cast.partner, pool, cast.partner_owner, amount_krw=amount, **fields)
    return services.recommend_application(actor=cast.program_manager, application=application)


def test_bank_approves_a_lower_amount_and_releases_the_difference(cast, fund, pool):
    application = _recommended(cast, fund, pool)

    services.bank_approve(actor=cast.loan_officer, application=application, amount_krw=2 * EOK)

    application.refresh_from_db()
    assert (application.status, application.approved_krw, application.reserved_krw) == (
        "bank_approved",
        2 * EOK,
        2 * EOK,
    )
    assert _counters(pool) == (0, 2 * EOK, 0, 2 * EOK)


def test_officer_of_another_bank_cannot_decide(cast, fund, pool):
    application = _recommended(cast, fund, pool)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.bank_approve(actor=cast.other_loan_officer, application=application)
    with pytest.raises(PermissionDenied):
        services.bank_approve(actor=cast.program_manager, application=application)

    application.refresh_from_db()
    assert application.status == "recommended"
    assert AuditEvent.objects.count() == events


def test_bank_rejection_releases_the_reservation(cast, fund, pool):
    application = _recommended(cast, fund, pool)

    services.bank_reject(actor=cast.loan_officer, application=application, reason="신용등급")

    assert _counters(pool) == (0, 0, 0, 0)
    assert CompanyExposure.objects.get(partner=cast.partner).reserved_krw == 0


def test_disbursement_moves_reserved_to_outstanding_and_builds_the_schedule(cast, fund, pool):
    application = _recommended(cast, fund, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)

    backdate(application, dt.date(2026, 1, 5))
    loan = services.disburse_loan(
        actor=cast.loan_officer, application=application, disbursed_on=dt.date(2026, 1, 5)
    )

    assert loan.annual_rate == Decimal("3.500")
    assert loan.instalments.count() == 12
    assert sum(i.principal_krw for i in loan.instalments.all()) == 3 * EOK
    assert _counters(pool) == (3 * EOK, 0, 3 * EOK, 0)


def test_repayments_restore_headroom_and_the_last_one_repays_the_loan(cast, fund, pool):
    application = _recommended(cast, fund, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dt.date(2025, 1, 6))
    loan = services.disburse_loan(
        actor=cast.loan_officer, application=application, disbursed_on=dt.date(2025, 1, 6)
    )

    services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=dt.date(2025, 2, 6), principal_krw=1 * EOK, interest_krw=1
    )
    assert _counters(pool) == (2 * EOK, 0, 2 * EOK, 0)
    services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=dt.date(2025, 3, 6), principal_krw=2 * EOK
    )

    loan.refresh_from_db()
    application.refresh_from_db()
    assert (loan.status, loan.balance_krw, application.status) == ("repaid", 0, "repaid")
    assert _counters(pool) == (0, 0, 0, 0)
    # Saving: 2 %p on 3억 for 31 days, then on 2억 for 28 days (act/365, rounded down each time).
    assert loan.saving_krw == (3 * EOK * 2 * 31) // 36500 + (2 * EOK * 2 * 28) // 36500
    assert Repayment.objects.filter(loan=loan).count() == 2


def test_repayment_above_the_balance_is_refused(cast, fund, pool):
    application = _recommended(cast, fund, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)
    loan = services.disburse_loan(actor=cast.loan_officer, application=application)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        services.record_repayment(
            actor=cast.loan_officer, loan=loan, paid_on=loan.disbursed_on, principal_krw=4 * EOK
        )

    loan.refresh_from_db()
    assert loan.balance_krw == 3 * EOK
    assert AuditEvent.objects.count() == events


def test_unused_recommendations_expire_and_release(cast, fund, pool):
    application = _recommended(cast, fund, pool)
    application.refresh_from_db()

    assert services.expire_recommendations(today=application.expires_on) == 0
    assert services.expire_recommendations(today=application.expires_on + dt.timedelta(days=1)) == 1

    application.refresh_from_db()
    assert (application.status, application.reserved_krw) == ("expired", 0)
    assert _counters(pool) == (0, 0, 0, 0)
    assert AuditEvent.objects.filter(action="finance.expire_recommendation").count() == 1


def test_the_expiry_task_runs_the_service(cast, fund, pool):
    from sangsaeng.finance.tasks import expire_recommendations

    _recommended(cast, fund, pool)

    result = expire_recommendations.enqueue()

    assert result.return_value == 0


def test_overdue_loans_are_notified_to_partner_and_bank(cast, fund, pool):
    from sangsaeng.core.models import Notification

    application = _recommended(cast, fund, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dt.date(2025, 1, 6))
    services.disburse_loan(actor=cast.loan_officer, application=application, disbursed_on=dt.date(2025, 1, 6))
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    assert services.notify_overdue_loans(today=dt.date(2025, 2, 5)) == 0
    assert services.notify_overdue_loans(today=dt.date(2025, 3, 10)) == 1

    recipients = set(Notification.objects.filter(pk__gt=before).values_list("recipient_id", flat=True))
    assert {cast.partner_owner.pk, cast.loan_officer.pk} <= recipients


def test_repayments_are_classed_on_time_early_or_late(cast, fund, pool):
    from sangsaeng.finance import selectors

    application = _recommended(cast, fund, pool, amount=12 * EOK // 10, method="equal_principal")
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dt.date(2025, 1, 6))
    loan = services.disburse_loan(
        actor=cast.loan_officer, application=application, disbursed_on=dt.date(2025, 1, 6)
    )
    schedule = list(loan.instalments.order_by("number"))
    first, second = schedule[0], schedule[1]

    for paid_on, amount in (
        (first.due_on, first.principal_krw),  # on the due day
        (second.due_on + dt.timedelta(days=3), second.principal_krw),  # three days late
        (second.due_on + dt.timedelta(days=4), schedule[2].principal_krw + 1),  # before the third is due
    ):
        services.record_repayment(actor=cast.loan_officer, loan=loan, paid_on=paid_on, principal_krw=amount)

    assert [line.timing for line in selectors.repayments_with_timing(loan)] == ["on_time", "late", "early"]


def test_a_loan_stops_being_overdue_once_the_missed_principal_is_paid(cast, fund, pool):
    from sangsaeng.finance import selectors

    application = _recommended(cast, fund, pool, method="equal_principal")
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dt.date(2025, 1, 6))
    loan = services.disburse_loan(
        actor=cast.loan_officer, application=application, disbursed_on=dt.date(2025, 1, 6)
    )
    first, second = loan.instalments.order_by("number")[:2]
    day_after = first.due_on + dt.timedelta(days=1)
    assert list(selectors.overdue_loans(None, day_after)) == [loan]

    services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=day_after, principal_krw=first.principal_krw
    )

    loan.refresh_from_db()
    assert loan.next_due_on == second.due_on
    assert list(selectors.overdue_loans(None, day_after)) == []


# --- dates follow each other (issue 11 §3) --------------------------------------------------------------
def test_a_loan_cannot_be_disbursed_before_its_recommendation_and_nothing_changes(cast, fund, pool):
    from sangsaeng.core import dates
    from sangsaeng.finance.models import Loan

    application = _recommended(cast, fund, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dates.today() - dt.timedelta(days=10))
    events = AuditEvent.objects.count()
    reserved = FundBank.objects.get(pk=pool.pk).reserved_krw

    with pytest.raises(ValidationError) as error:
        services.disburse_loan(
            actor=cast.loan_officer,
            application=application,
            disbursed_on=dates.today() - dt.timedelta(days=11),
        )

    assert error.value.error_dict["disbursed_on"][0].code == "date_order"
    assert "before the recommendation" in error.value.message_dict["disbursed_on"][0]
    application.refresh_from_db()
    assert application.status == "bank_approved"
    assert not Loan.objects.exists()
    assert AuditEvent.objects.count() == events
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == reserved


def test_a_loan_disbursed_on_the_day_of_its_recommendation_is_accepted(cast, fund, pool):
    from sangsaeng.core import dates

    application = _recommended(cast, fund, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dates.today() - dt.timedelta(days=10))

    loan = services.disburse_loan(
        actor=cast.loan_officer, application=application, disbursed_on=dates.today() - dt.timedelta(days=10)
    )

    assert loan.disbursed_on == dates.today() - dt.timedelta(days=10)


def test_a_repayment_before_the_disbursement_is_refused(cast, fund, pool):
    from sangsaeng.core import dates

    application = _recommended(cast, fund, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)
    loan = services.disburse_loan(
        actor=cast.loan_officer, application=application, disbursed_on=dates.today()
    )

    with pytest.raises(ValidationError) as error:
        services.record_repayment(
            actor=cast.loan_officer,
            loan=loan,
            paid_on=dates.today() - dt.timedelta(days=1),
            principal_krw=EOK,
        )

    assert "paid_on" in error.value.error_dict
    assert not Repayment.objects.filter(loan=loan).exists()
