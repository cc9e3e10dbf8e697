"""Applications: the partner applies (with the simulator), the host reviews and recommends (with the
printable letter), the bank decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.access import HostArea, require_area
from sangsaeng.accounts.selectors import host_name
from sangsaeng.core import dates
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.finance import permissions, selectors, services
from sangsaeng.finance.documents import recommendation_letter_pdf
from sangsaeng.finance.forms import (
    AmountForm,
    ApplyForm,
    DisburseForm,
    DocumentForm,
    ReasonForm,
    SimulateForm,
)
from sangsaeng.finance.models import LoanApplication, LoanFund


def _fund(request: AuthenticatedHttpRequest) -> LoanFund | None:
    fund_id = request.GET.get("fund") or request.POST.get("fund")
    if fund_id and str(fund_id).isdigit():
        return selectors.get_open_fund(int(fund_id))
    return selectors.open_funds().first()


def _page(
    request: AuthenticatedHttpRequest, queryset: QuerySet[LoanApplication], template: str, title: str
) -> HttpResponse:
    page = page_of(request, selectors.for_application_list(queryset), selectors.PAGE_SIZE)
    can_apply = permissions.can_apply_for_loan(request.user)
    return render(request, template, {"page": page, "title": title, "can_apply": can_apply})


@login_required
def applications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every application the user may see (own company, own bank, or all for the host's fund roles)."""
    require_area(request.user, HostArea.LOANS)
    return _page(
        request, selectors.applications_for_user(request.user), "finance/applications.html", _("Fund loans")
    )


@login_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.is_fund_manager(request.user):
        raise PermissionDenied(_("Only host fund managers review applications."))
    return _page(
        request,
        selectors.review_queue_for_user(request.user),
        "finance/applications.html",
        _("Loan review queue"),
    )


@login_required
def bank_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.is_loan_officer(request.user):
        raise PermissionDenied(_("Only loan officers see the bank queue."))
    return _page(
        request, selectors.bank_queue_for_user(request.user), "finance/applications.html", _("Bank queue")
    )


