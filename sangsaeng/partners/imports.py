"""Excel import of partner companies (협력사 일괄 등록) for host staff.

Rules (DESIGN.md rule 5, issue 2 §4):
- Only host administrators and programme managers import; the file must be a real .xlsx within
  settings.MAX_IMPORT_BYTES. The upload is stored on a Job and a task does the work, so a page can
  poll its progress.
- Every row is validated before anything is written. If any row fails, nothing is imported: the job
  fails with a row / column / message list (in the importing person's language) and an error
  report workbook. Otherwise every partner is written in one transaction.
- Mode "create" refuses a business registration number (사업자등록번호) that is already registered;
  mode "update" updates the partner with that number (columns absent from the file are left as
  they are) and creates the others. Imported new partners are approved at once: the host vouches
  for them.
- Text is NFC-normalised (Excel on macOS writes decomposed NFD Hangul). Empty rows are skipped.
  Rows whose company name starts with "(예시)" are the template's example and are skipped too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import xlsxwriter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sangsaeng.accounts.models import Organization, OrganizationKind
from sangsaeng.core import audit
from sangsaeng.core.dates import today
from sangsaeng.core.models import Job
from sangsaeng.core.services import finish_job, job_progress, start_job
from sangsaeng.core.spreadsheets import build_xlsx, neutralize
from sangsaeng.core.text import normalize_text
from sangsaeng.core.uploads import XLSX, validate_upload
from sangsaeng.partners.classification import StandardTable, apply_classification, load_table
from sangsaeng.partners.models import (
    CollaborationField,
    Contact,
    Partner,
    PartnerField,
    PartnerStatus,
    PartnerStatusChange,
    Tier,
)
from sangsaeng.partners.permissions import can_import_partners
from sangsaeng.partners.validators import brn_check_digit, normalize_brn, normalize_corporate_number

JOB_KIND = "partners.import"
MODE_CREATE = "create"
MODE_UPDATE = "update"
IMPORT_MODES = (MODE_CREATE, MODE_UPDATE)
PROGRESS_EVERY = 200
EXAMPLE_MARKER = "(예시)"
# Rows per file: far above the largest partner registry (about 5,000), low enough for one task.
MAX_IMPORT_ROWS: int = getattr(settings, "MAX_IMPORT_ROWS", 20_000)
# Stored in job.result for the page; the report workbook always lists every error.
MAX_ERRORS_IN_RESULT = 1_000
MAX_MONEY_KRW = 10**16  # 1경원: above any company's revenue; catches misplaced digits
MAX_EMPLOYEES = 10_000_000


@dataclass(frozen=True)
class ImportColumn:
    """One column of the import file: its Korean header, the key it fills, how it is read."""

    header: str
    key: str
    kind: str  # brn | corporate_number | text | longtext | ksic | date | count | money | bool | tier | fields | email | phone
    required: bool = False
    help_text: str | Promise = ""
    example: Any = ""


_EXAMPLE_BRN = "123-45-6789" + str(brn_check_digit("123456789"))

IMPORT_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "사업자등록번호", "brn", "brn", True,
        gettext_lazy("10 digits, hyphens optional (XXX-XX-XXXXX). One partner per number."), _EXAMPLE_BRN,
    ),
    ImportColumn(
        "법인등록번호", "corporate_number", "corporate_number", False,
        gettext_lazy("Optional. 13 digits (XXXXXX-XXXXXXX)."), "",
    ),
    ImportColumn("회사명", "name_ko", "text", True, gettext_lazy("Company name in Korean."), f"{EXAMPLE_MARKER} 상생테크"),
    ImportColumn("영문명", "name_en", "text", False, gettext_lazy("Company name in English."), "Sangsaeng Tech"),
    ImportColumn("대표자", "ceo_name", "text", True, gettext_lazy("Name of the CEO."), "김대표"),
    ImportColumn("주소", "address", "text", False, gettext_lazy("Head office address."), "서울특별시 중구 세종대로 110"),
    ImportColumn("설립일", "founded_on", "date", False, gettext_lazy("Date as YYYY-MM-DD."), "2010-03-02"),
    ImportColumn("종업원수", "employees", "count", False, gettext_lazy("Whole number."), 42),
    ImportColumn(
        "주업종(KSIC)", "ksic_code", "ksic", True,
        gettext_lazy("Korean Standard Industrial Classification code of the main industry, 2 to 5 digits."),
        "26110",
    ),
    ImportColumn(
        "3년평균매출액(원)", "average_revenue_krw", "money", False,
        gettext_lazy("3-year average revenue in won (whole number)."), 12_000_000_000,
    ),
    ImportColumn(
        "자산총액(원)", "total_assets_krw", "money", False,
        gettext_lazy("Total assets in won (whole number)."), 8_000_000_000,
    ),
    ImportColumn(
        "공시대상기업집단", "in_disclosed_group", "bool", False,
        gettext_lazy("Belongs to a disclosed business group: Y or N."), "N",
    ),
    ImportColumn(
        "대기업30%소유", "owned_by_large_firm", "bool", False,
        gettext_lazy("At least 30 % owned as largest shareholder by a firm with assets of 5,000억 or more: Y or N."),
        "N",
    ),
    ImportColumn("협력차수", "tier", "tier", False, gettext_lazy("Tier 1 to 4 (empty means 1)."), 1),
    ImportColumn(
        "공정거래협약", "fair_trade_agreement", "bool", False,
        gettext_lazy("Fair-trade agreement signed: Y or N."), "Y",
    ),
    ImportColumn(
        "협력분야코드", "fields", "fields", False,
        gettext_lazy("Collaboration field codes, separated by commas (see the list below)."),
        "area-technology, area-network",
    ),
    ImportColumn("역량", "capabilities", "longtext", False, gettext_lazy("Capabilities, free text."), "5G 중계기 설계"),
    ImportColumn("태그", "capability_tags", "text", False, gettext_lazy("Tags separated by commas."), "5G, RF"),
    ImportColumn("담당자명", "contact_name", "text", False, gettext_lazy("Contact person's name."), "홍길동"),
    ImportColumn(
        "담당자이메일", "contact_email", "email", False,
        gettext_lazy("Contact person's e-mail address."), "hong@example.com",
    ),
    ImportColumn(
        "담당자전화", "contact_phone", "phone", False,
        gettext_lazy("Contact person's phone number."), "010-1234-5678",
    ),
)  # fmt: skip

COLUMNS_BY_KEY = {column.key: column for column in IMPORT_COLUMNS}
CONTACT_KEYS = ("contact_name", "contact_email", "contact_phone")
# Model fields of Partner filled directly from a column of the same key.
PARTNER_KEYS = tuple(
    column.key for column in IMPORT_COLUMNS if column.key not in CONTACT_KEYS and column.key != "fields"
)
_CONTACT_FIELD = {"contact_name": "name", "contact_email": "email", "contact_phone": "phone"}


def _max_length(key: str) -> int | None:
    model_field = (
        Contact._meta.get_field(_CONTACT_FIELD[key])
        if key in _CONTACT_FIELD
        else Partner._meta.get_field(key)
        if key in PARTNER_KEYS
        else None
    )
    return getattr(model_field, "max_length", None)


_MAX_LENGTHS = {column.key: _max_length(column.key) for column in IMPORT_COLUMNS}


@dataclass(frozen=True)
class RowError:
    """One problem: the Excel row number (None for the whole file), the column header and the message."""

    row: int | None
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    """A validated row: its Excel row number and the cleaned values of the columns present."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)


