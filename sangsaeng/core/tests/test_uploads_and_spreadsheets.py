"""Uploads are checked by extension, size and content; Excel exports never carry a live formula."""

from __future__ import annotations

import codecs
import io
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sangsaeng.core import spreadsheets, uploads
from sangsaeng.core.tests import archives

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
LIMIT = 1024 * 1024


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _xlsx_bytes() -> bytes:
    return spreadsheets.build_xlsx("Sheet", ["A"], [["x"]])


def _refusal_code(name: str, content: bytes, allowed=uploads.DOCUMENT_KINDS, limit=LIMIT) -> str:
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(_upload(name, content), allowed=allowed, max_bytes=limit)
    return error.value.code


# --- core.uploads -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("certificate.pdf", PDF_BYTES, uploads.PDF),
        ("SCAN.PDF", PDF_BYTES, uploads.PDF),
        ("logo.png", PNG_BYTES, uploads.PNG),
        ("photo.jpg", JPEG_BYTES, uploads.JPEG),
        ("photo.jpeg", JPEG_BYTES, uploads.JPEG),
    ],
)
def test_documents_with_matching_extension_and_content_are_accepted(name, content, kind):
    assert (
        uploads.validate_upload(_upload(name, content), allowed=uploads.DOCUMENT_KINDS, max_bytes=LIMIT)
        is kind
    )


def test_a_real_xlsx_is_accepted_as_excel():
    upload = _upload("partners.xlsx", _xlsx_bytes())

    assert uploads.validate_upload(upload, allowed=(uploads.XLSX,), max_bytes=LIMIT) is uploads.XLSX
    assert upload.tell() == 0  # left rewound for the reader


def test_a_renamed_executable_is_refused_by_its_content():
    assert _refusal_code("certificate.pdf", EXE_BYTES) == "file_content"
    assert _refusal_code("photo.jpg", EXE_BYTES) == "file_content"
    assert _refusal_code("partners.xlsx", EXE_BYTES, allowed=(uploads.XLSX,)) == "file_content"


def test_a_zip_that_is_not_a_workbook_is_refused_as_xlsx():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert _refusal_code("partners.xlsx", buffer.getvalue(), allowed=(uploads.XLSX,)) == "file_content"


def test_a_png_named_pdf_is_refused():
    assert _refusal_code("certificate.pdf", PNG_BYTES) == "file_content"


@pytest.mark.parametrize("name", ["setup.exe", "certificate.pdf.exe", "notes.txt", "noextension"])
def test_an_extension_that_is_not_allowed_is_refused(name):
    assert _refusal_code(name, PDF_BYTES) == "file_type"


def test_an_empty_file_is_refused():
    assert _refusal_code("certificate.pdf", b"") == "file_empty"


def test_a_file_over_the_limit_is_refused_and_at_the_limit_accepted():
    at_limit = PDF_BYTES + b"0" * (LIMIT - len(PDF_BYTES))

    assert (
        uploads.validate_upload(_upload("big.pdf", at_limit), allowed=(uploads.PDF,), max_bytes=LIMIT)
        is uploads.PDF
    )
    assert _refusal_code("big.pdf", at_limit + b"0", allowed=(uploads.PDF,)) == "file_size"


# --- core.spreadsheets ------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1", "\r=1"])
def test_text_that_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(value):
    assert spreadsheets.neutralize(value) == "'" + value


@pytest.mark.parametrize("value", ["가나다", "a=b", "1+1", "", None, 5, -5, 2.5, True])
def test_other_values_are_left_alone(value):
    assert spreadsheets.neutralize(value) == value


def test_build_xlsx_writes_no_formula_and_keeps_numbers_numbers():
    content = spreadsheets.build_xlsx(
        "Partners",
        ["Name", "Amount", "Note", "Flag"],
        [
            ["=1+1", 1_500_000_000, "-10", True],
            ["가나다테크", -5, "@cmd", None],
            ["+SUM(A1)", 2.5, "ok", False],
        ],
    )

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Name", "Amount", "Note", "Flag"],
        ["'=1+1", 1_500_000_000, "'-10", True],
        ["가나다테크", -5, "'@cmd", None],
        ["'+SUM(A1)", 2.5, "ok", False],
    ]
    assert sheet.title == "Partners" and sheet.freeze_panes == "A2"


