"""Global opportunities API: posting, interests with capability statements, ranked suggestions,
the shortlist."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sangsaeng.core.pagination import LimitOffset
from sangsaeng.core.schemas import Id
from sangsaeng.overseas import permissions, selectors, services
from sangsaeng.overseas.models import GlobalOpportunity
from sangsaeng.overseas.schemas import (
    InterestDeclineIn,
    OpportunityFilterIn,
    OpportunityIn,
    OpportunityInterestIn,
    OpportunityInterestOut,
    OpportunityOut,
    OpportunityShortlistIn,
    PartnerSuggestionOut,
)
from sangsaeng.partners.selectors import get_partner_for_user

router = Router(tags=["overseas"])


@router.get("/opportunities", response=list[OpportunityOut], summary="List global opportunities")
@paginate(LimitOffset)
def list_opportunities(request: HttpRequest, filters: Query[OpportunityFilterIn]) -> Any:
    """Every opportunity (host); the open ones and those the company is interested in (partners)."""
    return selectors.opportunities_for_user(
        request.user, selectors.OpportunityFilters(q=filters.q, status=filters.status or "")
    ).prefetch_related("fields")


@router.post("/opportunities", response={201: OpportunityOut}, summary="Post a global opportunity")
def post_opportunity(request: HttpRequest, payload: OpportunityIn) -> Status[GlobalOpportunity]:
    """The global unit (host administrators and programme managers)."""
    data = payload.dict()
    fields = selectors.collaboration_fields(data.pop("field_ids"))
    opportunity = services.post_opportunity(actor=request.user, fields=fields, **data)
    return Status(201, selectors.get_opportunity_for_user(request.user, opportunity.pk))


@router.get("/opportunities/{opportunity_id}", response=OpportunityOut, summary="One global opportunity")
def get_opportunity(request: HttpRequest, opportunity_id: Id) -> GlobalOpportunity:
    return selectors.get_opportunity_for_user(request.user, opportunity_id)


@router.post("/opportunities/{opportunity_id}/close", response=OpportunityOut, summary="Close an opportunity")
def close_opportunity(request: HttpRequest, opportunity_id: Id) -> GlobalOpportunity:
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    return services.close_opportunity(actor=request.user, opportunity=opportunity)


@router.get(
    "/opportunities/{opportunity_id}/interests",
    response=list[OpportunityInterestOut],
    summary="Interests in an opportunity",
)
@paginate(LimitOffset)
def list_interests(request: HttpRequest, opportunity_id: Id) -> Any:
    """Every interest, best match first (host); the company's own (partners)."""
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    return selectors.interests_for_user(request.user, opportunity)


@router.post(
    "/opportunities/{opportunity_id}/interests",
    response={201: OpportunityInterestOut},
    summary="Express interest with a capability statement",
)
def express_interest(request: HttpRequest, opportunity_id: Id, payload: OpportunityInterestIn) -> Status[Any]:
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    interest = services.express_interest(
        actor=request.user, opportunity=opportunity, capability_statement=payload.capability_statement
    )
    return Status(201, interest)


@router.get(
    "/opportunities/{opportunity_id}/suggestions",
    response=list[PartnerSuggestionOut],
    summary="Suggested partners, ranked (host)",
)
def suggestions(request: HttpRequest, opportunity_id: Id) -> list[dict[str, Any]]:
    """Approved partners ranked by shared collaboration fields and text match (at most 20)."""
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    if not permissions.can_view_host_side(request.user):
        raise PermissionDenied(_("Only the host sees the suggestions."))
    return [
        {
            "partner_id": s.partner.pk,
            "partner_name": s.partner.name_ko,
            "score": s.score,
            "matched_fields": s.matched_fields,
            "matched_terms": s.matched_terms,
            "interested": s.interested,
        }
        for s in selectors.suggest_partners(opportunity)
    ]


@router.post(
    "/opportunities/{opportunity_id}/shortlist",
    response=OpportunityInterestOut,
    summary="Shortlist a partner",
)
def shortlist(request: HttpRequest, opportunity_id: Id, payload: OpportunityShortlistIn) -> Any:
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    if not permissions.can_shortlist(request.user):
        raise PermissionDenied(_("You may not do this."))
    partner = get_partner_for_user(request.user, payload.partner_id)
    return services.shortlist_partner(
        actor=request.user, opportunity=opportunity, partner=partner, note=payload.note
    )


@router.post(
    "/interests/{interest_id}/decline", response=OpportunityInterestOut, summary="Decline an interest"
)
def decline(request: HttpRequest, interest_id: Id, payload: InterestDeclineIn) -> Any:
    interest = selectors.get_interest_for_user(request.user, interest_id)
    return services.decline_interest(actor=request.user, interest=interest, reason=payload.reason)
