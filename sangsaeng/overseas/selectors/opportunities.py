"""Reads of global opportunities: the host sees all; partner people see the open ones and those their
company expressed interest in (never another partner's interest)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import is_host, kind_of, organization_id_of
from sangsaeng.overseas.models import GlobalOpportunity, OpportunityInterest, OpportunityStatus
from sangsaeng.overseas.selectors.common import get_or_404, visible_to
from sangsaeng.partners.models import CollaborationField


@dataclass(frozen=True)
class OpportunityFilters:
    q: str = ""
    status: str = ""


def _visible_opportunities(user: Any) -> QuerySet[GlobalOpportunity]:
    queryset = GlobalOpportunity.objects.all()
    if is_host(user):
        return queryset
    own = organization_id_of(user)
    if kind_of(user) == OrganizationKind.PARTNER and own is not None:
        mine = OpportunityInterest.objects.filter(partner__organization_id=own).values("opportunity_id")
        return queryset.filter(Q(status=OpportunityStatus.OPEN) | Q(pk__in=mine))
    return queryset.none()


def opportunities_for_user(
    user: Any, filters: OpportunityFilters | None = None
) -> QuerySet[GlobalOpportunity]:
    filters = filters or OpportunityFilters()
    queryset = _visible_opportunities(user)
    if filters.q:
        queryset = queryset.filter(
            Q(title__icontains=filters.q)
            | Q(country__icontains=filters.q)
            | Q(sector__icontains=filters.q)
            | Q(customer__icontains=filters.q)
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if is_host(user):
        queryset = queryset.annotate(interest_count=Count("interests"))
    return queryset.order_by("-created_at", "-id")


def get_opportunity_for_user(user: Any, opportunity_id: Any) -> GlobalOpportunity:
    return get_or_404(  # type: ignore[no-any-return]
        _visible_opportunities(user).prefetch_related("fields"), opportunity_id
    )


def interests_for_user(user: Any, opportunity: GlobalOpportunity) -> QuerySet[OpportunityInterest]:
    """Every interest in the opportunity (host) or the own company's (partner people)."""
    return visible_to(
        user, OpportunityInterest.objects.filter(opportunity=opportunity).select_related("partner")
    )


def get_interest_for_user(user: Any, interest_id: Any) -> OpportunityInterest:
    return get_or_404(  # type: ignore[no-any-return]
        visible_to(user, OpportunityInterest.objects.select_related("partner", "opportunity")), interest_id
    )


def own_interest(user: Any, opportunity: GlobalOpportunity) -> OpportunityInterest | None:
    if is_host(user):
        return None
    return interests_for_user(user, opportunity).first()


def collaboration_fields(ids: list[int]) -> list[CollaborationField]:
    """The current collaboration fields of these ids (unknown ids are left out)."""
    return list(CollaborationField.objects.filter(pk__in=ids, valid_to__isnull=True))