class _CellError(Exception):
    """A cell's value cannot be used; the message is already in the user's language."""


# --- Permission and upload ----------------------------------------------------------------------------
def start_import(*, actor: Any, upload: UploadedFile, mode: str) -> Job:
    """Check and store an uploaded import file, create its Job and queue the import after commit.

    Raises PermissionDenied unless the actor is a host administrator or programme manager, and
    ValidationError ({"file": ...} or {"mode": ...}) for a wrong mode, a file that is not a real
    .xlsx workbook or one above settings.MAX_IMPORT_BYTES; nothing is stored then.
    """
    with transaction.atomic():
        if not can_import_partners(actor):
            raise PermissionDenied(_("Only host administrators and programme managers may import partners."))
        if mode not in IMPORT_MODES:
            raise ValidationError(
                {"mode": _("Choose whether to create new partners or also update existing ones.")}
            )
        try:
            validate_upload(upload, allowed=(XLSX,), max_bytes=settings.MAX_IMPORT_BYTES)
            _check_workbook_opens(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.error_list}) from error
        job = start_job(
            actor=actor, kind=JOB_KIND, parameters={"mode": mode, "file_name": (upload.name or "")[:200]}
        )
        upload.seek(0)
        job.input_file.save(f"partners-import-{job.pk}.xlsx", upload, save=False)
        job.save(update_fields=["input_file"])

        from sangsaeng.partners.tasks import import_partners

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


