"""API shapes of the loan fund: separate In (what a caller sends) and Out (what it gets back)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from sangsaeng.core import workflow
from sangsaeng.core.schemas import KRW, Count, Date, Id, PatchIn
from sangsaeng.finance.models import FundBank, Loan, LoanApplication, SharingAmendment, SharingTask


class PoolOut(Schema):
    id: int
    bank_id: int
    bank_name: str
    pool_krw: int
    rate_without_fund: Decimal
    reduction: Decimal
    fund_rate: Decimal
    grade_reductions: dict[str, Decimal]

    @staticmethod
    def resolve_bank_name(obj: FundBank) -> str:
        return obj.bank.name


class FinanceRateBreakdownOut(Schema):
    """The fund rate part by part: rate without the fund − fund − grade − incentive-points reductions."""

    rate_without_fund: Decimal
    base_reduction: Decimal
    grade: str
    grade_reduction: Decimal
    points: int
    points_reduction: Decimal
    total_reduction: Decimal
    rate: Decimal


class LoanFundOut(Schema):
    id: int
    name: str
    total_krw: int
    valid_from: dt.date
    valid_to: dt.date | None
    eligible_tiers: list[int]
    limits_by_tier: dict[str, int]
    terms_months: list[int]
    purposes: list[str]
    requires_fair_trade: bool
    recommendation_valid_days: int
    points_reductions: list[tuple[int, Decimal]]
    banks: list[PoolOut]

    @staticmethod
    def resolve_banks(obj: Any) -> list[FundBank]:
        return list(obj.banks.all())


class ApplicationIn(Schema):
    fund_id: Id
    pool_id: Id
    amount_krw: KRW
    purpose: str
    term_months: Count
    method: str
    grace_months: Count = 0
    use_of_funds: str = Field("", max_length=2000)


class ApplicationOut(Schema):
    id: int
    fund_id: int
    partner_id: int
    partner_name: str
    pool_id: int
    bank_name: str
    amount_krw: int
    purpose: str
    use_of_funds: str
    term_months: int
    grace_months: int
    method: str
    status: str = Field(..., description=workflow.transitions_description(LoanApplication))
    status_reason: str
    reserved_krw: int
    approved_krw: int | None
    expires_on: dt.date | None
    recommendation_serial: str | None
    rate_breakdown: FinanceRateBreakdownOut | None = None
    created_at: dt.datetime

    # Resolvers also receive already-serialised dicts (replayed idempotent answers).
    @staticmethod
    def resolve_partner_name(obj: LoanApplication | dict[str, Any]) -> str:
        return obj["partner_name"] if isinstance(obj, dict) else obj.partner.name_ko

    @staticmethod
    def resolve_bank_name(obj: LoanApplication | dict[str, Any]) -> str:
        return obj["bank_name"] if isinstance(obj, dict) else obj.pool.bank.name

    @staticmethod
    def resolve_recommendation_serial(obj: LoanApplication | dict[str, Any]) -> str | None:
        if isinstance(obj, dict):
            return obj.get("recommendation_serial")
        recommendation = getattr(obj, "recommendation", None)
        return recommendation.serial if recommendation else None

    @staticmethod
    def resolve_rate_breakdown(obj: LoanApplication | dict[str, Any]) -> dict[str, Any] | None:
        """As kept on the recommendation letter (None before the host recommends)."""
        if isinstance(obj, dict):
            return obj.get("rate_breakdown")
        from sangsaeng.finance.selectors.loans import stored_breakdown

        breakdown = stored_breakdown(getattr(obj, "recommendation", None))
        return breakdown.as_dict() if breakdown else None


class ApplicationPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ApplicationOut]


class AmountIn(Schema):
    amount_krw: KRW | None = None
    note: str = Field("", max_length=1000)


class FinanceReasonIn(Schema):
    reason: str = Field(..., max_length=1000)


class DisburseIn(Schema):
    disbursed_on: Date | None = None
    amount_krw: KRW | None = None
    annual_rate: Decimal | None = None


class RepaymentIn(Schema):
    paid_on: Date
    principal_krw: KRW
    interest_krw: KRW = 0


class RepaymentOut(Schema):
    """A ledger line: kind "payment", or "reversal" (cancels `reverses_id`); a payment written by a
    correction `replaces_id` the entry it corrects; both carry the correction's reason."""

    id: int
    loan_id: int
    kind: str = "payment"
    paid_on: dt.date
    principal_krw: int
    interest_krw: int
    balance_after_krw: int
    reverses_id: int | None = None
    replaces_id: int | None = None
    reason: str = ""


