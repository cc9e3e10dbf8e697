"""Reads of the one-to-one channel: proposals the user may see, and the global unit's overdue queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from sangsaeng.core import dates
from sangsaeng.overseas.models import OverseasProposal, ProposalStatus
from sangsaeng.overseas.selectors.common import get_or_404, visible_to


@dataclass(frozen=True)
class ProposalFilters:
    q: str = ""
    status: str = ""
    overdue: bool = False


def proposals_for_user(user: Any, filters: ProposalFilters | None = None) -> QuerySet[OverseasProposal]:
    """Own company's proposals (partner people) or all (host), newest first, filtered."""
    filters = filters or ProposalFilters()
    queryset = visible_to(user, OverseasProposal.objects.select_related("partner"))
    if filters.q:
        queryset = queryset.filter(
            Q(country__icontains=filters.q)
            | Q(market__icontains=filters.q)
            | Q(product__icontains=filters.q)
            | Q(partner__name_ko__icontains=filters.q)
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.overdue:
        queryset = queryset.filter(status=ProposalStatus.SUBMITTED, answer_due_on__lt=dates.today())
    return queryset


def get_proposal_for_user(user: Any, proposal_id: Any) -> OverseasProposal:
    return get_or_404(  # type: ignore[no-any-return]
        visible_to(user, OverseasProposal.objects.select_related("partner", "answered_by", "submitted_by")),
        proposal_id,
    )


def overdue_proposals(today: dt.date | None = None) -> QuerySet[OverseasProposal]:
    return OverseasProposal.objects.filter(
        status=ProposalStatus.SUBMITTED, answer_due_on__lt=today or dates.today()
    )
