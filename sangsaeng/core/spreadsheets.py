"""Excel in and out. Korean users live in Excel; exports must never carry a live formula, and imports
never take one (a formula's value is whatever Excel last cached, or nothing).

Reading an upload (after `core.uploads.validate_upload` checked it, and outside any transaction):

    for number, cells in read_rows(upload, kind):   # numbered from 1, as Excel shows them
        if any(isinstance(cell, Formula) for cell in cells): ...  # refuse: FORMULA_MESSAGE

CSV is decoded by `core.uploads.decode_text` (UTF-8 with or without BOM, UTF-16, CP949/EUC-KR).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import IO, Any

import xlsxwriter
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from sangsaeng.core.uploads import CSV, XLSX, FileKind, decode_text

# Rows searched for a header that is not on the first row (a title row, a merged two-row header).
HEADER_SEARCH_ROWS = 10


class Formula(str):
    """The text of a formula cell read from an uploaded workbook ("=SUM(B2:B9)"): refused, never run."""


FORMULA_MESSAGE = gettext_lazy(
    "Formulas are not accepted: copy the cells and paste them as values (Paste Special → Values)."
)


def read_xlsx_rows(file: IO[bytes]) -> Generator[tuple[int, list[Any]], None, None]:
    """The first sheet's rows, numbered from 1; a formula cell comes as a `Formula`, not its cached value."""
    workbook = load_workbook(file, read_only=True, data_only=False)
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read every row that is there
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield (
                number,
                [
                    Formula(str(cell.value)) if getattr(cell, "data_type", None) == "f" else cell.value
                    for cell in row
                ],
            )
    finally:
        workbook.close()


def read_csv_rows(file: IO[bytes]) -> Generator[tuple[int, list[Any]], None, None]:
    """A CSV's rows, numbered from 1, whatever encoding a Korean office saved it in."""
    file.seek(0)
    text = decode_text(file.read())
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        yield number, list(row)


def read_rows(file: IO[bytes], kind: FileKind) -> Generator[tuple[int, list[Any]], None, None]:
    """The rows of a checked upload of kind XLSX or CSV."""
    if kind is XLSX:
        return read_xlsx_rows(file)
    if kind is CSV:
        return read_csv_rows(file)
    raise ValueError(f"not a table: {kind.label}")


def find_header_row(
    rows: Iterable[tuple[int, list[Any]]], is_header: Callable[[list[Any]], bool]
) -> int | None:
    """The number of the first row (among the first HEADER_SEARCH_ROWS) that `is_header` accepts.

    Used to tell the user "the header is on row 3; it must be on row 1" instead of a list of
    missing columns.
    """
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        if is_header(cells):
            return number
    return None


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def build_xlsx(sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet, a bold header row, frozen panes; every text cell written as text, never as formula.

    Rows are consumed one by one and flushed to a temporary file as they are written
    (xlsxwriter's constant-memory mode), so a 50,000-row export does not hold every cell in memory.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF"})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, str(header), bold)
        sheet.set_column(col, col, max(10, min(40, len(str(header)) * 2)))
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = neutralize(value)
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row_index, col, value)
            elif isinstance(value, int | float):
                sheet.write_number(row_index, col, value)
            else:
                sheet.write_string(row_index, col, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
