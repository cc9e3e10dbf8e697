"""Banks exchange files instead of clicking: the export of recommendations waiting for the bank, and
the import of its decisions, disbursements and repayments (.xlsx or .csv).

The import is all-or-nothing: the file is checked and read outside any transaction (`read_bank_file`),
then every row runs through the same service as the pages (so each row is permission-checked and
audited) in one transaction (`apply_bank_file`), each in its own savepoint to collect every row's
problem; if any row fails, the whole file is rolled back and the report lists the problems by row.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core.money import parse_krw
from sangsaeng.core.spreadsheets import FORMULA_MESSAGE, Formula, find_header_row, read_rows
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


def _int(value: Any, name: str) -> int | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValidationError(_("%(column)s must be a whole number.") % {"column": name})
    try:
        return int(str(int(value) if isinstance(value, float) else value).replace(",", "").strip())
    except ValueError:
        raise ValidationError(_("%(column)s must be a whole number.") % {"column": name}) from None


def _required_int(value: Any, name: str) -> int:
    number = _int(value, name)
    if number is None:
        raise ValidationError(_("%(column)s is required.") % {"column": name})
    return number


def _money(value: Any, name: str) -> int | None:
    """An amount as banks write it: 1234567, "1,234,567", "1,000원", "1억 2천만" (core.money.parse_krw)."""
    if _is_blank(value):
        return None
    try:
        return parse_krw(value)
    except ValidationError:
        raise ValidationError(
            _("%(column)s must be an amount in won, e.g. 1,234,567 or 1,000원.") % {"column": name}
        ) from None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _is_blank(value):
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
    if _is_blank(value):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("annual_rate must be a number.")) from None


def _is_blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def _parse_row(values: dict[str, Any]) -> dict[str, Any]:
    """Check one row's cells and turn them into typed values (no database access)."""
    formulas = [name for name, value in values.items() if isinstance(value, Formula)]
    if formulas:
        raise ValidationError(f"{FORMULA_MESSAGE} ({', '.join(formulas)})")
    action = str(values.get("action") or "").strip().lower()
    if action not in ACTIONS:
        raise ValidationError(_("action must be one of: %(actions)s.") % {"actions": ", ".join(ACTIONS)})
    row: dict[str, Any] = {"action": action, "reason": str(values.get("reason") or "")}
    if action in ("correct", "reverse"):
        row["loan_id"] = _required_int(values.get("loan_id"), "loan_id")
        row[REPAYMENT_COLUMN] = _required_int(values.get(REPAYMENT_COLUMN), REPAYMENT_COLUMN)
        row["date"] = _date(values.get("date"))
        row["principal_krw"] = _money(values.get("principal_krw"), "principal_krw")
        row["interest_krw"] = _money(values.get("interest_krw"), "interest_krw")
    elif action == "repay":
        row["loan_id"] = _required_int(values.get("loan_id"), "loan_id")
        row["date"] = _required_date(values.get("date"))
        row["principal_krw"] = _money(values.get("principal_krw"), "principal_krw") or 0
        row["interest_krw"] = _money(values.get("interest_krw"), "interest_krw") or 0
    else:
        row["application_id"] = _required_int(values.get("application_id"), "application_id")
        row["amount_krw"] = _money(values.get("amount_krw"), "amount_krw")
        row["date"] = _date(values.get("date"))
        row["annual_rate"] = _rate(values.get("annual_rate"))
    return row


def _apply_row(actor: User, row: dict[str, Any]) -> str:
    from sangsaeng.finance import selectors

    action = row["action"]
    if action in ("correct", "reverse"):
        loans.correct_repayment(
            actor=actor,
            repayment=selectors.get_repayment_for_user(actor, row["loan_id"], row[REPAYMENT_COLUMN]),
            reason=row["reason"],
            paid_on=row["date"],
            principal_krw=row["principal_krw"],
            interest_krw=row["interest_krw"],
            void=action == "reverse",
        )
        return action
    if action == "repay":
        loans.record_repayment(
            actor=actor,
            loan=selectors.get_loan_for_user(actor, row["loan_id"]),
            paid_on=row["date"],
            principal_krw=row["principal_krw"],
            interest_krw=row["interest_krw"],
        )
        return action
    application = selectors.get_application_for_user(actor, row["application_id"])
    if action == "approve":
        loans.bank_approve(actor=actor, application=application, amount_krw=row["amount_krw"])
    elif action == "reject":
        loans.bank_reject(actor=actor, application=application, reason=row["reason"])
    else:
        loans.disburse_loan(
            actor=actor,
            application=application,
            disbursed_on=row["date"],
            amount_krw=row["amount_krw"],
            annual_rate=row["annual_rate"],
        )
    return action


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


