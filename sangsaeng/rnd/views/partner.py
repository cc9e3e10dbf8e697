"""Partner pages: my proposals, one proposal (submit, withdraw, attach, decision), agreements."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.finance.selectors.sharing import total_points
from sangsaeng.rnd import permissions, selectors, services
from sangsaeng.rnd.forms import (
    AttachmentForm,
    BudgetLineFormSet,
    MilestoneFormSet,
    ProposalForm,
    ReportForm,
    ResultForm,
)
from sangsaeng.rnd.models import Call, Proposal, ProposalStatus

TIMELINE_LABELS = {
    "rnd.create_proposal": _lazy("Draft started"),
    "rnd.update_proposal": _lazy("Draft edited"),
    "rnd.submit_proposal": _lazy("Submitted"),
    "rnd.withdraw_proposal": _lazy("Withdrawn"),
}


@login_required
def my_proposals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The proposals the user may see (a partner: its own), newest first, paginated."""
    page = page_of(request, selectors.proposals_for_user(request.user), 25)
    open_calls = (
        selectors.open_calls_for_user(request.user) if permissions.is_partner_person(request.user) else []
    )
    return render_page(
        request,
        "rnd/my_proposals.html",
        "rnd/partials/proposal_rows.html",
        {"page": page, "open_calls": open_calls},
    )


