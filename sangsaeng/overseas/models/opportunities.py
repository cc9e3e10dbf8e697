"""Global opportunities (글로벌 사업 기회) posted by the host from its overseas business, and the partners'
expressions of interest (관심 표명) that the global unit shortlists."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.partners.models import CollaborationField, Partner


class Language(models.TextChoices):
    KOREAN = "ko", _("Korean")
    ENGLISH = "en", _("English")
    JAPANESE = "ja", _("Japanese")
    CHINESE = "zh", _("Chinese")
    VIETNAMESE = "vi", _("Vietnamese")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    OTHER = "other", _("Other language")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class GlobalOpportunity(models.Model):
    """A business opportunity abroad that the host offers to share with partners."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        OpportunityStatus.OPEN: (OpportunityStatus.CLOSED, OpportunityStatus.CANCELLED),
        OpportunityStatus.CLOSED: (),
        OpportunityStatus.CANCELLED: (),
    }

    title = models.CharField(_("title"), max_length=200)
    country = models.CharField(_("country"), max_length=80)
    sector = models.CharField(_("sector"), max_length=120)
    fields = models.ManyToManyField(
        CollaborationField, related_name="+", blank=True, verbose_name=_("collaboration fields")
    )
    customer = models.CharField(_("customer"), max_length=200)
    needs = models.TextField(_("needs"))
    deadline = models.DateField(_("deadline"))
    language = models.CharField(_("working language"), max_length=8, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("global opportunity")
        verbose_name_plural = _("global opportunities")
        indexes = [models.Index(fields=["status", "deadline"], name="ovs_opportunity_status")]

    def __str__(self) -> str:
        return self.title


class InterestStatus(models.TextChoices):
    EXPRESSED = "expressed", _("Interest expressed")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DECLINED = "declined", _("Not shortlisted")


class InterestSource(models.TextChoices):
    PARTNER = "partner", _("Expressed by the partner")
    SUGGESTED = "suggested", _("Suggested by the host")


class OpportunityInterest(models.Model):
    """A partner's interest in an opportunity with its capability statement (역량 기술서), or a partner
    the host shortlisted from the suggestions."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        InterestStatus.EXPRESSED: (InterestStatus.SHORTLISTED, InterestStatus.DECLINED),
        InterestStatus.SHORTLISTED: (InterestStatus.DECLINED,),
        InterestStatus.DECLINED: (InterestStatus.SHORTLISTED,),
    }
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset({InterestStatus.DECLINED})

    opportunity = models.ForeignKey(GlobalOpportunity, on_delete=models.CASCADE, related_name="interests")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="overseas_interests")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(
        _("source"), max_length=12, choices=InterestSource.choices, default=InterestSource.PARTNER
    )
    capability_statement = models.TextField(_("capability statement"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=InterestStatus.choices, default=InterestStatus.EXPRESSED
    )
    match_score = models.PositiveIntegerField(_("match score"), default=0)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-match_score", "created_at", "id"]
        verbose_name = _("interest in an opportunity")
        verbose_name_plural = _("interests in opportunities")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "partner"], name="ovs_interest_once_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.partner}"
