"""The import as a Job: checking and storing the upload, then the task that reads, checks and writes.

A failed import finishes its job with the error list and an error report workbook.
"""

from __future__ import annotations

import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sangsaeng.core.models import Job
from sangsaeng.core.services import finish_job, job_progress, start_job
from sangsaeng.core.spreadsheets import build_xlsx
from sangsaeng.core.uploads import XLSX, validate_upload
from sangsaeng.partners.imports.columns import IMPORT_COLUMNS, IMPORT_MODES, MODE_CREATE
from sangsaeng.partners.imports.reading import ParsedRow, RowError, _read_sheet, _Validator
from sangsaeng.partners.imports.writing import PROGRESS_EVERY, _ConflictError, _write
from sangsaeng.partners.models import CollaborationField, Partner
from sangsaeng.partners.permissions import can_import_partners

JOB_KIND = "partners.import"
# Stored in job.result for the page; the report workbook always lists every error.
MAX_ERRORS_IN_RESULT = 1_000


# --- Permission and upload ----------------------------------------------------------------------------
def start_import(*, actor: Any, upload: UploadedFile, mode: str) -> Job:
    """Check and store an uploaded import file, create its Job and queue the import after commit.

    Raises PermissionDenied unless the actor is a host administrator or programme manager, and
    ValidationError ({"file": ...} or {"mode": ...}) for a wrong mode, a file that is not a real
    .xlsx workbook (a zip bomb, a macro-enabled workbook) or one above settings.MAX_IMPORT_BYTES;
    nothing is stored then.
    """
    if not can_import_partners(actor):
        raise PermissionDenied(_("Only host administrators and programme managers may import partners."))
    if mode not in IMPORT_MODES:
        raise ValidationError(
            {"mode": _("Choose whether to create new partners or also update existing ones.")}
        )
    # The file is checked (a zip bomb or macros refused) before the transaction opens: a hostile
    # file must never hold the database's write lock.
    try:
        validate_upload(upload, allowed=(XLSX,), max_bytes=settings.MAX_IMPORT_BYTES)
        _check_workbook_opens(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error
    with transaction.atomic():
        job = start_job(
            actor=actor, kind=JOB_KIND, parameters={"mode": mode, "file_name": (upload.name or "")[:200]}
        )
        upload.seek(0)
        job.input_file.save(f"partners-import-{job.pk}.xlsx", upload, save=False)
        job.save(update_fields=["input_file"])
        job_id = str(job.pk)
        transaction.on_commit(lambda: import_partners.enqueue(job_id))
    return job


def _check_workbook_opens(upload: UploadedFile) -> None:
    """validate_upload checks the zip's shape; this makes sure openpyxl can read the workbook."""
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError(
            _("The file's content is not a valid %(label)s file.") % {"label": XLSX.label},
            code="file_content",
        ) from error
    try:
        if not workbook.worksheets:
            raise ValidationError(_("The workbook has no sheet."), code="file_content")
    finally:
        workbook.close()
        upload.seek(0)


# --- Running the import (the task) ---------------------------------------------------------------------
@task()
def import_partners(job_id: str) -> dict[str, Any]:
    """The background task of an import (listed in partners.tasks): `run_import` of the job."""
    return run_import(job_id)


def run_import(job_id: str) -> dict[str, Any]:
    """Validate every row of the job's file, then import all rows in one transaction or none.

    Runs in the importing person's language. Returns the job's result. A job that is missing or
    already finished (a task retried by a worker) is left alone.
    """
    job = Job.objects.select_related("owner").filter(pk=job_id, kind=JOB_KIND).first()
    if job is None or job.is_finished:
        return {}
    actor = job.owner
    with override(actor.language or settings.LANGUAGE_CODE):
        finished = False
        try:
            result = _run(job, actor)
            finished = True
            return result
        finally:
            if not finished:
                # An unexpected failure (e.g. the database went away) must not leave the page polling.
                finish_job(
                    job, succeeded=False, message=_("The import stopped unexpectedly. Nothing was imported.")
                )


def _run(job: Job, actor: Any) -> dict[str, Any]:
    mode = job.parameters.get("mode", MODE_CREATE)
    job_progress(job, done=0, message=_("Reading the file…"))
    with job.input_file.open("rb") as file:
        sheet = _read_sheet(file)
    if sheet.errors:
        return _fail(job, sheet.errors)

    total = len(sheet.rows)
    job_progress(job, done=0, total=total * 2, message=_("Checking %(count)d rows…") % {"count": total})
    validator = _Validator(
        mode=mode,
        field_ids=dict(CollaborationField.objects.values_list("code", "pk")),
        existing_brns=set(Partner.objects.values_list("brn", flat=True)),
    )
    parsed_rows: list[ParsedRow] = []
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        parsed_rows.append(validator.validate_row(number, cells))
        if done % PROGRESS_EVERY == 0:
            job_progress(job, done=done)
    if validator.errors:
        return _fail(job, validator.errors)

    job_progress(job, done=total, message=_("Importing %(count)d partners…") % {"count": total})
    present = {key for key in sheet.header_keys if key is not None}
    try:
        with transaction.atomic():
            counts = _write(job, actor, mode, parsed_rows, present, validator.field_ids)
    except _ConflictError as conflict:
        return _fail(job, conflict.errors)
    except IntegrityError:
        # A company registered the same number between our check and our write (another import or a
        # sign-up running at the same time); the transaction rolled back, so nothing was imported.
        return _fail(
            job,
            [
                RowError(
                    None,
                    "",
                    _(
                        "Another change registered one of these partners at the same time. Nothing was imported; please import again."
                    ),
                )
            ],
        )
    result = {**counts, "errors": [], "next_url": "/partners/"}
    finish_job(
        job,
        succeeded=True,
        message=_("Imported: %(created)d created, %(updated)d updated.") % counts,
        result=result,
    )
    return result


def _fail(job: Job, errors: list[RowError]) -> dict[str, Any]:
    """Finish the job as failed with the error list and an error report workbook (formulas neutralised)."""
    errors = sorted(errors, key=lambda error: (error.row or 0, _column_order(error.column)))
    report = build_xlsx(
        _("Import errors"),
        [_("Row"), _("Column"), _("Value"), _("Message")],
        ([error.row, error.column, error.value, error.message] for error in errors),
    )
    job.result_file.save(f"partners-import-errors-{job.pk}.xlsx", ContentFile(report), save=False)
    result = {
        "created": 0,
        "updated": 0,
        "errors": [error.as_dict() for error in errors[:MAX_ERRORS_IN_RESULT]],
        "error_count": len(errors),
    }
    finish_job(
        job,
        succeeded=False,
        message=_("%(count)d errors found. Nothing was imported.") % {"count": len(errors)},
        result=result,
    )
    return result


_COLUMN_ORDER = {column.header: index for index, column in enumerate(IMPORT_COLUMNS)}


def _column_order(header: str) -> int:
    return _COLUMN_ORDER.get(header, -1)