# --- The template ---------------------------------------------------------------------------------------
def build_template() -> bytes:
    """The import workbook: the header row and an example row, and a sheet explaining each column.

    The explanation sheet lists every collaboration field code. Written in the active language.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF"})
    required = workbook.add_format({"bold": True, "bg_color": "#FFF3CD"})
    as_text = workbook.add_format({"num_format": "@"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    sheet = workbook.add_worksheet(_("Partners")[:31])
    text_kinds = {"brn", "corporate_number", "text", "longtext", "ksic", "fields", "email", "phone"}
    for col, column in enumerate(IMPORT_COLUMNS):
        sheet.write_string(0, col, column.header, required if column.required else bold)
        # Text columns are formatted as text so that Excel keeps leading zeros and long digit strings.
        sheet.set_column(
            col, col, max(12, len(column.header) * 2), as_text if column.kind in text_kinds else None
        )
        example = column.example
        if isinstance(example, int):
            sheet.write_number(1, col, example)
        elif example != "":
            sheet.write_string(1, col, str(example), as_text if column.kind in text_kinds else None)
    sheet.freeze_panes(1, 0)

    guide = workbook.add_worksheet(_("Columns")[:31])
    guide.set_column(0, 0, 22)
    guide.set_column(1, 1, 22)
    guide.set_column(2, 2, 10)
    guide.set_column(3, 3, 70)
    guide.set_column(4, 4, 26)
    for col, title in enumerate((_("Column"), _("Key"), _("Required"), _("How to fill it"), _("Example"))):
        guide.write_string(0, col, title, bold)
    row = 1
    for column in IMPORT_COLUMNS:
        guide.write_string(row, 0, column.header)
        guide.write_string(row, 1, column.key)
        guide.write_string(row, 2, _("Yes") if column.required else _("No"))
        guide.write_string(row, 3, str(column.help_text), wrap)
        guide.write_string(row, 4, str(column.example))
        row += 1
    row += 1
    for line in (
        _("Rows whose company name starts with %(marker)s are examples and are not imported.")
        % {"marker": EXAMPLE_MARKER},
        _("Empty rows are skipped. If any row has an error, nothing is imported and you get a report."),
        _("Yes/no columns accept Y, N, 예, 아니오, TRUE or FALSE."),
    ):
        guide.write_string(row, 0, line)
        row += 1
    row += 1
    for col, title in enumerate(
        (_("Field code"), _("Name (Korean)"), _("Name (English)"), _("Valid from"), _("Valid to"))
    ):
        guide.write_string(row, col, title, bold)
    row += 1
    for collaboration_field in CollaborationField.objects.order_by("kind", "sort_order", "code"):
        values = (
            collaboration_field.code,
            collaboration_field.name_ko,
            collaboration_field.name_en,
            collaboration_field.valid_from.isoformat(),
            collaboration_field.valid_to.isoformat() if collaboration_field.valid_to else "",
        )
        for col, value in enumerate(values):
            guide.write_string(row, col, str(neutralize(value)))
        row += 1
    workbook.close()
    return buffer.getvalue()


# --- Reading and validating -----------------------------------------------------------------------------
def _header_key(value: Any) -> str:
    """Headers compare NFC-normalised, without spaces, case-insensitively."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(value or ""))).casefold()


