"""Partner side: draft, edit, attach, submit (deadline, eligibility, share and milestone rules), withdraw."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sangsaeng.core import audit, workflow
from sangsaeng.core.services import notify
from sangsaeng.core.uploads import PDF, validate_upload
from sangsaeng.partners.models import PartnerStatus
from sangsaeng.partners.selectors import own_partner_for_user
from sangsaeng.rnd import permissions
from sangsaeng.rnd.models import (
    BudgetCategory,
    BudgetLine,
    Call,
    Proposal,
    ProposalAttachment,
    ProposalMilestone,
    ProposalStatus,
)
from sangsaeng.rnd.services.common import fund_managers, require

PROPOSAL_FIELDS = ("theme", "title", "summary", "objectives", "team")


# The longest project an agreement covers (months from signing); the forms offer the same range.
MAX_PROJECT_MONTHS = 60


@dataclass(frozen=True)
class BudgetLineSpec:
    category: str
    host_krw: int
    partner_krw: int
    description: str = ""


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    deliverables: str
    month: int
    amount_krw: int


def _validate_content(
    call: Call, fields: dict[str, Any], lines: Sequence[BudgetLineSpec], milestones: Sequence[MilestoneSpec]
) -> None:
    """Field-level rules checked on every save (the full rules run on submit)."""
    errors: dict[str, list[str]] = {}
    if not str(fields.get("title", "")).strip():
        errors["title"] = [_("Enter a title.")]
    if fields.get("theme") not in call.themes:
        errors["theme"] = [_("Choose one of the call's themes.")]
    categories = {c.value for c in BudgetCategory}
    for line in lines:
        if line.category not in categories:
            errors.setdefault("budget_lines", []).append(_("Unknown budget category."))
        if line.host_krw < 0 or line.partner_krw < 0:
            errors.setdefault("budget_lines", []).append(_("Enter an amount of 0 or more."))
    for milestone in milestones:
        if milestone.amount_krw <= 0 or milestone.month < 1 or not milestone.title.strip():
            errors.setdefault("milestones", []).append(
                _("Each milestone needs a title, a month from 1 and a positive amount.")
            )
        elif milestone.month > MAX_PROJECT_MONTHS:
            # Milestones fall within the agreement's project period (협약 기간).
            errors.setdefault("milestones", []).append(
                _("A milestone falls within the project: month %(month)d is after month %(last)d.")
                % {"month": milestone.month, "last": MAX_PROJECT_MONTHS}
            )
    if errors:
        raise ValidationError(errors)


def _write_content(
    proposal: Proposal, lines: Sequence[BudgetLineSpec], milestones: Sequence[MilestoneSpec]
) -> None:
    proposal.budget_lines.all().delete()
    proposal.milestones.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            proposal=proposal,
            category=line.category,
            description=line.description,
            host_krw=line.host_krw,
            partner_krw=line.partner_krw,
        )
        for line in lines
    )
    ProposalMilestone.objects.bulk_create(
        ProposalMilestone(
            proposal=proposal,
            order=k,
            title=m.title,
            deliverables=m.deliverables,
            month=m.month,
            amount_krw=m.amount_krw,
        )
        for k, m in enumerate(milestones)
    )
    proposal.requested_krw = sum(line.host_krw for line in lines)
    proposal.partner_share_krw = sum(line.partner_krw for line in lines)
    proposal.save(update_fields=["requested_krw", "partner_share_krw", "updated_at"])


def create_proposal(
    *,
    actor: Any,
    call: Call,
    budget_lines: Sequence[BudgetLineSpec] = (),
    milestones: Sequence[MilestoneSpec] = (),
    **fields: Any,
) -> Proposal:
    """Start a draft for the actor's company. Partner owners and members only.

    Raises PermissionDenied (not a partner person), ValidationError (field rules).
    """
    with transaction.atomic():
        partner = own_partner_for_user(actor)
        if partner is None or not permissions.is_partner_person(actor):
            raise PermissionDenied(_("Only partner companies may write proposals."))
        unknown = set(fields) - set(PROPOSAL_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        _validate_content(call, fields, budget_lines, milestones)
        proposal = Proposal(call=call, partner=partner, created_by=actor, **fields)
        proposal.full_clean(exclude=["call", "partner", "created_by"])
        proposal.save()
        _write_content(proposal, budget_lines, milestones)
        audit.record(
            actor=actor,
            action="rnd.create_proposal",
            target=proposal,
            changes={"title": [None, proposal.title], "requested_krw": [None, proposal.requested_krw]},
            partner_organization_id=partner.organization_id,
        )
        return proposal


def update_proposal(
    *,
    actor: Any,
    proposal: Proposal,
    budget_lines: Sequence[BudgetLineSpec] | None = None,
    milestones: Sequence[MilestoneSpec] | None = None,
    **fields: Any,
) -> Proposal:
    """Edit a draft (fields, and budget lines / milestones when given). Raises PermissionDenied,
    ValidationError."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("partner", "call").get(pk=proposal.pk)
        require(
            permissions.can_edit_proposal(actor, proposal), _("Only a draft of your company can be edited.")
        )
        unknown = set(fields) - set(PROPOSAL_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        before = audit.snapshot(proposal, (*PROPOSAL_FIELDS, "requested_krw", "partner_share_krw"))
        merged = {name: fields.get(name, getattr(proposal, name)) for name in PROPOSAL_FIELDS}
        lines = (
            budget_lines
            if budget_lines is not None
            else [
                BudgetLineSpec(line.category, line.host_krw, line.partner_krw, line.description)
                for line in proposal.budget_lines.all()
            ]
        )
        plan = (
            milestones
            if milestones is not None
            else [
                MilestoneSpec(m.title, m.deliverables, m.month, m.amount_krw)
                for m in proposal.milestones.all()
            ]
        )
        _validate_content(proposal.call, merged, lines, plan)
        for name, value in fields.items():
            setattr(proposal, name, value)
        proposal.full_clean(exclude=["call", "partner", "created_by"])
        proposal.save()
        if budget_lines is not None or milestones is not None:
            _write_content(proposal, lines, plan)
        after = audit.snapshot(proposal, (*PROPOSAL_FIELDS, "requested_krw", "partner_share_krw"))
        audit.record(
            actor=actor,
            action="rnd.update_proposal",
            target=proposal,
            changes=audit.diff(before, after),
            partner_organization_id=proposal.partner.organization_id,
        )
        return proposal


def add_attachment(*, actor: Any, proposal: Proposal, upload: UploadedFile) -> ProposalAttachment:
    """Attach a PDF to a draft (type, size and content checked). Raises PermissionDenied, ValidationError."""
    # Checked before the transaction: reading a file never holds the write lock.
    try:
        validate_upload(upload, allowed=(PDF,), max_bytes=settings.MAX_DOCUMENT_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("partner").get(pk=proposal.pk)
        require(
            permissions.can_edit_proposal(actor, proposal), _("Only a draft of your company can be edited.")
        )
        attachment = ProposalAttachment(
            proposal=proposal,
            original_name=(upload.name or "attachment.pdf")[:255],
            size_bytes=upload.size or 0,
            uploaded_by=actor,
        )
        attachment.file.save(f"{uuid.uuid4().hex}.pdf", upload, save=False)
        attachment.save()
        audit.record(
            actor=actor,
            action="rnd.add_attachment",
            target=proposal,
            changes={"attachment": [None, attachment.original_name]},
            partner_organization_id=proposal.partner.organization_id,
        )
        return attachment


def delete_attachment(*, actor: Any, attachment: ProposalAttachment) -> None:
    """Remove an attachment from a draft of the actor's company; the file goes after commit.

    Raises PermissionDenied (not the company's draft)."""
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update().select_related("partner").get(pk=attachment.proposal_id)
        )
        require(
            permissions.can_edit_proposal(actor, proposal), _("Only a draft of your company can be edited.")
        )
        storage, name = attachment.file.storage, attachment.file.name
        original_name = attachment.original_name
        attachment.delete()
        audit.record(
            actor=actor,
            action="rnd.delete_attachment",
            target=proposal,
            changes={"attachment": [original_name, None]},
            partner_organization_id=proposal.partner.organization_id,
        )
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def eligibility_problems(proposal: Proposal) -> list[str]:
    """Reasons the proposal's company may not apply to its call (empty when eligible)."""
    call, partner = proposal.call, proposal.partner
    problems: list[str] = []
    if partner.status != PartnerStatus.APPROVED:
        problems.append(_("Only approved partner companies may apply."))
    if call.eligible_size_classes and partner.size_class not in call.eligible_size_classes:
        problems.append(
            _("Your company's size class (%(size)s) is not eligible for this call.")
            % {"size": partner.get_size_class_display() or "-"}
        )
    if call.eligible_tiers and partner.tier not in call.eligible_tiers:
        problems.append(
            _("Tier %(tier)s companies are not eligible for this call.") % {"tier": partner.tier or "-"}
        )
    if call.fair_trade_required and not partner.fair_trade_agreement:
        problems.append(_("This call requires a signed fair-trade agreement."))
    return problems


def submission_problems(proposal: Proposal) -> dict[str, list[str]]:
    """Every rule a submission must meet, as field errors (empty when it may be submitted)."""
    call = proposal.call
    errors: dict[str, list[str]] = {}
    problems = eligibility_problems(proposal)
    if problems:
        errors["eligibility"] = problems
    lines = list(proposal.budget_lines.all())
    plan = list(proposal.milestones.all())
    requested = sum(line.host_krw for line in lines)
    own = sum(line.partner_krw for line in lines)
    if requested <= 0:
        errors.setdefault("budget_lines", []).append(_("Request a host contribution above 0."))
    total = requested + own
    if total and own * 100 < call.min_partner_share_pct * total:
        errors.setdefault("budget_lines", []).append(
            _("Your own share must be at least %(pct)s %% of the total budget (now %(now)s %%).")
            % {"pct": call.min_partner_share_pct, "now": round(own * 100 / total, 1)}
        )
    if requested > call.max_request_krw:
        errors.setdefault("budget_lines", []).append(
            _("The request exceeds the cap per proposal of %(cap)s KRW.")
            % {"cap": f"{call.max_request_krw:,}"}
        )
    if not plan:
        errors.setdefault("milestones", []).append(_("Add at least one milestone."))
    elif sum(m.amount_krw for m in plan) != requested:
        errors.setdefault("milestones", []).append(
            _("Milestone amounts (%(sum)s KRW) must add up to the requested contribution (%(req)s KRW).")
            % {"sum": f"{sum(m.amount_krw for m in plan):,}", "req": f"{requested:,}"}
        )
    other = (
        Proposal.objects.filter(call=call, partner=proposal.partner)
        .exclude(pk=proposal.pk)
        .exclude(status__in=(ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN, ProposalStatus.REJECTED))
        .aggregate(total=Sum("requested_krw"))["total"]
        or 0
    )
    if other + requested > call.max_per_partner_krw:
        errors.setdefault("budget_lines", []).append(
            _("Your company's requests in this call would exceed the cap per partner of %(cap)s KRW.")
            % {"cap": f"{call.max_per_partner_krw:,}"}
        )
    return errors


def _deadline_text(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i") + " (Asia/Seoul)"


def submit_proposal(*, actor: Any, proposal: Proposal, now: dt.datetime | None = None) -> Proposal:
    """Submit a draft while the call is open. After the deadline it is refused with the deadline shown;
    eligibility, the partner-share rule, the caps and the milestone sum are checked with clear reasons.

    Raises PermissionDenied, ValidationError.
    """
    now = now or timezone.now()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call", "partner").get(pk=proposal.pk)
        require(permissions.can_submit_proposal(actor, proposal), _("Only your company's proposals."))
        workflow.check_transition(proposal, ProposalStatus.SUBMITTED)
        call = proposal.call
        if now < call.opens_at:
            raise ValidationError(
                _("The call opens at %(opens)s.") % {"opens": _deadline_text(call.opens_at)}, code="not_open"
            )
        if now > call.closes_at:
            raise ValidationError(
                _("The deadline has passed: the call closed at %(deadline)s.")
                % {"deadline": _deadline_text(call.closes_at)},
                code="deadline",
            )
        errors = submission_problems(proposal)
        if errors:
            raise ValidationError(errors)
        workflow.transition(
            proposal,
            ProposalStatus.SUBMITTED,
            actor=actor,
            action="rnd.submit_proposal",
            updates={"submitted_at": now},
            partner_organization_id=proposal.partner.organization_id,
        )
        notify(
            recipients=fund_managers(),
            title=_("New R&D proposal: %(title)s") % {"title": proposal.title},
            url=reverse("rnd:proposal_detail", args=[proposal.pk]),
        )
        return proposal


def withdraw_proposal(*, actor: Any, proposal: Proposal) -> Proposal:
    """Withdraw a submitted proposal (before review starts). Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("partner").get(pk=proposal.pk)
        if not permissions.can_withdraw_proposal(actor, proposal):
            raise PermissionDenied(_("Only your company's proposals."))
        workflow.check_transition(proposal, ProposalStatus.WITHDRAWN)
        workflow.transition(
            proposal,
            ProposalStatus.WITHDRAWN,
            actor=actor,
            action="rnd.withdraw_proposal",
            partner_organization_id=proposal.partner.organization_id,
        )
        return proposal
