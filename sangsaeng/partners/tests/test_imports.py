"""Excel import of partners: every row validated first, all or nothing, in the importer's language."""

from __future__ import annotations

import io
import time
import unicodedata
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sangsaeng.core.audit import verify_chain
from sangsaeng.core.models import AuditEvent, Job
from sangsaeng.partners import imports
from sangsaeng.partners.imports import (
    EXAMPLE_MARKER,
    IMPORT_COLUMNS,
    MODE_CREATE,
    MODE_UPDATE,
    build_template,
    start_import,
)
from sangsaeng.partners.models import Contact, Partner, PartnerStatus, SizeClass
from sangsaeng.partners.tests.factories import valid_brn

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in IMPORT_COLUMNS]
HEADER_OF = {column.key: column.header for column in IMPORT_COLUMNS}
EOK = 100_000_000


def _brn(seed: int) -> str:
    raw = valid_brn(seed + 50_000)
    return f"{raw[:3]}-{raw[3:5]}-{raw[5:]}"


def _row(seed: int, **values) -> dict:
    row = {
        "brn": _brn(seed),
        "name_ko": f"가져온회사{seed}",
        "name_en": f"Imported {seed}",
        "ceo_name": "이대표",
        "address": "서울특별시 중구 세종대로 110",
        "founded_on": "2012-05-01",
        "employees": 35,
        "ksic_code": "26110",
        "average_revenue_krw": 90 * EOK,
        "total_assets_krw": 60 * EOK,
        "in_disclosed_group": "N",
        "owned_by_large_firm": "아니오",
        "tier": 2,
        "fair_trade_agreement": "Y",
        "fields": "area-technology, area-network",
        "capabilities": "5G 중계기 설계",
        "capability_tags": "5G, RF",
        "contact_name": "박담당",
        "contact_email": f"contact{seed}@imported.example",
        "contact_phone": "010-2222-3333",
    }
    row.update(values)
    return row


