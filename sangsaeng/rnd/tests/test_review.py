"""Review: assignment (manual, automatic, balanced, conflict-free), conflicts, blind scoring, ranking."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import make_member
from sangsaeng.core.models import AuditEvent
from sangsaeng.rnd import ranking, selectors, services
from sangsaeng.rnd.models import ProposalStatus, ReviewAssignment
from sangsaeng.rnd.tests.factories import make_proposal, make_review

pytestmark = pytest.mark.django_db


def test_auto_assignment_gives_each_proposal_n_reviewers_with_balanced_load(cast, call, reviewers):
    proposals = [
        make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED, title=f"p{k}") for k in range(4)
    ]

    made = services.auto_assign(actor=cast.program_manager, call=call, per_proposal=3)

    assert made == 12
    per_proposal = Counter(ReviewAssignment.objects.values_list("proposal_id", flat=True))
    assert all(per_proposal[p.pk] == 3 for p in proposals)
    load = Counter(ReviewAssignment.objects.values_list("reviewer_id", flat=True))
    assert max(load.values()) - min(load.values()) <= 1
    assert {p.status for p in type(proposals[0]).objects.filter(call=call)} == {ProposalStatus.UNDER_REVIEW}


def test_auto_assignment_skips_the_applicants_own_reviewers_and_declared_conflicts(cast, call, reviewers):
    insider = make_member(OrganizationKind.PARTNER, Role.REVIEWER, cast.partner.organization)
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)
    ReviewAssignment.objects.create(
        proposal=proposal, reviewer=reviewers[0], assigned_by=cast.program_manager, conflict_declared=True
    )

    services.auto_assign(actor=cast.program_manager, call=call, per_proposal=3)

    assigned = set(
        ReviewAssignment.objects.filter(conflict_declared=False).values_list("reviewer_id", flat=True)
    )
    assert insider.pk not in assigned and reviewers[0].pk not in assigned
    assert len(assigned) == 3


def test_auto_assignment_refuses_when_too_few_conflict_free_reviewers(cast, call, reviewers):
    make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        services.auto_assign(actor=cast.program_manager, call=call, per_proposal=5)

    assert not ReviewAssignment.objects.exists() and AuditEvent.objects.count() == events


def test_manual_assignment_refuses_a_reviewer_of_the_applicant(cast, call):
    insider = make_member(OrganizationKind.PARTNER, Role.REVIEWER, cast.partner.organization)
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)

    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(actor=cast.program_manager, proposal=proposal, reviewer=insider)

    assert "Conflict of interest" in error.value.message_dict["reviewer"][0]


@pytest.mark.parametrize("who", ["partner_owner", "reviewer", "auditor"])
def test_only_managers_assign_reviewers(cast, call, who):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)

    with pytest.raises(PermissionDenied):
        services.assign_reviewer(actor=getattr(cast, who), proposal=proposal, reviewer=cast.reviewer)

    assert not ReviewAssignment.objects.exists()


def test_a_declared_conflict_hides_the_proposal_and_blocks_scoring(cast, call):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)
    assignment = services.assign_reviewer(
        actor=cast.program_manager, proposal=proposal, reviewer=cast.reviewer
    )
    assert selectors.get_proposal_for_user(cast.reviewer, proposal.pk) == proposal

    services.declare_conflict(actor=cast.reviewer, assignment=assignment, reason="전 직장")

    with pytest.raises(Http404):
        selectors.get_proposal_for_user(cast.reviewer, proposal.pk)
    criteria = list(call.criteria.all())
    with pytest.raises(PermissionDenied):
        services.submit_review(
            actor=cast.reviewer, assignment=assignment, scores={c.pk: 5 for c in criteria}, comment="x"
        )


def test_a_reviewer_scores_every_criterion_and_sees_only_their_own_review(cast, call, reviewers):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)
    first = services.assign_reviewer(actor=cast.program_manager, proposal=proposal, reviewer=reviewers[0])
    second = services.assign_reviewer(actor=cast.program_manager, proposal=proposal, reviewer=reviewers[1])
    criteria = list(call.criteria.all())

    with pytest.raises(ValidationError):
        services.submit_review(actor=reviewers[0], assignment=first, scores={criteria[0].pk: 5}, comment="x")
    services.submit_review(
        actor=reviewers[0], assignment=first, scores={c.pk: 8 for c in criteria}, comment="훌륭함"
    )

    with pytest.raises(Http404):
        selectors.get_assignment_for_user(reviewers[1], first.pk)
    own = selectors.get_assignment_for_user(reviewers[1], second.pk)
    assert list(own.scores.all()) == []
    with pytest.raises(PermissionDenied):
        services.submit_review(
            actor=reviewers[1], assignment=first, scores={c.pk: 1 for c in criteria}, comment="x"
        )


def test_calibration_makes_harsh_and_lenient_reviewers_count_the_same():
    criteria = [ranking.CriterionInput(1, "merit", 1, 10)]
    # The harsh reviewer (1) scores A 4, B 2; the lenient one (2) scores C 10, D 8. Raw ranks C, D first;
    # after calibration A ties with C and B with D (each reviewer's best is their best).
    reviews = [
        ranking.ReviewInput(1, 101, 1, {1: 4}),
        ranking.ReviewInput(2, 102, 1, {1: 2}),
        ranking.ReviewInput(3, 103, 2, {1: 10}),
        ranking.ReviewInput(4, 104, 2, {1: 8}),
    ]

    ranks = {r.proposal_id: r for r in ranking.rank(criteria, reviews)}

    assert ranks[103].raw > ranks[101].raw
    assert ranks[101].calibrated == pytest.approx(ranks[103].calibrated)
    assert ranks[102].calibrated == pytest.approx(ranks[104].calibrated)
    assert ranks[101].calibrated > ranks[102].calibrated


def test_a_review_far_from_the_others_is_flagged_as_an_outlier():
    criteria = [ranking.CriterionInput(1, "merit", 1, 10)]
    reviews = [
        ranking.ReviewInput(1, 1, 1, {1: 8}),
        ranking.ReviewInput(2, 1, 2, {1: 8}),
        ranking.ReviewInput(3, 1, 3, {1: 1}),
    ]

    rows = {r.assignment_id: r for r in ranking.score_reviews(criteria, reviews)}

    assert rows[3].outlier and not rows[1].outlier


def test_the_weighted_raw_score_uses_the_rubric_weights(cast, call, reviewers):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW)
    make_review(proposal, reviewers[0], (10, 0, 0))  # weights 40/30/30 → 40 points

    [row] = selectors.ranking_rows_for_user(cast.program_manager, call)

    assert row.rank.raw == 40.0
    with pytest.raises(Http404):
        selectors.ranking_rows_for_user(cast.reviewer, call)
