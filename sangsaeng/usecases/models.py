"""5G use-case pipeline (유스케이스 발굴): intake with an NDA, stage gates decided by a host sponsor."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangsaeng.partners.models import Partner


class Industry(models.TextChoices):
    SMART_FACTORY = "smart_factory", _("Smart factory")
    MEDIA = "media", _("Media / AR-VR")
    MOBILITY = "mobility", _("Mobility")
    HEALTHCARE = "healthcare", _("Healthcare")
    PUBLIC_SAFETY = "public_safety", _("Public safety")
    ENERGY = "energy", _("Energy")
    RETAIL = "retail", _("Retail")
    OTHER = "other", _("Other")


class Feature(models.TextChoices):
    """5G capabilities a use case needs (several may apply)."""

    EMBB = "embb", _("eMBB")
    URLLC = "urllc", _("URLLC")
    MMTC = "mmtc", _("mMTC")
    MEC = "mec", _("MEC")
    SLICING = "slicing", _("Network slicing")
    PRIVATE_5G = "private_5g", _("Private 5G")


class Stage(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    POC = "poc", _("PoC in the Open Lab")
    VALIDATION = "validation", _("Validation")
    COMMERCIALISATION = "commercialisation", _("Commercialisation decision")
    OUTCOME_SHARING = "outcome_sharing", _("Outcome sharing")
    MONITORING = "monitoring", _("Monitoring")
    ON_HOLD = "on_hold", _("On hold (shelf)")
    STOPPED = "stopped", _("Stopped")


# The main line of the pipeline, in order (the board's columns before the shelf and stopped).
PIPELINE: tuple[str, ...] = (
    Stage.SUBMITTED,
    Stage.SCREENING,
    Stage.POC,
    Stage.VALIDATION,
    Stage.COMMERCIALISATION,
    Stage.OUTCOME_SHARING,
    Stage.MONITORING,
)
# Use cases that passed screening and are still alive are shown to partners (설명회 showcase).
SHOWCASE_STAGES: tuple[str, ...] = PIPELINE[2:]
# Stages in which the screening deadline (2 months by default) still runs.
SCREENING_CLOCK_STAGES: tuple[str, ...] = (Stage.SUBMITTED, Stage.SCREENING)


class DecisionType(models.TextChoices):
    """The commercialisation decision (사업화 결정)."""

    JOINT_BUSINESS = "joint_business", _("Joint business with support")
    PURCHASE_CONDITIONAL = "purchase_conditional", _("Purchase-conditional development")


class OutcomeType(models.TextChoices):
    """How the outcome is shared (성과공유)."""

    IDEA_PURCHASE = "idea_purchase", _("Idea purchase (아이디어 보상구매)")
    BENEFIT_SHARING = "benefit_sharing", _("Benefit-sharing task")


class UseCase(models.Model):
    """A 5G use case proposed by a partner and moved through stage gates by its host sponsor."""

    STATE_FIELD: ClassVar[str] = "stage"  # the field core.workflow moves
    # Forward moves along the pipeline plus the shelf and stop; on_hold resumes to the stage it left
    # (restrict_transitions, against `resume_stage`), stopped is final.
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        Stage.SUBMITTED: (Stage.SCREENING, Stage.ON_HOLD, Stage.STOPPED),
        Stage.SCREENING: (Stage.POC, Stage.ON_HOLD, Stage.STOPPED),
        Stage.POC: (Stage.VALIDATION, Stage.ON_HOLD, Stage.STOPPED),
        Stage.VALIDATION: (Stage.COMMERCIALISATION, Stage.ON_HOLD, Stage.STOPPED),
        Stage.COMMERCIALISATION: (Stage.OUTCOME_SHARING, Stage.ON_HOLD, Stage.STOPPED),
        Stage.OUTCOME_SHARING: (Stage.MONITORING, Stage.ON_HOLD, Stage.STOPPED),
        Stage.MONITORING: (Stage.ON_HOLD, Stage.STOPPED),
        Stage.ON_HOLD: (
            Stage.SUBMITTED,
            Stage.SCREENING,
            Stage.POC,
            Stage.VALIDATION,
            Stage.COMMERCIALISATION,
            Stage.OUTCOME_SHARING,
            Stage.MONITORING,
            Stage.STOPPED,
        ),
        Stage.STOPPED: (),
    }
    TRANSITION_NOTES: ClassVar[dict[tuple[str, str], object]] = {
        (Stage.ON_HOLD, stage): _("Only back to the stage it left for the shelf.")
        for stage in TRANSITIONS[Stage.ON_HOLD]
        if stage != Stage.STOPPED
    }
    # Every move is explained to the partner.
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset(
        target for targets in TRANSITIONS.values() for target in targets
    )

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="use_cases")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    industry = models.CharField(_("industry"), max_length=24, choices=Industry.choices)
    features = models.JSONField(_("5G features"), default=list)
    description = models.TextField(_("description"))
    expected_customers = models.TextField(_("expected customers"))
    nda_accepted_at = models.DateTimeField(_("NDA accepted at"))
    nda_version = models.CharField(_("NDA version"), max_length=40)
    nda_text = models.TextField(_("host's confidentiality pledge"))
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_use_cases",
        verbose_name=_("sponsor"),
    )
    stage = models.CharField(
        _("stage"), max_length=24, choices=Stage.choices, default=Stage.SUBMITTED, db_index=True
    )
    stage_entered_at = models.DateTimeField(_("in this stage since"))
    resume_stage = models.CharField(max_length=24, choices=Stage.choices, blank=True)
    screening_due_on = models.DateField(_("screening due"))
    decision_type = models.CharField(
        _("commercialisation decision"), max_length=24, choices=DecisionType.choices, blank=True
    )
    support_amount_krw = models.BigIntegerField(_("support amount (KRW)"), null=True, blank=True)
    outcome_type = models.CharField(_("outcome"), max_length=24, choices=OutcomeType.choices, blank=True)
    purchase_amount_krw = models.BigIntegerField(_("idea purchase amount (KRW)"), null=True, blank=True)
    # The outcome shared through a benefit-sharing task (성과공유 과제) of the finance app, when it is run
    # on the platform; the text reference stays for tasks registered elsewhere (e.g. at 협력재단 only).
    sharing_task = models.ForeignKey(
        "finance.SharingTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="use_cases",
        verbose_name=_("benefit-sharing task"),
    )
    benefit_sharing_reference = models.CharField(
        _("benefit-sharing task reference"), max_length=200, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(support_amount_krw__isnull=True) | Q(support_amount_krw__gte=0),
                name="usecase_support_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(purchase_amount_krw__isnull=True) | Q(purchase_amount_krw__gte=0),
                name="usecase_purchase_nonneg",
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "screening_due_on"], name="usecase_stage_due"),
            models.Index(fields=["partner", "-submitted_at"], name="usecase_partner_submitted"),
        ]
        verbose_name = _("use case")
        verbose_name_plural = _("use cases")

    def __str__(self) -> str:
        return self.title

    def restrict_transitions(self, targets: tuple[str, ...]) -> tuple[str, ...]:
        """core.workflow: a use case on hold resumes only to the stage it left (or stops)."""
        if self.stage == Stage.ON_HOLD:
            return tuple(t for t in targets if t in (self.resume_stage, Stage.STOPPED))
        return targets

    def is_overdue(self, today: datetime.date) -> bool:
        """Screening not decided by its due date (the 2-month rule)."""
        return self.stage in SCREENING_CLOCK_STAGES and self.screening_due_on < today

    @property
    def pipeline_step(self) -> int:
        """1–7 along PIPELINE (the shelf counts where it left; stopped and unknown count 0)."""
        stage = self.resume_stage if self.stage == Stage.ON_HOLD else self.stage
        return PIPELINE.index(stage) + 1 if stage in PIPELINE else 0

    @property
    def feature_labels(self) -> list[str]:
        labels = dict(Feature.choices)
        return [str(labels.get(code, code)) for code in self.features]


class GateDecision(models.Model):
    """One recorded stage change with the sponsor's criteria scores and the reason the partner sees."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="decisions")
    from_stage = models.CharField(
        pgettext_lazy("stage change", "from"), max_length=24, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(pgettext_lazy("stage change", "to"), max_length=24, choices=Stage.choices)
    scores = models.JSONField(_("criteria scores"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["use_case", "decided_at"], name="gate_usecase_at")]

    def __str__(self) -> str:
        return f"{self.use_case_id}: {self.from_stage} → {self.to_stage}"


class UseCaseAttachment(models.Model):
    """A PDF/image attached to a proposal; served only through an access-checked view."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="usecases/attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