def _xlsx(rows, *, headers=None, name="partners.xlsx") -> SimpleUploadedFile:
    """An upload built with openpyxl; `None` rows are empty lines. Text starting with "=" stays text."""
    headers = headers or HEADERS
    keys = [
        next((c.key for c in IMPORT_COLUMNS if c.header == unicodedata.normalize("NFC", h)), h)
        for h in headers
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([None] * len(keys) if row is None else [row.get(key) for key in keys])
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


@pytest.fixture
def importer(cast):
    """A host administrator who reads messages in English (the error texts are asserted)."""
    cast.host_admin.language = "en"
    cast.host_admin.save(update_fields=["language"])
    return cast.host_admin


def _import(django_capture_on_commit_callbacks, actor, upload, mode=MODE_CREATE) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(actor=actor, upload=upload, mode=mode)
    job.refresh_from_db()
    return job


def _report_rows(job: Job) -> list[tuple]:
    with job.result_file.open("rb") as file:
        sheet = load_workbook(file, read_only=True).worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def _errors(job: Job) -> set[tuple]:
    return {(error["row"], error["column"]) for error in job.result["errors"]}


# --- a good file ----------------------------------------------------------------------------------------
def test_valid_file_imports_every_partner_approved_and_classified_with_audit_events(
    cast, importer, django_capture_on_commit_callbacks
):
    partners_before = Partner.objects.count()
    events_before = AuditEvent.objects.count()

    job = _import(django_capture_on_commit_callbacks, importer, _xlsx([_row(1), _row(2), _row(3)]))

    assert job.status == Job.Status.SUCCEEDED, job.result
    assert job.result == {"created": 3, "updated": 0, "unchanged": 0, "errors": [], "next_url": "/partners/"}
    assert job.percent == 100
    assert Partner.objects.count() == partners_before + 3
    partner = Partner.objects.get(brn=_brn(2).replace("-", ""))
    assert partner.status == PartnerStatus.APPROVED
    assert partner.approved_at is not None
    assert partner.created_by == importer
    assert partner.organization.name == "가져온회사2"
    assert partner.tier == 2
    assert partner.fair_trade_agreement is True
    assert partner.owned_by_large_firm is False
    assert partner.founded_on.isoformat() == "2012-05-01"
    assert partner.size_class == SizeClass.SMALL  # 90억 ≤ 120억 (or 180억 from 2026) in KSIC 26
    assert partner.size_standard is not None
    assert sorted(partner.fields.values_list("code", flat=True)) == ["area-network", "area-technology"]
    contact = Contact.objects.get(partner=partner)
    assert (contact.name, contact.email, contact.is_primary) == ("박담당", "contact2@imported.example", True)
    assert partner.status_changes.get().to_status == PartnerStatus.APPROVED
    events = AuditEvent.objects.order_by("seq")[events_before:]
    assert [e.action for e in events] == ["partners.import_create"] * 3 + ["partners.import"]
    assert events[1].object_id == str(partner.pk)
    assert events[1].partner_organization_id == partner.organization_id
    assert events[3].object_type == "partners.import"
    assert events[3].object_id == str(job.pk)
    assert events[3].changes["created"] == 3
    assert verify_chain().ok


def test_importing_from_the_template_keeps_the_help_sheet_and_skips_the_example_row(
    cast, importer, django_capture_on_commit_callbacks
):
    workbook = load_workbook(io.BytesIO(build_template()))
    data, guide = workbook.worksheets
    assert [cell.value for cell in data[1]] == HEADERS
    assert data.cell(row=2, column=3).value.startswith(EXAMPLE_MARKER)
    guide_text = {str(cell.value) for row in guide.iter_rows() for cell in row if cell.value}
    assert {"area-technology", "legacy-materials", "사업자등록번호"} <= guide_text
    # The user fills one row under the example and uploads the file as it is.
    data.append([_row(7).get(column.key) for column in IMPORT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = _import(
        django_capture_on_commit_callbacks, importer, SimpleUploadedFile("t.xlsx", buffer.getvalue())
    )

    assert job.status == Job.Status.SUCCEEDED, job.result
    assert job.result["created"] == 1
    assert not Partner.objects.filter(name_ko__startswith=EXAMPLE_MARKER).exists()


def test_nfd_hangul_from_macos_is_accepted_and_stored_nfc(cast, importer, django_capture_on_commit_callbacks):
    nfd = unicodedata.normalize("NFD", "가나다라테크")
    assert nfd != "가나다라테크"
    headers = [unicodedata.normalize("NFD", header) for header in HEADERS]

    job = _import(
        django_capture_on_commit_callbacks,
        importer,
        _xlsx([_row(1, name_ko=nfd, ceo_name=unicodedata.normalize("NFD", "홍길동"))], headers=headers),
    )

    assert job.status == Job.Status.SUCCEEDED, job.result
    partner = Partner.objects.get(brn=_brn(1).replace("-", ""))
    assert partner.name_ko == "가나다라테크"
    assert partner.ceo_name == "홍길동"
    assert partner.organization.name == "가나다라테크"


def test_values_typed_as_numbers_or_dates_in_excel_are_accepted(
    cast, importer, django_capture_on_commit_callbacks
):
    import datetime as dt

    row = _row(
        4,
        brn=int(_brn(4).replace("-", "")),
        ksic_code=26110,
        founded_on=dt.datetime(2001, 2, 3),
        average_revenue_krw="12,000,000,000",
        contact_phone=1022223333,
        tier="3차",
        in_disclosed_group=False,
    )
    job = _import(django_capture_on_commit_callbacks, importer, _xlsx([row]))

    assert job.status == Job.Status.SUCCEEDED, job.result
    partner = Partner.objects.get(brn=_brn(4).replace("-", ""))
    assert (partner.ksic_code, partner.tier, partner.average_revenue_krw) == ("26110", 3, 12_000_000_000)
    assert partner.founded_on == dt.date(2001, 2, 3)
    assert partner.contacts.get().phone == "01022223333"


# --- a malformed file: nothing is imported ----------------------------------------------------------------
def test_malformed_file_imports_nothing_and_reports_every_row_and_column(
    cast, importer, django_capture_on_commit_callbacks
):
    partners_before = Partner.objects.count()
    events_before = AuditEvent.objects.count()
    rows = [
        _row(1),  # row 2: fine
        _row(2, brn="116-82-00278"),  # row 3: wrong check digit
        None,  # row 4: empty, skipped
        _row(3, brn=_brn(1)),  # row 5: duplicate of row 2
        _row(4, brn=cast.partner.brn),  # row 6: already registered
        _row(5, founded_on="2020-13-45", employees="many", in_disclosed_group="maybe", tier=5),  # row 7
        _row(6, fields="area-technology, no-such-field", contact_email="not-an-email"),  # row 8
        _row(
            7, name_ko=unicodedata.normalize("NFD", "정상회사"), ceo_name=""
        ),  # row 9: NFD fine, CEO missing
        _row(8, ksic_code="ABC", average_revenue_krw=-5, corporate_number="110111-0123459"),  # row 10
    ]

    job = _import(django_capture_on_commit_callbacks, importer, _xlsx(rows))

    assert job.status == Job.Status.FAILED
    assert Partner.objects.count() == partners_before
    assert AuditEvent.objects.count() == events_before
    assert _errors(job) == {
        (3, "사업자등록번호"),
        (5, "사업자등록번호"),
        (6, "사업자등록번호"),
        (7, "설립일"),
        (7, "종업원수"),
        (7, "공시대상기업집단"),
        (7, "협력차수"),
        (8, "협력분야코드"),
        (8, "담당자이메일"),
        (9, "대표자"),
        (10, "주업종(KSIC)"),
        (10, "3년평균매출액(원)"),
        (10, "법인등록번호"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.result["errors"]}
    assert "check digit" in messages[(3, "사업자등록번호")]
    assert "row 2" in messages[(5, "사업자등록번호")]
    assert "already registered" in messages[(6, "사업자등록번호")]
    assert "no-such-field" in messages[(8, "협력분야코드")]
    assert job.result["error_count"] == 13
    report = _report_rows(job)
    assert [(r[0], r[1]) for r in report] == [(e["row"], e["column"]) for e in job.result["errors"]]
    assert report[0] == (3, "사업자등록번호", "116-82-00278", messages[(3, "사업자등록번호")])


def test_error_messages_are_stored_in_the_importers_language(cast, django_capture_on_commit_callbacks):
    actor = cast.program_manager
    actor.language = "en"
    actor.save(update_fields=["language"])
    job = _import(django_capture_on_commit_callbacks, actor, _xlsx([_row(1, employees="many")]))
    assert job.result["errors"][0]["message"] == "Enter a whole number."
    assert "Nothing was imported" in job.message


def test_missing_required_column_is_reported_on_the_header_row(
    cast, importer, django_capture_on_commit_callbacks
):
    headers = [h for h in HEADERS if h != "대표자"]
    job = _import(django_capture_on_commit_callbacks, importer, _xlsx([_row(1)], headers=headers))
    assert job.status == Job.Status.FAILED
    assert _errors(job) == {(1, "대표자")}
    assert not Partner.objects.filter(brn=_brn(1).replace("-", "")).exists()


def test_file_with_only_empty_rows_is_refused(cast, importer, django_capture_on_commit_callbacks):
    job = _import(django_capture_on_commit_callbacks, importer, _xlsx([None, None]))
    assert job.status == Job.Status.FAILED
    assert job.result["errors"][0]["row"] is None


def test_formula_text_in_the_error_report_is_neutralised(cast, importer, django_capture_on_commit_callbacks):
    payload = '=HYPERLINK("http://evil.example","click")'
    job = _import(django_capture_on_commit_callbacks, importer, _xlsx([_row(1, contact_email=payload)]))

    assert job.status == Job.Status.FAILED
    (report_row,) = _report_rows(job)
    assert report_row[1] == "담당자이메일"
    assert report_row[2] == "'" + payload
    with job.result_file.open("rb") as file, zipfile.ZipFile(file) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


# --- create versus update -------------------------------------------------------------------------------
def test_update_mode_updates_the_registered_partner_instead_of_duplicating_it(
    cast, importer, django_capture_on_commit_callbacks
):
    partner = cast.partner
    partners_before = Partner.objects.count()
    events_before = AuditEvent.objects.count()
    headers = [
        HEADER_OF[key]
        for key in (
            "brn",
            "name_ko",
            "ceo_name",
            "ksic_code",
            "average_revenue_krw",
            "total_assets_krw",
            "fields",
        )
    ]
    rows = [
        {
            "brn": partner.brn_display,
            "name_ko": "가나다테크(개명)",
            "ceo_name": "새대표",
            "ksic_code": "26110",
            "average_revenue_krw": 1_600 * EOK,  # above the KSIC 26 limit of 2015 and of 2026
            "total_assets_krw": 900 * EOK,
            "fields": "area-infrastructure",
        },
        _row(9),
    ]

    job = _import(
        django_capture_on_commit_callbacks, importer, _xlsx(rows, headers=headers), mode=MODE_UPDATE
    )

    assert job.status == Job.Status.SUCCEEDED, job.result
    assert (job.result["created"], job.result["updated"]) == (1, 1)
    assert Partner.objects.count() == partners_before + 1
    partner.refresh_from_db()
    assert (partner.name_ko, partner.ceo_name) == ("가나다테크(개명)", "새대표")
    assert partner.organization.name == "가나다테크(개명)"
    assert partner.size_class == SizeClass.MIDDLE_MARKET
    assert list(partner.fields.values_list("code", flat=True)) == ["area-infrastructure"]
    assert partner.name_en  # a column absent from the file is left as it was
    update_event = AuditEvent.objects.get(action="partners.import_update", seq__gt=events_before)
    assert update_event.object_id == str(partner.pk)
    assert update_event.changes["name_ko"] == ["가나다테크", "가나다테크(개명)"]
    assert AuditEvent.objects.filter(seq__gt=events_before).count() == 3  # update, create, summary


def test_update_mode_without_changes_writes_no_partner_event(
    cast, importer, django_capture_on_commit_callbacks
):
    partner = cast.partner
    headers = [HEADER_OF[key] for key in ("brn", "name_ko", "ceo_name", "ksic_code")]
    row = {
        "brn": partner.brn,
        "name_ko": partner.name_ko,
        "ceo_name": partner.ceo_name,
        "ksic_code": partner.ksic_code,
    }
    events_before = AuditEvent.objects.count()

    job = _import(
        django_capture_on_commit_callbacks, importer, _xlsx([row], headers=headers), mode=MODE_UPDATE
    )

    assert job.status == Job.Status.SUCCEEDED, job.result
    assert (job.result["updated"], job.result["unchanged"]) == (0, 1)
    assert list(AuditEvent.objects.filter(seq__gt=events_before).values_list("action", flat=True)) == [
        "partners.import"
    ]


def test_create_mode_refuses_a_registered_number_naming_the_rule(
    cast, importer, django_capture_on_commit_callbacks
):
    partners_before = Partner.objects.count()
    events_before = AuditEvent.objects.count()
    job = _import(
        django_capture_on_commit_callbacks, importer, _xlsx([_row(1, brn=cast.partner.brn_display), _row(2)])
    )
    assert job.status == Job.Status.FAILED
    assert _errors(job) == {(2, "사업자등록번호")}
    assert "one partner per number" in job.result["errors"][0]["message"]
    assert Partner.objects.count() == partners_before
    assert AuditEvent.objects.count() == events_before


# --- refusals before anything is stored -------------------------------------------------------------------
@pytest.mark.parametrize(
    "who", ["partner_owner", "partner_member", "reviewer", "auditor", "loan_officer", "observer"]
)
def test_only_host_admins_and_programme_managers_may_import(cast, who, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        start_import(actor=getattr(cast, who), upload=_xlsx([_row(1)]), mode=MODE_CREATE)
    assert not Job.objects.exists()
    assert not Partner.objects.filter(brn=_brn(1).replace("-", "")).exists()


def test_a_programme_manager_may_import(cast, django_capture_on_commit_callbacks):
    job = _import(django_capture_on_commit_callbacks, cast.program_manager, _xlsx([_row(1)]))
    assert job.status == Job.Status.SUCCEEDED, job.result


def _zip_with(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            # A fixed timestamp: these bytes are test ids, and both xdist workers must collect the same.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("partners.csv", "사업자등록번호\n1168200276\n".encode(), "file_type"),
        ("partners.xlsx", b"%PDF-1.7 not a workbook", "file_content"),
        ("partners.xlsx", _zip_with({"hello.txt": b"hi"}), "file_content"),
        (
            "partners.xlsx",
            _zip_with({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"junk"}),
            "file_content",
        ),
        ("partners.xlsx", b"", "file_empty"),
    ],
)
def test_a_file_that_is_not_a_real_workbook_is_refused_and_nothing_stored(
    cast, importer, name, content, code, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as caught, django_capture_on_commit_callbacks(execute=True):
        start_import(actor=importer, upload=SimpleUploadedFile(name, content), mode=MODE_CREATE)
    assert caught.value.error_dict["file"][0].code == code
    assert not Job.objects.exists()


def test_a_file_above_10_mb_is_refused_with_a_field_message(cast, importer, settings, tmp_path):
    assert settings.MAX_IMPORT_BYTES == 10 * 1024 * 1024
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * settings.MAX_IMPORT_BYTES)
    with pytest.raises(ValidationError) as caught:
        start_import(actor=importer, upload=big, mode=MODE_CREATE)
    assert caught.value.error_dict["file"][0].code == "file_size"
    assert "10 MB" in caught.value.message_dict["file"][0]
    assert not Job.objects.exists()
    assert not any((tmp_path / "media").rglob("*.xlsx"))


def test_an_unknown_mode_is_refused(cast, importer):
    with pytest.raises(ValidationError) as caught:
        start_import(actor=importer, upload=_xlsx([_row(1)]), mode="replace")
    assert "mode" in caught.value.error_dict
    assert not Job.objects.exists()


# --- races and failures while running -------------------------------------------------------------------
def test_a_partner_registered_while_the_file_was_checked_makes_the_import_refuse_all(
    cast, importer, monkeypatch, django_capture_on_commit_callbacks
):
    # Given validation that did not yet see cast.partner (as if it signed up during the check)
    original_init = imports.reading._Validator.__init__

    def blind_init(self, *, mode, field_ids, existing_brns):
        original_init(self, mode=mode, field_ids=field_ids, existing_brns=set())

    monkeypatch.setattr(imports.reading._Validator, "__init__", blind_init)
    partners_before = Partner.objects.count()
    events_before = AuditEvent.objects.count()

    job = _import(
        django_capture_on_commit_callbacks, importer, _xlsx([_row(1), _row(2, brn=cast.partner.brn)])
    )

    assert job.status == Job.Status.FAILED
    assert _errors(job) == {(3, "사업자등록번호")}
    assert Partner.objects.count() == partners_before
    assert AuditEvent.objects.count() == events_before


def test_an_unexpected_failure_while_writing_rolls_back_and_ends_the_job(
    cast, importer, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_write(*args, **kwargs):
        Partner.objects.all().update(ceo_name="half-written")
        raise RuntimeError("disk full")

    monkeypatch.setattr("sangsaeng.partners.imports.jobs._write", broken_write)
    events_before = AuditEvent.objects.count()

    job = _import(django_capture_on_commit_callbacks, importer, _xlsx([_row(1)]))

    assert job.status == Job.Status.FAILED
    assert job.finished_at is not None
    assert "Nothing was imported" in job.message
    assert not Partner.objects.filter(ceo_name="half-written").exists()
    assert AuditEvent.objects.count() == events_before


def test_progress_counts_the_checking_and_the_writing_of_every_row(
    cast, importer, django_capture_on_commit_callbacks
):
    job = _import(django_capture_on_commit_callbacks, importer, _xlsx([_row(n) for n in range(1, 6)]))
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (10, 10)


# --- hostile and awkward files (issue 11 §2) ----------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_zip_bomb_is_refused_fast_before_any_transaction_and_nothing_stored(cast, importer, monkeypatch):
    from django.db import connection

    from sangsaeng.core import uploads
    from sangsaeng.core.tests.archives import zip_bomb

    seen_in_transaction: list[bool] = []
    check_archive = uploads.check_archive

    def watched(file, **kwargs):
        seen_in_transaction.append(connection.in_atomic_block)
        return check_archive(file, **kwargs)

    monkeypatch.setattr(uploads, "check_archive", watched)
    started = time.monotonic()

    with pytest.raises(ValidationError) as caught:
        start_import(actor=importer, upload=SimpleUploadedFile("partners.xlsx", zip_bomb()), mode=MODE_CREATE)

    assert caught.value.error_dict["file"][0].code == "archive_too_large"
    assert time.monotonic() - started < 10.0  # inflating the 1 GB would take far longer on this machine
    assert seen_in_transaction == [False]
    assert not Job.objects.exists()


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused_and_nothing_stored(cast, importer):
    from sangsaeng.core.tests.archives import macro_workbook

    upload = SimpleUploadedFile("partners.xlsx", macro_workbook(_xlsx([_row(1)]).read()))

    with pytest.raises(ValidationError) as caught:
        start_import(actor=importer, upload=upload, mode=MODE_CREATE)

    assert caught.value.error_dict["file"][0].code == "file_macros"
    assert "macros" in caught.value.message_dict["file"][0]
    assert not Job.objects.exists()


def test_a_header_below_a_title_row_is_named_instead_of_missing_columns(
    cast, importer, django_capture_on_commit_callbacks
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2026년 협력사 명단"])
    sheet.append(["기업 정보", None, None, "담당자"])  # the upper half of a merged two-row header
    sheet.append(HEADERS)
    sheet.append([_row(1).get(column.key) for column in IMPORT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = _import(
        django_capture_on_commit_callbacks, importer, SimpleUploadedFile("p.xlsx", buffer.getvalue())
    )

    assert job.status == Job.Status.FAILED
    assert [(error["row"], error["message"]) for error in job.result["errors"]] == [
        (
            3,
            "The header is on row 3; it must be on row 1. Delete the rows above it "
            "(a title, or the upper half of a two-row header).",
        )
    ]
    assert not Partner.objects.filter(name_ko="가져온회사1").exists()


def test_a_formula_cell_is_refused_as_a_formula_not_as_missing(
    cast, importer, django_capture_on_commit_callbacks
):
    from sangsaeng.core.tests.archives import workbook_with_formula

    keys = [column.key for column in IMPORT_COLUMNS]
    row = _row(1)
    cells = [row.get(key) for key in keys]
    cells[keys.index("name_ko")] = '=CONCAT("가져온", "회사")'
    content = workbook_with_formula([HEADERS, cells])

    job = _import(django_capture_on_commit_callbacks, importer, SimpleUploadedFile("p.xlsx", content))

    assert job.status == Job.Status.FAILED
    errors = [(error["row"], error["column"], error["message"]) for error in job.result["errors"]]
    assert len(errors) == 1 and errors[0][:2] == (2, HEADER_OF["name_ko"])
    assert errors[0][2].startswith("Formulas are not accepted")
    assert not Partner.objects.filter(brn=row["brn"].replace("-", "")).exists()


@pytest.mark.parametrize(
    ("typed", "won"), [("90억", 90 * EOK), ("9,000,000,000원", 90 * EOK), ("1억 2천만", 120_000_000)]
)
def test_revenue_written_the_korean_way_is_imported_as_won(
    cast, importer, django_capture_on_commit_callbacks, typed, won
):
    job = _import(django_capture_on_commit_callbacks, importer, _xlsx([_row(1, average_revenue_krw=typed)]))

    assert job.status == Job.Status.SUCCEEDED, job.result
    assert Partner.objects.get(name_ko="가져온회사1").average_revenue_krw == won


def test_an_xml_entity_bomb_is_refused_as_unreadable_and_nothing_stored(cast, importer):
    from sangsaeng.core.tests.archives import entity_bomb_workbook

    with pytest.raises(ValidationError) as caught:
        start_import(
            actor=importer, upload=SimpleUploadedFile("p.xlsx", entity_bomb_workbook()), mode=MODE_CREATE
        )

    assert caught.value.error_dict["file"][0].code == "file_content"
    assert not Job.objects.exists()