@login_required
def proposal_detail(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    """One proposal with its budget, milestones, attachments and — once published — the decision."""
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    decision = None
    if proposal.status in (ProposalStatus.SELECTED, ProposalStatus.REJECTED) and (
        permissions.is_fund_reader(request.user)
        or (proposal.call.decisions_published_at and permissions.is_own_proposal(request.user, proposal))
    ):
        decision = selectors.decision_for_user(request.user, proposal.pk)
    context = {
        "proposal": proposal,
        "decision": decision,
        # Benefit-sharing incentive points of the applicant: information for host reviewers and
        # managers, not part of any score.
        "incentive_points": total_points(proposal.partner_id)
        if permissions.is_fund_reader(request.user) or permissions.is_reviewer(request.user)
        else None,
        "can_edit": permissions.can_edit_proposal(request.user, proposal),
        "can_withdraw": permissions.is_own_proposal(request.user, proposal)
        and proposal.status == ProposalStatus.SUBMITTED,
        "attachment_form": AttachmentForm(),
        "timeline": [
            (TIMELINE_LABELS[action], when) for action, when in selectors.proposal_timeline(proposal)
        ],
    }
    return render(request, "rnd/proposal_detail.html", context)


def _act(request: AuthenticatedHttpRequest, proposal_id: int, action: str) -> HttpResponse:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    try:
        if action == "submit":
            services.submit_proposal(actor=request.user, proposal=proposal)
            messages.success(request, _("Your proposal was submitted."))
        else:
            services.withdraw_proposal(actor=request.user, proposal=proposal)
            messages.success(request, _("Your proposal was withdrawn."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("rnd:proposal_detail", proposal_id=proposal.pk)


@login_required
@require_POST
def proposal_submit(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    return _act(request, proposal_id, "submit")


@login_required
@require_POST
def proposal_withdraw(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    return _act(request, proposal_id, "withdraw")


@login_required
@require_POST
def proposal_attach(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    """Attach a PDF to a draft (type, size and content are checked)."""
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(actor=request.user, proposal=proposal, upload=form.cleaned_data["file"])
            messages.success(request, _("The file was attached."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Choose a PDF file."))
    return redirect("rnd:proposal_detail", proposal_id=proposal.pk)


@login_required
def attachment_download(
    request: AuthenticatedHttpRequest, proposal_id: int, attachment_id: int
) -> FileResponse:
    """Serve an attachment only to those who may see the proposal."""
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    attachment = next((a for a in proposal.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/pdf",
    )


@login_required
def agreements(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Agreements (협약) with their milestones; partners submit deliverables here."""
    page = page_of(request, selectors.agreements_for_user(request.user), 20)
    # The blank report and result forms are the same on every agreement: rendered once, not per row.
    return render(
        request,
        "rnd/agreements.html",
        {
            "page": page,
            "report_fields": render_to_string("core/partials/form.html", {"form": ReportForm()}),
            "result_fields": render_to_string("core/partials/form.html", {"form": ResultForm()}),
            "is_manager": permissions.is_fund_manager(request.user),
        },
    )


@login_required
@require_POST
def milestone_submit(request: AuthenticatedHttpRequest, agreement_id: int, milestone_id: int) -> HttpResponse:
    """The partner submits a milestone's report and, optionally, the deliverable PDF."""
    milestone = selectors.get_milestone_for_user(request.user, agreement_id, milestone_id)
    try:
        services.submit_milestone(
            actor=request.user,
            milestone=milestone,
            report=request.POST.get("report", ""),
            upload=request.FILES.get("file"),
        )
        messages.success(request, _("The deliverables were submitted."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("rnd:agreements")


@login_required
def milestone_file(request: AuthenticatedHttpRequest, agreement_id: int, milestone_id: int) -> FileResponse:
    """Serve a milestone's deliverable only to those who may see the agreement."""
    milestone = selectors.get_milestone_for_user(request.user, agreement_id, milestone_id)
    if not milestone.deliverable:
        raise Http404
    return FileResponse(
        milestone.deliverable.open("rb"),
        as_attachment=True,
        filename=milestone.deliverable_name or "deliverable.pdf",
        content_type="application/pdf",
    )


def _edit_forms(
    request: AuthenticatedHttpRequest, call: Call, proposal: Proposal | None
) -> tuple[Any, Any, Any]:
    if proposal is None:
        initial: dict[str, Any] = {}
        lines: list[dict[str, Any]] = []
        plan: list[dict[str, Any]] = []
    else:
        initial = {name: getattr(proposal, name) for name in services.proposals.PROPOSAL_FIELDS}
        lines = list(proposal.budget_lines.values("category", "description", "host_krw", "partner_krw"))
        plan = list(proposal.milestones.values("title", "deliverables", "month", "amount_krw"))
    data = request.POST if request.method == "POST" else None
    return (
        ProposalForm(data, themes=list(call.themes), initial=initial),
        BudgetLineFormSet(data, prefix="lines", initial=lines),
        MilestoneFormSet(data, prefix="plan", initial=plan),
    )


def _specs(formset: Any, spec: type) -> list[Any]:
    return [spec(**form.cleaned_data) for form in formset if form.cleaned_data]


def _save_proposal(request: AuthenticatedHttpRequest, call: Call, proposal: Proposal | None) -> HttpResponse:
    form, lines, plan = _edit_forms(request, call, proposal)
    if request.method == "POST" and form.is_valid() and lines.is_valid() and plan.is_valid():
        values = {
            "budget_lines": _specs(lines, services.BudgetLineSpec),
            "milestones": _specs(plan, services.MilestoneSpec),
            **form.cleaned_data,
        }
        try:
            if proposal is None:
                proposal = services.create_proposal(actor=request.user, call=call, **values)
            else:
                services.update_proposal(actor=request.user, proposal=proposal, **values)
            messages.success(request, _("Your draft was saved."))
            return redirect("rnd:proposal_detail", proposal_id=proposal.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(
        request,
        "rnd/proposal_edit.html",
        {"call": call, "proposal": proposal, "form": form, "lines": lines, "plan": plan},
    )


@login_required
def proposal_new(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    """Start a draft for an open call (partner owners and members)."""
    if not permissions.is_partner_person(request.user):
        raise PermissionDenied(_("Only partner companies may write proposals."))
    call = selectors.get_call_for_user(request.user, call_id)
    return _save_proposal(request, call, None)


@login_required
def proposal_edit(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    """Edit a draft: text, budget lines (host contribution vs own share) and milestones."""
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied(_("Only a draft of your company can be edited."))
    return _save_proposal(request, proposal.call, proposal)


@login_required
@require_POST
def result_add(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    """Record a result (patent, product, sales, follow-up purchase) of an agreement."""
    agreement = selectors.get_agreement_for_user(request.user, agreement_id)
    form = ResultForm(request.POST)
    if form.is_valid():
        try:
            services.record_result(actor=request.user, agreement=agreement, **form.cleaned_data)
            messages.success(request, _("The result was recorded."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Check the result's fields."))
    return redirect("rnd:agreements")
