"""Pages of one exhibition application: scoring and the decision (host), the support agreement and
expense claims (partner), claim payments (host), outcomes and export amounts (both)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.overseas import permissions, selectors, services
from sangsaeng.overseas.forms import ClaimForm, ExportForm, OutcomeForm, ReasonForm, ScoreForm
from sangsaeng.overseas.models import ApplicationStatus, ExhibitionApplication

TEMPLATE = "overseas/application_detail.html"


def _kinds(application: ExhibitionApplication) -> list[tuple[str, str]]:
    return [(item.kind, item.get_kind_display()) for item in application.items.all() if item.approved_krw > 0]


def _context(
    request: AuthenticatedHttpRequest, application: ExhibitionApplication, **forms: Any
) -> dict[str, Any]:
    user = request.user
    organization_id = application.partner.organization_id
    manage = permissions.can_manage_exhibitions(user)
    waiting = application.status == ApplicationStatus.SUBMITTED
    agreed = application.status == ApplicationStatus.AGREED
    outcome = getattr(application, "outcome", None) if agreed else None
    return {
        "application": application,
        "items": list(application.items.all()),
        "claims": list(selectors.claims_for_user(user, application)),
        "outcome": outcome,
        "can_manage": manage,
        "score_form": (forms.get("score_form") or ScoreForm(initial={"score": application.score}))
        if manage and waiting
        else None,
        "can_decide": manage and waiting,
        "can_withdraw": waiting and permissions.can_claim_expenses(user, organization_id),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "can_sign": application.status == ApplicationStatus.APPROVED
        and permissions.can_sign_agreement(user, organization_id),
        "claim_form": (forms.get("claim_form") or ClaimForm(kinds=_kinds(application)))
        if agreed and permissions.can_claim_expenses(user, organization_id)
        else None,
        "outcome_form": (
            forms.get("outcome_form")
            or OutcomeForm(
                initial={"meetings_held": 0, "mous": 0, "contracts": 0}
                if outcome is None
                else {
                    "meetings_held": outcome.meetings_held,
                    "mous": outcome.mous,
                    "contracts": outcome.contracts,
                }
            )
        )
        if agreed and permissions.can_report_outcome(user, organization_id)
        else None,
        "export_form": (
            forms.get("export_form") or ExportForm(initial={"country": application.exhibition.country})
        )
        if agreed and permissions.can_report_outcome(user, organization_id)
        else None,
        "exports": list(application.exports.all()) if agreed else [],
    }


@login_required
def application_detail(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    return render_page(request, TEMPLATE, TEMPLATE, _context(request, application))


def _done(application: ExhibitionApplication) -> HttpResponse:
    return redirect("overseas:application_detail", application_id=application.pk)


def _refused(
    request: AuthenticatedHttpRequest, application: ExhibitionApplication, **forms: Any
) -> HttpResponse:
    return render_page(request, TEMPLATE, TEMPLATE, _context(request, application, **forms), status=400)


@login_required
@require_POST
def application_score(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    form = ScoreForm(request.POST)
    if form.is_valid():
        try:
            services.score_application(
                actor=request.user,
                application=application,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The score was saved."))
            return _done(application)
    return _refused(request, application, score_form=form)


@login_required
@require_POST
def application_decide(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    form = ReasonForm(request.POST)
    try:
        if request.POST.get("decision") == "approve":
            services.approve_application(actor=request.user, application=application)
            messages.success(request, _("The application was selected."))
        else:
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.reject_application(actor=request.user, application=application, reason=reason)
            messages.success(request, _("The application was not selected."))
    except ValidationError as error:
        apply_service_errors(form, error)
        return _refused(request, application, reason_form=form)
    return _done(application)


@login_required
@require_POST
def application_withdraw(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    try:
        services.withdraw_application(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application was withdrawn."))
    return _done(application)


@login_required
@require_POST
def application_sign(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    try:
        services.sign_agreement(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The support agreement was signed."))
    return _done(application)


@login_required
@require_POST
def application_claim(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    form = ClaimForm(request.POST, request.FILES, kinds=_kinds(application))
    if form.is_valid():
        try:
            services.submit_claim(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your claim was sent."))
            return _done(application)
    return _refused(request, application, claim_form=form)


@login_required
@require_POST
def application_outcome(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.report_outcome(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The outcome was saved."))
            return _done(application)
    return _refused(request, application, outcome_form=form)


@login_required
@require_POST
def application_export(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            services.report_export(
                actor=request.user, partner=application.partner, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The export amount was recorded."))
            return _done(application)
    return _refused(request, application, export_form=form)


@login_required
@require_POST
def claim_decide(request: AuthenticatedHttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.get_claim_for_user(request.user, claim_id)
    try:
        if request.POST.get("decision") == "pay":
            services.pay_claim(actor=request.user, claim=claim)
            messages.success(request, _("The claim was paid."))
        else:
            services.reject_claim(
                actor=request.user, claim=claim, reason=request.POST.get("reason", "")[:1000]
            )
            messages.success(request, _("The claim was rejected."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("overseas:application_detail", application_id=claim.item.application_id)


@login_required
def claim_receipt(request: AuthenticatedHttpRequest, claim_id: int) -> FileResponse:
    claim = selectors.get_claim_for_user(request.user, claim_id)
    return FileResponse(claim.receipt.open("rb"), as_attachment=True, filename=claim.receipt_name)
