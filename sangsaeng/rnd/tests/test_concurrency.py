"""Races: 50 concurrent agreement approvals against a budget that fits k commit exactly k; concurrent
retries of one payment pay once. Real threads and connections (transaction=True), SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sangsaeng.core.testing import race
from sangsaeng.rnd import services
from sangsaeng.rnd.models import Agreement, FundYear, MilestoneStatus, Payment, ProposalStatus
from sangsaeng.rnd.tests.factories import make_call, make_fund_year, make_proposal


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_agreements_against_a_budget_for_k_commit_exactly_k(cast):
    amount, k = 10_000_000, 7
    call = make_call(make_fund_year(amount * k + amount // 2), max_per_partner_krw=10**12)
    proposals = [
        make_proposal(call, cast.partner, status=ProposalStatus.SELECTED, requested_krw=amount, title=f"p{n}")
        for n in range(50)
    ]
    type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())

    succeeded, errors = race(
        *[lambda p=p: services.create_agreement(actor=cast.program_manager, proposal=p) for p in proposals]
    )

    assert succeeded == k
    assert len(errors) == 50 - k and all(isinstance(e, ValidationError) for e in errors), errors[:3]
    year = FundYear.objects.get(pk=call.fund_year_id)
    assert year.committed_krw == amount * k == sum(a.amount_krw for a in Agreement.objects.all())


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_payment_pay_once(cast):
    call = make_call(make_fund_year(10**9))
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED)
    type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
    agreement = services.create_agreement(actor=cast.program_manager, proposal=proposal)
    milestone = agreement.milestones.order_by("order").first()
    milestone.status = MilestoneStatus.SUBMITTED
    milestone.save()

    succeeded, errors = race(
        *[
            lambda: services.accept_milestone(
                actor=cast.program_manager, milestone=milestone, idempotency_key="retry"
            )
            for _ in range(8)
        ]
    )

    assert (succeeded, errors) == (8, [])
    assert Payment.objects.count() == 1
    assert Agreement.objects.get(pk=agreement.pk).paid_krw == milestone.amount_krw