class RepaymentCorrectionIn(Schema):
    """Omitted fields keep the original's value; `void`: the payment never happened (reversal only)."""

    reason: str = Field(..., max_length=2000)
    paid_on: Date | None = None
    principal_krw: KRW | None = None
    interest_krw: KRW | None = None
    void: bool = False


class RepaymentCorrectionOut(Schema):
    reversal: RepaymentOut
    replacement: RepaymentOut | None
    loan_balance_krw: int
    loan_status: str
    next_due_on: dt.date | None


class InstalmentOut(Schema):
    number: int
    due_on: dt.date
    principal_krw: int
    interest_krw: int
    balance_after_krw: int


class LoanOut(Schema):
    id: int
    application_id: int
    partner_id: int
    pool_id: int
    principal_krw: int
    balance_krw: int
    annual_rate: Decimal
    rate_without_fund: Decimal
    method: str
    term_months: int
    grace_months: int
    disbursed_on: dt.date
    maturity_on: dt.date
    status: str = Field(..., description=workflow.transitions_description(Loan))
    interest_saved_krw: int
    base_reduction: Decimal
    partner_grade: str
    grade_reduction: Decimal
    points_reduction: Decimal

    @staticmethod
    def resolve_interest_saved_krw(obj: Loan | dict[str, Any]) -> int:
        from sangsaeng.finance.selectors.loans import saving_to_date

        return int(obj["interest_saved_krw"]) if isinstance(obj, dict) else saving_to_date(obj)


class LoanDetailOut(LoanOut):
    instalments: list[InstalmentOut]
    repayments: list[RepaymentOut]


class LoanPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[LoanOut]


class SimulateIn(Schema):
    fund_id: Id
    pool_id: Id
    amount_krw: Annotated[KRW, Field(gt=0, le=10**12)]
    term_months: Annotated[Count, Field(gt=0, le=120)]
    method: str
    grace_months: Count = 0


class SimulationOut(Schema):
    """`personal`: the rate is the signed-in partner's own (grade and incentive points counted)."""

    personal: bool
    rate_breakdown: FinanceRateBreakdownOut
    annual_rate: Decimal
    rate_without_fund: Decimal
    total_interest_krw: int
    interest_without_fund_krw: int
    saving_krw: int
    rows: list[InstalmentOut]


class FinancePageIn(Schema):
    limit: Annotated[Count, Field(ge=1, le=200)] = 50
    offset: Count = 0
    status: str = ""


class RowErrorOut(Schema):
    row: int
    message: str


class BankImportOut(Schema):
    applied: bool
    rows: int
    done: dict[str, int]
    errors: list[RowErrorOut]


class ContractIn(Schema):
    goal: str | None = None
    kpi_target: Decimal | None = None
    measurement_months: Count | None = None
    cash_ratio_percent: Decimal | None = None
    methods: list[str] | None = None

    def terms(self) -> dict[str, Any]:
        return {name: value for name, value in self.dict().items() if value is not None}


class TaskIn(Schema):
    partner_id: Id
    participant_ids: list[Id] = []
    title: str = Field(..., max_length=200)
    task_type: str
    kpi_name: str = Field(..., max_length=200)
    kpi_baseline: Decimal
    contract: ContractIn


class TaskOut(Schema):
    id: int
    partner_id: int
    partner_name: str
    title: str
    task_type: str
    goal: str
    kpi_name: str
    kpi_baseline: Decimal
    kpi_target: Decimal
    measurement_months: int
    methods: list[str]
    cash_ratio_percent: Decimal
    status: str = Field(..., description=workflow.transitions_description(SharingTask))
    status_reason: str
    certificate_number: str
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_partner_name(obj: Any) -> str:
        return obj["partner_name"] if isinstance(obj, dict) else obj.partner.name_ko


