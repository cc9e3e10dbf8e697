"""Pages of the one-to-one channel: proposals listed, submitted, answered and withdrawn."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.overseas import permissions, selectors, services
from sangsaeng.overseas.forms import AnswerForm, ProposalFilterForm, ProposalForm
from sangsaeng.overseas.models import OverseasProposal


@login_required
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_programme(request.user):
        raise PermissionDenied
    form = ProposalFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ProposalFilters(
        q=data.get("q") or "", status=data.get("status") or "", overdue=bool(data.get("overdue"))
    )
    page = page_of(request, selectors.proposals_for_user(request.user, filters))
    context = {
        "form": form,
        "page": page,
        "is_host": permissions.can_view_host_side(request.user),
        "can_submit": permissions.can_submit_proposal(request.user),
        "working_days": services.answer_working_days(),
    }
    return render_page(
        request, "overseas/proposal_list.html", "overseas/partials/proposal_rows.html", context
    )


@login_required
def proposal_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_submit_proposal(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.submit_proposal(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your proposal was sent. The answer is due by %(date)s.")
                % {"date": proposal.answer_due_on.isoformat()},
            )
            return redirect("overseas:proposal_detail", proposal_id=proposal.pk)
    context = {"form": form, "working_days": services.answer_working_days()}
    return render_page(request, "overseas/proposal_form.html", "overseas/proposal_form.html", context)


def _detail_context(request: AuthenticatedHttpRequest, proposal: OverseasProposal, **forms: object) -> dict:
    user = request.user
    waiting = proposal.status == "submitted"
    return {
        "proposal": proposal,
        "answer_form": (forms.get("answer_form") or AnswerForm())
        if waiting and permissions.can_answer_proposal(user)
        else None,
        "can_withdraw": waiting and permissions.can_withdraw_proposal(user, proposal.partner.organization_id),
    }


@login_required
def proposal_detail(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    return render_page(
        request,
        "overseas/proposal_detail.html",
        "overseas/proposal_detail.html",
        _detail_context(request, proposal),
    )


@login_required
@require_POST
def proposal_answer(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_proposal(
                actor=request.user, proposal=proposal, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The answer was sent."))
            return redirect("overseas:proposal_detail", proposal_id=proposal.pk)
    return render_page(
        request,
        "overseas/proposal_detail.html",
        "overseas/proposal_detail.html",
        _detail_context(request, proposal, answer_form=form),
        status=400,
    )


@login_required
@require_POST
def proposal_withdraw(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    try:
        services.withdraw_proposal(actor=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proposal was withdrawn."))
    return redirect("overseas:proposal_detail", proposal_id=proposal.pk)