_HEADER_LOOKUP: dict[str, ImportColumn] = {}
for _column in IMPORT_COLUMNS:
    _HEADER_LOOKUP[_header_key(_column.header)] = _column
    _HEADER_LOOKUP[_header_key(_column.key)] = _column


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value))[:200]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        value = value.isoformat()
    return normalize_text(str(value))


def _digits_text(value: Any, width: int = 0) -> str:
    """Identity numbers typed into a number cell lose their leading zeros and hyphens: restore width."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise _CellError(_("Enter the number as text, not as a decimal number."))
        return str(int(value)).zfill(width)
    return _text(value)


_DATE_FORMATS = ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d", "%Y. %m. %d")


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    else:
        text = _text(value).rstrip(".")
        for date_format in _DATE_FORMATS:
            try:
                result = dt.datetime.strptime(text, date_format).date()
                break
            except ValueError:
                continue
        else:
            raise _CellError(_("Enter a date as YYYY-MM-DD."))
    if result > today():
        raise _CellError(_("The date must not be in the future."))
    return result


def _parse_integer(value: Any, *, maximum: int) -> int:
    if isinstance(value, bool):
        raise _CellError(_("Enter a whole number."))
    if isinstance(value, float):
        if not value.is_integer():
            raise _CellError(_("Enter a whole number without decimals."))
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = re.sub(r"[\s,]", "", _text(value))
        text = text.removesuffix("원")
        if not re.fullmatch(r"-?[0-9]+", text):
            raise _CellError(_("Enter a whole number."))
        number = int(text)
    if number < 0:
        raise _CellError(_("The number must not be negative."))
    if number > maximum:
        raise _CellError(_("The number is too large."))
    return number


_TRUE_WORDS = {"y", "yes", "예", "true", "o", "1"}
_FALSE_WORDS = {"n", "no", "아니오", "아니요", "false", "x", "0"}


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    raise _CellError(_("Enter Y or N (also 예/아니오, TRUE/FALSE)."))


def _parse_tier(value: Any) -> int:
    if isinstance(value, bool):
        raise _CellError(_("Enter the tier as 1, 2, 3 or 4."))
    text = _text(value).removesuffix("차")
    if text not in {str(tier) for tier in Tier.values}:
        raise _CellError(_("Enter the tier as 1, 2, 3 or 4."))
    return int(text)


def _parse_ksic(value: Any) -> str:
    text = _digits_text(value).upper()
    # A section letter (e.g. "C26110") is sometimes written in front of the code.
    match = re.fullmatch(r"[A-U]?([0-9]{2,5})", text)
    if not match:
        raise _CellError(_("Enter the KSIC code as 2 to 5 digits (e.g. 26110)."))
    return match.group(1)


def _parse_email(value: Any) -> str:
    text = _text(value)
    try:
        validate_email(text)
    except ValidationError as error:
        raise _CellError(_("Enter a valid e-mail address.")) from error
    return text


def _parse_phone(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number cell drops the leading 0 every Korean phone number starts with.
        text = _digits_text(value)
        text = text if text.startswith("0") else "0" + text
    else:
        text = _text(value)
    if not re.fullmatch(r"\+?[0-9][0-9\-\s().]{6,28}", text):
        raise _CellError(_("Enter a phone number (digits and hyphens)."))
    return text


class _Validator:
    """Validates rows one by one, then across rows (duplicates, existing partners)."""

    def __init__(self, *, mode: str, field_ids: dict[str, int], existing_brns: set[str]) -> None:
        self.mode = mode
        self.field_ids = field_ids
        self.existing_brns = existing_brns
        self.errors: list[RowError] = []
        self.first_row_of_brn: dict[str, int] = {}

    def error(self, row: int, column: ImportColumn, message: str, value: Any) -> None:
        self.errors.append(RowError(row, column.header, message, _display(value)))

    def parse_cell(self, column: ImportColumn, value: Any) -> Any:
        kind = column.kind
        if kind == "brn":
            try:
                return normalize_brn(_digits_text(value))
            except ValidationError as error:
                raise _CellError(error.messages[0]) from error
        if kind == "corporate_number":
            try:
                return normalize_corporate_number(_digits_text(value, width=13))
            except ValidationError as error:
                raise _CellError(error.messages[0]) from error
        if kind in ("text", "email", "phone"):
            text = {"text": _text, "email": _parse_email, "phone": _parse_phone}[kind](value)
            limit = _MAX_LENGTHS.get(column.key)
            if limit and len(text) > limit:
                raise _CellError(_("At most %(limit)d characters.") % {"limit": limit})
            return text
        if kind == "longtext":
            return unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").strip()
        if kind == "ksic":
            return _parse_ksic(value)
        if kind == "date":
            return _parse_date(value)
        if kind == "count":
            return _parse_integer(value, maximum=MAX_EMPLOYEES)
        if kind == "money":
            return _parse_integer(value, maximum=MAX_MONEY_KRW)
        if kind == "bool":
            return _parse_bool(value)
        if kind == "tier":
            return _parse_tier(value)
        if kind == "fields":
            codes = [code.casefold() for code in re.split(r"[,;\s]+", _text(value)) if code]
            unknown = [code for code in codes if code not in self.field_ids]
            if unknown:
                raise _CellError(
                    _("Unknown collaboration field code: %(codes)s.") % {"codes": ", ".join(unknown)}
                )
            return list(dict.fromkeys(codes))
        raise ValueError(f"unknown column kind {kind!r}")

    def empty_value(self, column: ImportColumn) -> Any:
        return {
            "bool": False,
            "tier": Tier.FIRST.value,
            "fields": [],
            "date": None,
            "count": None,
            "money": None,
        }.get(column.kind, "")

    def validate_row(self, row: int, cells: dict[str, Any]) -> ParsedRow:
        parsed = ParsedRow(row=row)
        for key, value in cells.items():
            column = COLUMNS_BY_KEY[key]
            if _is_blank(value):
                if column.required:
                    self.error(row, column, _("This column is required."), value)
                parsed.values[key] = self.empty_value(column)
                continue
            try:
                parsed.values[key] = self.parse_cell(column, value)
            except _CellError as error:
                self.error(row, column, str(error), value)
        has_contact = any(parsed.values.get(key) for key in ("contact_email", "contact_phone"))
        if (
            has_contact
            and not parsed.values.get("contact_name")
            and COLUMNS_BY_KEY["contact_name"].header not in self._failed(row)
        ):
            self.error(row, COLUMNS_BY_KEY["contact_name"], _("Give the contact person's name."), "")
        brn = parsed.values.get("brn")
        if brn:
            first = self.first_row_of_brn.get(brn)
            if first is not None:
                self.error(
                    row,
                    COLUMNS_BY_KEY["brn"],
                    _("This business registration number is already in row %(row)d of this file.")
                    % {"row": first},
                    cells.get("brn"),
                )
            else:
                self.first_row_of_brn[brn] = row
                if self.mode == MODE_CREATE and brn in self.existing_brns:
                    self.error(
                        row,
                        COLUMNS_BY_KEY["brn"],
                        _(
                            "A partner with this business registration number is already registered "
                            "(one partner per number). Choose “update” to update it."
                        ),
                        cells.get("brn"),
                    )
        return parsed

    def _failed(self, row: int) -> set[str]:
        return {error.column for error in self.errors if error.row == row}


@dataclass
class _Sheet:
    header_keys: list[str | None]
    rows: list[tuple[int, dict[str, Any]]]
    errors: list[RowError]


def _read_sheet(file: IO[bytes]) -> _Sheet:
    """Read the first sheet: map the header row to columns, keep non-empty rows with their numbers."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return _Sheet([], [], [RowError(None, "", _("The file could not be read as an Excel workbook."))])
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read every row that is there
        values = sheet.iter_rows(values_only=True)
        header = next(values, None) or ()
        header_keys: list[str | None] = []
        errors: list[RowError] = []
        seen: set[str] = set()
        for cell in header:
            column = _HEADER_LOOKUP.get(_header_key(cell)) if not _is_blank(cell) else None
            if column is not None and column.key in seen:
                errors.append(
                    RowError(1, column.header, _("This column appears more than once."), _display(cell))
                )
                column = None
            if column is not None:
                seen.add(column.key)
            header_keys.append(column.key if column else None)
        for column in IMPORT_COLUMNS:
            if column.required and column.key not in seen:
                errors.append(RowError(1, column.header, _("This required column is missing.")))
        if errors:
            return _Sheet(header_keys, [], errors)
        rows: list[tuple[int, dict[str, Any]]] = []
        name_index = header_keys.index("name_ko")
        for number, row_values in enumerate(values, start=2):
            if all(_is_blank(value) for value in row_values):
                continue
            if name_index < len(row_values) and _text(row_values[name_index]).startswith(EXAMPLE_MARKER):
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                return _Sheet(
                    header_keys,
                    [],
                    [
                        RowError(
                            None,
                            "",
                            _("The file has more than %(limit)d rows. Split it into several files.")
                            % {"limit": MAX_IMPORT_ROWS},
                        )
                    ],
                )
            cells = {
                key: (row_values[index] if index < len(row_values) else None)
                for index, key in enumerate(header_keys)
                if key is not None
            }
            rows.append((number, cells))
        if not rows:
            errors.append(RowError(None, "", _("The file has no partner rows.")))
        return _Sheet(header_keys, rows, errors)
    finally:
        workbook.close()


