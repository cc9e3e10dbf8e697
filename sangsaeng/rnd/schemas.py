"""API schemas of the R&D fund: separate XxxIn (requests) and XxxOut (answers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from sangsaeng.core import workflow
from sangsaeng.core.schemas import KRW, Count, Date, DateTime, Id, PatchIn, Year
from sangsaeng.rnd.models import Agreement, AgreementMilestone, Proposal


class RndPageIn(Schema):
    limit: Annotated[Count, Field(ge=1, le=200)] = 50
    offset: Count = 0


class FundYearIn(Schema):
    year: Annotated[Year, Field(ge=2000, le=2100)]
    budget_krw: KRW


class RndFundIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    carry_over: bool = False
    years: list[FundYearIn]


class FundYearOut(Schema):
    id: int
    year: int
    budget_krw: int
    carried_over_krw: int
    carried_out_krw: int
    committed_krw: int
    paid_krw: int
    remaining_krw: int


class RndFundOut(Schema):
    id: int
    name: str
    description: str
    carry_over: bool
    years: list[FundYearOut]


class YearBudgetIn(Schema):
    budget_krw: KRW


class CriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    weight: Annotated[Count, Field(ge=1, le=100)]
    max_score: Annotated[Count, Field(ge=1, le=100)] = 10


class CriterionOut(Schema):
    id: int
    name: str
    weight: int
    max_score: int


class CallIn(Schema):
    fund_year_id: Id
    title: str = Field(..., min_length=1, max_length=200)
    themes: list[str]
    eligible_size_classes: list[str] = []
    eligible_tiers: list[Count] = []
    fair_trade_required: bool = False
    min_partner_share_pct: Annotated[Count, Field(ge=0, le=100)] = 20
    max_request_krw: Annotated[KRW, Field(gt=0)]
    max_per_partner_krw: Annotated[KRW, Field(gt=0)]
    opens_at: DateTime
    closes_at: DateTime
    reviewers_per_proposal: Annotated[Count, Field(ge=1, le=20)] = 3
    criteria: list[CriterionIn]


class CallUpdateIn(PatchIn):
    title: str | None = None
    themes: list[str] | None = None
    closes_at: DateTime | None = None
    max_request_krw: KRW | None = None
    max_per_partner_krw: KRW | None = None


class CallOut(Schema):
    id: int
    fund_year_id: int
    title: str
    themes: list[str]
    eligible_size_classes: list[str]
    eligible_tiers: list[int]
    fair_trade_required: bool
    min_partner_share_pct: int
    max_request_krw: int
    max_per_partner_krw: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    reviewers_per_proposal: int
    decisions_published_at: dt.datetime | None
    criteria: list[CriterionOut]


class CallPageOut(Schema):
    count: int
    items: list[CallOut]


class BudgetLineIn(Schema):
    category: Literal["personnel", "equipment", "materials", "outsourcing", "other"]
    description: str = ""
    host_krw: KRW
    partner_krw: KRW


class BudgetLineOut(Schema):
    category: str
    description: str
    host_krw: int
    partner_krw: int


class MilestonePlanIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    deliverables: str
    month: Annotated[Count, Field(ge=1, le=60)]
    amount_krw: Annotated[KRW, Field(gt=0)]


class MilestonePlanOut(Schema):
    title: str
    deliverables: str
    month: int
    amount_krw: int


class ProposalIn(Schema):
    call_id: Id
    theme: str
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = ""
    objectives: str = ""
    team: str = ""
    budget_lines: list[BudgetLineIn] = []
    milestones: list[MilestonePlanIn] = []


class ProposalUpdateIn(PatchIn):
    theme: str | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = None
    objectives: str | None = None
    team: str | None = None
    budget_lines: list[BudgetLineIn] | None = None
    milestones: list[MilestonePlanIn] | None = None


class ProposalListOut(Schema):
    id: int
    call_id: int
    call_title: str
    partner_name: str
    status: str = Field(..., description=workflow.transitions_description(Proposal))
    theme: str
    title: str
    requested_krw: int
    partner_share_krw: int
    submitted_at: dt.datetime | None


class ProposalPageOut(Schema):
    count: int
    items: list[ProposalListOut]


class ProposalOut(ProposalListOut):
    summary: str
    objectives: str
    team: str
    budget_lines: list[BudgetLineOut]
    milestones: list[MilestonePlanOut]


class RndReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class AssignIn(Schema):
    reviewer_id: Id


class AutoAssignIn(Schema):
    per_proposal: Annotated[Count, Field(ge=1, le=20)] | None = None


class AssignmentOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    conflict_declared: bool
    submitted_at: dt.datetime | None
    comment: str
    scores: dict[str, int]


class CountOut(Schema):
    count: int


class ScoreIn(Schema):
    criterion_id: Id
    score: Annotated[Count, Field(ge=0, le=100)]


class ReviewIn(Schema):
    scores: list[ScoreIn]
    comment: str = Field(..., min_length=1, max_length=5000)


class RankOut(Schema):
    position: int
    proposal_id: int
    title: str
    partner_name: str
    theme: str
    requested_krw: int
    status: str
    raw: float
    calibrated: float
    reviews: int
    outliers: int
    incentive_points: int = Field(
        0,
        description="Benefit-sharing incentive points of the applicant (information, not part of the score)",
    )


class ProgressOut(Schema):
    proposal_id: int
    title: str
    done: int
    pending: int
    conflicted: int


class SelectionIn(Schema):
    theme_min: dict[str, Count] = {}
    theme_max: dict[str, Count] = {}
    exclusive: list[tuple[Id, Id]] = []
    budget_krw: KRW | None = None


class SetOut(Schema):
    ids: list[int]
    total_score: float
    total_cost: int
    unspent: int
    feasible: bool


class ExplanationOut(Schema):
    proposal_id: int
    reason: str
    detail: str
    needed_score: float | None


class SelectionOut(Schema):
    id: int
    budget_krw: int
    applied: bool
    optimal: SetOut
    greedy: SetOut
    explanations: list[ExplanationOut]


class OverrideIn(Schema):
    status: Literal["selected", "rejected"]
    reason: str = Field(..., min_length=1, max_length=2000)


class DecisionOut(Schema):
    proposal_id: int
    status: str
    reason: str
    raw: float | None
    calibrated: float | None
    per_criterion: dict[str, float]
    comments: list[str]


class AgreementMilestoneOut(Schema):
    id: int
    title: str
    deliverables: str
    month: int
    amount_krw: int
    status: str = Field(..., description=workflow.transitions_description(AgreementMilestone))
    report: str
    return_reason: str


class ResultOut(Schema):
    id: int
    kind: str
    title: str
    amount_krw: int
    occurred_on: dt.date


class LedgerEntryOut(Schema):
    id: int
    kind: str
    amount_krw: int
    agreement_id: int | None
    note: str
    created_at: dt.datetime


class AgreementOut(Schema):
    id: int
    proposal_id: int
    title: str
    partner_name: str
    fund_year_id: int
    amount_krw: int
    paid_krw: int
    status: str = Field(..., description=workflow.transitions_description(Agreement))
    milestones: list[AgreementMilestoneOut]
    results: list[ResultOut]


class AgreementPageOut(Schema):
    count: int
    items: list[AgreementOut]


class MilestoneReportIn(Schema):
    report: str = Field(..., min_length=1, max_length=5000)


class PaymentOut(Schema):
    id: int
    agreement_id: int
    milestone_id: int
    amount_krw: int
    idempotency_key: str
    created_at: dt.datetime


class PaymentPageOut(Schema):
    count: int
    items: list[PaymentOut]


class ResultIn(Schema):
    kind: Literal["patent", "product", "sales", "purchase"]
    title: str = Field(..., min_length=1, max_length=200)
    amount_krw: KRW = 0
    occurred_on: Date


class RndAttachmentOut(Schema):
    id: int
    proposal_id: int
    original_name: str
    size_bytes: int
    uploaded_at: dt.datetime


class RndCallRulesIn(Schema):
    """Rubric and/or eligibility of a call; a field left out stays as it is; criteria replace the rubric."""

    criteria: list[CriterionIn] | None = None
    eligible_size_classes: list[str] | None = None
    eligible_tiers: list[Count] | None = None
    fair_trade_required: bool | None = None


class RndExclusivePairIn(Schema):
    first_id: Id
    second_id: Id


class RndExclusivePairOut(Schema):
    id: int
    first_id: int
    first_title: str
    second_id: int
    second_title: str
    created_at: dt.datetime
