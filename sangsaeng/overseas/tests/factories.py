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
