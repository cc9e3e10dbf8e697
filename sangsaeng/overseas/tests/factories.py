"""Test data of overseas expansion."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sangsaeng.overseas.models import OverseasProposal


def make_proposal(
    partner, owner, *, secret: str = "", due: dt.date | None = None, **fields
) -> OverseasProposal:
    return OverseasProposal.objects.create(
        partner=partner,
        submitted_by=owner,
        country=fields.pop("country", "Vietnam"),
        market=fields.pop("market", secret or "telecom operators"),
        product=fields.pop("product", secret or "5G small cell"),
        ask=fields.pop("ask", secret or "Introduce us to the operator"),
        answer_due_on=due or timezone.localdate() + dt.timedelta(days=14),
        **fields,
    )


def make_opportunity(posted_by, *, status: str = "open", **fields):
    from sangsaeng.overseas.models import GlobalOpportunity

    return GlobalOpportunity.objects.create(
        title=fields.pop("title", "Private 5G for a port"),
        country=fields.pop("country", "Vietnam"),
        sector=fields.pop("sector", "Ports and logistics"),
        customer=fields.pop("customer", "Saigon port"),
        needs=fields.pop("needs", "Private 5G network, CCTV analytics, rugged routers"),
        deadline=fields.pop("deadline", timezone.localdate() + dt.timedelta(days=30)),
        language=fields.pop("language", "en"),
        status=status,
        posted_by=posted_by,
        **fields,
    )


def make_interest(opportunity, partner, user, *, statement: str = "We build rugged 5G routers", **fields):
    from sangsaeng.overseas.models import OpportunityInterest

    return OpportunityInterest.objects.create(
        opportunity=opportunity, partner=partner, submitted_by=user, capability_statement=statement, **fields
    )
