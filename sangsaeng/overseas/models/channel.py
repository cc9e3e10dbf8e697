"""The one-to-one channel (1:1 제안 채널): a partner's overseas business proposal, answered by the
host's global unit within a set number of working days."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangsaeng.partners.models import Partner


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OverseasProposal(models.Model):
    """An overseas business proposal (해외사업 제안) from a partner to the host's global unit."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        ProposalStatus.SUBMITTED: (ProposalStatus.ANSWERED, ProposalStatus.WITHDRAWN),
        ProposalStatus.ANSWERED: (),
        ProposalStatus.WITHDRAWN: (),
    }

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="overseas_proposals")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    country = models.CharField(_("country"), max_length=80)
    market = models.CharField(_("market"), max_length=200)
    product = models.CharField(_("product or service"), max_length=200)
    ask = models.TextField(_("what you ask of the host"))
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    answer_due_on = models.DateField(_("answer due on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("overseas proposal")
        verbose_name_plural = _("overseas proposals")
        indexes = [
            models.Index(fields=["status", "answer_due_on"], name="ovs_proposal_status_due"),
            models.Index(fields=["partner", "-submitted_at"], name="ovs_proposal_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.country} · {self.product}"

    @property
    def is_overdue(self) -> bool:
        """Still unanswered after its due date (Seoul)."""
        return self.status == ProposalStatus.SUBMITTED and self.answer_due_on < timezone.localdate()
