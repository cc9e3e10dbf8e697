"""Selection: run the optimiser (HiGHS MILP) against greedy, apply, override, publish decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.core import audit, workflow
from sangsaeng.core.services import notify
from sangsaeng.rnd import optimiser
from sangsaeng.rnd.models import (
    Call,
    ExclusivePair,
    FundYear,
    Proposal,
    ProposalStatus,
    SelectionRun,
)
from sangsaeng.rnd.services.common import organization_people, require_manager


def reason_text(explanation: dict[str, Any]) -> str:
    reason = explanation.get("reason")
    if reason == "exclusive":
        return _("Mutually exclusive with a selected proposal (%(ids)s).") % {
            "ids": explanation.get("detail")
        }
    if reason == "partner_cap":
        return _("Your company reached the cap per partner.")
    if reason == "theme_max":
        return _("The theme reached its maximum number of proposals.")
    if reason == "does_not_fit":
        return _("The request does not fit within the available budget and limits.")
    needed = explanation.get("needed_score")
    if needed is not None:
        return _(
            "The budget was used by higher-scoring proposals; a calibrated score of %(score)s was needed."
        ) % {"score": needed}
    return _("The budget was used by higher-scoring proposals.")


# Proposals that may be paired: submitted to the call (drafts and withdrawn ones never compete).
_PAIRABLE = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SELECTED,
    ProposalStatus.REJECTED,
)


def add_exclusive_pair(*, actor: Any, call: Call, first_id: int, second_id: int) -> ExclusivePair:
    """Store on the call that two of its proposals exclude each other; every later optimiser run
    honours the pair. Managers only; refused once decisions are published.

    Raises PermissionDenied, ValidationError (same proposal twice, not a submitted proposal of this
    call, pair already stored, published)."""
    with transaction.atomic():
        require_manager(actor)
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.decisions_published_at:
            raise ValidationError(_("Decisions are already published."))
        low, high = sorted((int(first_id), int(second_id)))
        if low == high:
            raise ValidationError({"second_id": [_("Choose two different proposals.")]})
        found = set(
            Proposal.objects.filter(call=call, pk__in=(low, high), status__in=_PAIRABLE).values_list(
                "pk", flat=True
            )
        )
        missing = [pid for pid in (low, high) if pid not in found]
        if missing:
            raise ValidationError(
                {
                    "first_id" if int(first_id) in missing else "second_id": [
                        _("Proposal %(ids)s is not a submitted proposal of this call.")
                        % {"ids": ", ".join(f"#{pid}" for pid in missing)}
                    ]
                }
            )
        if ExclusivePair.objects.filter(call=call, first_id=low, second_id=high).exists():
            raise ValidationError(_("These two proposals are already mutually exclusive."))
        pair = ExclusivePair.objects.create(call=call, first_id=low, second_id=high, created_by=actor)
        audit.record(
            actor=actor,
            action="rnd.add_exclusive_pair",
            target=call,
            changes={"exclusive_pair": [None, [low, high]]},
        )
        return pair


def remove_exclusive_pair(*, actor: Any, pair: ExclusivePair) -> None:
    """Remove a stored pair from its call (managers; not after publication). Raises PermissionDenied,
    ValidationError."""
    with transaction.atomic():
        require_manager(actor)
        call = Call.objects.select_for_update().get(pk=pair.call_id)
        if call.decisions_published_at:
            raise ValidationError(_("Decisions are already published."))
        removed, _detail = ExclusivePair.objects.filter(pk=pair.pk, call=call).delete()
        if not removed:
            raise ValidationError(_("This pair was already removed."))
        audit.record(
            actor=actor,
            action="rnd.remove_exclusive_pair",
            target=call,
            changes={"exclusive_pair": [[pair.first_id, pair.second_id], None]},
        )


def run_selection(
    *,
    actor: Any,
    call: Call,
    theme_min: dict[str, int] | None = None,
    theme_max: dict[str, int] | None = None,
    exclusive: Sequence[tuple[int, int]] = (),
    budget_krw: int | None = None,
) -> SelectionRun:
    """Solve the selection for a call's reviewed proposals by calibrated score and compare with greedy.

    Budget: the fund year's remaining money unless given (never more). Raises PermissionDenied,
    ValidationError (unknown themes or proposals, negative limits, nothing to select).
    """
    from sangsaeng.rnd.selectors import call_ranking

    with transaction.atomic():
        require_manager(actor)
        fund_year = FundYear.objects.get(pk=call.fund_year_id)
        budget = fund_year.remaining_krw if budget_krw is None else budget_krw
        errors: dict[str, list[str]] = {}
        if budget < 0 or budget > fund_year.remaining_krw:
            errors["budget_krw"] = [_("The budget must be between 0 and the year's remaining money.")]
        limits = {**(theme_min or {}), **(theme_max or {})}
        if any(theme not in call.themes for theme in limits) or any(v < 0 for v in limits.values()):
            errors["themes"] = [_("Use the call's themes and limits of 0 or more.")]
        ranks = {r.proposal_id: r for r in call_ranking(call)}
        proposals = list(
            Proposal.objects.filter(
                call=call,
                status__in=(ProposalStatus.UNDER_REVIEW, ProposalStatus.SELECTED, ProposalStatus.REJECTED),
            )
            .filter(pk__in=list(ranks))
            .select_related("partner")
        )
        ids = {p.pk for p in proposals}
        if any(a not in ids or b not in ids for a, b in exclusive):
            errors["exclusive"] = [_("Mutually exclusive pairs must name reviewed proposals of this call.")]
        # The call's stored pairs count in every run; a pair whose proposal is not in this run (e.g.
        # not reviewed yet) constrains nothing and is left out.
        stored = [
            (first, second)
            for first, second in ExclusivePair.objects.filter(call=call).values_list("first_id", "second_id")
            if first in ids and second in ids
        ]
        given = [(int(a), int(b)) for a, b in exclusive]
        pairs = sorted({tuple(sorted(pair)) for pair in [*given, *stored]})
        if not proposals:
            errors["proposals"] = [_("No reviewed proposals to select from.")]
        if errors:
            raise ValidationError(errors)
        problem = optimiser.Problem(
            items=[
                optimiser.Item(p.pk, p.partner_id, p.theme, p.requested_krw, ranks[p.pk].calibrated)
                for p in proposals
            ],
            budget=budget,
            partner_cap=call.max_per_partner_krw,
            theme_min=dict(theme_min or {}),
            theme_max=dict(theme_max or {}),
            exclusive=[(a, b) for a, b in pairs],
        )
        best = optimiser.optimise(problem)
        baseline = optimiser.greedy(problem)
        explanations = optimiser.explain(problem, best) if best.feasible else {}
        result = {
            "optimal": {**asdict(best), "ids": sorted(best.ids)},
            "greedy": {**asdict(baseline), "ids": sorted(baseline.ids)},
            "explanations": {str(pid): asdict(e) for pid, e in explanations.items()},
        }
        run = SelectionRun.objects.create(
            call=call,
            created_by=actor,
            budget_krw=budget,
            parameters={
                "theme_min": theme_min or {},
                "theme_max": theme_max or {},
                "exclusive": [list(pair) for pair in given],
                "stored_exclusive": [list(pair) for pair in stored],
            },
            result=result,
        )
        audit.record(
            actor=actor,
            action="rnd.run_selection",
            target=run,
            changes={"optimal": [None, result["optimal"]["ids"]], "total_score": [None, best.total_score]},
        )
        return run


def apply_selection(*, actor: Any, run: SelectionRun) -> int:
    """Mark the run's optimal set selected and the other reviewed proposals rejected, each with its
    reason. Refused once decisions are published or when the run found no feasible set.
    Returns how many proposals were decided. Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        require_manager(actor)
        call = Call.objects.select_for_update().get(pk=run.call_id)
        if call.decisions_published_at:
            raise ValidationError(_("Decisions are already published."))
        if not run.result.get("optimal", {}).get("feasible", False):
            raise ValidationError(_("This run found no feasible selection."))
        chosen = set(run.result["optimal"]["ids"])
        explanations = run.result.get("explanations", {})
        decided = 0
        for proposal in (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("partner")
            .filter(
                call=call,
                status__in=(ProposalStatus.UNDER_REVIEW, ProposalStatus.SELECTED, ProposalStatus.REJECTED),
            )
        ):
            if proposal.pk in chosen:
                target, decision_reason = ProposalStatus.SELECTED, ""
            elif str(proposal.pk) in explanations:
                target = ProposalStatus.REJECTED
                decision_reason = reason_text(explanations[str(proposal.pk)])
            else:
                continue  # not reviewed yet: stays under review
            if proposal.status == target:  # a new run confirms an earlier decision: only the reasons change
                proposal.decision_reason, proposal.override_reason = decision_reason, ""
                proposal.save(update_fields=["decision_reason", "override_reason", "updated_at"])
            else:
                workflow.transition(
                    proposal,
                    target,
                    actor=actor,
                    action="rnd.apply_selection_decision",
                    updates={"decision_reason": decision_reason, "override_reason": ""},
                    partner_organization_id=proposal.partner.organization_id,
                )
            decided += 1
        run.applied = True
        run.save(update_fields=["applied"])
        audit.record(
            actor=actor,
            action="rnd.apply_selection",
            target=run,
            changes={"applied": [False, True], "decided": [None, decided]},
        )
        return decided


