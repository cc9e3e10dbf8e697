"""Partner grades (S/A/B/C) for the fund's preferential rates: the host grades, partners see their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangsaeng.core import dates
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.pagination import page_of
from sangsaeng.finance import permissions, selectors, services
from sangsaeng.finance.forms import GradeForm


@login_required
def grades(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Grade history (host: all, newest first; a partner's people: their own) and, for host fund
    managers, the form that grades a partner."""
    if not (permissions.can_view_fund_dashboard(request.user) or permissions.is_partner_person(request.user)):
        raise PermissionDenied(_("Only the host and partners see partner grades."))
    can_grade = permissions.can_grade_partners(request.user)
    form = GradeForm(request.POST or None, initial={"valid_from": dates.today()}) if can_grade else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only host administrators and programme managers grade partners."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assign_partner_grade(
                    actor=request.user,
                    partner=data["brn"],
                    grade=data["grade"],
                    valid_from=data["valid_from"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Grade recorded."))
                return redirect("finance:grades")
        status = 422
    page = page_of(request, selectors.grades_for_user(request.user), selectors.PAGE_SIZE)
    return render(request, "finance/grades.html", {"page": page, "form": form}, status=status)