class AmendmentIn(Schema):
    reason: str = Field(..., max_length=2000)
    changes: ContractIn


class AmendmentOut(Schema):
    id: int
    task_id: int
    by_host: bool
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    status: str = Field(..., description=workflow.transitions_description(SharingAmendment))
    created_at: dt.datetime
    decided_at: dt.datetime | None


class MeasurementIn(Schema):
    period_start: Date
    period_end: Date
    kpi_value: Decimal
    saving_krw: KRW
    evidence: str = Field(..., max_length=4000)


class PayoutOut(Schema):
    id: int
    measurement_id: int
    amount_krw: int
    settled_on: dt.date | None


class MeasurementOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    kpi_value: Decimal
    saving_krw: int
    evidence: str


class TaskDetailOut(TaskOut):
    amendments: list[AmendmentOut]
    measurements: list[MeasurementOut]
    payouts: list[PayoutOut]


class TaskStatusIn(Schema):
    status: str
    reason: str = Field("", max_length=2000)
    certificate_number: str = Field("", max_length=40)


class SettleIn(Schema):
    settled_on: Date


class PointOut(Schema):
    id: int
    partner_id: int
    task_id: int
    task_title: str
    points: int
    reason: str
    awarded_at: dt.datetime

    @staticmethod
    def resolve_task_title(obj: Any) -> str:
        return obj.task.title


class TaskPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TaskOut]


class LoanFundIn(Schema):
    name: str = Field(..., max_length=200)
    total_krw: KRW
    valid_from: Date
    valid_to: Date | None = None
    is_active: bool = True
    eligible_tiers: list[Count] = [1, 2, 3]
    limits_by_tier: dict[str, KRW] = {}
    terms_months: list[Count] = [12, 24, 36]
    purposes: list[str] = ["working", "facilities"]
    requires_fair_trade: bool = False
    recommendation_valid_days: Annotated[Count, Field(ge=1, le=365)] = 60
    points_reductions: list[tuple[Count, Decimal]] = []


class FundPatchIn(PatchIn):
    """Only the fields sent change (valid_to: send null to leave the fund open-ended)."""

    nullable = frozenset({"valid_to"})
    name: str | None = Field(None, max_length=200)
    total_krw: KRW | None = None
    valid_to: Date | None = None
    is_active: bool | None = None
    eligible_tiers: list[Count] | None = None
    limits_by_tier: dict[str, KRW] | None = None
    terms_months: list[Count] | None = None
    purposes: list[str] | None = None
    requires_fair_trade: bool | None = None
    recommendation_valid_days: Annotated[Count, Field(ge=1, le=365)] | None = None
    points_reductions: list[tuple[Count, Decimal]] | None = None


class PoolIn(Schema):
    bank_id: Id
    deposit_krw: KRW
    pool_krw: KRW
    base_rate: Decimal
    spread: Decimal = Decimal("0")
    reduction: Decimal
    grade_reductions: dict[str, Decimal] = {}


class PoolPatchIn(PatchIn):
    deposit_krw: KRW | None = None
    pool_krw: KRW | None = None
    base_rate: Decimal | None = None
    spread: Decimal | None = None
    reduction: Decimal | None = None
    grade_reductions: dict[str, Decimal] | None = None


class ProgrammeIn(Schema):
    plan_from: Date
    plan_to: Date
    plan_summary: str = Field(..., max_length=20000)
    internal_rules: str = Field(..., max_length=20000)
    dedicated_staff: str = Field(..., max_length=4000)


class ProgrammeOut(Schema):
    plan_from: dt.date
    plan_to: dt.date
    plan_summary: str
    internal_rules: str
    dedicated_staff: str
    updated_at: dt.datetime


class FinanceGradeIn(Schema):
    partner_id: Id
    grade: str = Field(..., max_length=1)
    valid_from: Date
    reason: str = Field(..., max_length=2000)


class FinanceGradeOut(Schema):
    id: int
    partner_id: int
    partner_name: str
    grade: str
    valid_from: dt.date
    reason: str
    assigned_at: dt.datetime

    @staticmethod
    def resolve_partner_name(obj: Any) -> str:
        return str(obj.partner.name_ko)


class FinanceGradePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[FinanceGradeOut]