# --- Running the import (the task) ---------------------------------------------------------------------
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


class _ConflictError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("conflict")
        self.errors = errors


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


def _chunks(items: Sequence[Any], size: int = 900) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(
    job: Job,
    actor: Any,
    mode: str,
    rows: list[ParsedRow],
    present: set[str],
    field_ids: dict[str, int],
) -> dict[str, int]:
    """Create and update partners, then write their audit events. Runs inside one transaction."""
    brns = [row.values["brn"] for row in rows]
    existing: dict[str, Partner] = {}
    for chunk in _chunks(brns):
        for partner in Partner.objects.select_related("organization").filter(brn__in=chunk):
            existing[partner.brn] = partner
    if mode == MODE_CREATE and existing:
        # Registered since validation: refuse the same way validation would have.
        message = _(
            "A partner with this business registration number is already registered (one partner per number)."
        )
        raise _ConflictError(
            [
                RowError(row.row, COLUMNS_BY_KEY["brn"].header, message)
                for row in rows
                if row.values["brn"] in existing
            ]
        )
    on = today()
    table = load_table(on)
    new_rows = [row for row in rows if row.values["brn"] not in existing]
    update_rows = [row for row in rows if row.values["brn"] in existing]
    created = _create_partners(job, actor, new_rows, field_ids, on, table, done_before=len(rows))
    updated, unchanged = _update_partners(
        job,
        actor,
        update_rows,
        existing,
        present,
        field_ids,
        on,
        table,
        done_before=len(rows) + len(new_rows),
    )
    audit.record(
        actor=actor,
        action="partners.import",
        target=audit.AuditTarget(
            object_type="partners.import",
            object_id=str(job.pk),
            object_repr=str(job.parameters.get("file_name", ""))[:255],
        ),
        changes={
            "mode": mode,
            "rows": len(rows),
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
        },
    )
    return {"created": created, "updated": updated, "unchanged": unchanged}


