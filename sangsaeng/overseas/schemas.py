"""API shapes of overseas expansion: separate In and Out schemas, never one for both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from sangsaeng.core.schemas import KRW, Id
from sangsaeng.core.workflow import transitions_description
from sangsaeng.overseas.models import (
    ApplicationItem,
    Exhibition,
    ExhibitionApplication,
    ExhibitionStatus,
    ExpenseClaim,
    ExportRecord,
    GlobalOpportunity,
    Language,
    OpportunityInterest,
    OpportunityStatus,
    OverseasProposal,
    ProposalStatus,
    SupportItem,
    SupportKind,
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
    partner_id: Id
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
    field_ids: list[Id] = Field(default_factory=list, max_length=50)
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
    field_ids: list[Id]
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
    opportunity_id: Id
    partner_id: Id
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
    partner_id: Id
    partner_name: str
    score: int
    matched_fields: list[str]
    matched_terms: list[str]
    interested: bool


class OpportunityShortlistIn(Schema):
    partner_id: Id = Field(ge=1, le=2**31 - 1)
    note: str = Field("", max_length=1000)


class InterestDeclineIn(Schema):
    reason: str = Field(max_length=1000)


# --- Exhibitions ------------------------------------------------------------------------------------------


class ExhibitionIn(Schema):
    name: str = Field(max_length=200)
    city: str = Field(max_length=100)
    country: str = Field(max_length=80)
    starts_on: dt.date
    ends_on: dt.date
    booths: int = Field(ge=1, le=1000)
    budget_krw: int = Field(ge=1, le=10**13)
    application_deadline: dt.date
    caps: dict[SupportKind, KRW] = Field(description="KRW cap per partner for each supported item")


class SupportItemOut(Schema):
    kind: str
    cap_krw: int


class ExhibitionOut(Schema):
    id: int
    name: str
    city: str
    country: str
    starts_on: dt.date
    ends_on: dt.date
    booths: int
    booths_taken: int
    budget_krw: int
    committed_krw: int
    application_deadline: dt.date
    status: str = Field(description=transitions_description(Exhibition))
    support_items: list[SupportItemOut]

    @staticmethod
    def resolve_support_items(obj: Exhibition) -> list[SupportItem]:
        return list(obj.support_items.all())


class ExhibitionMoveIn(Schema):
    to: ExhibitionStatus
    reason: str = Field("", max_length=1000)


class ExhibitionApplyIn(Schema):
    exhibits: str = Field(max_length=5000)
    amounts: dict[SupportKind, KRW]


class ApplicationItemOut(Schema):
    kind: str
    requested_krw: int
    approved_krw: int
    paid_krw: int


class ExhibitionApplicationOut(Schema):
    id: int
    exhibition_id: Id
    partner_id: Id
    partner_name: str
    exhibits: str
    status: str = Field(description=transitions_description(ExhibitionApplication))
    status_reason: str
    score: int | None
    score_note: str
    requested_krw: int
    approved_krw: int
    paid_krw: int
    agreement_text: str
    agreement_signed_at: dt.datetime | None
    items: list[ApplicationItemOut]

    @staticmethod
    def resolve_partner_name(obj: ExhibitionApplication) -> str:
        return obj.partner.name_ko

    @staticmethod
    def resolve_items(obj: ExhibitionApplication) -> list[ApplicationItem]:
        return list(obj.items.all())


class ApplicationScoreIn(Schema):
    score: int = Field(ge=0, le=100)
    note: str = Field("", max_length=1000)


class OverseasReasonIn(Schema):
    reason: str = Field(max_length=1000)


class ExhibitionSelectionOut(Schema):
    approved_ids: list[Id]
    not_fitting: list[dict[str, str | int]]


class ExpenseClaimOut(Schema):
    id: int
    application_id: Id
    kind: str
    amount_krw: int
    paid_krw: int
    status: str = Field(description=transitions_description(ExpenseClaim))
    status_reason: str
    receipt_name: str
    created_at: dt.datetime

    # A replayed idempotent answer is the stored dict: it already holds both values.
    @staticmethod
    def resolve_application_id(obj: ExpenseClaim | dict[str, Any]) -> int:
        return int(obj["application_id"]) if isinstance(obj, dict) else obj.item.application_id

    @staticmethod
    def resolve_kind(obj: ExpenseClaim | dict[str, Any]) -> str:
        return str(obj["kind"]) if isinstance(obj, dict) else obj.item.kind


class ExhibitionOutcomeIn(Schema):
    meetings_held: int = Field(ge=0, le=100000)
    mous: int = Field(ge=0, le=10000)
    contracts: int = Field(ge=0, le=10000)
    notes: str = Field("", max_length=5000)


class ExhibitionOutcomeOut(Schema):
    application_id: Id
    meetings_held: int
    mous: int
    contracts: int
    notes: str


class ExchangeRateIn(Schema):
    currency: str = Field(min_length=3, max_length=3)
    rate_date: dt.date
    krw_per_unit: Decimal = Field(gt=0, max_digits=14, decimal_places=4)


class ExchangeRateOut(Schema):
    id: int
    currency: str
    rate_date: dt.date
    krw_per_unit: Decimal


class OverseasExportIn(Schema):
    year: int = Field(ge=2000, le=2100)
    country: str = Field(max_length=80)
    currency: str = Field(min_length=3, max_length=3)
    amount: Decimal = Field(gt=0, max_digits=16, decimal_places=2)


class OverseasExportOut(Schema):
    id: int
    partner_id: Id
    application_id: Id | None
    year: int
    country: str
    currency: str
    amount: Decimal
    rate_krw_per_unit: Decimal
    rate_date: dt.date
    amount_krw: int

    @staticmethod
    def resolve_rate_krw_per_unit(obj: ExportRecord) -> Decimal:
        return obj.rate.krw_per_unit

    @staticmethod
    def resolve_rate_date(obj: ExportRecord) -> dt.date:
        return obj.rate.rate_date


# --- Reports ------------------------------------------------------------------------------------------------


class ExportByYearCountryOut(Schema):
    year: int
    country: str
    amount_krw: int
    records: int


class RecordEntryOut(Schema):
    id: int
    title: str
    status: str
    date: dt.date | None


class PartnerRecordOut(Schema):
    partner_id: Id
    partner_name: str
    exhibitions: list[RecordEntryOut]
    opportunities: list[RecordEntryOut]
    proposals: list[RecordEntryOut]
    exports: list[ExportByYearCountryOut]


class ExhibitionReportRowOut(Schema):
    application_id: Id
    partner_id: Id
    partner_name: str
    status: str
    score: int | None
    requested_krw: int
    approved_krw: int
    paid_krw: int
    meetings_held: int
    mous: int
    contracts: int
    exports_krw: int


class ExhibitionReportOut(Schema):
    exhibition_id: Id
    totals: dict[str, int]
    rows: list[ExhibitionReportRowOut]


class YearExhibitionOut(Schema):
    exhibition_id: Id
    name: str
    city: str
    starts_on: dt.date
    budget_krw: int
    committed_krw: int
    paid_krw: int
    applications_count: int
    supported_count: int
    meetings_held: int
    mous: int
    contracts: int


class ExportByCountryOut(Schema):
    country: str
    amount_krw: int
    partners: int


class YearReportOut(Schema):
    year: int
    totals: dict[str, int]
    exhibitions: list[YearExhibitionOut]
    exports_by_country: list[ExportByCountryOut]
