"""Joint R&D fund (공동 R&D 출연): fund years, calls (공모), proposals, review, agreements (협약), money.

Money is integer KRW. The ledger invariants live in the database as CHECK constraints:
committed ≤ budget + carried over (per fund year), paid ≤ committed (per fund year and per agreement).
Services move the counters with guarded conditional UPDATEs so concurrent approvals cannot overshoot.
Allowed status changes are data (the TRANSITIONS maps below); services change a status only through
core.workflow.transition.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import AppendOnlyModel


class Fund(models.Model):
    """A multi-year fund, e.g. "5G 공동 R&D 2019–2023" with five yearly budgets."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Unspent money of a year may move to the next year only where the manager set this rule.
    carry_over = models.BooleanField(_("carry unspent budget over"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class FundYear(models.Model):
    """One year of a fund: the budget, what agreements committed and what milestones paid."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    budget_krw = models.BigIntegerField(_("budget (KRW)"))
    carried_over_krw = models.BigIntegerField(_("carried over (KRW)"), default=0)
    # Unspent money moved on to the next year; no longer available in this one.
    carried_out_krw = models.BigIntegerField(_("carried out (KRW)"), default=0)
    committed_krw = models.BigIntegerField(_("committed (KRW)"), default=0)
    paid_krw = models.BigIntegerField(_("paid (KRW)"), default=0)

    class Meta:
        ordering = ["fund_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="rnd_fund_year_once"),
            models.CheckConstraint(condition=Q(budget_krw__gte=0), name="rnd_budget_nonnegative"),
            models.CheckConstraint(
                condition=Q(carried_over_krw__gte=0) & Q(carried_out_krw__gte=0), name="rnd_carry_nonnegative"
            ),
            models.CheckConstraint(condition=Q(paid_krw__gte=0), name="rnd_paid_nonnegative"),
            models.CheckConstraint(
                condition=Q(committed_krw__gte=0)
                & Q(committed_krw__lte=F("budget_krw") + F("carried_over_krw") - F("carried_out_krw")),
                name="rnd_committed_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(paid_krw__lte=F("committed_krw")), name="rnd_paid_within_committed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.year}"

    @property
    def available_krw(self) -> int:
        return self.budget_krw + self.carried_over_krw - self.carried_out_krw

    @property
    def remaining_krw(self) -> int:
        return self.available_krw - self.committed_krw


class Call(models.Model):
    """A yearly call for proposals (공모) with eligibility rules, caps and the review rubric."""

    fund_year = models.ForeignKey(FundYear, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    themes = models.JSONField(_("themes"), default=list)
    eligible_size_classes = models.JSONField(_("eligible size classes"), default=list, blank=True)
    eligible_tiers = models.JSONField(_("eligible tiers"), default=list, blank=True)
    fair_trade_required = models.BooleanField(_("fair-trade agreement required"), default=False)
    min_partner_share_pct = models.PositiveSmallIntegerField(_("minimum partner share (%)"), default=20)
    max_request_krw = models.BigIntegerField(_("cap per proposal (KRW)"))
    max_per_partner_krw = models.BigIntegerField(_("cap per partner (KRW)"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    reviewers_per_proposal = models.PositiveSmallIntegerField(_("reviewers per proposal"), default=3)
    decisions_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="rnd_call_closes_after_open"
            ),
            models.CheckConstraint(condition=Q(min_partner_share_pct__lte=100), name="rnd_call_share_pct"),
            models.CheckConstraint(condition=Q(max_request_krw__gt=0), name="rnd_call_request_cap"),
            models.CheckConstraint(condition=Q(max_per_partner_krw__gt=0), name="rnd_call_partner_cap"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One rubric criterion of a call (e.g. technical merit), scored 0..max_score with a weight."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="rnd_criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="rnd_criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNDER_REVIEW = "under_review", _("Under review")
    SELECTED = "selected", _("Selected")
    REJECTED = "rejected", _("Rejected")


# Allowed proposal status changes. Selected ↔ rejected is the manager's override before publication.
PROPOSAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProposalStatus.DRAFT: (ProposalStatus.SUBMITTED,),
    ProposalStatus.SUBMITTED: (ProposalStatus.WITHDRAWN, ProposalStatus.UNDER_REVIEW),
    ProposalStatus.UNDER_REVIEW: (ProposalStatus.SELECTED, ProposalStatus.REJECTED),
    ProposalStatus.SELECTED: (ProposalStatus.REJECTED,),
    ProposalStatus.REJECTED: (ProposalStatus.SELECTED,),
    ProposalStatus.WITHDRAWN: (),
}
PROPOSAL_TRANSITION_NOTES: dict[tuple[str, str], object] = {
    (ProposalStatus.SELECTED, ProposalStatus.REJECTED): _(
        "The manager's override (or a new selection run) before the decisions are published."
    ),
    (ProposalStatus.REJECTED, ProposalStatus.SELECTED): _(
        "The manager's override (or a new selection run) before the decisions are published."
    ),
}


class Proposal(models.Model):
    """A partner's proposal to a call; only the partner's people and authorised host people see it."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = PROPOSAL_TRANSITIONS
    TRANSITION_NOTES: ClassVar[dict[tuple[str, str], object]] = PROPOSAL_TRANSITION_NOTES

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="rnd_proposals")
    status = models.CharField(max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    theme = models.CharField(_("theme"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    team = models.TextField(_("team"), blank=True)
    # Sums of the budget lines, kept on the row for lists and the optimiser.
    requested_krw = models.BigIntegerField(_("requested host contribution (KRW)"), default=0)
    partner_share_krw = models.BigIntegerField(_("partner's own share (KRW)"), default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ProposalStatus]), name="rnd_proposal_status_known"
            ),
            models.CheckConstraint(
                condition=Q(requested_krw__gte=0) & Q(partner_share_krw__gte=0), name="rnd_proposal_amounts"
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"], name="rnd_proposal_call_status"),
            # The proposal lists show the newest first.
            models.Index(fields=["-created_at", "-id"], name="rnd_proposal_newest"),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    EQUIPMENT = "equipment", _("Equipment")
    MATERIALS = "materials", _("Materials")
    OUTSOURCING = "outsourcing", _("Outsourcing")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    """A budget line: the host's contribution and the partner's own share for one category."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=16, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    host_krw = models.BigIntegerField(_("host contribution (KRW)"))
    partner_krw = models.BigIntegerField(_("partner share (KRW)"))

    class Meta:
        ordering = ["proposal_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(host_krw__gte=0) & Q(partner_krw__gte=0), name="rnd_line_amounts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.host_krw}/{self.partner_krw}"


class ProposalMilestone(models.Model):
    """A planned milestone: deliverables, month due and the host amount paid on acceptance."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    deliverables = models.TextField(_("deliverables"))
    month = models.PositiveSmallIntegerField(_("month"))
    amount_krw = models.BigIntegerField(_("amount (KRW)"))

    class Meta:
        ordering = ["proposal_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_krw__gt=0), name="rnd_plan_amount_positive"),
            models.CheckConstraint(condition=Q(month__gte=1), name="rnd_plan_month_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalAttachment(models.Model):
    """A PDF attached to a proposal (type, size and content checked on upload)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="rnd/attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ReviewAssignment(models.Model):
    """A reviewer assigned to a proposal; a conflicted reviewer cannot see or score it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rnd_assignments"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    conflict_declared = models.BooleanField(default=False)
    conflict_reason = models.CharField(max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal_id", "id"]
        # Covers the ranking's fingerprint and the progress counts of a call without table lookups.
        indexes = [
            models.Index(
                fields=["proposal", "conflict_declared", "submitted_at", "reviewer"],
                name="rnd_assign_review_state",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="rnd_assign_once"),
            models.CheckConstraint(
                condition=Q(conflict_declared=False) | Q(submitted_at__isnull=True),
                name="rnd_conflicted_review_unscored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.proposal_id}"


class ReviewScore(models.Model):
    """One criterion's score in one review."""

    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="rnd_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class SelectionRun(models.Model):
    """One run of the optimiser for a call: its inputs, the optimal and greedy sets and explanations."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    budget_krw = models.BigIntegerField()
    parameters = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"selection {self.pk} of call {self.call_id}"


class ExclusivePair(models.Model):
    """Two proposals of a call that may not both be selected (e.g. the same work proposed twice).
    Stored on the call by the manager; every optimiser run of the call honours them. Kept ordered
    (first < second) so a pair is stored once whichever way it was entered."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="exclusive_pairs")
    first = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call_id", "first_id", "second_id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "first", "second"], name="rnd_exclusive_pair_once"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="rnd_exclusive_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ⟷ {self.second_id}"


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")


class Agreement(models.Model):
    """The agreement (협약) of a selected proposal; its amount is committed on the fund year."""

    # Completed when its last milestone is accepted (and paid).
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        AgreementStatus.ACTIVE: (AgreementStatus.COMPLETED,),
    }

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="agreement")
    fund_year = models.ForeignKey(FundYear, on_delete=models.PROTECT, related_name="agreements")
    amount_krw = models.BigIntegerField(_("committed amount (KRW)"))
    paid_krw = models.BigIntegerField(_("paid (KRW)"), default=0)
    status = models.CharField(max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE)
    signed_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_krw__gt=0), name="rnd_agreement_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_krw__gte=0) & Q(paid_krw__lte=F("amount_krw")),
                name="rnd_agreement_paid_le_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Agreement')} {self.proposal}"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


MILESTONE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MilestoneStatus.PENDING: (MilestoneStatus.SUBMITTED,),
    MilestoneStatus.SUBMITTED: (MilestoneStatus.ACCEPTED, MilestoneStatus.RETURNED),
    MilestoneStatus.RETURNED: (MilestoneStatus.SUBMITTED,),
    MilestoneStatus.ACCEPTED: (),
}


class AgreementMilestone(models.Model):
    """A milestone of an agreement: the partner submits deliverables, the manager accepts or returns."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = MILESTONE_TRANSITIONS
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset({MilestoneStatus.RETURNED})

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    deliverables = models.TextField()
    month = models.PositiveSmallIntegerField()
    amount_krw = models.BigIntegerField()
    status = models.CharField(max_length=16, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING)
    report = models.TextField(_("report"), blank=True)
    # The deliverable itself (a PDF), served only through a view that checks access.
    deliverable = models.FileField(upload_to="rnd/deliverables/%Y/%m/", blank=True)
    deliverable_name = models.CharField(max_length=255, blank=True)
    return_reason = models.TextField(_("return reason"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_krw__gt=0), name="rnd_milestone_amount_positive")
        ]

    def __str__(self) -> str:
        return self.title


class Payment(models.Model):
    """The payment of an accepted milestone. One per milestone; the idempotency key makes retries safe."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="payments")
    milestone = models.OneToOneField(AgreementMilestone, on_delete=models.PROTECT, related_name="payment")
    amount_krw = models.BigIntegerField()
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_krw__gt=0), name="rnd_payment_positive")]

    def __str__(self) -> str:
        return f"payment {self.amount_krw} for milestone {self.milestone_id}"


class LedgerKind(models.TextChoices):
    BUDGET = "budget", _("Budget set")
    COMMITMENT = "commitment", _("Commitment")
    PAYMENT = "payment", _("Payment")
    CARRY_OVER = "carry_over", _("Carried over")


class LedgerEntry(AppendOnlyModel):
    """An append-only ledger line of a fund year (budget set, commitment, payment, carry-over)."""

    fund_year = models.ForeignKey(FundYear, on_delete=models.PROTECT, related_name="ledger")
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    amount_krw = models.BigIntegerField()
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fund_year_id", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_krw}"


class ResultKind(models.TextChoices):
    PATENT = "patent", _("Patent")
    PRODUCT = "product", _("Product")
    SALES = "sales", _("Sales")
    PURCHASE = "purchase", _("Follow-up purchase")


class ProjectResult(models.Model):
    """An outcome after completion (patent, product, sales, follow-up purchase) feeding reports."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("kind"), max_length=16, choices=ResultKind.choices)
    title = models.CharField(_("title"), max_length=200)
    amount_krw = models.BigIntegerField(_("amount (KRW)"), default=0)
    occurred_on = models.DateField(_("date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_krw__gte=0), name="rnd_result_amount")]

    def __str__(self) -> str:
        return self.title