def _partner_snapshot(partner: Partner, field_codes: list[str]) -> dict[str, Any]:
    snapshot = audit.snapshot(partner, PARTNER_KEYS)
    snapshot["size_class"] = partner.size_class
    snapshot["fields"] = sorted(field_codes)
    return snapshot


def _create_partners(
    job: Job,
    actor: Any,
    rows: list[ParsedRow],
    field_ids: dict[str, int],
    on: dt.date,
    table: StandardTable | None,
    *,
    done_before: int,
) -> int:
    if not rows:
        return 0
    now = timezone.now()
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                kind=OrganizationKind.PARTNER,
                name=row.values["name_ko"],
                name_en=row.values.get("name_en", ""),
            )
            for row in rows
        ],
        batch_size=500,
    )
    partners: list[Partner] = []
    for row, organization in zip(rows, organizations, strict=True):
        partner = Partner(
            organization=organization,
            status=PartnerStatus.APPROVED,
            approved_at=now,
            created_by=actor,
            **{key: row.values[key] for key in PARTNER_KEYS if key in row.values},
        )
        apply_classification(partner, on, table=table)
        partners.append(partner)
    Partner.objects.bulk_create(partners, batch_size=500)

    reason = _("Imported from Excel by the host.")
    PartnerStatusChange.objects.bulk_create(
        [
            PartnerStatusChange(
                partner=partner, from_status="", to_status=PartnerStatus.APPROVED, reason=reason, actor=actor
            )
            for partner in partners
        ],
        batch_size=500,
    )
    PartnerField.objects.bulk_create(
        [
            PartnerField(partner=partner, field_id=field_ids[code])
            for row, partner in zip(rows, partners, strict=True)
            for code in row.values.get("fields", [])
        ],
        batch_size=500,
    )
    Contact.objects.bulk_create(
        [
            Contact(
                partner=partner,
                name=row.values["contact_name"],
                email=row.values.get("contact_email", ""),
                phone=row.values.get("contact_phone", ""),
                is_primary=True,
            )
            for row, partner in zip(rows, partners, strict=True)
            if row.values.get("contact_name")
        ],
        batch_size=500,
    )
    for done, (row, partner) in enumerate(zip(rows, partners, strict=True), start=1):
        changes: dict[str, Any] = audit.diff({}, _partner_snapshot(partner, row.values.get("fields", [])))
        changes["status"] = [None, PartnerStatus.APPROVED.value]
        changes["import_job"] = str(job.pk)
        audit.record(
            actor=actor,
            action="partners.import_create",
            target=partner,
            changes=changes,
            partner_organization_id=partner.organization_id,
        )
        if done % PROGRESS_EVERY == 0:
            job_progress(job, done=done_before + done)
    return len(partners)


