"""Review: manual and automatic reviewer assignment (balanced, conflict-free), conflicts, scoring."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Membership, Role, User
from sangsaeng.core import audit, workflow
from sangsaeng.core.services import notify
from sangsaeng.rnd import permissions
from sangsaeng.rnd.models import Call, Proposal, ProposalStatus, ReviewAssignment, ReviewScore
from sangsaeng.rnd.services.common import require, require_manager

REVIEWABLE = (ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW)


def reviewer_pool() -> list[User]:
    """People who may review: anyone active with the reviewer role (host staff or external experts)."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__is_active=True,
            memberships__role=Role.REVIEWER,
        )
        .distinct()
        .order_by("pk")
    )


def _organization_ids(users: Sequence[User]) -> dict[int, set[int]]:
    orgs: dict[int, set[int]] = defaultdict(set)
    for user_id, org_id in Membership.objects.filter(user__in=users, is_active=True).values_list(
        "user_id", "organization_id"
    ):
        orgs[user_id].add(org_id)
    return orgs


def _start_review(actor: Any, proposal: Proposal) -> None:
    """A submitted proposal is under review from its first reviewer on."""
    if proposal.status == ProposalStatus.SUBMITTED:
        workflow.transition(
            proposal,
            ProposalStatus.UNDER_REVIEW,
            actor=actor,
            action="rnd.start_review",
            partner_organization_id=proposal.partner.organization_id,
        )


