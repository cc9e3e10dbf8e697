"""Reading the workbook and validating its rows into cleaned rows and a list of errors.

Nothing is written here: every row is checked (one by one, then across rows for duplicates and
already registered partners) before the import decides to write all rows or none.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from sangsaeng.core.spreadsheets import FORMULA_MESSAGE, Formula, find_header_row, read_xlsx_rows
from sangsaeng.partners.imports.cells import (
    _CellError,
    _digits_text,
    _display,
    _is_blank,
    _parse_bool,
    _parse_date,
    _parse_email,
    _parse_integer,
    _parse_ksic,
    _parse_money,
    _parse_phone,
    _parse_tier,
    _text,
)
from sangsaeng.partners.imports.columns import (
    _MAX_LENGTHS,
    COLUMNS_BY_KEY,
    EXAMPLE_MARKER,
    IMPORT_COLUMNS,
    MODE_CREATE,
    ImportColumn,
)
from sangsaeng.partners.models import Tier
from sangsaeng.partners.validators import normalize_brn, normalize_corporate_number

# Rows per file: far above the largest partner registry (about 5,000), low enough for one task.
MAX_IMPORT_ROWS: int = getattr(settings, "MAX_IMPORT_ROWS", 20_000)
MAX_MONEY_KRW = 10**16  # 1경원: above any company's revenue; catches misplaced digits
MAX_EMPLOYEES = 10_000_000


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


# --- Reading and validating -----------------------------------------------------------------------------
def _header_key(value: Any) -> str:
    """Headers compare NFC-normalised, without spaces, case-insensitively."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(value or ""))).casefold()


_HEADER_LOOKUP: dict[str, ImportColumn] = {}
for _column in IMPORT_COLUMNS:
    _HEADER_LOOKUP[_header_key(_column.header)] = _column
    _HEADER_LOOKUP[_header_key(_column.key)] = _column


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
            return _parse_money(value, maximum=MAX_MONEY_KRW)
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
            if isinstance(value, Formula):
                self.error(row, column, str(FORMULA_MESSAGE), value)
                continue
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


def _columns_of(header: Any) -> set[str]:
    return {
        column.key
        for cell in header
        if not _is_blank(cell) and (column := _HEADER_LOOKUP.get(_header_key(cell))) is not None
    }


_REQUIRED_KEYS = {column.key for column in IMPORT_COLUMNS if column.required}


def _read_sheet(file: IO[bytes]) -> _Sheet:
    """Read the first sheet: map the header row to columns, keep non-empty rows with their numbers.

    A formula cell is read as a `Formula` (refused by the validator), never as its cached value.
    """
    try:
        numbered = read_xlsx_rows(file)
        first = next(numbered, None)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return _Sheet([], [], [RowError(None, "", _("The file could not be read as an Excel workbook."))])
    try:
        header = first[1] if first else ()
        header_keys: list[str | None] = []
        errors: list[RowError] = []
        seen: set[str] = set()
        if not _REQUIRED_KEYS <= _columns_of(header):
            found = find_header_row(numbered, lambda cells: _REQUIRED_KEYS <= _columns_of(cells))
            if found is not None:
                message = _(
                    "The header is on row %(row)d; it must be on row 1. Delete the rows above it "
                    "(a title, or the upper half of a two-row header)."
                ) % {"row": found}
                return _Sheet([], [], [RowError(found, "", message)])
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
        for number, row_values in numbered:
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
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return _Sheet([], [], [RowError(None, "", _("The file could not be read as an Excel workbook."))])
    finally:
        numbered.close()
