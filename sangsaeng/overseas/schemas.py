"""API shapes of overseas expansion: separate In and Out schemas, never one for both."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from sangsaeng.core.workflow import transitions_description
from sangsaeng.overseas.models import OverseasProposal, ProposalStatus


class ProposalIn(Schema):
    country: str = Field(max_length=80)
    market: str = Field(max_length=200)
    product: str = Field(max_length=200)
    ask: str = Field(max_length=5000)


class ProposalFilterIn(Schema):
    q: str = Field("", max_length=100)
    status: ProposalStatus | None = None
    overdue: bool = False


class AnswerIn(Schema):
    answer: str = Field(max_length=5000)


class ProposalOut(Schema):
    id: int
    partner_id: int
    partner_name: str
    country: str
    market: str
    product: str
    ask: str
    status: str = Field(description=transitions_description(OverseasProposal))
    submitted_at: dt.datetime
    answer_due_on: dt.date
    overdue: bool
    answer: str
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_partner_name(obj: OverseasProposal) -> str:
        return obj.partner.name_ko

    @staticmethod
    def resolve_overdue(obj: OverseasProposal) -> bool:
        return obj.is_overdue