def assign_reviewer(*, actor: Any, proposal: Proposal, reviewer: User) -> ReviewAssignment:
    """Assign one reviewer by hand. Refused when the reviewer works for the applicant (conflict of
    interest), is not a reviewer, or is already assigned. Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        require_manager(actor)
        proposal = Proposal.objects.select_for_update().select_related("partner").get(pk=proposal.pk)
        if proposal.status not in REVIEWABLE:
            raise ValidationError(_("Only submitted proposals can be reviewed."), code="status")
        if not permissions.is_reviewer(reviewer):
            raise ValidationError({"reviewer": [_("This person is not a reviewer.")]})
        if proposal.partner.organization_id in _organization_ids([reviewer])[reviewer.pk]:
            raise ValidationError(
                {"reviewer": [_("Conflict of interest: the reviewer works for the applicant.")]}
            )
        if ReviewAssignment.objects.filter(proposal=proposal, reviewer=reviewer).exists():
            raise ValidationError({"reviewer": [_("This reviewer is already assigned.")]})
        assignment = ReviewAssignment.objects.create(proposal=proposal, reviewer=reviewer, assigned_by=actor)
        before = proposal.status
        _start_review(actor, proposal)
        audit.record(
            actor=actor,
            action="rnd.assign_reviewer",
            target=assignment,
            changes={"reviewer": [None, reviewer.pk], "proposal_status": [before, proposal.status]},
            partner_organization_id=proposal.partner.organization_id,
        )
        notify(recipients=[reviewer], title=_("New review assignment"), url=reverse("rnd:my_reviews"))
        return assignment


def auto_assign(*, actor: Any, call: Call, per_proposal: int | None = None) -> int:
    """Give every submitted proposal of the call at least N non-conflicted reviewers, choosing the
    least-loaded reviewers first (balanced load). Skips the applicant's own people and declared
    conflicts. Returns how many assignments were made.

    Raises PermissionDenied, ValidationError (not enough conflict-free reviewers for a proposal).
    """
    with transaction.atomic():
        require_manager(actor)
        needed_per = per_proposal or call.reviewers_per_proposal
        proposals = list(
            Proposal.objects.select_for_update()
            .filter(call=call, status__in=REVIEWABLE)
            .select_related("partner")
            .order_by("pk")
        )
        pool = reviewer_pool()
        orgs = _organization_ids(pool)
        existing = list(
            ReviewAssignment.objects.filter(proposal__call=call).values_list(
                "proposal_id", "reviewer_id", "conflict_declared"
            )
        )
        load: dict[int, int] = defaultdict(int)
        assigned: dict[int, set[int]] = defaultdict(set)
        valid: dict[int, int] = defaultdict(int)
        for proposal_id, reviewer_id, conflicted in existing:
            assigned[proposal_id].add(reviewer_id)
            if not conflicted:
                load[reviewer_id] += 1
                valid[proposal_id] += 1
        created: list[ReviewAssignment] = []
        short: list[str] = []
        for proposal in proposals:
            missing = needed_per - valid[proposal.pk]
            candidates = [
                r
                for r in pool
                if r.pk not in assigned[proposal.pk] and proposal.partner.organization_id not in orgs[r.pk]
            ]
            candidates.sort(key=lambda r: (load[r.pk], r.pk))
            chosen = candidates[: max(missing, 0)]
            if len(chosen) < missing:
                short.append(proposal.title)
            for reviewer in chosen:
                created.append(ReviewAssignment(proposal=proposal, reviewer=reviewer, assigned_by=actor))
                load[reviewer.pk] += 1
                assigned[proposal.pk].add(reviewer.pk)
        if short:
            raise ValidationError(
                _("Not enough conflict-free reviewers for: %(titles)s") % {"titles": ", ".join(short[:10])}
            )
        ReviewAssignment.objects.bulk_create(created)
        for proposal in proposals:
            if assigned[proposal.pk]:
                _start_review(actor, proposal)
        audit.record(
            actor=actor,
            action="rnd.auto_assign",
            target=call,
            changes={"assignments": [None, len(created)], "per_proposal": [None, needed_per]},
        )
        reviewers = User.objects.filter(pk__in={a.reviewer_id for a in created})
        notify(recipients=reviewers, title=_("New review assignments"), url=reverse("rnd:my_reviews"))
        return len(created)


def declare_conflict(*, actor: Any, assignment: ReviewAssignment, reason: str) -> ReviewAssignment:
    """The reviewer declares a conflict of interest; they can then no longer see or score the proposal.

    Raises PermissionDenied (not the reviewer), ValidationError (no reason, already scored).
    """
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update()
            .select_related("proposal__partner")
            .get(pk=assignment.pk)
        )
        require(assignment.reviewer_id == actor.pk, _("Only the assigned reviewer may do this."))
        if not reason.strip():
            raise ValidationError({"reason": [_("Give a reason.")]})
        if assignment.submitted_at is not None:
            raise ValidationError(_("This review has already been submitted."))
        assignment.conflict_declared = True
        assignment.conflict_reason = reason.strip()[:500]
        assignment.save(update_fields=["conflict_declared", "conflict_reason"])
        audit.record(
            actor=actor,
            action="rnd.declare_conflict",
            target=assignment,
            changes={"conflict_declared": [False, True]},
            partner_organization_id=assignment.proposal.partner.organization_id,
        )
        return assignment


def submit_review(
    *, actor: Any, assignment: ReviewAssignment, scores: dict[int, int], comment: str
) -> ReviewAssignment:
    """Score every criterion of the call (0..max) with a comment. May be revised until decisions are
    published. Raises PermissionDenied (not the reviewer / conflicted), ValidationError."""
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update()
            .select_related("proposal__call", "proposal__partner")
            .get(pk=assignment.pk)
        )
        require(permissions.can_score(actor, assignment), _("You may not score this proposal."))
        proposal = assignment.proposal
        if proposal.status != ProposalStatus.UNDER_REVIEW or proposal.call.decisions_published_at:
            raise ValidationError(_("Reviews are closed for this proposal."), code="status")
        criteria = list(proposal.call.criteria.all())
        errors: dict[str, list[str]] = {}
        for criterion in criteria:
            value = scores.get(criterion.pk)
            if value is None or not 0 <= value <= criterion.max_score:
                errors.setdefault("scores", []).append(
                    _("Score %(name)s from 0 to %(max)s.")
                    % {"name": criterion.name, "max": criterion.max_score}
                )
        if set(scores) - {c.pk for c in criteria}:
            errors.setdefault("scores", []).append(_("Unknown criterion."))
        if not comment.strip():
            errors["comment"] = [_("Write a comment.")]
        if errors:
            raise ValidationError(errors)
        before = {str(s.criterion_id): s.score for s in assignment.scores.all()}
        assignment.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(assignment=assignment, criterion=c, score=scores[c.pk]) for c in criteria
        )
        assignment.comment = comment.strip()
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["comment", "submitted_at"])
        audit.record(
            actor=actor,
            action="rnd.submit_review",
            target=assignment,
            changes={"scores": [before or None, {str(k): v for k, v in scores.items()}]},
            partner_organization_id=proposal.partner.organization_id,
        )
        return assignment
