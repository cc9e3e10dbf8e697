"""Repayment corrections: a wrong entry is never edited; a reversal plus a new entry, with a reason,
by the loan's bank, audited. Balance, interest saved, overdue status, loan status and headroom follow;
refusals change nothing; the API takes an Idempotency-Key."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sangsaeng.core import dates, workflow
from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import selectors, services
from sangsaeng.finance.models import CompanyExposure, FundBank, Loan, LoanApplication, LoanFund, Repayment
from sangsaeng.finance.tests.factories import EOK, backdate, make_application, make_pool

pytestmark = pytest.mark.django_db

MAN = 10_000


def _loan(cast, pool, amount=12_000 * MAN, days_ago=100):
    application = make_application(
        cast.partner, pool, cast.partner_owner, amount_krw=amount, method="equal_principal", term_months=12
    )
    services.recommend_application(actor=cast.program_manager, application=application)
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dates.today() - dt.timedelta(days=days_ago))
    return services.disburse_loan(
        actor=cast.loan_officer,
        application=application,
        disbursed_on=dates.today() - dt.timedelta(days=days_ago),
    )


def _first_due(loan):
    return loan.instalments.order_by("number").first()


def _state(loan):
    loan = Loan.objects.get(pk=loan.pk)
    return (
        loan.balance_krw,
        loan.status,
        loan.saving_krw,
        loan.next_due_on,
        Repayment.objects.filter(loan=loan).count(),
        AuditEvent.objects.count(),
        _counters(loan),
    )


def _counters(loan):
    exposure = CompanyExposure.objects.get(fund_id=loan.pool.fund_id, partner=loan.partner)
    pool = FundBank.objects.get(pk=loan.pool_id)
    fund = LoanFund.objects.get(pk=loan.pool.fund_id)
    return [(row.outstanding_krw, row.reserved_krw) for row in (exposure, pool, fund)]


def _assert_counters_match_the_loans(fund_id):
    loans = Loan.objects.filter(pool__fund_id=fund_id)
    reserved = LoanApplication.objects.filter(fund_id=fund_id)
    fund = LoanFund.objects.get(pk=fund_id)
    assert fund.outstanding_krw == sum(loan.balance_krw for loan in loans)
    assert fund.reserved_krw == sum(a.reserved_krw for a in reserved)
    assert fund.outstanding_krw + fund.reserved_krw <= fund.total_krw
    for pool in FundBank.objects.filter(fund_id=fund_id):
        assert pool.outstanding_krw == sum(loan.balance_krw for loan in loans if loan.pool_id == pool.pk)
        assert pool.outstanding_krw + pool.reserved_krw <= pool.pool_krw
    for exposure in CompanyExposure.objects.filter(fund_id=fund_id):
        mine = [loan for loan in loans if loan.partner_id == exposure.partner_id]
        assert exposure.outstanding_krw == sum(loan.balance_krw for loan in mine)
        assert exposure.outstanding_krw + exposure.reserved_krw <= exposure.limit_krw


def test_wrong_amount_is_reversed_and_re_entered_and_everything_follows(cast, pool):
    loan = _loan(cast, pool)
    first = _first_due(loan)
    wrong = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=first.due_on, principal_krw=5_000 * MAN, interest_krw=10
    )
    events = AuditEvent.objects.count()

    reversal, replacement = services.correct_repayment(
        actor=cast.loan_officer,
        repayment=wrong,
        reason="입력 오류: 원금 1천만 원",
        principal_krw=first.principal_krw,
        interest_krw=first.interest_krw,
    )

    loan.refresh_from_db()
    assert loan.balance_krw == 12_000 * MAN - first.principal_krw
    # the wrong entry is untouched; the reversal points at it; the new entry replaces it
    wrong_again = Repayment.objects.get(pk=wrong.pk)
    assert (wrong_again.principal_krw, wrong_again.kind) == (5_000 * MAN, "payment")
    assert (reversal.kind, reversal.reverses_id, reversal.principal_krw) == (
        "reversal",
        wrong.pk,
        5_000 * MAN,
    )
    assert (replacement.replaces_id, replacement.principal_krw) == (wrong.pk, first.principal_krw)
    assert replacement.reason == reversal.reason == "입력 오류: 원금 1천만 원"
    assert [c[0] for c in _counters(loan)] == [loan.balance_krw] * 3
    _assert_counters_match_the_loans(pool.fund_id)
    # the saving is what a right entry from the start would have given
    assert loan.saving_krw == services.loans._replay(loan, [(first.due_on, first.principal_krw)])[1]
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("seq")
    assert event.action == "finance.correct_repayment"
    assert event.changes["principal_krw"] == [5_000 * MAN, first.principal_krw]
    # the loan page shows the ledger with the reason and the reversed entry
    lines = selectors.repayments_with_timing(loan)
    assert [line.timing for line in lines] == ["reversed", "reversal", "on_time"]


def test_correcting_the_date_makes_the_loan_overdue_again(cast, pool):
    loan = _loan(cast, pool, days_ago=70)
    first = _first_due(loan)
    second = loan.instalments.get(number=2)
    assert second.due_on < dates.today()
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=first.due_on, principal_krw=2 * first.principal_krw
    )
    loan.refresh_from_db()
    assert loan.next_due_on >= dates.today()  # both instalments covered: not overdue
    assert loan not in selectors.overdue_loans(pool.fund, dates.today())

    services.correct_repayment(
        actor=cast.loan_officer, repayment=paid, reason="한 달 치만 입금됨", principal_krw=first.principal_krw
    )

    loan.refresh_from_db()
    assert loan.next_due_on == second.due_on
    assert loan in selectors.overdue_loans(pool.fund, dates.today())
    _assert_counters_match_the_loans(pool.fund_id)


def test_voiding_the_payment_that_repaid_the_loan_reopens_it(cast, pool):
    loan = _loan(cast, pool, amount=3 * EOK)
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=_first_due(loan).due_on, principal_krw=3 * EOK
    )
    loan.refresh_from_db()
    assert (loan.status, loan.application.status) == ("repaid", "repaid")

    reversal, replacement = services.correct_repayment(
        actor=cast.loan_officer, repayment=paid, reason="입금 취소", void=True
    )

    loan.refresh_from_db()
    assert replacement is None and reversal.balance_after_krw == 3 * EOK
    assert (loan.status, loan.balance_krw, loan.application.status) == ("active", 3 * EOK, "disbursed")
    _assert_counters_match_the_loans(pool.fund_id)
    # the reopening is the declared REPAID → DISBURSED transition (core.workflow), audited with its reason
    assert workflow.can_transition(LoanApplication(status="repaid"), "disbursed")
    reopened = AuditEvent.objects.get(
        action="finance.correct_repayment_status", object_id=str(loan.application_id)
    )
    assert reopened.changes["status"] == ["repaid", "disbursed"]
    assert reopened.changes["reason"] == "입금 취소"
    # the bank can record the real repayment afterwards
    services.record_repayment(actor=cast.loan_officer, loan=loan, paid_on=dates.today(), principal_krw=EOK)
    _assert_counters_match_the_loans(pool.fund_id)


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("other_loan_officer", PermissionDenied),
        ("partner_owner", PermissionDenied),
        ("program_manager", PermissionDenied),
    ],
)
def test_only_the_loans_bank_corrects_and_nothing_changes(cast, pool, other_pool, who, error):
    loan = _loan(cast, pool)
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=_first_due(loan).due_on, principal_krw=1_000 * MAN
    )
    before = _state(loan)
    with pytest.raises(error):
        services.correct_repayment(actor=getattr(cast, who), repayment=paid, reason="x", principal_krw=1)
    assert _state(loan) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": " ", "principal_krw": 1}, "reason"),
        ({"reason": "x", "principal_krw": 13_000 * MAN}, "principal_krw"),
        ({"reason": "x", "principal_krw": 0, "interest_krw": 0}, "principal_krw"),
        ({"reason": "x", "paid_on": "tomorrow"}, "paid_on"),  # resolved when the test runs
        ({"reason": "x"}, "__all__"),  # nothing different from the original
    ],
)
def test_bad_corrections_are_refused_field_by_field_and_nothing_changes(cast, pool, changes, field):
    loan = _loan(cast, pool)
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=_first_due(loan).due_on, principal_krw=1_000 * MAN
    )
    if changes.get("paid_on") == "tomorrow":
        changes = {**changes, "paid_on": dates.today() + dt.timedelta(days=1)}
    before = _state(loan)
    with pytest.raises(ValidationError) as raised:
        services.correct_repayment(actor=cast.loan_officer, repayment=paid, **changes)
    assert field in raised.value.message_dict
    assert _state(loan) == before


def test_an_entry_is_corrected_once_and_a_reversal_never(cast, pool):
    loan = _loan(cast, pool)
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=_first_due(loan).due_on, principal_krw=1_000 * MAN
    )
    reversal, replacement = services.correct_repayment(
        actor=cast.loan_officer, repayment=paid, reason="오류", principal_krw=900 * MAN
    )
    before = _state(loan)
    for entry in (paid, reversal):
        with pytest.raises(ValidationError):
            services.correct_repayment(
                actor=cast.loan_officer, repayment=entry, reason="again", principal_krw=1
            )
    assert _state(loan) == before
    # the replacement itself can be corrected in turn
    services.correct_repayment(
        actor=cast.loan_officer, repayment=replacement, reason="재수정", principal_krw=800 * MAN
    )
    loan.refresh_from_db()
    assert loan.balance_krw == 12_000 * MAN - 800 * MAN
    _assert_counters_match_the_loans(pool.fund_id)


def test_principal_put_back_must_fit_the_limits_or_nothing_changes(cast, fund):
    small = make_pool(fund, cast.bank, pool_krw=3 * EOK)
    loan = _loan(cast, small, amount=3 * EOK)
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=_first_due(loan).due_on, principal_krw=3 * EOK
    )
    # the freed headroom is taken by a new recommendation
    services.recommend_application(
        actor=cast.program_manager, application=make_application(cast.partner, small, cast.partner_owner)
    )
    before = _state(loan)
    with pytest.raises(ValidationError) as raised:
        services.correct_repayment(actor=cast.loan_officer, repayment=paid, reason="취소", void=True)
    assert raised.value.error_dict["principal_krw"][0].code == "pool_limit"
    assert _state(loan) == before
    _assert_counters_match_the_loans(fund.pk)


def test_api_correction_is_idempotent(cast, pool, login):
    loan = _loan(cast, pool)
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=_first_due(loan).due_on, principal_krw=1_000 * MAN
    )
    url = f"/api/v1/finance/loans/{loan.pk}/repayments/{paid.pk}/corrections"
    body = json.dumps({"reason": "금액 정정", "principal_krw": 700 * MAN})
    client = login(cast.loan_officer)

    missing = client.post(url, data=body, content_type="application/json")
    assert missing.status_code == 422
    assert Repayment.objects.filter(loan=loan).count() == 1

    first = client.post(url, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="fix-1")
    again = client.post(url, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="fix-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["loan_balance_krw"] == 12_000 * MAN - 700 * MAN
    assert first.json()["reversal"]["reverses_id"] == paid.pk
    assert Repayment.objects.filter(loan=loan).count() == 3
    detail = client.get(f"/api/v1/finance/loans/{loan.pk}").json()
    assert [r["kind"] for r in detail["repayments"]] == ["payment", "reversal", "payment"]
    other = login(cast.other_loan_officer).post(
        url, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="fix-2"
    )
    assert other.status_code == 404


def test_bank_corrects_on_the_page_and_the_partner_sees_the_reason(cast, pool, login):
    loan = _loan(cast, pool)
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=_first_due(loan).due_on, principal_krw=1_000 * MAN
    )
    url = reverse("finance:correct_repayment", args=[loan.pk, paid.pk])
    officer = login(cast.loan_officer)
    assert url in officer.get(reverse("finance:loan", args=[loan.pk])).content.decode()
    assert officer.get(url).status_code == 200
    bad = officer.post(
        url, {"paid_on": paid.paid_on.isoformat(), "principal_krw": 900 * MAN, "interest_krw": 0}
    )
    assert bad.status_code == 422 and Repayment.objects.filter(loan=loan).count() == 1
    done = officer.post(
        url,
        {
            "paid_on": paid.paid_on.isoformat(),
            "principal_krw": 900 * MAN,
            "interest_krw": 0,
            "reason": "통장 확인",
        },
    )
    assert done.status_code == 302
    page = login(cast.partner_owner).get(reverse("finance:loan", args=[loan.pk])).content.decode()
    assert "통장 확인" in page and url not in page
    assert login(cast.partner_owner).get(url).status_code == 403
    assert Decimal(Loan.objects.get(pk=loan.pk).balance_krw) == 12_000 * MAN - 900 * MAN


@pytest.mark.parametrize("entries", [2, 5])
def test_loan_page_runs_a_constant_number_of_queries_with_corrections(
    cast, pool, login, django_assert_max_num_queries, entries
):
    loan = _loan(cast, pool, days_ago=200)
    due = [row for row in loan.instalments.order_by("number") if row.due_on < dates.today()][:entries]
    made = [
        services.record_repayment(
            actor=cast.loan_officer, loan=loan, paid_on=row.due_on, principal_krw=row.principal_krw
        )
        for row in due
    ]
    for entry in made[:2]:
        services.correct_repayment(actor=cast.loan_officer, repayment=entry, reason="x", interest_krw=5)
    with django_assert_max_num_queries(30):
        response = login(cast.loan_officer).get(reverse("finance:loan", args=[loan.pk]))
    assert len(response.context["repayments"]) == entries + 4


def test_bank_file_carries_corrections_all_or_nothing(cast, pool):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sangsaeng.finance.services.bank_files import COLUMNS, import_bank_file

    loan = _loan(cast, pool)
    first = _first_due(loan)
    paid = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=first.due_on, principal_krw=1_000 * MAN
    )
    other = services.record_repayment(
        actor=cast.loan_officer, loan=loan, paid_on=first.due_on, principal_krw=100 * MAN
    )

    def upload(*rows):
        header = [*COLUMNS, "repayment_id"]
        lines = [",".join(header)] + [",".join("" if c is None else str(c) for c in row) for row in rows]
        return SimpleUploadedFile("bank.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")

    # action, application_id, loan_id, amount_krw, date, annual_rate, principal_krw, interest_krw, reason
    correct = ["correct", None, loan.pk, None, None, None, 800 * MAN, None, "금액 정정", paid.pk]
    reverse_row = ["reverse", None, loan.pk, None, None, None, None, None, "중복 입력", other.pk]
    bad = ["reverse", None, loan.pk, None, None, None, None, None, "", other.pk]  # no reason
    before = _state(loan)

    report = import_bank_file(actor=cast.loan_officer, upload=upload(correct, bad))
    assert not report.ok and report.errors[0][0] == 3
    assert _state(loan) == before

    report = import_bank_file(actor=cast.loan_officer, upload=upload(correct, reverse_row))
    assert report.ok and report.done == {"correct": 1, "reverse": 1}
    loan.refresh_from_db()
    assert loan.balance_krw == 12_000 * MAN - 800 * MAN
    _assert_counters_match_the_loans(pool.fund_id)
