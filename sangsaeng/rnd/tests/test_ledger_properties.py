"""Property test of the ledger: whatever sequence of commitments and payments is attempted, the
database never holds committed > available or paid > committed, and the ledger lines add up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangsaeng.rnd import services
from sangsaeng.rnd.models import FundYear, LedgerEntry, MilestoneStatus, ProposalStatus
from sangsaeng.rnd.tests.factories import make_call, make_fund_year, make_proposal


class _Rollback(Exception):
    """Undo one example's rows so the next example starts clean."""


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    budget=st.integers(0, 1_000),
    requests=st.lists(st.integers(2, 400), min_size=1, max_size=6),
    pay=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_the_ledger_never_overcommits_or_overpays(cast, budget, requests, pay):
    try:
        with transaction.atomic():
            call = make_call(make_fund_year(budget), max_per_partner_krw=10**9)
            call.decisions_published_at = timezone.now()
            call.save()
            committed = 0
            for k, amount in enumerate(requests):
                proposal = make_proposal(
                    call, cast.partner, status=ProposalStatus.SELECTED, requested_krw=amount
                )
                try:
                    agreement = services.create_agreement(actor=cast.program_manager, proposal=proposal)
                except ValidationError:
                    assert committed + amount > budget
                    continue
                committed += amount
                if pay[k]:
                    milestone = agreement.milestones.order_by("order").first()
                    milestone.status = MilestoneStatus.SUBMITTED
                    milestone.save()
                    services.accept_milestone(
                        actor=cast.program_manager, milestone=milestone, idempotency_key=f"{call.pk}-{k}"
                    )
            year = FundYear.objects.get(pk=call.fund_year_id)
            assert year.committed_krw == committed <= year.available_krw
            assert year.paid_krw <= year.committed_krw
            ledger = LedgerEntry.objects.filter(fund_year=year)
            assert (
                ledger.filter(kind="commitment").aggregate(s=Sum("amount_krw"))["s"] or 0
            ) == year.committed_krw
            assert (ledger.filter(kind="payment").aggregate(s=Sum("amount_krw"))["s"] or 0) == year.paid_krw
            raise _Rollback
    except _Rollback:
        pass
