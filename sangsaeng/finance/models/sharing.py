"""Benefit sharing (성과공유제): joint tasks between the host and partners, their outcomes and the
sharing of the gains, confirmed by the Foundation; confirmed tasks earn partners incentive points.

After registration no party changes the contract alone: an amendment records both versions and
takes effect only when the other party accepts it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangsaeng.core.models import AppendOnlyModel
from sangsaeng.partners.models import Partner


class SharingProgramme(models.Model):
    """The host's benefit-sharing set-up (the Foundation's company confirmation evidence): the
    two-year plan, the internal rules and the dedicated staff. One row per host organisation."""

    host = models.OneToOneField(
        "accounts.Organization", on_delete=models.PROTECT, related_name="sharing_programme"
    )
    plan_from = models.DateField(_("plan from"))
    plan_to = models.DateField(_("plan to"))
    plan_summary = models.TextField(_("two-year plan"))
    internal_rules = models.TextField(_("internal rules"))
    dedicated_staff = models.TextField(_("dedicated staff"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(plan_to__gt=models.F("plan_from")), name="sharing_plan_dates")
        ]

    def __str__(self) -> str:
        return f"{self.plan_from}–{self.plan_to}"


class TaskType(models.TextChoices):
    COST_REDUCTION = "cost_reduction", _("Cost reduction")
    QUALITY = "quality", _("Quality improvement")
    LOCALISATION = "localisation", _("Localisation")
    NEW_PRODUCT = "new_product", _("New product or technology")
    PROCESS = "process", _("Process improvement")


class SharingMethod(models.TextChoices):
    CASH = "cash", _("Cash with a ratio")
    UNIT_PRICE = "unit_price", _("Unit-price increase")
    PURCHASE_COMMITMENT = "purchase_commitment", _("Purchase commitment")
    LONG_TERM_CONTRACT = "long_term_contract", _("Long-term contract")
    JOINT_PATENT = "joint_patent", _("Joint patent")
    REVENUE_SHARE = "revenue_share", _("Revenue share")
    PROTOTYPE_PURCHASE = "prototype_purchase", _("Prototype purchase")
    EVALUATION_POINTS = "evaluation_points", _("Evaluation points")


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("In progress")
    OUTCOME_MEASURED = "outcome_measured", _("Outcome measured")
    SHARED = "shared", _("Shared")
    CONFIRMATION_REQUESTED = "confirmation_requested", _("Confirmation requested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


TASK_TRANSITIONS: dict[str, tuple[str, ...]] = {
    TaskStatus.DRAFT: (TaskStatus.REGISTERED, TaskStatus.CANCELLED),
    TaskStatus.REGISTERED: (TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED),
    TaskStatus.IN_PROGRESS: (TaskStatus.OUTCOME_MEASURED, TaskStatus.CANCELLED),
    TaskStatus.OUTCOME_MEASURED: (TaskStatus.SHARED,),
    TaskStatus.SHARED: (TaskStatus.CONFIRMATION_REQUESTED,),
    TaskStatus.CONFIRMATION_REQUESTED: (TaskStatus.CONFIRMED, TaskStatus.REJECTED),
}

# The contract terms: edited freely in a draft, afterwards only through an accepted amendment.
CONTRACT_FIELDS = ("goal", "kpi_target", "measurement_months", "cash_ratio_percent", "methods")


class SharingTask(models.Model):
    """A benefit-sharing task (성과공유 과제) between the host and a 1차 partner (2–4차 may join)."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = TASK_TRANSITIONS

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="sharing_tasks")
    participants = models.ManyToManyField(Partner, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    task_type = models.CharField(_("type"), max_length=24, choices=TaskType.choices)
    goal = models.TextField(_("shared goal"))
    kpi_name = models.CharField(_("KPI"), max_length=200)
    kpi_baseline = models.DecimalField(_("KPI baseline"), max_digits=18, decimal_places=4)
    kpi_target = models.DecimalField(_("KPI target"), max_digits=18, decimal_places=4)
    measurement_months = models.PositiveSmallIntegerField(_("measurement period (months)"), default=36)
    methods = models.JSONField(_("sharing methods"), default=list)
    cash_ratio_percent = models.DecimalField(
        _("cash share of the saving (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(
        _("status"), max_length=24, choices=TaskStatus.choices, default=TaskStatus.DRAFT
    )
    status_reason = models.TextField(_("reason"), blank=True)
    certificate_number = models.CharField(_("confirmation number"), max_length=40, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cash_ratio_percent__gte=0) & Q(cash_ratio_percent__lte=100),
                name="sharing_ratio_percent",
            )
        ]
        verbose_name = _("benefit-sharing task")

    def __str__(self) -> str:
        return self.title

    def contract(self) -> dict[str, object]:
        return {
            "goal": self.goal,
            "kpi_target": str(self.kpi_target),
            "measurement_months": self.measurement_months,
            "cash_ratio_percent": str(self.cash_ratio_percent),
            "methods": list(self.methods),
        }


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the other party")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class SharingAmendment(models.Model):
    """A proposed change of a registered task's contract; both versions stay visible."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        AmendmentStatus.PENDING: (AmendmentStatus.ACCEPTED, AmendmentStatus.DECLINED),
    }
    TRANSITION_NOTES: ClassVar[dict[tuple[str, str], object]] = {
        (AmendmentStatus.PENDING, AmendmentStatus.DECLINED): _(
            "Also when the task is cancelled while the amendment waits."
        ),
    }

    task = models.ForeignKey(SharingTask, on_delete=models.CASCADE, related_name="amendments")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_host = models.BooleanField(_("proposed by the host"))
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("current version"))
    after = models.JSONField(_("proposed version"))
    status = models.CharField(
        _("status"), max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="pending"), name="one_pending_amendment_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.status}"


class SharingMeasurement(AppendOnlyModel):
    """An outcome measured for one period, with its evidence; never edited (a correction is a new row)."""

    task = models.ForeignKey(SharingTask, on_delete=models.PROTECT, related_name="measurements")
    period_start = models.DateField(pgettext_lazy("period", "from"))
    period_end = models.DateField(pgettext_lazy("period", "to"))
    kpi_value = models.DecimalField(_("KPI value"), max_digits=18, decimal_places=4)
    saving_krw = models.BigIntegerField(_("saving or gain (KRW)"))
    evidence = models.TextField(_("evidence"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="measurement_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.period_start}–{self.period_end}"


class SharingPayout(models.Model):
    """What the partner receives for one measurement (cash share of the saving), and when it was paid."""

    task = models.ForeignKey(SharingTask, on_delete=models.PROTECT, related_name="payouts")
    measurement = models.OneToOneField(SharingMeasurement, on_delete=models.PROTECT, related_name="payout")
    amount_krw = models.BigIntegerField(_("amount (KRW)"))
    settled_on = models.DateField(_("paid on"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["task", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount_krw__gte=0), name="payout_nonneg")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.amount_krw}"


class IncentiveRule(models.Model):
    """How many incentive points a confirmed task earns (the newest rule in force applies)."""

    valid_from = models.DateField(_("valid from"))
    points_per_task = models.PositiveIntegerField(_("points per confirmed task"), default=10)
    points_per_eok_shared = models.PositiveIntegerField(_("points per 1억 shared"), default=1)
    # A retired rule awards no more points; the points it gave stay traceable to it.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("incentive rule")
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from"],
                condition=Q(retired_at__isnull=True),
                name="one_active_incentive_rule_per_day",
            )
        ]

    def __str__(self) -> str:
        return str(self.valid_from)


class IncentivePoint(AppendOnlyModel):
    """Points a partner earned, each traceable to the confirmed task and the rule that gave them."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="incentive_points")
    task = models.ForeignKey(SharingTask, on_delete=models.PROTECT, related_name="incentive_points")
    rule = models.ForeignKey(IncentiveRule, null=True, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveIntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=200)
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "awarded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["partner", "task"], name="points_once_per_task")]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.points}"
