"""Global opportunities (글로벌 사업 기회): the global unit posts them, partners express interest with a
capability statement, the global unit shortlists (from the interests or from the ranked suggestions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit, dates, workflow
from sangsaeng.overseas import permissions
from sangsaeng.overseas.models import (
    GlobalOpportunity,
    InterestSource,
    InterestStatus,
    OpportunityInterest,
    OpportunityStatus,
)
from sangsaeng.overseas.services.common import clean, global_unit_people, partner_people, refuse, send
from sangsaeng.partners.models import CollaborationField, Partner, PartnerStatus


def opportunity_url(opportunity: GlobalOpportunity) -> str:
    return reverse("overseas:opportunity_detail", kwargs={"opportunity_id": opportunity.pk})


def post_opportunity(
    *,
    actor: User,
    title: str,
    country: str,
    sector: str,
    customer: str,
    needs: str,
    deadline: dt.date,
    language: str,
    fields: Iterable[CollaborationField] = (),
) -> GlobalOpportunity:
    """The global unit posts an opportunity; its deadline may not be in the past. Raises
    PermissionDenied or ValidationError (field by field)."""
    if not permissions.can_post_opportunity(actor):
        raise refuse()
    opportunity = GlobalOpportunity(
        title=clean(title),
        country=clean(country),
        sector=clean(sector),
        customer=clean(customer),
        needs=clean(needs),
        deadline=deadline,
        language=language,
        posted_by=actor,
    )
    opportunity.full_clean()
    if deadline < dates.today():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    with transaction.atomic():
        opportunity.save()
        opportunity.fields.set(list(fields))
        audit.record(
            actor=actor,
            action="overseas.post_opportunity",
            target=opportunity,
            changes={"title": [None, opportunity.title], "deadline": [None, deadline]},
        )
    return opportunity


def close_opportunity(*, actor: User, opportunity: GlobalOpportunity) -> GlobalOpportunity:
    if not permissions.can_post_opportunity(actor):
        raise refuse()
    with transaction.atomic():
        workflow.transition(
            opportunity, OpportunityStatus.CLOSED, actor=actor, action="overseas.close_opportunity"
        )
    return opportunity


def express_interest(
    *, actor: User, opportunity: GlobalOpportunity, capability_statement: str
) -> OpportunityInterest:
    """A partner's interest (관심 표명) with its capability statement, once per partner, while the
    opportunity is open and before its deadline. Raises PermissionDenied or ValidationError."""
    from sangsaeng.overseas.selectors.matching import match_score
    from sangsaeng.partners.selectors import own_partner_for_user

    if not permissions.can_express_interest(actor):
        raise refuse()
    statement = clean(capability_statement)
    if not statement:
        raise ValidationError({"capability_statement": _("Describe what your company can offer.")})
    if opportunity.status != OpportunityStatus.OPEN or opportunity.deadline < dates.today():
        raise ValidationError(_("This opportunity no longer takes expressions of interest."), code="closed")
    partner = own_partner_for_user(actor)
    assert partner is not None
    interest = OpportunityInterest(
        opportunity=opportunity,
        partner=partner,
        submitted_by=actor,
        capability_statement=statement,
        match_score=match_score(opportunity, partner),
    )
    try:
        with transaction.atomic():
            interest.save()
            audit.record(
                actor=actor,
                action="overseas.express_interest",
                target=interest,
                changes={"opportunity": [None, opportunity.pk], "match_score": [None, interest.match_score]},
                partner_organization_id=partner.organization_id,
            )
            send(
                global_unit_people(),
                lambda: (
                    _("Interest in %(title)s") % {"title": opportunity.title},
                    _("%(partner)s expressed interest.") % {"partner": partner.name_ko},
                ),
                opportunity_url(opportunity),
            )
    except IntegrityError:
        raise ValidationError(
            _("Your company already expressed interest in this opportunity."), code="duplicate"
        ) from None
    return interest


def shortlist_partner(
    *, actor: User, opportunity: GlobalOpportunity, partner: Partner, note: str = ""
) -> OpportunityInterest:
    """Put a partner on the shortlist (선정 후보): its interest moves to shortlisted, or — for a partner
    found among the suggestions — a host-suggested entry is created shortlisted. The partner is told."""
    if not permissions.can_shortlist(actor):
        raise refuse()
    if opportunity.status == OpportunityStatus.CANCELLED:
        raise ValidationError(_("This opportunity was cancelled."), code="closed")
    if partner.status != PartnerStatus.APPROVED:
        raise ValidationError({"partner": _("Only approved partners can be shortlisted.")})
    with transaction.atomic():
        interest = (
            OpportunityInterest.objects.select_for_update()
            .filter(opportunity=opportunity, partner=partner)
            .first()
        )
        if interest is None:
            from sangsaeng.overseas.selectors.matching import match_score

            interest = OpportunityInterest.objects.create(
                opportunity=opportunity,
                partner=partner,
                submitted_by=actor,
                source=InterestSource.SUGGESTED,
                status=InterestStatus.SHORTLISTED,
                decision_note=clean(note),
                match_score=match_score(opportunity, partner),
            )
            audit.record(
                actor=actor,
                action="overseas.shortlist_suggested_partner",
                target=interest,
                changes={
                    "status": [None, InterestStatus.SHORTLISTED],
                    "decision_note": [None, interest.decision_note],
                },
                partner_organization_id=partner.organization_id,
            )
        else:
            workflow.transition(
                interest,
                InterestStatus.SHORTLISTED,
                actor=actor,
                action="overseas.shortlist_interest",
                updates={"decision_note": clean(note)},
                partner_organization_id=partner.organization_id,
            )
        send(
            partner_people(partner.organization_id),
            lambda: (
                _("Shortlisted for %(title)s") % {"title": opportunity.title},
                _("The host's global unit shortlisted your company for this opportunity."),
            ),
            opportunity_url(opportunity),
        )
    return interest


def decline_interest(*, actor: User, interest: OpportunityInterest, reason: str) -> OpportunityInterest:
    """Take an interest off the shortlist, with the reason the partner sees."""
    if not permissions.can_shortlist(actor):
        raise refuse()
    with transaction.atomic():
        workflow.transition(
            interest,
            InterestStatus.DECLINED,
            actor=actor,
            reason=clean(reason),
            action="overseas.decline_interest",
            updates={"decision_note": clean(reason)},
            partner_organization_id=interest.partner.organization_id,
        )
    return interest
