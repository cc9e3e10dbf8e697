"""Loans: disbursement, the schedule with repayments, and the fund dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.access import HostArea, require_area
from sangsaeng.core import dates
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.pagination import page_of
from sangsaeng.core.spreadsheets import XLSX_CONTENT_TYPE, build_xlsx
from sangsaeng.finance import permissions, selectors, services
from sangsaeng.finance.forms import CorrectionForm, DisburseForm, RepayForm
from sangsaeng.finance.models import Loan
from sangsaeng.finance.views.applications import detail_context


@login_required
@require_POST
def disburse(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    item = selectors.get_application_for_user(request.user, application_id)
    form = DisburseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.disburse_loan(
                actor=request.user,
                application=item,
                disbursed_on=data["disbursed_on"],
                amount_krw=data["amount_krw"],
                annual_rate=data["annual_rate"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Disbursement recorded; the schedule is ready."))
            return redirect("finance:loan", loan_id=made.pk)
    return render(
        request, "finance/application.html", detail_context(request, item, disburse_form=form), status=422
    )


def _loan_context(
    request: AuthenticatedHttpRequest, item: Loan, form: RepayForm | None = None
) -> dict[str, object]:
    is_bank = permissions.can_decide_as_bank(request.user, item.application)
    can_repay = is_bank and item.status == "active"
    return {
        "loan": item,
        "instalments": selectors.instalments_of(item),
        "repayments": selectors.repayments_with_timing(item),
        "saving_krw": selectors.saving_to_date(item),
        "breakdown": selectors.loan_breakdown(item),
        "can_repay": can_repay,
        "can_correct": is_bank,
        "form": form or RepayForm(initial={"paid_on": dates.today()}),
    }


@login_required
def loan(request: AuthenticatedHttpRequest, loan_id: int) -> HttpResponse:
    item = selectors.get_loan_for_user(request.user, loan_id)
    return render(request, "finance/loan.html", _loan_context(request, item))


@login_required
@require_POST
def repay(request: AuthenticatedHttpRequest, loan_id: int) -> HttpResponse:
    item = selectors.get_loan_for_user(request.user, loan_id)
    form = RepayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_repayment(
                actor=request.user,
                loan=item,
                paid_on=data["paid_on"],
                principal_krw=data["principal_krw"],
                interest_krw=data["interest_krw"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Repayment recorded."))
            return redirect("finance:loan", loan_id=item.pk)
    return render(request, "finance/loan.html", _loan_context(request, item, form), status=422)


@login_required
def correct_repayment(request: AuthenticatedHttpRequest, loan_id: int, repayment_id: int) -> HttpResponse:
    """The bank corrects a wrong repayment entry: reversal plus a new entry, with a reason."""
    entry = selectors.get_repayment_for_user(request.user, loan_id, repayment_id)
    item = selectors.get_loan_for_user(request.user, loan_id)
    if not permissions.can_decide_as_bank(request.user, item.application):
        raise PermissionDenied(_("Only loan officers of the loan's bank correct its repayments."))
    initial = {
        "paid_on": entry.paid_on,
        "principal_krw": entry.principal_krw,
        "interest_krw": entry.interest_krw,
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.correct_repayment(
                    actor=request.user,
                    repayment=entry,
                    reason=data["reason"],
                    paid_on=data["paid_on"],
                    principal_krw=data["principal_krw"],
                    interest_krw=data["interest_krw"],
                    void=data["void"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Repayment corrected: the wrong entry is reversed."))
                return redirect("finance:loan", loan_id=item.pk)
        status = 422
    return render(
        request, "finance/correct_repayment.html", {"loan": item, "entry": entry, "form": form}, status=status
    )


@login_required
def loans(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Disbursed loans the user may see (own company, own bank, or all for the host), newest first."""
    require_area(request.user, HostArea.LOANS)
    page = page_of(request, selectors.loan_list_for_user(request.user), selectors.PAGE_SIZE)
    return render(request, "finance/loans.html", {"page": page, "today": dates.today()})


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Fund dashboard (host): utilisation per bank, interest saved, overdue loans."""
    if not permissions.can_view_fund_dashboard(request.user):
        raise PermissionDenied(_("Only the host sees the fund dashboard."))
    funds = list(selectors.open_funds())
    fund_id = request.GET.get("fund", "")
    fund = next((f for f in funds if str(f.pk) == fund_id), funds[0] if funds else None)
    context = {"funds": funds, "fund": fund, **selectors.sharing_statistics(request.user)}
    if fund is not None:
        context.update(selectors.fund_dashboard(request.user, fund))
        context["utilisation"] = selectors.utilisation_series(fund)
    return render(request, "finance/dashboard.html", context)


@login_required
def loans_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Loans as .xlsx with the interest saved to date: the host (all) and loan officers (their bank)."""
    if not (permissions.can_view_fund_dashboard(request.user) or permissions.is_loan_officer(request.user)):
        raise PermissionDenied(_("Only the host and loan officers export loans."))
    headers, rows = selectors.loan_export_rows(request.user)
    response = HttpResponse(build_xlsx(_("Loans"), headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="fund-loans.xlsx"'
    return response
