"""Banks exchange files instead of clicking: the export of recommendations waiting for the bank, and
the import of its decisions, disbursements and repayments (.xlsx or .csv).

The import is all-or-nothing: every row runs through the same service as the pages (so each row is
permission-checked and audited), each in its own savepoint to collect every row's problem; if any
row fails, the whole file is rolled back and the report lists the problems by row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from sangsaeng.accounts.models import User
from sangsaeng.core.uploads import CSV, XLSX, validate_upload
from sangsaeng.finance import permissions
from sangsaeng.finance.bank_format import ACTIONS, COLUMNS, REPAYMENT_COLUMN
from sangsaeng.finance.services import loans

MAX_ROWS = 5000


@dataclass
class ImportReport:
    rows: int = 0
    done: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cells(upload: UploadedFile, kind: Any) -> Iterator[tuple[int, list[Any]]]:
    if kind is XLSX:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
        workbook.close()
        return
    text = upload.read().decode("utf-8-sig")
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        yield number, list(row)


def _int(value: Any, name: str) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return int(str(value).replace(",", "").strip().split(".")[0])
    except ValueError:
        raise ValidationError(_("%(column)s must be a whole number.") % {"column": name}) from None


def _required_int(value: Any, name: str) -> int:
    number = _int(value, name)
    if number is None:
        raise ValidationError(_("%(column)s is required.") % {"column": name})
    return number


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or str(value).strip() == "":
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(_("date must look like 2026-03-31.")) from None


def _required_date(value: Any) -> dt.date:
    day = _date(value)
    if day is None:
        raise ValidationError(_("date is required."))
    return day


def _rate(value: Any) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("annual_rate must be a number.")) from None


def _apply_row(actor: User, values: dict[str, Any]) -> str:
    from sangsaeng.finance import selectors

    action = str(values.get("action") or "").strip().lower()
    if action not in ACTIONS:
        raise ValidationError(_("action must be one of: %(actions)s.") % {"actions": ", ".join(ACTIONS)})
    if action in ("correct", "reverse"):
        loan_id = _required_int(values.get("loan_id"), "loan_id")
        repayment_id = _required_int(values.get(REPAYMENT_COLUMN), REPAYMENT_COLUMN)
        loans.correct_repayment(
            actor=actor,
            repayment=selectors.get_repayment_for_user(actor, loan_id, repayment_id),
            reason=str(values.get("reason") or ""),
            paid_on=_date(values.get("date")),
            principal_krw=_int(values.get("principal_krw"), "principal_krw"),
            interest_krw=_int(values.get("interest_krw"), "interest_krw"),
            void=action == "reverse",
        )
        return action
    if action == "repay":
        loans.record_repayment(
            actor=actor,
            loan=selectors.get_loan_for_user(actor, _required_int(values.get("loan_id"), "loan_id")),
            paid_on=_required_date(values.get("date")),
            principal_krw=_int(values.get("principal_krw"), "principal_krw") or 0,
            interest_krw=_int(values.get("interest_krw"), "interest_krw") or 0,
        )
        return action
    application_id = _required_int(values.get("application_id"), "application_id")
    application = selectors.get_application_for_user(actor, application_id)
    if action == "approve":
        loans.bank_approve(
            actor=actor, application=application, amount_krw=_int(values.get("amount_krw"), "amount_krw")
        )
    elif action == "reject":
        loans.bank_reject(actor=actor, application=application, reason=str(values.get("reason") or ""))
    else:
        loans.disburse_loan(
            actor=actor,
            application=application,
            disbursed_on=_date(values.get("date")),
            amount_krw=_int(values.get("amount_krw"), "amount_krw"),
            annual_rate=_rate(values.get("annual_rate")),
        )
    return action


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def import_bank_file(*, actor: User, upload: UploadedFile) -> ImportReport:
    """Apply a bank's file of decisions, disbursements and repayments: all rows or none.

    Raises PermissionDenied (not a loan officer) or ValidationError (not a readable .xlsx/.csv, wrong
    header, too many rows). Row problems (including ids the officer may not see) are in the report.
    """
    if not permissions.is_loan_officer(actor):
        raise PermissionDenied(_("Only loan officers import bank files."))
    kind = validate_upload(
        upload, allowed=(XLSX, CSV), max_bytes=getattr(settings, "MAX_DOCUMENT_BYTES", 10 << 20)
    )
    report = ImportReport()
    with transaction.atomic():
        header: list[str] | None = None
        for number, cells in _cells(upload, kind):
            if header is None:
                header = [str(cell or "").strip().lower() for cell in cells]
                if header[: len(COLUMNS)] != list(COLUMNS):
                    raise ValidationError(
                        _("The first row must be the header: %(columns)s.") % {"columns": ", ".join(COLUMNS)}
                    )
                continue
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            report.rows += 1
            if report.rows > MAX_ROWS:
                raise ValidationError(_("At most %(count)s rows per file.") % {"count": MAX_ROWS})
            values = dict(zip(COLUMNS, cells, strict=False))
            if REPAYMENT_COLUMN in header:
                index = header.index(REPAYMENT_COLUMN)
                values[REPAYMENT_COLUMN] = cells[index] if index < len(cells) else None
            try:
                with transaction.atomic():
                    action = _apply_row(actor, values)
            except ValidationError as error:
                report.errors.append((number, _message(error)))
            except PermissionDenied as error:
                report.errors.append((number, str(error)))
            except Http404:
                report.errors.append((number, _("No such application or loan at your bank.")))
            else:
                report.done[action] = report.done.get(action, 0) + 1
        if header is None:
            raise ValidationError(_("The file is empty."))
        if report.errors:
            # All or nothing: undo every row, audit events included.
            transaction.set_rollback(True)
            report.done = {}
    return report