@dataclass
class BankFile:
    """A bank file read and checked, not applied: typed rows by number, and the rows' problems."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0


def _is_header(cells: list[Any]) -> bool:
    return [str(cell or "").strip().lower() for cell in cells[: len(COLUMNS)]] == list(COLUMNS)


def read_bank_file(*, actor: User, upload: UploadedFile) -> BankFile:
    """Check and read a bank file (.xlsx or .csv in UTF-8, UTF-8 with BOM or CP949/EUC-KR) outside
    any transaction: a slow or hostile file never holds the database's write lock.

    Raises PermissionDenied (not a loan officer) or ValidationError (not a readable .xlsx/.csv, a zip
    bomb, macros, the header missing or not on row 1, too many rows). Row problems (a formula, a
    wrong number or date) are in the result's errors.
    """
    if not permissions.is_loan_officer(actor):
        raise PermissionDenied(_("Only loan officers import bank files."))
    kind = validate_upload(
        upload, allowed=(XLSX, CSV), max_bytes=getattr(settings, "MAX_DOCUMENT_BYTES", 10 << 20)
    )
    result = BankFile()
    rows = read_rows(upload, kind)
    try:
        first = next(rows, None)
        if first is None:
            raise ValidationError(_("The file is empty."))
        header = [str(cell or "").strip().lower() for cell in first[1]]
        if not _is_header(first[1]):
            found = find_header_row(rows, _is_header)
            if found is not None:
                raise ValidationError(
                    _(
                        "The header is on row %(row)d; it must be on row 1. Delete the rows above it "
                        "(a title, or the upper half of a two-row header)."
                    )
                    % {"row": found}
                )
            raise ValidationError(
                _("The first row must be the header: %(columns)s.") % {"columns": ", ".join(COLUMNS)}
            )
        repayment_index = header.index(REPAYMENT_COLUMN) if REPAYMENT_COLUMN in header else None
        for number, cells in rows:
            if all(_is_blank(cell) for cell in cells):
                continue
            result.count += 1
            if result.count > MAX_ROWS:
                raise ValidationError(_("At most %(count)s rows per file.") % {"count": MAX_ROWS})
            values = dict(zip(COLUMNS, cells, strict=False))
            if repayment_index is not None:
                values[REPAYMENT_COLUMN] = cells[repayment_index] if repayment_index < len(cells) else None
            try:
                result.rows.append((number, _parse_row(values)))
            except ValidationError as error:
                result.errors.append((number, _message(error)))
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ValidationError(
            _("The file's content is not a valid %(label)s file.") % {"label": kind.label},
            code="file_content",
        ) from error
    finally:
        rows.close()
    return result


def apply_bank_file(*, actor: User, bank_file: BankFile) -> ImportReport:
    """Apply a read bank file in one short transaction: all rows or none.

    Every row runs through the same service as the pages, in its own savepoint so that every row's
    problem is reported; if any row (or the reading) failed, everything is rolled back.
    """
    report = ImportReport(rows=bank_file.count, errors=list(bank_file.errors))
    with transaction.atomic():
        for number, row in bank_file.rows:
            try:
                with transaction.atomic():
                    action = _apply_row(actor, row)
            except ValidationError as error:
                report.errors.append((number, _message(error)))
            except PermissionDenied as error:
                report.errors.append((number, str(error)))
            except Http404:
                report.errors.append((number, _("No such application or loan at your bank.")))
            else:
                report.done[action] = report.done.get(action, 0) + 1
        if report.errors:
            # All or nothing: undo every row, audit events included.
            transaction.set_rollback(True)
            report.done = {}
    report.errors.sort()
    return report


def import_bank_file(*, actor: User, upload: UploadedFile) -> ImportReport:
    """Read the bank's file outside any transaction, then apply it in one: all rows or none.

    Raises what read_bank_file raises; row problems are in the report.
    """
    return apply_bank_file(actor=actor, bank_file=read_bank_file(actor=actor, upload=upload))
