"""Excel in and out: the directory export (host staff, auditors) and the import (host deciders)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.models import Job, PersonalDataAccess
from sangsaeng.core.selectors import get_job_for_user
from sangsaeng.core.services import log_personal_data_access
from sangsaeng.core.spreadsheets import XLSX_CONTENT_TYPE, build_xlsx
from sangsaeng.partners import imports, permissions, selectors
from sangsaeng.partners.forms import DirectoryFilterForm, ExportForm, ImportForm
from sangsaeng.partners.models import CollaborationField


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The directory as .xlsx with the same filters; contacts only with a reason, and logged (PIPA)."""
    if not permissions.can_export_partners(request.user):
        raise PermissionDenied(_("Only host staff and auditors export the partner directory."))
    fields = list(CollaborationField.objects.all())
    filter_form = DirectoryFilterForm(request.GET, fields=fields)
    filters = filter_form.to_filters()
    export_form = ExportForm(request.GET)
    if not export_form.is_valid():
        query = request.GET.copy()
        for name in ("include_contacts", "reason"):
            query.pop(name, None)
        return render(
            request,
            "partners/export.html",
            {"export_form": export_form, "filter_items": [(k, v) for k, vs in query.lists() for v in vs]},
        )
    include_contacts = export_form.cleaned_data["include_contacts"]
    headers, rows, count = selectors.export_rows_for_user(
        request.user, filters, include_contacts=include_contacts
    )
    content = build_xlsx(_("Partners"), headers, rows)
    if include_contacts:
        query = request.GET.copy()
        for name in ("include_contacts", "reason"):
            query.pop(name, None)
        filters_text = query.urlencode() or "all"
        log_personal_data_access(
            actor=request.user,
            purpose=PersonalDataAccess.Purpose.EXPORT,
            subject_label=f"contacts of {count} partners (directory export; {filters_text})",
            data_items="name, department, e-mail, phone",
            subject_count=count,
            reason=export_form.cleaned_data["reason"].strip(),
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx_response(content, f"partners-{stamp}.xlsx")


@login_required
def import_partners(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload form (create or update mode); the import runs as a task whose progress the next page polls."""
    if not permissions.can_import_partners(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers may import partners."))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.start_import(
                actor=request.user, upload=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("partners:import_job", job_id=job.pk)
    return render(request, "partners/import.html", {"form": form, "columns": imports.IMPORT_COLUMNS})


def _import_job_for_user(request: AuthenticatedHttpRequest, job_id: object) -> Job:
    job = get_job_for_user(request.user, job_id)
    if job.kind != imports.JOB_KIND:
        raise Http404
    return job


@login_required
def import_job(request: AuthenticatedHttpRequest, job_id: object) -> HttpResponse:
    """Progress while the import runs; then the counts or the row/column/message error table."""
    job = _import_job_for_user(request, job_id)
    errors = job.result.get("errors", [])
    context = {"job": job, "errors": errors, "error_count": job.result.get("error_count") or len(errors)}
    if getattr(request, "htmx", None):
        return render(request, "partners/partials/import_job.html", context)
    return render(request, "partners/import_job.html", context)


@login_required
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_import_partners(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers may import partners."))
    return _xlsx_response(imports.build_template(), "partners-import-template.xlsx")


@login_required
def import_report(request: AuthenticatedHttpRequest, job_id: object) -> FileResponse:
    """The error report of a failed import, for the person who ran it."""
    job = _import_job_for_user(request, job_id)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=f"partners-import-errors-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
