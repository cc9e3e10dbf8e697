"""Notifications, task progress, the audit trail and the personal-data access log pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.core import privacy, selectors, services
from sangsaeng.core.forms import AuditEventFilterForm, ExportReasonForm, PersonalDataAccessFilterForm
from sangsaeng.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, render_page, wants_partial
from sangsaeng.core.pagination import page_of
from sangsaeng.core.spreadsheets import XLSX_CONTENT_TYPE


@require_GET
def healthz(request: HtmxHttpRequest) -> HttpResponse:
    """The bare Django endpoint: no database, no template (the bench's ceiling)."""
    return HttpResponse("ok", content_type="text/plain")


# --- Notifications -----------------------------------------------------------------------------------
NOTIFICATIONS_PER_PAGE = 30


def _notification_page(request: AuthenticatedHttpRequest) -> Any:
    return page_of(request, selectors.notifications_for_user(request.user), NOTIFICATIONS_PER_PAGE)


@login_required
@require_GET
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"page": _notification_page(request)}
    return render_page(request, "core/notifications.html", "core/partials/notification_list.html", context)


@login_required
@require_POST
def notifications_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark one (`id`), several (`id` repeated) or all (no `id`) of the user's notifications read."""
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
    services.mark_notifications_read(actor=request.user, notification_ids=ids or None)
    if wants_partial(request):
        response = render(
            request, "core/partials/notification_list.html", {"page": _notification_page(request)}
        )
        response["HX-Trigger"] = "notifications-read"
        return response
    return redirect("core:notifications")


@login_required
@require_GET
def unread_badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header bell's unread count, refreshed by htmx (the context processor supplies the count)."""
    return render(request, "core/partials/unread_badge.html")


# --- Task progress -----------------------------------------------------------------------------------
@login_required
@require_GET
def job_status(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    """The progress bar a page polls (htmx every second) while a long task runs; owner only."""
    job = selectors.get_job_for_user(request.user, job_id)
    return render(request, "core/partials/job_status.html", {"job": job})


# --- Audit trail -------------------------------------------------------------------------------------
@login_required
@require_GET
def audit_events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Filterable audit trail; an htmx request gets only the results (table, pagination, export)."""
    form = AuditEventFilterForm(request.GET or None)
    events = selectors.audit_events_for_user(request.user, form.to_filter())
    page = page_of(request, events)
    # Personal data masked for everyone but host administrators, whose view is logged (core.privacy).
    page.object_list = [privacy.mask_event(event, viewer=request.user) for event in page.object_list]
    services.log_unmasked_view(request.user, page.object_list, channel="page")
    context = {
        "form": form,
        "page": page,
        "export_form": ExportReasonForm(),
        "export_max_rows": services.export_max_rows(),
        "filter_query": _filter_query(request, AuditEventFilterForm),
    }
    return render_page(request, "core/audit_events.html", "core/partials/audit_results.html", context)


@login_required
@require_GET
def audit_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The filtered trail as .xlsx; the reason is required and logged (PIPA)."""
    form = AuditEventFilterForm(request.GET)
    try:
        export = services.export_audit_events(
            actor=request.user,
            filters=form.to_filter(),
            reason=request.GET.get("reason", ""),
        )
    except ValidationError:
        return _export_refused(request, "core/audit_events.html", form, selectors.audit_events_for_user)
    return _xlsx_response(export)


# --- Personal-data access log (PIPA) -----------------------------------------------------------------
@login_required
@require_GET
def personal_data_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PersonalDataAccessFilterForm(request.GET or None)
    entries = selectors.personal_data_accesses_for_user(request.user, form.to_filter())
    page = page_of(request, entries)
    context = {
        "form": form,
        "page": page,
        "export_form": ExportReasonForm(),
        "export_max_rows": services.export_max_rows(),
        "filter_query": _filter_query(request, PersonalDataAccessFilterForm),
    }
    return render_page(
        request, "core/personal_data_log.html", "core/partials/personal_data_results.html", context
    )


@login_required
@require_GET
def personal_data_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PersonalDataAccessFilterForm(request.GET)
    try:
        export = services.export_personal_data_accesses(
            actor=request.user,
            filters=form.to_filter(),
            reason=request.GET.get("reason", ""),
        )
    except ValidationError:
        return _export_refused(
            request, "core/personal_data_log.html", form, selectors.personal_data_accesses_for_user
        )
    return _xlsx_response(export)


# --- Helpers -----------------------------------------------------------------------------------------
def _filter_query(request: AuthenticatedHttpRequest, form_class: type[forms.Form]) -> list[tuple[str, str]]:
    """The current filters as (name, value) pairs, carried as hidden fields by the export form."""
    return [(name, request.GET[name]) for name in form_class.base_fields if request.GET.get(name)]


def _export_refused(
    request: AuthenticatedHttpRequest, template: str, form: Any, selector: Any
) -> HttpResponse:
    """The page again, with the export form's error (a missing reason), status 400."""
    page = Paginator(selector(request.user, form.to_filter()), settings.PAGE_SIZE).get_page(1)
    export_form = ExportReasonForm(request.GET)
    export_form.is_valid()
    context = {
        "form": form,
        "page": page,
        "export_form": export_form,
        "export_max_rows": services.export_max_rows(),
        "filter_query": _filter_query(request, type(form)),
    }
    return render(request, template, context, status=400)


def _xlsx_response(export: services.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Export-Rows"] = str(export.rows)
    if export.truncated:
        response["X-Export-Truncated"] = f"{export.rows} of {export.matching}"
    return response
