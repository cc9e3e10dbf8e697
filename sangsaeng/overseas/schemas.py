"""API shapes of overseas expansion: separate In and Out schemas, never one for both."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from sangsaeng.core.workflow import transitions_description
from sangsaeng.overseas.models import (
    GlobalOpportunity,
    Language,
    OpportunityInterest,
    OpportunityStatus,
    OverseasProposal,
    ProposalStatus,
)


class OverseasProposalIn(Schema):
    country: str = Field(max_length=80)
    market: str = Field(max_length=200)
    product: str = Field(max_length=200)
    ask: str = Field(max_length=5000)


class OverseasProposalFilterIn(Schema):
    q: str = Field("", max_length=100)
    status: ProposalStatus | None = None
    overdue: bool = False


class ProposalAnswerIn(Schema):
    answer: str = Field(max_length=5000)


class OverseasProposalOut(Schema):
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


class OpportunityIn(Schema):
    title: str = Field(max_length=200)
    country: str = Field(max_length=80)
    sector: str = Field(max_length=120)
    field_ids: list[int] = Field(default_factory=list, max_length=50)
    customer: str = Field(max_length=200)
    needs: str = Field(max_length=5000)
    deadline: dt.date
    language: Language


class OpportunityFilterIn(Schema):
    q: str = Field("", max_length=100)
    status: OpportunityStatus | None = None


class OpportunityOut(Schema):
    id: int
    title: str
    country: str
    sector: str
    field_ids: list[int]
    customer: str
    needs: str
    deadline: dt.date
    language: str
    status: str = Field(description=transitions_description(GlobalOpportunity))
    created_at: dt.datetime

    @staticmethod
    def resolve_field_ids(obj: GlobalOpportunity) -> list[int]:
        return [f.pk for f in obj.fields.all()]


class OpportunityInterestIn(Schema):
    capability_statement: str = Field(max_length=5000)


class OpportunityInterestOut(Schema):
    id: int
    opportunity_id: int
    partner_id: int
    partner_name: str
    source: str
    capability_statement: str
    match_score: int
    status: str = Field(description=transitions_description(OpportunityInterest))
    decision_note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_partner_name(obj: OpportunityInterest) -> str:
        return obj.partner.name_ko


class PartnerSuggestionOut(Schema):
    partner_id: int
    partner_name: str
    score: int
    matched_fields: list[str]
    matched_terms: list[str]
    interested: bool


class OpportunityShortlistIn(Schema):
    partner_id: int = Field(ge=1, le=2**31 - 1)
    note: str = Field("", max_length=1000)


class InterestDeclineIn(Schema):
    reason: str = Field(max_length=1000)
