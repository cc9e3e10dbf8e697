"""Bank files: the export lists the bank's own work only; the import applies all rows or none."""

from __future__ import annotations

import datetime as dt
import io
import time

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import services
from sangsaeng.finance.models import FundBank, Loan
from sangsaeng.finance.services.bank_files import COLUMNS, import_bank_file
from sangsaeng.finance.tests.factories import EOK, backdate, make_application

pytestmark = pytest.mark.django_db


def _recommended(cast, pool, amount=2 * EOK):
    application = make_application(cast.partner, pool, cast.partner_owner, amount_krw=amount)
    return services.recommend_application(actor=cast.program_manager, application=application)


def _csv(*rows):
    lines = [",".join(COLUMNS)] + [",".join(str(cell) for cell in row) for row in rows]
    return SimpleUploadedFile("bank.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def _xlsx(*rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("bank.xlsx", buffer.getvalue())


def test_export_lists_only_the_officers_own_bank(cast, pool, other_pool, login):
    mine = _recommended(cast, pool)
    theirs = make_application(cast.other_partner, other_pool, cast.other_partner_owner)
    services.recommend_application(actor=cast.program_manager, application=theirs)

    response = login(cast.loan_officer).get(reverse("finance:bank_export"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    ids = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == [mine.pk]


def test_import_applies_every_row_from_xlsx(cast, pool):
    first, second = _recommended(cast, pool), _recommended(cast, pool, amount=EOK)
    backdate(first, dt.date(2025, 1, 6))  # recommended before the disbursement the bank reports

    report = import_bank_file(
        actor=cast.loan_officer,
        upload=_xlsx(
            ["approve", first.pk, None, None, None, None, None, None, None],
            ["reject", second.pk, None, None, None, None, None, None, "신용평가"],
            ["disburse", first.pk, None, None, "2025-01-06", "3.5", None, None, None],
        ),
    )

    assert report.ok, report.errors
    assert report.done == {"approve": 1, "reject": 1, "disburse": 1}
    loan = Loan.objects.get(application=first)
    assert loan.principal_krw == 2 * EOK


def test_one_bad_row_rolls_back_the_whole_file(cast, pool, other_pool):
    mine = _recommended(cast, pool)
    theirs = make_application(cast.other_partner, other_pool, cast.other_partner_owner)
    services.recommend_application(actor=cast.program_manager, application=theirs)
    events = AuditEvent.objects.count()

    report = import_bank_file(
        actor=cast.loan_officer,
        upload=_csv(
            ["approve", mine.pk, "", "", "", "", "", "", ""],
            ["approve", theirs.pk, "", "", "", "", "", "", ""],
            ["fly", mine.pk, "", "", "", "", "", "", ""],
            ["repay", "", "", "", "", "", "", "", ""],
        ),
    )

    assert not report.ok
    assert [row for row, _message in report.errors] == [3, 4, 5]
    mine.refresh_from_db()
    assert mine.status == "recommended"
    assert AuditEvent.objects.count() == events
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == 2 * EOK


def test_a_file_with_the_wrong_header_is_refused(cast, pool, login):
    upload = SimpleUploadedFile("bank.csv", b"id,amount\n1,2\n", content_type="text/csv")

    response = login(cast.loan_officer).post(reverse("finance:bank_import"), {"file": upload})

    assert response.status_code == 422
    assert response.context["form"].errors


def test_a_file_that_is_not_a_spreadsheet_is_refused(cast, pool, login):
    upload = SimpleUploadedFile("bank.xlsx", b"%PDF-1.4 not a workbook")

    response = login(cast.loan_officer).post(reverse("finance:bank_import"), {"file": upload})

    assert response.status_code == 422


@pytest.mark.parametrize("who", ["partner_owner", "program_manager"])
def test_only_loan_officers_use_bank_files(cast, login, who):
    client = login(getattr(cast, who))

    assert client.get(reverse("finance:bank_export")).status_code == 403
    assert client.get(reverse("finance:bank_import")).status_code == 403
    assert client.get("/api/v1/finance/bank-file").status_code == 403


def test_import_through_the_api_is_idempotent(cast, pool, login):
    application = _recommended(cast, pool)
    client = login(cast.loan_officer)
    content = _csv(["approve", application.pk, "", "", "", "", "", "", ""]).read()

    def send():
        return client.post(
            "/api/v1/finance/bank-files",
            {"file": SimpleUploadedFile("bank.csv", content, content_type="text/csv")},
            HTTP_IDEMPOTENCY_KEY="file-1",
        )

    first, second = send(), send()

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == second.json() == {"applied": True, "rows": 1, "done": {"approve": 1}, "errors": []}
    assert AuditEvent.objects.filter(action="finance.bank_approve").count() == 1


def test_bank_machine_client_exchanges_files_with_its_bearer_token(cast, pool, client):
    from sangsaeng.accounts.services.tokens import create_api_token

    application = _recommended(cast, pool)
    raw = create_api_token(actor=cast.loan_officer, name="core banking").raw_token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    exported = client.get("/api/v1/finance/bank-file", **auth)
    upload = _csv(["approve", application.pk, "", EOK, "", "", "", "", ""])
    imported = client.post(
        "/api/v1/finance/bank-files", {"file": upload}, HTTP_IDEMPOTENCY_KEY="batch-1", **auth
    )

    assert exported.status_code == 200
    assert imported.status_code == 200, imported.content
    application.refresh_from_db()
    assert (application.status, application.approved_krw) == ("bank_approved", EOK)


# --- hostile and awkward files (issue 11 §2) ----------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_zip_bomb_is_refused_fast_before_any_transaction(cast, pool, monkeypatch):
    from django.db import connection

    from sangsaeng.core import uploads
    from sangsaeng.core.tests.archives import zip_bomb

    seen_in_transaction: list[bool] = []
    check_archive = uploads.check_archive

    def watched(file, **kwargs):
        seen_in_transaction.append(connection.in_atomic_block)
        return check_archive(file, **kwargs)

    monkeypatch.setattr(uploads, "check_archive", watched)
    events = AuditEvent.objects.count()
    started = time.monotonic()

    with pytest.raises(ValidationError) as error:
        import_bank_file(actor=cast.loan_officer, upload=SimpleUploadedFile("bank.xlsx", zip_bomb()))

    assert error.value.code == "archive_too_large"
    assert time.monotonic() - started < 10.0  # inflating the 1 GB would take far longer on this machine
    assert seen_in_transaction == [False]
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db(transaction=True)
def test_the_api_reads_the_file_outside_the_transaction_and_a_refusal_is_replayed(
    cast, pool, login, monkeypatch
):
    from django.db import connection

    from sangsaeng.finance.api import read_bank_file as api_read

    application = _recommended(cast, pool)
    seen_in_transaction: list[bool] = []

    def watched(**kwargs):
        seen_in_transaction.append(connection.in_atomic_block)
        return api_read(**kwargs)

    monkeypatch.setattr("sangsaeng.finance.api.read_bank_file", watched)
    client = login(cast.loan_officer)
    good = _csv(["approve", application.pk, "", "", "", "", "", "", ""]).read()
    bad = b"\xef\xbb\xbf" + b"not,a,bank,file\n=1+1,2,3,4\n"

    def send(content, key):
        upload = SimpleUploadedFile("bank.csv", content, content_type="text/csv")
        return client.post("/api/v1/finance/bank-files", {"file": upload}, HTTP_IDEMPOTENCY_KEY=key)

    refused, replayed = send(bad, "bad-1"), send(bad, "bad-1")
    accepted = send(good, "good-1")

    assert refused.status_code == replayed.status_code == 422
    assert refused.content == replayed.content
    assert accepted.status_code == 200, accepted.content
    assert seen_in_transaction == [False, False]  # the replay answered without reading again


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused(cast, pool, login):
    from sangsaeng.core.tests.archives import macro_workbook

    upload = SimpleUploadedFile("bank.xlsx", macro_workbook(_xlsx().read()))

    response = login(cast.loan_officer).post(reverse("finance:bank_import"), {"file": upload})

    assert response.status_code == 422
    assert "macro" in str(response.context["form"].errors).lower() or "매크로" in str(
        response.context["form"].errors
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_a_csv_saved_by_korean_excel_in_any_encoding_is_imported(cast, pool, encoding):
    application = _recommended(cast, pool)
    text = ",".join(COLUMNS) + f"\nreject,{application.pk},,,,,,,신용평가 미달\n"

    report = import_bank_file(
        actor=cast.loan_officer, upload=SimpleUploadedFile("bank.csv", text.encode(encoding))
    )

    assert report.ok, report.errors
    application.refresh_from_db()
    assert application.status == "bank_rejected"
    assert application.status_reason == "신용평가 미달"


def test_a_header_below_a_title_row_is_named_in_the_message(cast, pool):
    text = "2026년 12월 은행 회신\n" + ",".join(COLUMNS) + "\n"

    with pytest.raises(ValidationError) as error:
        import_bank_file(actor=cast.loan_officer, upload=SimpleUploadedFile("bank.csv", text.encode()))

    assert "row 2" in error.value.messages[0] and "row 1" in error.value.messages[0]


def test_a_formula_cell_is_refused_as_a_formula_and_nothing_is_applied(cast, pool):
    application = _recommended(cast, pool)
    events = AuditEvent.objects.count()

    report = import_bank_file(
        actor=cast.loan_officer,
        upload=_xlsx(["approve", application.pk, None, "=1000000*200", None, None, None, None, None]),
    )

    assert [row for row, _message in report.errors] == [2]
    assert "formulas are not accepted" in report.errors[0][1].lower()
    assert "required" not in report.errors[0][1].lower()
    application.refresh_from_db()
    assert application.status == "recommended"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("amount", ["100,000,000", "100,000,000원", "1억"])
def test_amounts_written_the_korean_way_are_read_as_won(cast, pool, amount):
    application = _recommended(cast, pool)

    report = import_bank_file(
        actor=cast.loan_officer,
        upload=_xlsx(["approve", application.pk, None, amount, None, None, None, None, None]),
    )

    assert report.ok, report.errors
    application.refresh_from_db()
    assert application.approved_krw == EOK


def test_an_xml_entity_bomb_is_refused_as_an_unreadable_file(cast, pool, login):
    from sangsaeng.core.tests.archives import entity_bomb_workbook

    upload = SimpleUploadedFile("bank.xlsx", entity_bomb_workbook())

    response = login(cast.loan_officer).post(reverse("finance:bank_import"), {"file": upload})

    assert response.status_code == 422
    assert response.context["form"].errors
