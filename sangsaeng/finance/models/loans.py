"""The co-prosperity loan fund (상생협력펀드): a fund run with banks, applications, loans, repayments.

Capacity is kept in counters (outstanding + reserved) on three rows: the fund, each bank's pool and
each company's exposure. CHECK constraints make the database refuse any state where outstanding +
reserved exceeds the ceiling, and services move money with guarded conditional UPDATEs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangsaeng.accounts.models import Organization
from sangsaeng.core.models import AppendOnlyModel
from sangsaeng.partners.models import Partner


class LoanPurpose(models.TextChoices):
    WORKING_CAPITAL = "working", _("Working capital (운전자금)")
    FACILITIES = "facilities", _("Facilities (시설자금)")


class RepaymentMethod(models.TextChoices):
    EQUAL_PAYMENT = "equal_payment", _("Equal payment (원리금균등)")
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal (원금균등)")
    BULLET = "bullet", _("Bullet (만기일시)")


def _capacity_checks(prefix: str, ceiling: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(outstanding_krw__gte=0) & Q(reserved_krw__gte=0), name=f"{prefix}_counters_nonneg"
        ),
        models.CheckConstraint(
            condition=Q(outstanding_krw__lte=F(ceiling) - F("reserved_krw")), name=f"{prefix}_within_ceiling"
        ),
    ]


class LoanFund(models.Model):
    """A loan programme (e.g. 1,000억) with its rules. Dated: a new round is a new fund."""

    name = models.CharField(_("name"), max_length=200)
    total_krw = models.BigIntegerField(_("programme total (KRW)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("open for applications"), default=True)
    eligible_tiers = models.JSONField(_("eligible tiers"), default=list)
    # Per-company limit by tier, e.g. {"1": 1_000_000_000, "2": 500_000_000, "3": 500_000_000}.
    limits_by_tier = models.JSONField(_("per-company limit by tier (KRW)"), default=dict)
    terms_months = models.JSONField(_("terms offered (months)"), default=list)
    purposes = models.JSONField(_("purposes"), default=list)
    requires_fair_trade = models.BooleanField(_("fair-trade agreement required"), default=False)
    recommendation_valid_days = models.PositiveSmallIntegerField(_("recommendation valid (days)"), default=60)
    # Preferential cut for benefit-sharing incentive points: [[min_points, "extra %p"], …].
    points_reductions = models.JSONField(_("extra reduction by incentive points"), default=list, blank=True)
    outstanding_krw = models.BigIntegerField(default=0)
    reserved_krw = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "name"]
        constraints = _capacity_checks("fund", "total_krw")
        verbose_name = _("loan fund")

    def __str__(self) -> str:
        return self.name

    def limit_for_tier(self, tier: int) -> int:
        return int(self.limits_by_tier.get(str(tier), 0))

    def points_reduction(self, points: int) -> Decimal:
        """The extra rate cut (%p) a partner's incentive points earn: the highest step reached."""
        earned = [Decimal(str(extra)) for minimum, extra in self.points_reductions if points >= int(minimum)]
        return max(earned, default=Decimal("0"))


class FundBank(models.Model):
    """A participating bank: the host's deposit, the loan pool it backs and the rates."""

    fund = models.ForeignKey(LoanFund, on_delete=models.PROTECT, related_name="banks")
    bank = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="fund_pools", limit_choices_to={"kind": "bank"}
    )
    deposit_krw = models.BigIntegerField(_("host deposit (KRW)"))
    pool_krw = models.BigIntegerField(_("loan pool (KRW)"))
    # Rates in percent per year: the bank's rate without the fund (base + spread), minus the cut.
    base_rate = models.DecimalField(_("base rate (%)"), max_digits=6, decimal_places=3)
    spread = models.DecimalField(_("spread (%p)"), max_digits=6, decimal_places=3, default=Decimal("0"))
    reduction = models.DecimalField(_("rate reduction (%p)"), max_digits=6, decimal_places=3)
    # Optional preferential cut by the partner's grade on top of `reduction`, e.g. {"S": "0.5", "A": "0.3"}.
    grade_reductions = models.JSONField(_("extra reduction by partner grade (%p)"), default=dict, blank=True)
    outstanding_krw = models.BigIntegerField(default=0)
    reserved_krw = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["fund", "bank__name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "bank"], name="one_pool_per_bank_and_fund"),
            *_capacity_checks("pool", "pool_krw"),
        ]
        verbose_name = _("participating bank")

    def __str__(self) -> str:
        return f"{self.fund} · {self.bank}"

    @property
    def rate_without_fund(self) -> Decimal:
        return self.base_rate + self.spread

    @property
    def fund_rate(self) -> Decimal:
        return max(Decimal("0"), self.rate_without_fund - self.reduction)

    def grade_reduction(self, grade: str) -> Decimal:
        """The extra cut (%p) this bank's pool gives a partner of `grade` (0 when none is set)."""
        return Decimal(str(self.grade_reductions.get(grade, "0"))) if grade else Decimal("0")


