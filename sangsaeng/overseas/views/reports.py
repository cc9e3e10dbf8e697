"""Reports: a partner's overseas record, the host's report per exhibition and per year (with Excel
exports and a chart), and the exchange rates the host records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.core import dates
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.core.spreadsheets import XLSX_CONTENT_TYPE, build_xlsx
from sangsaeng.overseas import permissions, selectors, services
from sangsaeng.overseas.forms import RateForm
from sangsaeng.partners.selectors import own_partner_for_user


@login_required
def my_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    partner = own_partner_for_user(request.user)
    if partner is None:
        raise Http404
    return redirect("overseas:partner_record", partner_id=partner.pk)


@login_required
def partner_record(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    """One partner's overseas record: its own people, or the host."""
    partner = selectors.get_record_partner_for_user(request.user, partner_id)
    record = selectors.partner_record(request.user, partner)
    chart = {
        "labels": [str(row["year"]) for row in record.exports_by_year],
        "values": [row["amount_krw"] for row in record.exports_by_year],
        "label": _("Export amount (KRW)"),
    }
    template = "overseas/partner_record.html"
    return render_page(request, template, template, {"record": record, "chart": chart})


def _xlsx(content: bytes, name: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


@login_required
def exhibition_report(request: AuthenticatedHttpRequest, exhibition_id: int) -> HttpResponse:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    report = selectors.exhibition_report(request.user, exhibition)
    chart = {
        "labels": [row.partner.name_ko for row in report.rows if row.approved_krw],
        "values": [row.exports_krw for row in report.rows if row.approved_krw],  # type: ignore[attr-defined]
        "label": _("Export amount (KRW)"),
    }
    rows = [(row, selectors.outcome_of(row)) for row in report.rows]
    template = "overseas/exhibition_report.html"
    return render_page(request, template, template, {"report": report, "rows": rows, "chart": chart})


@login_required
def exhibition_report_export(request: AuthenticatedHttpRequest, exhibition_id: int) -> HttpResponse:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    report = selectors.exhibition_report(request.user, exhibition)
    headers = [
        _("Company"),
        _("Status"),
        _("Score"),
        _("Requested (KRW)"),
        _("Approved (KRW)"),
        _("Paid (KRW)"),
        _("Business meetings held"),
        _("MOUs signed"),
        _("Contracts signed"),
        _("Export amount (KRW)"),
    ]
    rows = (
        [
            row.partner.name_ko,
            row.get_status_display(),
            row.score,
            row.requested_krw,
            row.approved_krw,
            row.paid_krw,
            *selectors.outcome_of(row),
            row.exports_krw,  # type: ignore[attr-defined]
        ]
        for row in report.rows
    )
    return _xlsx(build_xlsx(exhibition.name[:31], headers, rows), f"exhibition-{exhibition.pk}")


def _year(request: AuthenticatedHttpRequest) -> int:
    try:
        year = int(request.GET.get("year", "")[:4])
    except ValueError:
        year = dates.today().year
    return min(max(year, 2000), dates.today().year + 5)


@login_required
def year_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_view_host_side(request.user):
        raise PermissionDenied
    year = _year(request)
    report = selectors.year_report(request.user, year)
    chart = {
        "labels": [row["country"] for row in report.exports_by_country],
        "values": [row["amount_krw"] for row in report.exports_by_country],
        "label": _("Export amount (KRW)"),
    }
    template = "overseas/year_report.html"
    context = {"report": report, "chart": chart, "years": selectors.report_years() or [year]}
    return render_page(request, template, template, context)


@login_required
def year_report_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_view_host_side(request.user):
        raise PermissionDenied
    year = _year(request)
    report = selectors.year_report(request.user, year)
    headers = [
        _("Exhibition"),
        _("City"),
        _("First day"),
        _("Support budget (KRW)"),
        _("Committed (KRW)"),
        _("Paid (KRW)"),
        _("Applications"),
        _("Selected"),
        _("Business meetings held"),
        _("MOUs signed"),
        _("Contracts signed"),
    ]
    rows = [
        [
            row["name"],
            row["city"],
            row["starts_on"],
            row["budget_krw"],
            row["committed_krw"],
            row["paid_krw"],
            row["applications_count"],
            row["supported_count"],
            row["meetings_held"],
            row["mous"],
            row["contracts"],
        ]
        for row in report.exhibitions
    ]
    rows.append([])
    rows.append([_("Country"), _("Export amount (KRW)"), _("Partners")])
    rows += [[row["country"], row["amount_krw"], row["partners"]] for row in report.exports_by_country]
    return _xlsx(build_xlsx(str(year), headers, rows), f"overseas-{year}")


@login_required
def exchange_rates(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_view_host_side(request.user):
        raise PermissionDenied
    form = RateForm(request.POST or None) if permissions.can_manage_exhibitions(request.user) else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_exchange_rate(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The exchange rate was recorded."))
                return redirect("overseas:exchange_rates")
        status = 400
    context = {"form": form, "page": page_of(request, selectors.exchange_rates(request.user))}
    template = "overseas/exchange_rates.html"
    return render_page(request, template, template, context, status=status)