@login_required
def simulate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The simulator (htmx: the result panel only)."""
    if not permissions.can_simulate(request.user):
        raise PermissionDenied(_("Sign in with an organisation to use the simulator."))
    fund = _fund(request)
    context: dict[str, Any] = {"fund": fund}
    if fund is not None:
        form = SimulateForm(request.GET or None, fund=fund)
        context["form"] = form
        if form.is_valid():
            data = form.cleaned_data
            context["simulation"] = selectors.simulate(
                data["pool"],
                amount_krw=data["amount_krw"],
                term_months=data["term_months"],
                method=data["method"],
                grace_months=data["grace_months"] or 0,
                partner=selectors.simulation_partner(request.user),
            )
    return render_page(request, "finance/simulate.html", "finance/partials/simulation.html", context)


@login_required
def apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_apply_for_loan(request.user):
        raise PermissionDenied(_("Only a partner's people apply for fund loans."))
    fund = _fund(request)
    if fund is None:
        return render(request, "finance/apply.html", {"fund": None})
    form = ApplyForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.apply_for_loan(
                actor=request.user,
                fund=fund,
                pool=data["pool"],
                amount_krw=data["amount_krw"],
                purpose=data["purpose"],
                term_months=data["term_months"],
                grace_months=data["grace_months"] or 0,
                method=data["method"],
                use_of_funds=data["use_of_funds"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Your application was sent to %(host)s for review.") % {"host": host_name()}
            )
            return redirect("finance:application", application_id=created.pk)
    return render(request, "finance/apply.html", {"fund": fund, "form": form})


def detail_context(request: AuthenticatedHttpRequest, item: LoanApplication, **forms: Any) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "application": item,
        "timeline": selectors.timeline_of(item),
        "loan": getattr(item, "loan", None) if item.status in ("disbursed", "repaid") else None,
        "recommendation": getattr(item, "recommendation", None),
        "can_review": permissions.can_review_application(user, item) and item.status == "applied",
        "can_bank": permissions.can_decide_as_bank(user, item),
        "documents": selectors.documents_of(item),
        "can_add_document": permissions.can_apply_for_loan(user)
        and item.status in ("applied", "recommended")
        and not permissions.is_fund_manager(user),
        "problems": services.eligibility_problems(item) if permissions.is_fund_manager(user) else [],
        "breakdown": selectors.rate_breakdown_of(item),
    }
    context.setdefault("recommend_form", forms.get("recommend_form") or AmountForm())
    context["document_form"] = forms.get("document_form") or DocumentForm()
    context["reject_form"] = forms.get("reject_form") or ReasonForm()
    context["approve_form"] = forms.get("approve_form") or AmountForm()
    context["bank_reject_form"] = forms.get("bank_reject_form") or ReasonForm()
    context["disburse_form"] = forms.get("disburse_form") or DisburseForm(
        initial={"disbursed_on": dates.today()}
    )
    return context


@login_required
def application(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    item = selectors.get_application_for_user(request.user, application_id)
    return render(request, "finance/application.html", detail_context(request, item))


@login_required
def letter(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    """The printable recommendation letter (추천서): an HTML page laid out for print/PDF."""
    item = selectors.get_application_for_user(request.user, application_id)
    recommendation = getattr(item, "recommendation", None)
    if recommendation is None:
        raise PermissionDenied(_("This application has no recommendation letter."))
    context = {
        "application": item,
        "recommendation": recommendation,
        "breakdown": selectors.rate_breakdown_of(item),
    }
    return render(request, "finance/letter.html", context)


@login_required
def letter_pdf(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    """The recommendation letter as a PDF download (Korean CID font), beside the HTML print view."""
    item = selectors.get_application_for_user(request.user, application_id)
    recommendation = getattr(item, "recommendation", None)
    if recommendation is None:
        raise PermissionDenied(_("This application has no recommendation letter."))
    response = HttpResponse(recommendation_letter_pdf(item, recommendation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recommendation-{recommendation.serial}.pdf"'
    return response


def _decide(
    request: AuthenticatedHttpRequest,
    application_id: int,
    form_class: type[AmountForm] | type[ReasonForm],
    form_name: str,
    act: Any,
    done: str,
) -> HttpResponse:
    item = selectors.get_application_for_user(request.user, application_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(item, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("finance:application", application_id=item.pk)
    return render(
        request, "finance/application.html", detail_context(request, item, **{form_name: form}), status=422
    )


@login_required
@require_POST
def recommend(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    return _decide(
        request,
        application_id,
        AmountForm,
        "recommend_form",
        lambda item, data: services.recommend_application(
            actor=request.user, application=item, amount_krw=data["amount_krw"], note=data["note"]
        ),
        _("Recommended; the letter went to the bank."),
    )


@login_required
@require_POST
def reject(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    return _decide(
        request,
        application_id,
        ReasonForm,
        "reject_form",
        lambda item, data: services.reject_application(
            actor=request.user, application=item, reason=data["reason"]
        ),
        _("The application was rejected."),
    )


@login_required
@require_POST
def bank_approve(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    return _decide(
        request,
        application_id,
        AmountForm,
        "approve_form",
        lambda item, data: services.bank_approve(
            actor=request.user, application=item, amount_krw=data["amount_krw"]
        ),
        _("Approved."),
    )


@login_required
@require_POST
def bank_reject(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    return _decide(
        request,
        application_id,
        ReasonForm,
        "bank_reject_form",
        lambda item, data: services.bank_reject(actor=request.user, application=item, reason=data["reason"]),
        _("The recommendation was declined."),
    )


@login_required
@require_POST
def add_document(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    item = selectors.get_application_for_user(request.user, application_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_application_document(
                actor=request.user, application=item, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect("finance:application", application_id=item.pk)
    elif not permissions.can_apply_for_loan(request.user):
        raise PermissionDenied(_("Only the company's people add documents to its application."))
    return render(
        request, "finance/application.html", detail_context(request, item, document_form=form), status=422
    )


@login_required
def document(request: AuthenticatedHttpRequest, application_id: int, document_id: int) -> FileResponse:
    """Files are served only here, to people who may see the application."""
    found = selectors.get_document_for_user(request.user, application_id, document_id)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
