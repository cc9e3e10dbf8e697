"""Selection through publication, agreements committing the budget, milestones, idempotent payments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from sangsaeng.core.models import AuditEvent, AuditImmutableError, Notification
from sangsaeng.rnd import selectors, services
from sangsaeng.rnd.models import (
    Agreement,
    FundYear,
    LedgerEntry,
    MilestoneStatus,
    Payment,
    Proposal,
    ProposalStatus,
)
from sangsaeng.rnd.tests.factories import make_call, make_fund_year, make_proposal, make_review

pytestmark = pytest.mark.django_db


def _reviewed(cast, call, reviewers, specs):
    """Proposals under review, each scored by two reviewers: specs = [(title, requested, score)]."""
    proposals = []
    for title, requested, score in specs:
        proposal = make_proposal(
            call, cast.partner, status=ProposalStatus.UNDER_REVIEW, title=title, requested_krw=requested
        )
        make_review(proposal, reviewers[0], (score, score, score), comment=f"{title} 의견 A")
        make_review(proposal, reviewers[1], (score, score, score), comment=f"{title} 의견 B")
        proposals.append(proposal)
    return proposals


def _published(cast, reviewers, budget=300_000_000, specs=None):
    call = make_call(make_fund_year(budget), max_per_partner_krw=10**12)
    specs = specs or [("big", 300_000_000, 9), ("left", 150_000_000, 8), ("right", 150_000_000, 8)]
    proposals = _reviewed(cast, call, reviewers, specs)
    run = services.run_selection(actor=cast.program_manager, call=call)
    services.apply_selection(actor=cast.program_manager, run=run)
    services.publish_decisions(actor=cast.program_manager, call=call)
    return call, run, proposals


def test_the_optimiser_run_compares_optimal_and_greedy_and_explains_rejections(cast, reviewers):
    call = make_call(make_fund_year(300_000_000), max_per_partner_krw=10**12)
    big, left, right = _reviewed(
        cast, call, reviewers, [("big", 300_000_000, 9), ("left", 150_000_000, 8), ("right", 150_000_000, 8)]
    )

    run = services.run_selection(actor=cast.program_manager, call=call)

    assert set(run.result["optimal"]["ids"]) == {left.pk, right.pk}
    assert run.result["greedy"]["ids"] == [big.pk]
    assert run.result["explanations"][str(big.pk)]["reason"] == "budget"
    assert run.result["explanations"][str(big.pk)]["needed_score"] > 0


def test_applying_and_publishing_shows_partners_the_breakdown_and_anonymous_comments(cast, reviewers):
    _call, _run, (big, _left, _right) = _published(cast, reviewers)

    decision = selectors.decision_for_user(cast.partner_owner, big.pk)

    assert decision.proposal.status == ProposalStatus.REJECTED
    assert "calibrated score" in decision.proposal.decision_reason
    assert decision.comments == ["big 의견 A", "big 의견 B"]
    assert set(decision.rank.per_criterion) == {"Technical merit", "Impact", "Feasibility"}
    assert Notification.objects.filter(recipient=cast.partner_owner).count() == 3
    with pytest.raises(Http404):
        selectors.decision_for_user(cast.other_partner_owner, big.pk)


def test_decisions_are_hidden_from_partners_until_published(cast, reviewers):
    call = make_call(make_fund_year(300_000_000))
    [proposal] = _reviewed(cast, call, reviewers, [("one", 100_000_000, 7)])
    services.apply_selection(
        actor=cast.program_manager, run=services.run_selection(actor=cast.program_manager, call=call)
    )

    with pytest.raises(Http404):
        selectors.decision_for_user(cast.partner_owner, proposal.pk)


def test_an_override_needs_a_written_reason_and_is_audited(cast, reviewers):
    call = make_call(make_fund_year(300_000_000), max_per_partner_krw=10**12)
    _big, left, _right = _reviewed(
        cast, call, reviewers, [("big", 300_000_000, 9), ("left", 150_000_000, 8), ("right", 150_000_000, 8)]
    )
    services.apply_selection(
        actor=cast.program_manager, run=services.run_selection(actor=cast.program_manager, call=call)
    )

    with pytest.raises(ValidationError):
        services.override_decision(actor=cast.program_manager, proposal=left, status="rejected", reason=" ")
    services.override_decision(
        actor=cast.program_manager, proposal=left, status="rejected", reason="중복 과제"
    )

    left.refresh_from_db()
    assert (left.status, left.override_reason) == (ProposalStatus.REJECTED, "중복 과제")
    assert AuditEvent.objects.filter(action="rnd.override_decision", object_id=str(left.pk)).count() == 1


@pytest.mark.parametrize("who", ["reviewer", "partner_owner", "auditor"])
def test_only_managers_run_and_publish_the_selection(cast, reviewers, who):
    call = make_call()
    _reviewed(cast, call, reviewers, [("one", 100_000_000, 7)])

    with pytest.raises(PermissionDenied):
        services.run_selection(actor=getattr(cast, who), call=call)
    with pytest.raises(PermissionDenied):
        services.publish_decisions(actor=getattr(cast, who), call=call)


def test_an_agreement_commits_its_amount_and_copies_the_milestones(cast, reviewers):
    call, _run, (_big, left, _right) = _published(cast, reviewers)

    agreement = services.create_agreement(actor=cast.program_manager, proposal=left)

    year = FundYear.objects.get(pk=call.fund_year_id)
    assert year.committed_krw == 150_000_000
    assert agreement.milestones.count() == 2
    assert LedgerEntry.objects.filter(agreement=agreement, kind="commitment").count() == 1
    with pytest.raises(ValidationError):
        services.create_agreement(actor=cast.program_manager, proposal=left)


def test_an_agreement_beyond_the_years_budget_is_refused_and_changes_nothing(cast, reviewers):
    call, _run, (_big, left, right) = _published(cast, reviewers)
    services.set_year_budget(actor=cast.program_manager, fund_year=call.fund_year, budget_krw=150_000_000)
    services.create_agreement(actor=cast.program_manager, proposal=left)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        services.create_agreement(actor=cast.program_manager, proposal=right)

    assert FundYear.objects.get(pk=call.fund_year_id).committed_krw == 150_000_000
    assert not Agreement.objects.filter(proposal=right).exists()
    assert AuditEvent.objects.count() == events


def test_the_budget_cannot_drop_below_commitments(cast, reviewers):
    call, _run, (_big, left, _right) = _published(cast, reviewers)
    services.create_agreement(actor=cast.program_manager, proposal=left)

    with pytest.raises(ValidationError):
        services.set_year_budget(actor=cast.program_manager, fund_year=call.fund_year, budget_krw=100_000_000)

    assert FundYear.objects.get(pk=call.fund_year_id).budget_krw == 300_000_000


def test_the_database_refuses_commitments_above_the_budget():
    year = make_fund_year(100)

    with pytest.raises(IntegrityError), transaction.atomic():
        FundYear.objects.filter(pk=year.pk).update(committed_krw=101)


def _agreement(cast, reviewers):
    _call, _run, (_big, left, _right) = _published(cast, reviewers)
    return services.create_agreement(actor=cast.program_manager, proposal=left)


def test_milestones_are_submitted_returned_resubmitted_accepted_and_paid(cast, reviewers):
    agreement = _agreement(cast, reviewers)
    first = agreement.milestones.order_by("order").first()

    services.submit_milestone(actor=cast.partner_member, milestone=first, report="설계서 제출")
    services.return_milestone(actor=cast.program_manager, milestone=first, reason="보완 필요")
    services.submit_milestone(actor=cast.partner_member, milestone=first, report="보완본")
    payment = services.accept_milestone(actor=cast.program_manager, milestone=first, idempotency_key="pay-1")

    first.refresh_from_db()
    agreement.refresh_from_db()
    assert first.status == MilestoneStatus.ACCEPTED
    assert payment.amount_krw == first.amount_krw == agreement.paid_krw
    assert FundYear.objects.get(pk=agreement.fund_year_id).paid_krw == first.amount_krw
    assert Notification.objects.filter(recipient=cast.partner_owner, title__contains="paid").exists()


def test_a_repeated_payment_with_the_same_key_pays_once(cast, reviewers):
    agreement = _agreement(cast, reviewers)
    first = agreement.milestones.order_by("order").first()
    services.submit_milestone(actor=cast.partner_owner, milestone=first, report="설계서")

    one = services.accept_milestone(actor=cast.program_manager, milestone=first, idempotency_key="same")
    events = AuditEvent.objects.count()
    two = services.accept_milestone(actor=cast.program_manager, milestone=first, idempotency_key="same")

    assert one.pk == two.pk and Payment.objects.count() == 1
    assert Agreement.objects.get(pk=agreement.pk).paid_krw == first.amount_krw
    assert AuditEvent.objects.count() == events


def test_a_key_reused_for_another_milestone_is_refused(cast, reviewers):
    agreement = _agreement(cast, reviewers)
    first, second = agreement.milestones.order_by("order")
    for milestone in (first, second):
        services.submit_milestone(actor=cast.partner_owner, milestone=milestone, report="제출")
    services.accept_milestone(actor=cast.program_manager, milestone=first, idempotency_key="k")

    with pytest.raises(ValidationError):
        services.accept_milestone(actor=cast.program_manager, milestone=second, idempotency_key="k")

    second.refresh_from_db()
    assert second.status == MilestoneStatus.SUBMITTED


def test_a_pending_milestone_cannot_be_accepted_and_partners_cannot_accept(cast, reviewers):
    agreement = _agreement(cast, reviewers)
    first = agreement.milestones.order_by("order").first()

    with pytest.raises(ValidationError):
        services.accept_milestone(actor=cast.program_manager, milestone=first, idempotency_key="a")
    services.submit_milestone(actor=cast.partner_owner, milestone=first, report="제출")
    with pytest.raises(PermissionDenied):
        services.accept_milestone(actor=cast.partner_owner, milestone=first, idempotency_key="a")
    assert not Payment.objects.exists()


def test_ledger_entries_are_append_only(cast, reviewers):
    agreement = _agreement(cast, reviewers)
    entry = LedgerEntry.objects.filter(agreement=agreement).first()

    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_krw=1)
    with pytest.raises(AuditImmutableError):
        entry.delete()


def test_results_are_recorded_by_the_partner(cast, reviewers):
    agreement = _agreement(cast, reviewers)

    result = services.record_result(
        actor=cast.partner_owner,
        agreement=agreement,
        kind="patent",
        title="특허 1",
        amount_krw=0,
        occurred_on=timezone.localdate(),
    )

    assert result.agreement == agreement
    with pytest.raises(PermissionDenied):
        services.record_result(
            actor=cast.other_partner_owner,
            agreement=agreement,
            kind="sales",
            title="x",
            amount_krw=1,
            occurred_on=timezone.localdate(),
        )


def test_carry_over_moves_the_unspent_money_only_where_the_rule_allows(cast):
    fund = services.create_fund(
        actor=cast.program_manager, name="5G", carry_over=True, years=[(2030, 1_000), (2031, 2_000)]
    )
    first, second = fund.years.order_by("year")

    moved = services.carry_over(actor=cast.program_manager, fund_year=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert moved == 1_000 and first.remaining_krw == 0 and second.available_krw == 3_000
    closed = services.create_fund(actor=cast.program_manager, name="닫힘", years=[(2030, 5), (2031, 5)])
    with pytest.raises(ValidationError):
        services.carry_over(actor=cast.program_manager, fund_year=closed.years.order_by("year").first())


def test_calls_are_created_with_their_rubric_by_managers_only(cast):
    year = make_fund_year()
    now = timezone.now()
    fields = {
        "title": "공모",
        "themes": ["5G"],
        "max_request_krw": 10,
        "max_per_partner_krw": 10,
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=3),
    }
    criteria = [services.CriterionSpec("기술성", 60), services.CriterionSpec("사업성", 40)]

    with pytest.raises(PermissionDenied):
        services.create_call(actor=cast.partner_owner, fund_year=year, criteria=criteria, **fields)
    with pytest.raises(ValidationError) as error:
        services.create_call(
            actor=cast.program_manager, fund_year=year, criteria=[], **(fields | {"closes_at": now})
        )
    call = services.create_call(actor=cast.program_manager, fund_year=year, criteria=criteria, **fields)

    assert {"criteria", "closes_at"} <= set(error.value.message_dict)
    assert [c.weight for c in call.criteria.all()] == [60, 40]
    assert Proposal.objects.count() == 0


# --- dates follow each other (issue 11 §3) --------------------------------------------------------------
@pytest.mark.parametrize("years_away", [-7, -1, 2])
def test_a_call_opening_years_away_from_its_fund_year_is_refused(cast, years_away):
    from sangsaeng.rnd.models import Call

    now = timezone.now()
    year = make_fund_year(year=timezone.localdate().year + years_away)
    criteria = [services.CriterionSpec("기술성", 100)]

    with pytest.raises(ValidationError) as error:
        services.create_call(
            actor=cast.program_manager,
            fund_year=year,
            criteria=criteria,
            title="공모",
            themes=["5G"],
            max_request_krw=10,
            max_per_partner_krw=10,
            opens_at=now,
            closes_at=now + dt.timedelta(days=3),
        )

    assert str(year.year) in error.value.message_dict["opens_at"][0]
    assert not Call.objects.exists()


def test_a_call_for_next_years_budget_may_open_this_year(cast):
    now = timezone.now()
    year = make_fund_year(year=timezone.localdate().year + 1)

    call = services.create_call(
        actor=cast.program_manager,
        fund_year=year,
        criteria=[services.CriterionSpec("기술성", 100)],
        title="공모",
        themes=["5G"],
        max_request_krw=10,
        max_per_partner_krw=10,
        opens_at=now,
        closes_at=now + dt.timedelta(days=3),
    )

    assert call.fund_year == year


def test_a_result_dated_before_its_agreement_or_in_the_future_is_refused(cast, reviewers):
    from sangsaeng.rnd.models import ProjectResult

    agreement = _agreement(cast, reviewers)
    signed_on = timezone.localdate(agreement.signed_at)

    for day in (signed_on - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.record_result(
                actor=cast.partner_owner,
                agreement=agreement,
                kind="patent",
                title="특허",
                amount_krw=0,
                occurred_on=day,
            )
        assert "occurred_on" in error.value.message_dict

    assert not ProjectResult.objects.exists()
