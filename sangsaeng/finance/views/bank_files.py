"""Bank files: the officer downloads the bank's working file and uploads its decisions (all or nothing)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.spreadsheets import XLSX_CONTENT_TYPE, build_xlsx
from sangsaeng.finance import permissions, selectors
from sangsaeng.finance.forms import BankFileForm
from sangsaeng.finance.services.bank_files import import_bank_file


@login_required
def bank_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.is_loan_officer(request.user):
        raise PermissionDenied(_("Only loan officers download the bank file."))
    headers, rows = selectors.bank_file_rows_for_user(request.user)
    response = HttpResponse(build_xlsx(_("Bank file"), headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="fund-bank-file.xlsx"'
    return response


@login_required
def bank_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.is_loan_officer(request.user):
        raise PermissionDenied(_("Only loan officers import bank files."))
    form = BankFileForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_bank_file(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            apply_service_errors(form, error)
    status = 422 if (report is not None and not report.ok) or form.errors else 200
    return render(request, "finance/bank_import.html", {"form": form, "report": report}, status=status)