class PoolSnapshot(models.Model):
    """A bank pool's counters at the end of a day, for utilisation over time (derived, one per day)."""

    pool = models.ForeignKey(FundBank, on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField()
    pool_krw = models.BigIntegerField()
    outstanding_krw = models.BigIntegerField()
    reserved_krw = models.BigIntegerField()

    class Meta:
        ordering = ["pool", "taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "taken_on"], name="one_snapshot_per_pool_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.pool_id}@{self.taken_on}"


class CompanyExposure(models.Model):
    """One company's use of one fund: its limit (by tier when first used) and its counters."""

    fund = models.ForeignKey(LoanFund, on_delete=models.PROTECT, related_name="exposures")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="loan_exposures")
    limit_krw = models.BigIntegerField(_("limit (KRW)"))
    outstanding_krw = models.BigIntegerField(default=0)
    reserved_krw = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "partner"], name="one_exposure_per_company"),
            *_capacity_checks("exposure", "limit_krw"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}@{self.fund_id}"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    RECOMMENDED = "recommended", _("Recommended")
    REJECTED = "rejected", _("Rejected by the host")
    BANK_APPROVED = "bank_approved", _("Approved by the bank")
    BANK_REJECTED = "bank_rejected", _("Rejected by the bank")
    DISBURSED = "disbursed", _("Disbursed")
    REPAID = "repaid", _("Repaid")
    EXPIRED = "expired", _("Expired")


APPLICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ApplicationStatus.APPLIED: (ApplicationStatus.RECOMMENDED, ApplicationStatus.REJECTED),
    ApplicationStatus.RECOMMENDED: (
        ApplicationStatus.BANK_APPROVED,
        ApplicationStatus.BANK_REJECTED,
        ApplicationStatus.EXPIRED,
    ),
    ApplicationStatus.BANK_APPROVED: (ApplicationStatus.DISBURSED, ApplicationStatus.EXPIRED),
    ApplicationStatus.DISBURSED: (ApplicationStatus.REPAID,),
    ApplicationStatus.REPAID: (ApplicationStatus.DISBURSED,),
}

# Why the unusual moves exist (shown on /docs/workflows/ and in the API's descriptions).
APPLICATION_TRANSITION_NOTES: dict[tuple[str, str], object] = {
    (ApplicationStatus.REPAID, ApplicationStatus.DISBURSED): _(
        "A repayment correction reopens a repaid loan when the corrected ledger leaves a balance."
    ),
}

# Statuses the bank sees: everything from the host's recommendation on.
BANK_VISIBLE_STATUSES = (
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.BANK_APPROVED,
    ApplicationStatus.BANK_REJECTED,
    ApplicationStatus.DISBURSED,
    ApplicationStatus.REPAID,
    ApplicationStatus.EXPIRED,
)


