"""The one-to-one channel (1:1 제안 채널): partners submit overseas business proposals; the global unit
answers within `OVERSEAS_ANSWER_WORKING_DAYS` working days (10 by default); a daily job flags and
reminds the overdue ones."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit, dates, workflow
from sangsaeng.overseas import permissions
from sangsaeng.overseas.models import OverseasProposal, ProposalStatus
from sangsaeng.overseas.services.common import (
    add_working_days,
    clean,
    global_unit_people,
    partner_people,
    refuse,
    send,
)


def answer_working_days() -> int:
    """The global unit answers a proposal within this many working days (10 by default)."""
    return int(getattr(settings, "OVERSEAS_ANSWER_WORKING_DAYS", 10))


def proposal_url(proposal: OverseasProposal) -> str:
    return reverse("overseas:proposal_detail", kwargs={"proposal_id": proposal.pk})


def submit_proposal(
    *, actor: User, country: str, market: str, product: str, ask: str, today: dt.date | None = None
) -> OverseasProposal:
    """A partner's overseas business proposal; its answer is due `answer_working_days()` working days
    after today (Seoul). Raises PermissionDenied (not an approved partner's person) or ValidationError
    (a field missing or too long)."""
    from sangsaeng.partners.selectors import own_partner_for_user

    if not permissions.can_submit_proposal(actor):
        raise refuse()
    partner = own_partner_for_user(actor)
    assert partner is not None  # can_submit_proposal checked it
    submitted_on = today or dates.today()
    proposal = OverseasProposal(
        partner=partner,
        submitted_by=actor,
        country=clean(country),
        market=clean(market),
        product=clean(product),
        ask=clean(ask),
        answer_due_on=add_working_days(submitted_on, answer_working_days()),
    )
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        audit.record(
            actor=actor,
            action="overseas.submit_proposal",
            target=proposal,
            changes={
                "country": [None, proposal.country],
                "product": [None, proposal.product],
                "answer_due_on": [None, proposal.answer_due_on],
            },
            partner_organization_id=partner.organization_id,
        )
        send(
            global_unit_people(),
            lambda: (
                _("New overseas proposal: %(product)s") % {"product": proposal.product},
                _("%(partner)s proposes %(product)s for %(country)s. Answer by %(date)s.")
                % {
                    "partner": partner.name_ko,
                    "product": proposal.product,
                    "country": proposal.country,
                    "date": proposal.answer_due_on.isoformat(),
                },
            ),
            proposal_url(proposal),
        )
    return proposal


def answer_proposal(*, actor: User, proposal: OverseasProposal, answer: str) -> OverseasProposal:
    """The global unit's answer (회신). Raises PermissionDenied, ValidationError (empty answer) or
    TransitionError (already answered or withdrawn)."""
    if not permissions.can_answer_proposal(actor):
        raise refuse()
    text = clean(answer)
    if not text:
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        workflow.transition(
            proposal,
            ProposalStatus.ANSWERED,
            actor=actor,
            action="overseas.answer_proposal",
            updates={"answer": text, "answered_by": actor, "answered_at": timezone.now()},
            partner_organization_id=proposal.partner.organization_id,
        )
        send(
            partner_people(proposal.partner.organization_id),
            lambda: (
                _("Your overseas proposal was answered: %(product)s") % {"product": proposal.product},
                text[:500],
            ),
            proposal_url(proposal),
        )
    return proposal


def withdraw_proposal(*, actor: User, proposal: OverseasProposal) -> OverseasProposal:
    """The proposing partner withdraws a proposal that is still awaiting its answer."""
    if not permissions.can_withdraw_proposal(actor, proposal.partner.organization_id):
        raise refuse()
    with transaction.atomic():
        workflow.transition(
            proposal,
            ProposalStatus.WITHDRAWN,
            actor=actor,
            action="overseas.withdraw_proposal",
            partner_organization_id=proposal.partner.organization_id,
        )
    return proposal


def flag_overdue_proposals(*, today: dt.date | None = None) -> int:
    """Daily job (SCHEDULED_JOBS): flag each proposal whose answer is past due and remind the global
    unit, once per proposal (a guarded UPDATE claims it, so two schedulers never flag it twice).
    Returns the number of proposals flagged."""
    today = today or dates.today()
    overdue = list(
        OverseasProposal.objects.select_related("partner").filter(
            status=ProposalStatus.SUBMITTED, answer_due_on__lt=today, overdue_flagged_at__isnull=True
        )
    )
    if not overdue:
        return 0
    people = global_unit_people()
    flagged = 0
    now = timezone.now()
    for proposal in overdue:
        with transaction.atomic():
            claimed = OverseasProposal.objects.filter(
                pk=proposal.pk, status=ProposalStatus.SUBMITTED, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=now)
            if not claimed:
                continue
            proposal.overdue_flagged_at = now
            audit.record(
                actor=None,
                action="overseas.flag_overdue_proposal",
                target=proposal,
                changes={"overdue_flagged_at": [None, now]},
                partner_organization_id=proposal.partner.organization_id,
            )
            send(
                people,
                lambda proposal=proposal: (  # type: ignore[misc]
                    _("Overseas proposal overdue: %(product)s") % {"product": proposal.product},
                    _("%(partner)s's proposal was due for an answer on %(date)s.")
                    % {"partner": proposal.partner.name_ko, "date": proposal.answer_due_on.isoformat()},
                ),
                proposal_url(proposal),
            )
            flagged += 1
    return flagged