def override_decision(*, actor: Any, proposal: Proposal, status: str, reason: str) -> Proposal:
    """The manager selects or rejects a proposal against the optimiser, with a written reason (audited).

    Raises PermissionDenied, ValidationError (no reason, published, status not allowed).
    """
    with transaction.atomic():
        require_manager(actor)
        proposal = Proposal.objects.select_for_update().select_related("call", "partner").get(pk=proposal.pk)
        if not reason.strip():
            raise ValidationError({"reason": [_("Write the reason for the override.")]})
        if proposal.call.decisions_published_at:
            raise ValidationError(_("Decisions are already published."))
        if status not in (ProposalStatus.SELECTED, ProposalStatus.REJECTED):
            raise ValidationError({"status": [_("Choose selected or rejected.")]})
        workflow.transition(
            proposal,
            status,
            actor=actor,
            reason=reason,
            action="rnd.override_decision",
            updates={
                "override_reason": reason.strip(),
                "decision_reason": reason.strip() if status == ProposalStatus.REJECTED else "",
            },
            partner_organization_id=proposal.partner.organization_id,
        )
        return proposal


def publish_decisions(*, actor: Any, call: Call) -> int:
    """Publish the call's decisions: partners see the outcome, score breakdown and (anonymous) reviewer
    comments, and are notified. Refused while a reviewed proposal is undecided. Returns the count."""
    with transaction.atomic():
        require_manager(actor)
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.decisions_published_at:
            raise ValidationError(_("Decisions are already published."))
        if Proposal.objects.filter(call=call, status=ProposalStatus.UNDER_REVIEW).exists():
            raise ValidationError(_("Decide every proposal under review first."))
        decided = list(
            Proposal.objects.filter(
                call=call, status__in=(ProposalStatus.SELECTED, ProposalStatus.REJECTED)
            ).select_related("partner")
        )
        if not decided:
            raise ValidationError(_("There are no decisions to publish."))
        call.decisions_published_at = timezone.now()
        call.save(update_fields=["decisions_published_at"])
        audit.record(
            actor=actor,
            action="rnd.publish_decisions",
            target=call,
            changes={
                "decisions_published_at": [None, call.decisions_published_at],
                "count": [None, len(decided)],
            },
        )
        for proposal in decided:
            notify(
                recipients=organization_people(proposal.partner.organization_id),
                title=_("Decision on your R&D proposal: %(title)s") % {"title": proposal.title},
                url=reverse("rnd:proposal_detail", args=[proposal.pk]),
            )
        return len(decided)


__all__ = [
    "add_exclusive_pair",
    "override_decision",
    "publish_decisions",
    "remove_exclusive_pair",
    "run_selection",
]
