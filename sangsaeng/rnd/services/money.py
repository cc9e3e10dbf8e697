"""Agreements (협약), milestones and payments. Budget and payment counters move only through guarded
conditional UPDATEs, so concurrent approvals can never commit or pay more than the ledger allows."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.core import audit, workflow
from sangsaeng.core.services import notify
from sangsaeng.core.uploads import PDF, validate_upload
from sangsaeng.rnd import permissions
from sangsaeng.rnd.models import (
    Agreement,
    AgreementMilestone,
    AgreementStatus,
    FundYear,
    LedgerEntry,
    LedgerKind,
    MilestoneStatus,
    Payment,
    ProjectResult,
    Proposal,
    ProposalStatus,
    ResultKind,
)
from sangsaeng.rnd.services.common import (
    organization_people,
    require,
    require_manager,
)


def create_agreement(*, actor: Any, proposal: Proposal) -> Agreement:
    """Turn a selected, published proposal into an agreement and commit its amount on the fund year.

    The commitment is one guarded UPDATE: it succeeds only if committed + amount ≤ available budget,
    so of many concurrent approvals exactly those that fit commit. Raises PermissionDenied,
    ValidationError (not selected / not published / already agreed / budget exhausted).
    """
    with transaction.atomic():
        require_manager(actor)
        proposal = Proposal.objects.select_related("call", "partner").get(pk=proposal.pk)
        if proposal.status != ProposalStatus.SELECTED or not proposal.call.decisions_published_at:
            raise ValidationError(_("Only selected proposals with published decisions become agreements."))
        if Agreement.objects.filter(proposal=proposal).exists():
            raise ValidationError(_("This proposal already has an agreement."))
        amount = proposal.requested_krw
        fund_year_id = proposal.call.fund_year_id
        committed = FundYear.objects.filter(
            pk=fund_year_id,
            committed_krw__lte=F("budget_krw") + F("carried_over_krw") - F("carried_out_krw") - amount,
        ).update(committed_krw=F("committed_krw") + amount)
        if not committed:
            raise ValidationError(_("The year's budget cannot cover this agreement."), code="budget")
        try:
            with transaction.atomic():
                agreement = Agreement.objects.create(
                    proposal=proposal, fund_year_id=fund_year_id, amount_krw=amount, created_by=actor
                )
        except IntegrityError as error:
            raise ValidationError(_("This proposal already has an agreement.")) from error
        AgreementMilestone.objects.bulk_create(
            AgreementMilestone(
                agreement=agreement,
                order=m.order,
                title=m.title,
                deliverables=m.deliverables,
                month=m.month,
                amount_krw=m.amount_krw,
            )
            for m in proposal.milestones.all()
        )
        LedgerEntry.objects.create(
            fund_year_id=fund_year_id,
            agreement=agreement,
            kind=LedgerKind.COMMITMENT,
            amount_krw=amount,
            actor=actor,
        )
        audit.record(
            actor=actor,
            action="rnd.create_agreement",
            target=agreement,
            changes={"amount_krw": [None, amount], "proposal": [None, proposal.pk]},
            partner_organization_id=proposal.partner.organization_id,
        )
        return agreement


def _locked_milestone(milestone: AgreementMilestone) -> AgreementMilestone:
    return (
        AgreementMilestone.objects.select_for_update()
        .select_related("agreement__proposal__partner")
        .get(pk=milestone.pk)
    )


def submit_milestone(
    *, actor: Any, milestone: AgreementMilestone, report: str, upload: UploadedFile | None = None
) -> AgreementMilestone:
    """The partner submits a milestone's deliverables (again, after a return): a report and optionally
    the deliverable as a PDF (type, size and content checked). Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        milestone = _locked_milestone(milestone)
        require(
            permissions.can_submit_milestone(actor, milestone.agreement), _("Only your company's agreements.")
        )
        workflow.check_transition(milestone, MilestoneStatus.SUBMITTED)
        if not report.strip():
            raise ValidationError({"report": [_("Describe the deliverables.")]})
        if upload is not None:
            try:
                validate_upload(upload, allowed=(PDF,), max_bytes=settings.MAX_DOCUMENT_BYTES)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error
        updates: dict[str, Any] = {"report": report.strip(), "submitted_at": timezone.now()}
        if upload is not None:
            milestone.deliverable.save(f"{uuid.uuid4().hex}.pdf", upload, save=False)
            updates["deliverable"] = milestone.deliverable.name
            updates["deliverable_name"] = (upload.name or "deliverable.pdf")[:255]
        workflow.transition(
            milestone,
            MilestoneStatus.SUBMITTED,
            actor=actor,
            action="rnd.submit_milestone",
            updates=updates,
            partner_organization_id=milestone.agreement.proposal.partner.organization_id,
        )
        return milestone