def test_build_xlsx_accepts_a_generator_of_many_rows():
    content = spreadsheets.build_xlsx("Rows", ["n"], ([n] for n in range(5000)))

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 5001


def test_long_sheet_names_are_cut_to_excels_limit():
    content = spreadsheets.build_xlsx("x" * 40, ["a"], [])

    assert openpyxl.load_workbook(io.BytesIO(content)).active.title == "x" * 31


# --- archives: zip bombs and macros -----------------------------------------------------------------
def test_a_real_zip_bomb_is_refused_fast_without_inflating_it():
    bomb = archives.zip_bomb()  # ~2.6 MB that inflates to 1 GB
    assert len(bomb) < 3 * 1024 * 1024

    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(_upload("partners.xlsx", bomb), allowed=(uploads.XLSX,), max_bytes=10 << 20)

    assert error.value.code == "archive_too_large"
    assert time.monotonic() - started < 1.0


def test_an_entry_compressed_far_more_than_a_document_is_refused_even_below_the_total_limit():
    bomb = archives.zip_bomb(inflated_bytes=150 << 20)  # under the total limit, ratio about 400

    assert (
        _refusal_code("partners.xlsx", bomb, allowed=(uploads.XLSX,), limit=10 << 20) == "archive_too_large"
    )


def test_an_archive_with_too_many_entries_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(uploads.MAX_ARCHIVE_ENTRIES):
            archive.writestr(f"xl/part{number}.xml", "")

    assert _refusal_code("partners.xlsx", buffer.getvalue(), allowed=(uploads.XLSX,)) == "archive_too_large"


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(
            _upload("partners.xlsx", archives.macro_workbook()), allowed=(uploads.XLSX,), max_bytes=LIMIT
        )

    assert error.value.code == "file_macros"
    assert "macros" in error.value.messages[0].lower()


# --- CSV encodings ----------------------------------------------------------------------------------
CSV_TEXT = "action,reason\napprove,상생협력 대출 승인\n"


@pytest.mark.parametrize(
    "encoded",
    [
        CSV_TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"),
        CSV_TEXT.encode("cp949"),
        CSV_TEXT.encode("euc-kr"),
        CSV_TEXT.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "cp949", "euc-kr", "utf-16-bom"],
)
def test_a_csv_in_each_korean_office_encoding_is_accepted_and_read_the_same(encoded):
    upload = _upload("bank.csv", encoded)

    assert uploads.validate_upload(upload, allowed=(uploads.CSV,), max_bytes=LIMIT) is uploads.CSV
    assert list(spreadsheets.read_rows(upload, uploads.CSV)) == [
        (1, ["action", "reason"]),
        (2, ["approve", "상생협력 대출 승인"]),
    ]


def test_a_korean_character_cut_at_the_end_of_the_sample_does_not_refuse_the_csv():
    encoded = ("가" * 700).encode("utf-8")  # 2,100 bytes: the 2,048-byte sample ends mid-character

    assert uploads.validate_upload(_upload("a.csv", encoded), allowed=(uploads.CSV,), max_bytes=LIMIT)


def test_bytes_in_no_accepted_encoding_are_refused_by_name():
    with pytest.raises(ValidationError) as error:
        uploads.decode_text(b"a,b\n\x80\x80\n")  # 0x80 starts no UTF-8 or CP949 character

    assert error.value.code == "file_encoding"


# --- reading tables ---------------------------------------------------------------------------------
def test_a_formula_cell_is_read_as_a_formula_not_as_its_cached_value():
    content = archives.workbook_with_formula([["a", "b"], [1, "=A2*2"]])

    rows = list(spreadsheets.read_rows(io.BytesIO(content), uploads.XLSX))

    assert rows[1][1][0] == 1
    assert isinstance(rows[1][1][1], spreadsheets.Formula) and rows[1][1][1] == "=A2*2"
    assert not isinstance(rows[0][1][0], spreadsheets.Formula)


def test_find_header_row_finds_a_header_below_a_title_and_gives_up_after_ten_rows():
    rows = [(1, ["2026년 은행 파일", None]), (2, [None, None]), (3, ["action", "loan_id"])]

    assert spreadsheets.find_header_row(iter(rows), lambda cells: cells[0] == "action") == 3
    far = [(number, ["x"]) for number in range(1, 12)] + [(12, ["action"])]
    assert spreadsheets.find_header_row(iter(far), lambda cells: cells[0] == "action") is None
