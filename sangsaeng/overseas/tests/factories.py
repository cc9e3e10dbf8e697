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


def make_exhibition(created_by, *, budget_krw: int = 100_000_000, booths: int = 50, caps=None, **fields):
    from sangsaeng.overseas.models import Exhibition, SupportItem

    today = timezone.localdate()
    exhibition = Exhibition.objects.create(
        name=fields.pop("name", "MWC Barcelona"),
        city=fields.pop("city", "Barcelona"),
        country=fields.pop("country", "Spain"),
        starts_on=fields.pop("starts_on", today + dt.timedelta(days=60)),
        ends_on=fields.pop("ends_on", today + dt.timedelta(days=63)),
        booths=booths,
        budget_krw=budget_krw,
        application_deadline=fields.pop("application_deadline", today + dt.timedelta(days=30)),
        created_by=created_by,
        **fields,
    )
    for kind, cap in (caps or {"booth_rental": 10_000_000, "lodging": 3_000_000}).items():
        SupportItem.objects.create(exhibition=exhibition, kind=kind, cap_krw=cap)
    return exhibition


def make_application(exhibition, partner, user, *, amounts=None, secret: str = "", **fields):
    from sangsaeng.overseas.models import ApplicationItem, ExhibitionApplication

    amounts = amounts or {"booth_rental": 8_000_000}
    application = ExhibitionApplication.objects.create(
        exhibition=exhibition,
        partner=partner,
        submitted_by=user,
        exhibits=secret or "5G small cells",
        requested_krw=sum(amounts.values()),
        **fields,
    )
    for kind, amount in amounts.items():
        ApplicationItem.objects.create(
            application=application,
            kind=kind,
            requested_krw=amount,
            approved_krw=amount if application.status in ("approved", "agreed") else 0,
        )
    if application.status in ("approved", "agreed"):
        application.approved_krw = sum(amounts.values())
        application.save(update_fields=["approved_krw"])
    return application