def return_milestone(*, actor: Any, milestone: AgreementMilestone, reason: str) -> AgreementMilestone:
    """The manager returns submitted deliverables with a reason. Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        require_manager(actor)
        milestone = _locked_milestone(milestone)
        workflow.check_transition(milestone, MilestoneStatus.RETURNED)
        if not reason.strip():
            raise ValidationError({"reason": [_("Give a reason.")]})
        partner = milestone.agreement.proposal.partner
        workflow.transition(
            milestone,
            MilestoneStatus.RETURNED,
            actor=actor,
            reason=reason,
            action="rnd.return_milestone",
            updates={"return_reason": reason.strip(), "decided_at": timezone.now()},
            partner_organization_id=partner.organization_id,
        )
        notify(
            recipients=organization_people(partner.organization_id),
            title=_("Milestone returned: %(title)s") % {"title": milestone.title},
            body=milestone.return_reason,
            url=reverse("rnd:agreements"),
        )
        return milestone


def accept_milestone(*, actor: Any, milestone: AgreementMilestone, idempotency_key: str) -> Payment:
    """Accept a submitted milestone and create its payment. Idempotent: the same key returns the same
    payment (a retry changes nothing); paid ≤ committed holds per agreement and per fund year through
    guarded UPDATEs. Raises PermissionDenied, ValidationError (no key, key reused for another
    milestone, wrong status, over-payment)."""
    key = idempotency_key.strip()
    if not key or len(key) > 100:
        raise ValidationError({"idempotency_key": [_("Send an Idempotency-Key of 1 to 100 characters.")]})
    with transaction.atomic():
        require_manager(actor)
        milestone = _locked_milestone(milestone)
        existing = Payment.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.milestone_id != milestone.pk:
                raise ValidationError({"idempotency_key": [_("This key was used for another payment.")]})
            return existing
        workflow.check_transition(milestone, MilestoneStatus.ACCEPTED)
        agreement = milestone.agreement
        amount = milestone.amount_krw
        paid = Agreement.objects.filter(pk=agreement.pk, paid_krw__lte=F("amount_krw") - amount).update(
            paid_krw=F("paid_krw") + amount
        )
        year_paid = FundYear.objects.filter(
            pk=agreement.fund_year_id, paid_krw__lte=F("committed_krw") - amount
        ).update(paid_krw=F("paid_krw") + amount)
        if not (paid and year_paid):
            raise ValidationError(_("This payment would exceed the committed amount."), code="overpaid")
        partner = agreement.proposal.partner
        workflow.transition(
            milestone,
            MilestoneStatus.ACCEPTED,
            actor=actor,
            action="rnd.accept_milestone",
            updates={"decided_at": timezone.now()},
            partner_organization_id=partner.organization_id,
            extra_changes={"payment_krw": [None, amount]},
        )
        payment = Payment.objects.create(
            agreement=agreement, milestone=milestone, amount_krw=amount, idempotency_key=key, created_by=actor
        )
        LedgerEntry.objects.create(
            fund_year_id=agreement.fund_year_id,
            agreement=agreement,
            kind=LedgerKind.PAYMENT,
            amount_krw=amount,
            actor=actor,
        )
        if not agreement.milestones.exclude(status=MilestoneStatus.ACCEPTED).exists():
            workflow.transition(
                agreement,
                AgreementStatus.COMPLETED,
                actor=actor,
                action="rnd.complete_agreement",
                partner_organization_id=partner.organization_id,
            )
        notify(
            recipients=organization_people(partner.organization_id),
            title=_("Milestone accepted and paid: %(title)s") % {"title": milestone.title},
            url=reverse("rnd:agreements"),
        )
        return payment


def record_result(
    *, actor: Any, agreement: Agreement, kind: str, title: str, amount_krw: int, occurred_on: dt.date
) -> ProjectResult:
    """Record an outcome (patent, product, sales, follow-up purchase). The partner or a manager.
    Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        agreement = Agreement.objects.select_related("proposal__partner").get(pk=agreement.pk)
        require(permissions.can_record_result(actor, agreement), _("Only your company's agreements."))
        if kind not in {k.value for k in ResultKind}:
            raise ValidationError({"kind": [_("Unknown result kind.")]})
        signed_on = timezone.localdate(agreement.signed_at)
        if occurred_on is not None and not signed_on <= occurred_on <= timezone.localdate():
            # A project's outcome (성과) comes after its agreement (협약) and is not in the future.
            raise ValidationError(
                {
                    "occurred_on": [
                        _("The date must be between the agreement (%(signed)s) and today.")
                        % {"signed": signed_on.isoformat()}
                    ]
                }
            )
        result = ProjectResult(
            agreement=agreement,
            kind=kind,
            title=title,
            amount_krw=amount_krw,
            occurred_on=occurred_on,
            created_by=actor,
        )
        result.full_clean()
        result.save()
        audit.record(
            actor=actor,
            action="rnd.record_result",
            target=result,
            changes={"kind": [None, kind], "title": [None, title], "amount_krw": [None, amount_krw]},
            partner_organization_id=agreement.proposal.partner.organization_id,
        )
        return result
