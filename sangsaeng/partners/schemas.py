"""API shapes of the partner registry: separate In and Out schemas, never one for both."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from sangsaeng.core import workflow
from sangsaeng.core.schemas import KRW, Count, Date, PatchIn
from sangsaeng.partners.models import Partner, PartnerDecision, PartnerStatus, SizeClass

StatusValue = Literal[tuple(PartnerStatus.values)]  # type: ignore[valid-type]
DecisionValue = Literal[tuple(PartnerDecision.values)]  # type: ignore[valid-type]
SortValue = Literal["name", "-name", "created", "-created", "tier", "-tier", "revenue", "-revenue"]
SizeFilterValue = Literal[(*SizeClass.values, "none")]  # type: ignore[valid-type]


class PartnerFieldOut(Schema):
    code: str
    name_ko: str
    name_en: str
    is_representative: bool


class PartnerListOut(Schema):
    """What every viewer of a partner sees (banks see only this)."""

    id: int
    brn: str = Field(description="사업자등록번호, 10 digits")
    name_ko: str
    name_en: str
    status: str = Field(..., description=workflow.transitions_description(Partner))
    size_class: str
    tier: int
    is_representative: bool
    fields: list[PartnerFieldOut]
    created_at: dt.datetime


class PartnerDetailsOut(Schema):
    """The full profile: the partner's own people, the host and the agency."""

    status_reason: str
    corporate_number: str
    ceo_name: str
    address: str
    founded_on: dt.date | None
    employees: int | None
    ksic_code: str
    average_revenue_krw: int | None
    total_assets_krw: int | None
    in_disclosed_group: bool
    owned_by_large_firm: bool
    size_basis: dict[str, Any]
    size_computed_on: dt.date | None
    fair_trade_agreement: bool
    fair_trade_agreement_on: dt.date | None
    capabilities: str
    capability_tags: list[str]
    approved_at: dt.datetime | None
    updated_at: dt.datetime


class PartnerOut(PartnerListOut):
    details: PartnerDetailsOut | None = Field(
        None, description="Absent for viewers who see list fields only (banks)."
    )


class PartnerPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PartnerListOut]


class PartnerFilterIn(Schema):
    q: str = Field("", max_length=100, description="Words matched in names, BRN, capabilities and tags")
    status: StatusValue | None = None
    field: str = Field("", description="Collaboration field code")
    size_class: SizeFilterValue | None = None
    tier: Annotated[Count, Field(ge=1, le=4)] | None = None
    representative: bool | None = None
    fair_trade_agreement: bool | None = None
    sort: SortValue = "name"
    limit: Annotated[Count, Field(ge=1, le=200)] = 50
    offset: Count = 0


class PartnerProfileIn(Schema):
    corporate_number: str = Field("", max_length=32)
    name_en: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    founded_on: Date | None = None
    employees: Count | None = None
    average_revenue_krw: KRW | None = None
    total_assets_krw: KRW | None = None
    in_disclosed_group: bool = False
    owned_by_large_firm: bool = False
    tier: Annotated[Count, Field(ge=1, le=4)] = 1
    capabilities: str = ""
    capability_tags: list[str] = []


class PartnerSignupIn(PartnerProfileIn):
    """Anonymous company sign-up: the owner's account and the company."""

    email: str = Field(..., max_length=254)
    name: str = Field(..., max_length=100, description="The owner's name")
    password: str = Field(..., max_length=200)
    phone: str = Field("", max_length=30)
    brn: str = Field(..., max_length=32, description="사업자등록번호; hyphens and full-width digits accepted")
    name_ko: str = Field(..., max_length=200)
    ceo_name: str = Field(..., max_length=100)
    ksic_code: str = Field(..., max_length=10)
    privacy_consent: bool = Field(
        ..., description="Consent to the collection of the company's and contacts' data (PIPA); must be true"
    )
    form_token: str = Field(
        ...,
        max_length=300,
        description="From GET /partners/signup/form-token, at least a few seconds old and used once",
    )


class SignupFormTokenOut(Schema):
    form_token: str = Field(..., description="Send it with the sign-up, after at least `min_seconds`")
    min_seconds: int
    max_age_seconds: int


class PartnerUpdateIn(PatchIn):
    """Only the fields sent are changed (null clears the optional facts). BRN and Korean name are locked
    after approval (host only)."""

    nullable = frozenset(
        {"founded_on", "employees", "average_revenue_krw", "total_assets_krw", "fair_trade_agreement_on"}
    )

    brn: str | None = Field(None, max_length=32)
    corporate_number: str | None = Field(None, max_length=32)
    name_ko: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    ceo_name: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=300)
    founded_on: Date | None = None
    employees: Count | None = None
    ksic_code: str | None = Field(None, max_length=10)
    average_revenue_krw: KRW | None = None
    total_assets_krw: KRW | None = None
    in_disclosed_group: bool | None = None
    owned_by_large_firm: bool | None = None
    tier: Annotated[Count, Field(ge=1, le=4)] | None = None
    capabilities: str | None = None
    capability_tags: list[str] | None = None
    fair_trade_agreement: bool | None = Field(None, description="Host only")
    fair_trade_agreement_on: Date | None = Field(None, description="Host only")


class DecisionIn(Schema):
    decision: DecisionValue
    reason: str = Field("", max_length=2000, description="Required to reject, request changes or suspend")


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    reason: str
    created_at: dt.datetime


class ContactIn(Schema):
    name: str = Field(..., max_length=100)
    department: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    is_primary: bool = False


class ContactOut(Schema):
    id: int
    name: str
    department: str
    email: str
    phone: str
    is_primary: bool
