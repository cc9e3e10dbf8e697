"""A little of everything that moves money or capacity, made through the services (R&D agreement and
payment, a loan recommended, disbursed and partly repaid, a second one held, an Open Lab booking), for
the invariant checks and the backup/restore drill."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sangsaeng.finance import services as finance
from sangsaeng.finance.models import Loan, LoanApplication
from sangsaeng.finance.tests.factories import EOK, backdate, make_fund, make_pool
from sangsaeng.openlab import services as openlab
from sangsaeng.openlab.models import Booking
from sangsaeng.openlab.tests.factories import at, make_resource, next_weekday
from sangsaeng.rnd import services as rnd
from sangsaeng.rnd.models import Agreement, ProposalStatus
from sangsaeng.rnd.tests.factories import make_call, make_proposal


@dataclass
class OperationsData:
    agreement: Agreement
    loan: Loan
    held: LoanApplication
    booking: Booking


def make_operations_data(cast: Any) -> OperationsData:
    fund_year = rnd.create_fund(
        actor=cast.program_manager, name="5G 공동 R&D", years=[(2031, 2_000_000_000)]
    ).years.get()
    call = make_call(fund_year, decisions_published_at=timezone.now())
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED)
    agreement = rnd.create_agreement(actor=cast.program_manager, proposal=proposal)
    milestone = agreement.milestones.order_by("order").first()
    assert milestone is not None
    rnd.submit_milestone(actor=cast.partner_owner, milestone=milestone, report="설계 완료")
    rnd.accept_milestone(actor=cast.program_manager, milestone=milestone, idempotency_key="ops-drill-1")

    fund = make_fund()
    pool = make_pool(fund, cast.bank)
    application = finance.apply_for_loan(
        actor=cast.partner_owner,
        fund=fund,
        pool=pool,
        amount_krw=3 * EOK,
        purpose="working",
        term_months=12,
        method="equal_payment",
    )
    finance.recommend_application(actor=cast.program_manager, application=application)
    finance.bank_approve(actor=cast.loan_officer, application=application)
    # Applied and recommended before the disbursement (disburse_loan refuses a date before the letter).
    backdate(application, timezone.localdate() - dt.timedelta(days=40))
    loan = finance.disburse_loan(
        actor=cast.loan_officer,
        application=application,
        disbursed_on=timezone.localdate() - dt.timedelta(days=40),
    )
    finance.record_repayment(
        actor=cast.loan_officer,
        loan=loan,
        paid_on=timezone.localdate(),
        principal_krw=EOK // 4,
        interest_krw=1_000_000,
    )
    held = finance.apply_for_loan(
        actor=cast.other_partner_owner,
        fund=fund,
        pool=pool,
        amount_krw=2 * EOK,
        purpose="facilities",
        term_months=24,
        method="equal_principal",
    )
    held = finance.recommend_application(actor=cast.program_manager, application=held)

    resource = make_resource(needs_approval=False)
    day = next_weekday()
    booking = openlab.book(
        actor=cast.partner_owner, resources=[resource], start=at(day, 10), end=at(day, 12), purpose="측정"
    )
    loan.refresh_from_db()
    return OperationsData(agreement=agreement, loan=loan, held=held, booking=booking)