class LoanApplication(models.Model):
    """A partner's request for a fund loan at a preferred bank (대출 신청)."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = APPLICATION_TRANSITIONS
    TRANSITION_NOTES: ClassVar[dict[tuple[str, str], object]] = APPLICATION_TRANSITION_NOTES
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset(
        {ApplicationStatus.REJECTED, ApplicationStatus.BANK_REJECTED}
    )

    fund = models.ForeignKey(LoanFund, on_delete=models.PROTECT, related_name="applications")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="loan_applications")
    pool = models.ForeignKey(FundBank, on_delete=models.PROTECT, related_name="applications")
    amount_krw = models.BigIntegerField(_("amount (KRW)"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=LoanPurpose.choices)
    use_of_funds = models.TextField(_("use of funds"), blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    grace_months = models.PositiveSmallIntegerField(_("grace (months)"), default=0)
    method = models.CharField(_("repayment method"), max_length=16, choices=RepaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    # What is held against the pool and the company limit right now (0 when nothing is).
    reserved_krw = models.BigIntegerField(default=0)
    approved_krw = models.BigIntegerField(null=True, blank=True)
    expires_on = models.DateField(_("recommendation expires"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="loanapp_status_expiry"),
            models.Index(fields=["pool", "status"], name="loanapp_pool_status"),
            # The application lists (newest first) and the dashboard's counts by status.
            models.Index(fields=["-created_at", "-id"], name="loanapp_newest"),
            models.Index(fields=["fund", "status"], name="loanapp_fund_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_krw__gt=0), name="loanapp_amount_positive"),
            models.CheckConstraint(condition=Q(reserved_krw__gte=0), name="loanapp_reserved_nonneg"),
            models.CheckConstraint(
                condition=Q(grace_months__lt=F("term_months")), name="loanapp_grace_lt_term"
            ),
        ]
        verbose_name = _("loan application")

    def __str__(self) -> str:
        return f"#{self.pk} {self.partner.name_ko}"


class ApplicationDocument(models.Model):
    """A document attached to an application (business plan, financial statements, quotes)."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="finance/applications/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Recommendation(models.Model):
    """The host's recommendation letter (추천서) to the bank, with a serial number."""

    application = models.OneToOneField(
        LoanApplication, on_delete=models.PROTECT, related_name="recommendation"
    )
    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    amount_krw = models.BigIntegerField(_("recommended amount (KRW)"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"))
    # The rate as recommended, part by part (null on letters issued before the breakdown was kept).
    rate_without_fund = models.DecimalField(
        _("rate without the fund (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    base_reduction = models.DecimalField(_("fund reduction (%p)"), max_digits=6, decimal_places=3, default=0)
    partner_grade = models.CharField(_("partner grade"), max_length=1, blank=True)
    grade_reduction = models.DecimalField(
        _("grade reduction (%p)"), max_digits=6, decimal_places=3, default=0
    )
    incentive_points = models.PositiveIntegerField(_("incentive points"), default=0)
    points_reduction = models.DecimalField(
        _("incentive-points reduction (%p)"), max_digits=6, decimal_places=3, default=0
    )
    expected_rate = models.DecimalField(
        _("expected rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )

    def __str__(self) -> str:
        return self.serial


class LoanStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("loan status", "Active")  # 상환 중, not 활성
    REPAID = "repaid", _("Repaid")


class Loan(models.Model):
    """A disbursed loan and its schedule; `balance_krw` is the principal still owed."""

    # Repaid when the balance reaches zero; a repayment correction may reopen it (like its application).
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        LoanStatus.ACTIVE: (LoanStatus.REPAID,),
        LoanStatus.REPAID: (LoanStatus.ACTIVE,),
    }
    TRANSITION_NOTES: ClassVar[dict[tuple[str, str], object]] = {
        (LoanStatus.REPAID, LoanStatus.ACTIVE): _(
            "A repayment correction reopens a repaid loan when the corrected ledger leaves a balance."
        ),
    }

    application = models.OneToOneField(LoanApplication, on_delete=models.PROTECT, related_name="loan")
    pool = models.ForeignKey(FundBank, on_delete=models.PROTECT, related_name="loans")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="loans")
    principal_krw = models.BigIntegerField(_("principal (KRW)"))
    balance_krw = models.BigIntegerField(_("balance (KRW)"))
    annual_rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3)
    rate_without_fund = models.DecimalField(_("rate without the fund (%)"), max_digits=6, decimal_places=3)
    method = models.CharField(_("repayment method"), max_length=16, choices=RepaymentMethod.choices)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    grace_months = models.PositiveSmallIntegerField(_("grace (months)"), default=0)
    # The fund's cuts that made the rate (as recommended): base, by grade and by incentive points.
    base_reduction = models.DecimalField(_("fund reduction (%p)"), max_digits=6, decimal_places=3, default=0)
    partner_grade = models.CharField(_("partner grade"), max_length=1, blank=True)
    grade_reduction = models.DecimalField(
        _("grade reduction (%p)"), max_digits=6, decimal_places=3, default=0
    )
    points_reduction = models.DecimalField(
        _("incentive-points reduction (%p)"), max_digits=6, decimal_places=3, default=0
    )
    disbursed_on = models.DateField(_("disbursed on"))
    maturity_on = models.DateField(_("maturity"))
    status = models.CharField(
        _("status"), max_length=8, choices=LoanStatus.choices, default=LoanStatus.ACTIVE
    )
    # The due date of the first instalment whose principal is not yet repaid (None once repaid):
    # a loan is overdue when this day has passed. Kept by the services, so the check is one index scan.
    next_due_on = models.DateField(_("next due"), null=True, blank=True)
    # Interest saved thanks to the fund up to `saving_accrued_until` (updated at each repayment).
    saving_krw = models.BigIntegerField(default=0)
    saving_accrued_until = models.DateField()
    disbursed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-disbursed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_krw__gte=0) & Q(balance_krw__lte=F("principal_krw")),
                name="loan_balance_within_principal",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_due_on"], name="loan_status_next_due"),
            # The loan lists, newest first (all, or one bank's).
            models.Index(fields=["-disbursed_on", "-id"], name="loan_newest"),
            models.Index(fields=["pool", "-disbursed_on", "-id"], name="loan_pool_newest"),
        ]
        verbose_name = _("loan")

    def __str__(self) -> str:
        return f"L{self.pk}"


class Instalment(models.Model):
    """One row of the repayment schedule (상환 스케줄)."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("due"))
    principal_krw = models.BigIntegerField(_("principal"))
    interest_krw = models.BigIntegerField(_("interest"))
    balance_after_krw = models.BigIntegerField(_("balance after"))

    class Meta:
        ordering = ["loan", "number"]
        constraints = [models.UniqueConstraint(fields=["loan", "number"], name="one_instalment_per_number")]
        indexes = [models.Index(fields=["due_on"], name="instalment_due")]

    def __str__(self) -> str:
        return f"{self.loan_id}/{self.number}"


class RepaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Reversal")


class Repayment(AppendOnlyModel):
    """A repayment as recorded by the bank (a ledger line, never edited).

    A wrong entry is corrected by a reversal line (kind "reversal", the same amounts, pointing at the
    entry it cancels) and, unless the payment never happened, a new payment line that `replaces` it;
    both carry the reason. The loan's figures count the payments that no reversal cancels.
    """

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    kind = models.CharField(
        _("entry"), max_length=8, choices=RepaymentKind.choices, default=RepaymentKind.PAYMENT
    )
    paid_on = models.DateField(_("paid on"))
    principal_krw = models.BigIntegerField(_("principal"))
    interest_krw = models.BigIntegerField(_("interest"), default=0)
    balance_after_krw = models.BigIntegerField()
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replacements"
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["loan", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_krw__gte=0) & Q(interest_krw__gte=0), name="repayment_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(kind="payment", reverses__isnull=True)
                | Q(kind="reversal", reverses__isnull=False),
                name="repayment_reversal_points_at_its_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}@{self.paid_on}"


class PartnerGradeCode(models.TextChoices):
    S = "S", "S"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class PartnerGrade(AppendOnlyModel):
    """The host's grade of a partner for the fund's preferential rates, from a date (a new grade is a
    new row; the one in force on a day is the latest whose `valid_from` has come)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="fund_grades")
    grade = models.CharField(_("grade"), max_length=1, choices=PartnerGradeCode.choices)
    valid_from = models.DateField(_("valid from"))
    reason = models.TextField(_("reason"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        indexes = [models.Index(fields=["partner", "-valid_from", "-id"], name="partnergrade_current")]
        verbose_name = _("partner grade")

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.grade} ({self.valid_from})"
