"""API shapes of the use-case pipeline: separate In and Out schemas, never one for both."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from sangsaeng.core import workflow
from sangsaeng.core.schemas import KRW, Count, Id
from sangsaeng.usecases.models import DecisionType, Feature, Industry, OutcomeType, Stage, UseCase

StageValue = Literal[tuple(Stage.values)]  # type: ignore[valid-type]
IndustryValue = Literal[tuple(Industry.values)]  # type: ignore[valid-type]
FeatureValue = Literal[tuple(Feature.values)]  # type: ignore[valid-type]
DecisionTypeValue = Literal[tuple(DecisionType.values)]  # type: ignore[valid-type]
OutcomeTypeValue = Literal[tuple(OutcomeType.values)]  # type: ignore[valid-type]


class UseCaseIn(Schema):
    """A proposal; `nda_accepted` must be true (the host's pledge is recorded with it)."""

    title: str = Field(max_length=200)
    industry: str
    features: list[str]
    description: str
    expected_customers: str
    nda_accepted: bool


class UseCaseListOut(Schema):
    id: int
    title: str
    partner_id: int
    partner_name: str
    industry: str
    features: list[str]
    stage: str = Field(..., description=workflow.transitions_description(UseCase))
    sponsor_id: int | None
    sponsor_name: str | None
    screening_due_on: dt.date
    overdue: bool
    submitted_at: dt.datetime


class UseCasePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[UseCaseListOut]


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size_bytes: int
    uploaded_at: dt.datetime


class UseCaseSharingTaskOut(Schema):
    """A finance benefit-sharing task linked to a use case's outcome."""

    id: int
    title: str
    status: str


class UseCaseOut(UseCaseListOut):
    """The full use case: the proposing partner's people and the host."""

    description: str
    expected_customers: str
    nda_accepted_at: dt.datetime
    nda_version: str
    stage_entered_at: dt.datetime
    resume_stage: str
    decision_type: str
    support_amount_krw: int | None
    outcome_type: str
    purchase_amount_krw: int | None
    sharing_task: UseCaseSharingTaskOut | None = Field(
        None, description="The linked benefit-sharing task, when the caller may see it"
    )
    benefit_sharing_reference: str
    attachments: list[AttachmentOut]


class UseCaseFilterIn(Schema):
    q: str = ""
    stage: StageValue | None = None
    industry: IndustryValue | None = None
    feature: FeatureValue | None = None
    sponsor: str = Field("", description='"me", "none" or a user id')
    overdue: bool | None = None
    limit: Annotated[Count, Field(ge=1, le=200)] = 30
    offset: Count = 0


class ShowcaseFilterIn(Schema):
    q: str = ""
    industry: IndustryValue | None = None
    feature: FeatureValue | None = None
    limit: Annotated[Count, Field(ge=1, le=200)] = 30
    offset: Count = 0


class ShowcaseItemOut(Schema):
    """What approved partners see of a showcased use case (no description: it stays under the NDA)."""

    id: int
    title: str
    partner_name: str
    industry: str
    features: list[str]
    stage: str


class ShowcasePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ShowcaseItemOut]


class GateDecisionIn(Schema):
    to_stage: StageValue
    scores: dict[str, Count] = Field(description="criteria → 1..5: fit, feasibility, market, capability")
    reason: str
    decision_type: DecisionTypeValue | Literal[""] = ""
    support_amount_krw: KRW | None = None
    outcome_type: OutcomeTypeValue | Literal[""] = ""
    purchase_amount_krw: KRW | None = None
    benefit_sharing_reference: str = ""
    sharing_task_id: Id | None = Field(
        None, description="Benefit-sharing outcome: a finance task involving the partner (see its list)"
    )


class UseCaseReasonIn(Schema):
    reason: str


class SponsorIn(Schema):
    sponsor_id: Id


class GateDecisionOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    scores: dict[str, int]
    reason: str
    decided_by_name: str
    decided_at: dt.datetime


class BoardColumnOut(Schema):
    stage: str
    label: str
    count: int
    overdue: int
    items: list[UseCaseListOut]


class BoardOut(Schema):
    total: int
    overdue: int
    columns: list[BoardColumnOut]


class FunnelRowOut(Schema):
    stage: str
    label: str
    reached: int
    current: int
    average_days: float | None
    median_days: float | None
