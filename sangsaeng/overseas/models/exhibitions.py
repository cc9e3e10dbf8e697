"""Overseas exhibitions (해외 전시회 지원): the event with its budget and booths, support items with caps,
partner applications with the amounts requested per item, selection within the budget, support
agreements and expense claims paid up to the approved caps."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.partners.models import Partner


class SupportKind(models.TextChoices):
    BOOTH_RENTAL = "booth_rental", _("Booth rental")
    EXHIBIT_PRODUCTION = "exhibit_production", _("Exhibit production")
    LODGING = "lodging", _("Lodging")
    INTERPRETER = "interpreter", _("Interpreter")


class ExhibitionStatus(models.TextChoices):
    OPEN = "open", _("Taking applications")
    SELECTION = "selection", _("Selection")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Exhibition(models.Model):
    """An overseas exhibition the host supports partners at (e.g. MWC Barcelona)."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        ExhibitionStatus.OPEN: (ExhibitionStatus.SELECTION, ExhibitionStatus.CANCELLED),
        ExhibitionStatus.SELECTION: (ExhibitionStatus.COMPLETED, ExhibitionStatus.CANCELLED),
        ExhibitionStatus.COMPLETED: (),
        ExhibitionStatus.CANCELLED: (),
    }

    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=80)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    booths = models.PositiveSmallIntegerField(_("number of booths"))
    booths_taken = models.PositiveSmallIntegerField(_("booths allotted"), default=0)
    budget_krw = models.BigIntegerField(_("support budget (KRW)"))
    committed_krw = models.BigIntegerField(_("committed (KRW)"), default=0)
    application_deadline = models.DateField(_("application deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=ExhibitionStatus.choices, default=ExhibitionStatus.OPEN
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("overseas exhibition")
        verbose_name_plural = _("overseas exhibitions")
        constraints = [
            # The budget and the booths are never over-committed (DESIGN.md rule 3), whatever the code.
            models.CheckConstraint(
                condition=Q(committed_krw__gte=0) & Q(committed_krw__lte=F("budget_krw")),
                name="ovs_exhibition_within_budget",
            ),
            models.CheckConstraint(condition=Q(booths_taken__lte=F("booths")), name="ovs_exhibition_booths"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="ovs_exhibition_dates"),
            models.CheckConstraint(condition=Q(budget_krw__gt=0), name="ovs_exhibition_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    @property
    def remaining_krw(self) -> int:
        return self.budget_krw - self.committed_krw


class SupportItem(models.Model):
    """What the host pays for at this exhibition, with the most one partner may receive for it."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="support_items")
    kind = models.CharField(_("support item"), max_length=24, choices=SupportKind.choices)
    cap_krw = models.BigIntegerField(_("cap per partner (KRW)"))

    class Meta:
        ordering = ["exhibition", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "kind"], name="ovs_support_item_once"),
            models.CheckConstraint(condition=Q(cap_krw__gt=0), name="ovs_support_item_cap_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.exhibition} · {self.get_kind_display()}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Selected")
    REJECTED = "rejected", _("Not selected")
    AGREED = "agreed", _("Agreement signed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExhibitionApplication(models.Model):
    """A partner's application to exhibit with the host's support (참가 신청)."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        ApplicationStatus.SUBMITTED: (
            ApplicationStatus.APPROVED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        ),
        ApplicationStatus.APPROVED: (ApplicationStatus.AGREED,),
        ApplicationStatus.REJECTED: (),
        ApplicationStatus.AGREED: (),
        ApplicationStatus.WITHDRAWN: (),
    }
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset({ApplicationStatus.REJECTED})

    exhibition = models.ForeignKey(Exhibition, on_delete=models.PROTECT, related_name="applications")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="exhibition_applications")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exhibits = models.TextField(_("products to exhibit"))
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    score_note = models.TextField(_("scoring note"), blank=True)
    requested_krw = models.BigIntegerField(_("requested (KRW)"), default=0)
    approved_krw = models.BigIntegerField(_("approved (KRW)"), default=0)
    paid_krw = models.BigIntegerField(_("paid (KRW)"), default=0)
    agreement_text = models.TextField(_("support agreement"), blank=True)
    agreement_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreement_signed_at = models.DateTimeField(_("agreement signed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["exhibition", "-score", "created_at", "id"]
        verbose_name = _("exhibition application")
        verbose_name_plural = _("exhibition applications")
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "partner"], name="ovs_application_once"),
            models.CheckConstraint(
                condition=Q(paid_krw__gte=0) & Q(paid_krw__lte=F("approved_krw")), name="ovs_application_paid"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="ovs_application_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.exhibition} · {self.partner}"


class ApplicationItem(models.Model):
    """The amount a partner asks for one support item, the amount approved, and how much was paid."""

    application = models.ForeignKey(ExhibitionApplication, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("support item"), max_length=24, choices=SupportKind.choices)
    requested_krw = models.BigIntegerField(_("requested (KRW)"))
    approved_krw = models.BigIntegerField(_("approved (KRW)"), default=0)
    paid_krw = models.BigIntegerField(_("paid (KRW)"), default=0)

    class Meta:
        ordering = ["application", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="ovs_application_item_once"),
            models.CheckConstraint(condition=Q(requested_krw__gt=0), name="ovs_item_requested_positive"),
            # Paid up to the approved cap, never more (guarded UPDATE in the service, and here).
            models.CheckConstraint(
                condition=Q(paid_krw__gte=0) & Q(paid_krw__lte=F("approved_krw")), name="ovs_item_paid_within"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class ExpenseClaim(models.Model):
    """An expense claim (비용 청구) with its receipt, paid up to the item's approved amount."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        ClaimStatus.SUBMITTED: (ClaimStatus.PAID, ClaimStatus.REJECTED),
        ClaimStatus.PAID: (),
        ClaimStatus.REJECTED: (),
    }
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset({ClaimStatus.REJECTED})

    item = models.ForeignKey(ApplicationItem, on_delete=models.PROTECT, related_name="claims")
    amount_krw = models.BigIntegerField(_("amount claimed (KRW)"))
    receipt = models.FileField(_("receipt"), upload_to="overseas/receipts/%Y/%m/")
    receipt_name = models.CharField(_("receipt file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    paid_krw = models.BigIntegerField(_("paid (KRW)"), default=0)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount_krw__gt=0), name="ovs_claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_krw__gte=0) & Q(paid_krw__lte=F("amount_krw")), name="ovs_claim_paid_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.amount_krw}"