def _update_partners(
    job: Job,
    actor: Any,
    rows: list[ParsedRow],
    existing: dict[str, Partner],
    present: set[str],
    field_ids: dict[str, int],
    on: dt.date,
    table: StandardTable | None,
    *,
    done_before: int,
) -> tuple[int, int]:
    """Update matched partners from the columns present in the file; returns (updated, unchanged)."""
    if not rows:
        return 0, 0
    partners = [existing[row.values["brn"]] for row in rows]
    partner_ids = [partner.pk for partner in partners]
    links: dict[int, dict[int, PartnerField]] = {pk: {} for pk in partner_ids}
    for link in PartnerField.objects.filter(partner_id__in=partner_ids):
        links[link.partner_id][link.field_id] = link
    contacts: dict[int, list[Contact]] = {pk: [] for pk in partner_ids}
    for contact in Contact.objects.filter(partner_id__in=partner_ids):
        contacts[contact.partner_id].append(contact)
    code_of = {pk: code for code, pk in field_ids.items()}

    keys = [key for key in PARTNER_KEYS if key in present and key != "brn"]
    changed_organizations: list[Organization] = []
    new_links: list[PartnerField] = []
    stale_link_ids: list[int] = []
    new_contacts: list[Contact] = []
    changed_contacts: list[Contact] = []
    events: list[tuple[Partner, dict[str, Any]]] = []
    unchanged = 0
    for row, partner in zip(rows, partners, strict=True):
        before = _partner_snapshot(partner, [code_of[field_id] for field_id in links[partner.pk]])
        for key in keys:
            setattr(partner, key, row.values[key])
        apply_classification(partner, on, table=table)
        codes = before["fields"]
        if "fields" in present:
            codes = row.values["fields"]
            wanted = {field_ids[code] for code in codes}
            new_links.extend(
                PartnerField(partner=partner, field_id=field_id)
                for field_id in wanted
                if field_id not in links[partner.pk]
            )
            stale_link_ids.extend(
                link.pk for field_id, link in links[partner.pk].items() if field_id not in wanted
            )
        after = _partner_snapshot(partner, codes)
        changes: dict[str, Any] = audit.diff(before, after)
        contact_change = _merge_contact(row, partner, contacts[partner.pk], new_contacts, changed_contacts)
        if contact_change:
            changes["contact"] = contact_change
        if not changes:
            unchanged += 1
            continue
        organization = partner.organization
        if organization.name != partner.name_ko or organization.name_en != partner.name_en:
            organization.name, organization.name_en = partner.name_ko, partner.name_en
            changed_organizations.append(organization)
        changes["import_job"] = str(job.pk)
        events.append((partner, changes))

    # One UPDATE per changed row: Django's bulk_update builds CASE expressions whose cost grows with
    # the batch (and SQLite's parameter limit keeps batches tiny), which measured 3x slower here.
    partner_fields = [*keys, "size_class", "size_basis", "size_computed_on", "size_standard", "updated_at"]
    for organization in changed_organizations:
        organization.save(update_fields=["name", "name_en"])
    for contact in changed_contacts:
        contact.save(update_fields=["email", "phone"])
    for chunk in _chunks(stale_link_ids):
        PartnerField.objects.filter(pk__in=chunk).delete()
    PartnerField.objects.bulk_create(new_links, batch_size=500)
    Contact.objects.bulk_create(new_contacts, batch_size=500)
    for done, (partner, changes) in enumerate(events, start=1):
        partner.save(update_fields=partner_fields)
        audit.record(
            actor=actor,
            action="partners.import_update",
            target=partner,
            changes=changes,
            partner_organization_id=partner.organization_id,
        )
        if done % PROGRESS_EVERY == 0:
            job_progress(job, done=done_before + done)
    return len(events), unchanged


def _merge_contact(
    row: ParsedRow,
    partner: Partner,
    current: list[Contact],
    new_contacts: list[Contact],
    changed_contacts: list[Contact],
) -> str:
    """Add the row's contact, or update the one with the same name; returns "added", "updated" or ""."""
    name = row.values.get("contact_name")
    if not name:
        return ""
    email = row.values.get("contact_email", "")
    phone = row.values.get("contact_phone", "")
    match = next((contact for contact in current if contact.name == name), None)
    if match is None:
        new_contacts.append(
            Contact(
                partner=partner,
                name=name,
                email=email,
                phone=phone,
                is_primary=not any(contact.is_primary for contact in current),
            )
        )
        return "added"
    if (match.email, match.phone) == (email or match.email, phone or match.phone):
        return ""
    match.email, match.phone = email or match.email, phone or match.phone
    changed_contacts.append(match)
    return "updated"
