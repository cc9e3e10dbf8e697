"""Partner pages: sign-up, directory, company page, decisions, contacts, documents, export, import, home."""

from __future__ import annotations

import io
import time

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sangsaeng.accounts.models import User
from sangsaeng.core import botcheck
from sangsaeng.core.models import AuditEvent, PersonalDataAccess
from sangsaeng.partners import imports
from sangsaeng.partners.models import (
    CollaborationField,
    Partner,
    PartnerDocument,
    PartnerField,
    PartnerStatus,
)
from sangsaeng.partners.tests.conftest import (
    INVALID_BRN,
    OTHER_VALID_BRN,
    VALID_BRN,
    company_profile,
    pdf_upload,
)
from sangsaeng.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def _signup_data(**overrides):
    data = {
        key: ("" if value is None else value)
        for key, value in company_profile().items()
        if key not in ("in_disclosed_group", "owned_by_large_firm")
    }
    data.update(
        {
            "email": "new-owner@company.example",
            "name": "이대표",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
            "privacy_consent": "on",
            "form_token": botcheck.issue_token(),
            "website": "",
        }
    )
    data.update(overrides)
    return data


# --- Sign-up --------------------------------------------------------------------------------------


def test_a_visitor_signs_up_and_lands_on_the_company_page_logged_in(client, cast):
    response = client.post(reverse("partners:signup"), _signup_data(brn="１１６－８２－００２７６"), **EN)

    partner = Partner.objects.get(brn="1168200276")
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", kwargs={"partner_id": partner.pk})
    page = client.get(response["Location"], **EN)
    assert page.status_code == 200
    assert "Under review" in page.content.decode()


def test_sign_up_shows_field_errors_tied_to_their_inputs(client, db):
    response = client.post(reverse("partners:signup"), _signup_data(brn=INVALID_BRN), **EN)

    body = response.content.decode()
    assert response.status_code == 200
    assert "check digit does not match" in body
    assert 'aria-describedby="id_brn_help id_brn_error"' in body
    assert not Partner.objects.exists()


def test_sign_up_with_a_registered_brn_names_the_rule(client, db):
    PartnerFactory(brn="1168200276")

    response = client.post(reverse("partners:signup"), _signup_data(), **EN)

    assert "one partner per business registration number (사업자등록번호)" in response.content.decode()
    assert Partner.objects.count() == 1


def test_the_sign_up_form_checks_the_brn_inline_without_telling_who_is_a_partner(client, db):
    PartnerFactory(brn="1348672683")
    url = reverse("partners:validate_brn")

    ok = client.get(url, {"brn": VALID_BRN}, HTTP_HX_REQUEST="true", **EN).content.decode()
    taken = client.get(url, {"brn": OTHER_VALID_BRN}, HTTP_HX_REQUEST="true", **EN).content.decode()
    wrong = client.get(url, {"brn": "123"}, HTTP_HX_REQUEST="true", **EN).content.decode()

    assert "The number is valid." in ok and 'id="field-brn"' in ok and "<html" not in ok
    # A registered company's number gets the same answer as any valid number (issue 11 §5).
    assert taken.replace(OTHER_VALID_BRN, VALID_BRN) == ok
    assert "registered" not in taken
    assert "10 digits" in wrong


def test_a_member_of_an_organisation_is_sent_home_from_sign_up(login, cast):
    response = login(cast.partner_owner).get(reverse("partners:signup"))

    assert response.status_code == 302 and response["Location"] == reverse("home:home")


# --- Directory -------------------------------------------------------------------------------------


def test_directory_requires_login(client):
    response = client.get(reverse("partners:directory"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_directory_shows_what_each_viewer_may_see(login, cast):
    PartnerFactory(status=PartnerStatus.PENDING, name_ko="심사대기회사")
    url = reverse("partners:directory")

    host_page = login(cast.reviewer).get(url).content.decode()
    bank_page = login(cast.loan_officer).get(url).content.decode()
    own_page = login(cast.partner_member).get(url).content.decode()

    assert "심사대기회사" in host_page and "라마바솔루션" in host_page
    assert "심사대기회사" not in bank_page and "라마바솔루션" in bank_page
    assert "가나다테크" in own_page and "라마바솔루션" not in own_page


def test_directory_filters_answer_htmx_with_the_results_partial(login, cast):
    response = login(cast.host_admin).get(
        reverse("partners:directory"), {"q": "라마바", "sort": "-created"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert "<html" not in body and 'id="directory-results"' in body
    assert "라마바솔루션" in body and "가나다테크" not in body


def test_directory_ignores_invalid_filter_values(login, cast):
    response = login(cast.host_admin).get(reverse("partners:directory"), {"tier": "9", "status": "nope"})

    assert response.status_code == 200 and "가나다테크" in response.content.decode()


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_directory_page_runs_the_same_queries_for_5_and_50_rows(login, cast, django_assert_num_queries):
    field = CollaborationField.objects.get(code="area-technology")
    client = login(cast.host_admin)
    url = reverse("partners:directory")
    for _ in range(3):
        PartnerField.objects.create(partner=PartnerFactory(), field=field)
    baseline = _page_queries(client, url)  # 5 rows
    for _ in range(45):
        PartnerField.objects.create(partner=PartnerFactory(), field=field)

    with django_assert_num_queries(baseline):
        response = client.get(url)

    assert response.content.decode().count('href="/partners/') >= 50


# --- Company page, edit, decisions ----------------------------------------------------------------


def test_the_company_page_shows_the_timeline_with_reasons(login, cast, pending):
    client = login(cast.host_admin)
    client.post(
        reverse("partners:decide", kwargs={"partner_id": pending.pk}),
        {"decision": "request_changes", "reason": "주소를 적어 주세요"},
    )

    page = login(pending.owner).get(reverse("partners:detail", kwargs={"partner_id": pending.pk}), **EN)

    body = page.content.decode()
    assert "Changes requested" in body and "주소를 적어 주세요" in body
    assert "Send for review" in body


def test_banks_see_list_fields_only(login, cast):
    cast.partner.ceo_name = "비밀대표"
    cast.partner.save()

    body = (
        login(cast.loan_officer)
        .get(reverse("partners:detail", kwargs={"partner_id": cast.partner.pk}))
        .content
    )

    assert "가나다테크" in body.decode() and "비밀대표" not in body.decode()


def test_host_deciders_see_the_decision_form_and_reviewers_do_not(login, cast, pending):
    url = reverse("partners:detail", kwargs={"partner_id": pending.pk})

    decider_page = login(cast.program_manager).get(url).content.decode()

    assert f'action="/partners/{pending.pk}/decide/"' in decider_page
    assert "/decide/" not in login(cast.reviewer).get(url).content.decode()


def test_approving_through_the_page(login, cast, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.host_admin).post(
            reverse("partners:decide", kwargs={"partner_id": pending.pk}), {"decision": "approve"}
        )

    pending.refresh_from_db()
    assert response.status_code == 302
    assert pending.status == PartnerStatus.APPROVED


def test_rejecting_without_reason_shows_the_error_and_changes_nothing(login, cast, pending):
    before = AuditEvent.objects.count()

    response = login(cast.host_admin).post(
        reverse("partners:decide", kwargs={"partner_id": pending.pk}),
        {"decision": "reject", "reason": ""},
        **EN,
    )

    assert response.status_code == 200 and "Give a reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == PartnerStatus.PENDING and AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["partner_owner", "reviewer", "loan_officer"])
def test_people_without_the_right_get_403_on_decisions(login, cast, who):
    partner = cast.partner
    response = login(getattr(cast, who)).post(
        reverse("partners:decide", kwargs={"partner_id": partner.pk}), {"decision": "suspend", "reason": "x"}
    )

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.APPROVED


def test_the_owner_edits_the_profile_but_not_the_locked_brn(login, cast):
    client = login(cast.partner_owner)
    url = reverse("partners:edit", kwargs={"partner_id": cast.partner.pk})
    form_page = client.get(url).content.decode()
    data = {key: ("" if value is None else value) for key, value in company_profile().items()}
    data.update({"brn": OTHER_VALID_BRN, "name_ko": "다른이름", "ceo_name": "새대표"})
    data = {k: v for k, v in data.items() if v is not False}

    response = client.post(url, data)

    assert 'name="brn"' in form_page and "disabled" in form_page
    assert response.status_code == 302
    cast.partner.refresh_from_db()
    assert cast.partner.ceo_name == "새대표"
    assert cast.partner.name_ko == "가나다테크" and cast.partner.brn != "1348672683"


@pytest.mark.parametrize("who", ["auditor", "observer", "loan_officer"])
def test_readers_cannot_open_the_edit_form(login, cast, who):
    response = login(getattr(cast, who)).get(reverse("partners:edit", kwargs={"partner_id": cast.partner.pk}))

    assert response.status_code == 403


def test_the_host_sets_collaboration_fields_on_the_page(login, cast, english):
    technology = CollaborationField.objects.get(code="area-technology")
    PartnerField.objects.create(partner=cast.other_partner, field=technology, is_representative=True)
    url = reverse("partners:fields", kwargs={"partner_id": cast.partner.pk})

    refused = login(cast.host_admin).post(
        url, {"fields": [technology.pk], "representative_fields": [technology.pk]}
    )
    accepted = login(cast.host_admin).post(url, {"fields": [technology.pk]})

    assert "already has a representative partner (라마바솔루션)" in refused.content.decode()
    assert accepted.status_code == 302
    assert cast.partner.field_links.get().field == technology


def test_my_company_redirects_partner_people_to_their_page(login, cast):
    response = login(cast.partner_member).get(reverse("partners:mine"))

    assert response["Location"] == reverse("partners:detail", kwargs={"partner_id": cast.partner.pk})
    assert login(cast.host_admin).get(reverse("partners:mine")).status_code == 404


def test_members_link_goes_to_the_accounts_member_page(login, cast):
    url = reverse("partners:members", kwargs={"partner_id": cast.partner.pk})

    host = login(cast.host_admin).get(url)
    own = login(cast.partner_owner).get(url)

    assert host["Location"] == reverse("accounts:members") + f"?organization={cast.partner.organization_id}"
    assert own["Location"] == reverse("accounts:members")
    assert login(cast.loan_officer).get(url).status_code == 403


# --- Contacts (personal data) --------------------------------------------------------------------------


def test_host_staff_viewing_contacts_is_logged_and_lists_are_masked(login, cast):
    ContactFactory(partner=cast.partner, email="hong.gildong@partner.example", phone="010-1234-5678")
    client = login(cast.program_manager)

    detail = client.get(reverse("partners:detail", kwargs={"partner_id": cast.partner.pk})).content.decode()
    assert PersonalDataAccess.objects.count() == 0
    assert "ho**********@partner.example" in detail and "010-****-5678" in detail
    assert "hong.gildong@partner.example" not in detail

    full = client.get(reverse("partners:contacts", kwargs={"partner_id": cast.partner.pk})).content.decode()

    assert "hong.gildong@partner.example" in full and "010-1234-5678" in full
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.purpose, access.subject_organization_id) == (
        cast.program_manager,
        "view",
        cast.partner.organization_id,
    )


def test_own_people_see_contacts_without_a_log_entry_and_banks_get_403(login, cast):
    ContactFactory(partner=cast.partner)
    url = reverse("partners:contacts", kwargs={"partner_id": cast.partner.pk})

    assert login(cast.partner_member).get(url).status_code == 200
    assert login(cast.loan_officer).get(url).status_code == 403
    assert login(cast.observer).get(url).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_the_owner_adds_edits_and_removes_a_contact(login, cast):
    client = login(cast.partner_owner)
    url = reverse("partners:contacts", kwargs={"partner_id": cast.partner.pk})

    client.post(url, {"name": "홍길동", "email": "hong@partner.example", "phone": "010-1111-2222"})
    contact = cast.partner.contacts.get()
    client.post(
        reverse("partners:contact_edit", kwargs={"partner_id": cast.partner.pk, "contact_id": contact.pk}),
        {"name": "홍길동", "department": "영업팀", "email": "hong@partner.example"},
    )
    contact.refresh_from_db()
    assert contact.department == "영업팀"
    client.post(
        reverse("partners:contact_remove", kwargs={"partner_id": cast.partner.pk, "contact_id": contact.pk})
    )

    assert not cast.partner.contacts.exists()


def test_an_auditor_cannot_add_contacts(login, cast):
    response = login(cast.auditor).post(
        reverse("partners:contacts", kwargs={"partner_id": cast.partner.pk}), {"name": "x"}
    )

    assert response.status_code == 403 and not cast.partner.contacts.exists()


# --- Documents --------------------------------------------------------------------------------------


def test_documents_upload_and_download_only_for_allowed_people(login, cast):
    client = login(cast.partner_owner)
    client.post(
        reverse("partners:documents", kwargs={"partner_id": cast.partner.pk}),
        {"kind": "sme_confirmation", "file": pdf_upload("확인서.pdf")},
    )
    document = PartnerDocument.objects.get()
    url = reverse(
        "partners:document_download", kwargs={"partner_id": cast.partner.pk, "document_id": document.pk}
    )

    own = client.get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF-")
    assert "attachment" in own["Content-Disposition"]
    assert login(cast.auditor).get(url).status_code == 200
    assert login(cast.loan_officer).get(url).status_code == 403
    assert login(cast.other_partner_owner).get(url).status_code == 404


def test_a_fake_pdf_upload_shows_the_error_on_the_file_field(login, cast):
    response = login(cast.partner_owner).post(
        reverse("partners:documents", kwargs={"partner_id": cast.partner.pk}),
        {"kind": "other", "file": pdf_upload("x.pdf", content=b"<html>not a pdf</html>")},
        **EN,
    )

    assert response.status_code == 200
    assert "not a valid PDF file" in response.content.decode()
    assert not PartnerDocument.objects.exists()


# --- Export ---------------------------------------------------------------------------------------


def _xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_neutralises_formulas_and_uses_the_directory_filters(login, cast):
    PartnerFactory(name_ko="=cmd|' /C calc'!A0", capabilities="@SUM(1+1)")

    response = login(cast.auditor).get(reverse("partners:export"), {"q": "cmd"})

    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    rows = _xlsx_rows(response.content)
    assert len(rows) == 2
    assert "'=cmd|' /C calc'!A0" in rows[1] and "'@SUM(1+1)" in rows[1]
    assert not PersonalDataAccess.objects.exists()


def test_exporting_contacts_needs_a_reason_and_is_logged(login, cast):
    ContactFactory(partner=cast.partner, name="홍길동", email="hong@partner.example")
    client = login(cast.program_manager)

    form = client.get(reverse("partners:export"), {"include_contacts": "on"}, **EN)
    assert form.status_code == 200 and "Give the reason" in form.content.decode()
    assert not PersonalDataAccess.objects.exists()

    response = client.get(
        reverse("partners:export"), {"include_contacts": "on", "reason": "동반성장지수 제출"}
    )

    assert "hong@partner.example" in str(_xlsx_rows(response.content))
    access = PersonalDataAccess.objects.get()
    assert (access.purpose, access.reason, access.subject_count) == ("export", "동반성장지수 제출", 2)


@pytest.mark.parametrize("who", ["partner_owner", "loan_officer", "observer"])
def test_export_is_for_host_staff_and_auditors(login, cast, who):
    assert login(getattr(cast, who)).get(reverse("partners:export")).status_code == 403


# --- Import -------------------------------------------------------------------------------------------


def _import_file(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in imports.IMPORT_COLUMNS])
    for row in rows:
        by_key = {column.key: "" for column in imports.IMPORT_COLUMNS}
        by_key.update(row)
        sheet.append([by_key[column.key] for column in imports.IMPORT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("partners.xlsx", buffer.getvalue())


def test_the_import_page_offers_the_template(login, cast):
    client = login(cast.host_admin)

    page = client.get(reverse("partners:import"))
    template = client.get(reverse("partners:import_template"))

    assert page.status_code == 200 and reverse("partners:import_template") in page.content.decode()
    assert template.status_code == 200 and template.content.startswith(b"PK")


def test_a_valid_import_shows_the_counts(login, cast, django_capture_on_commit_callbacks):
    client = login(cast.host_admin)
    upload = _import_file(
        [{"brn": VALID_BRN, "name_ko": "가져온회사", "ceo_name": "박대표", "ksic_code": "26110"}]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partners:import"), {"mode": "create", "file": upload})
    page = client.get(response["Location"], **EN)

    assert "1 partners created, 0 updated." in page.content.decode()
    assert Partner.objects.filter(name_ko="가져온회사").exists()


def test_a_failed_import_shows_the_error_table_and_the_report(
    login, cast, django_capture_on_commit_callbacks
):
    client = login(cast.host_admin)
    upload = _import_file(
        [{"brn": INVALID_BRN, "name_ko": "틀린회사", "ceo_name": "박대표", "ksic_code": "26110"}]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partners:import"), {"mode": "create", "file": upload})
    page = client.get(response["Location"], **EN).content.decode()
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    report = client.get(reverse("partners:import_report", kwargs={"job_id": job_id}))

    assert "Nothing was imported" in page and "사업자등록번호" in page
    assert report.status_code == 200
    assert not Partner.objects.filter(name_ko="틀린회사").exists()


def test_a_non_excel_upload_is_refused_on_the_form(login, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(cast.host_admin).post(
        reverse("partners:import"),
        {"mode": "create", "file": SimpleUploadedFile("a.xlsx", b"not a zip")},
        **EN,
    )

    assert response.status_code == 200 and "not a valid Excel" in response.content.decode()


@pytest.mark.parametrize("who", ["reviewer", "auditor", "partner_owner"])
def test_import_is_for_host_deciders(login, cast, who):
    assert login(getattr(cast, who)).get(reverse("partners:import")).status_code == 403


# --- Home -------------------------------------------------------------------------------------------


def test_host_home_has_counts_a_chart_with_a_table_fallback_and_the_queue(login, cast, pending):
    body = login(cast.host_admin).get(reverse("home:home"), **EN).content.decode()

    assert "/static/vendor/chart.js/chart.umd.js" in body
    assert 'id="partner-chart-data"' in body and 'id="table-status"' in body
    assert pending.name_ko in body


def test_partner_home_says_what_to_do_next(login, cast, pending):
    body = login(pending.owner).get(reverse("home:home"), **EN).content.decode()

    assert "What to do next" in body and "Under review" in body
    assert "중소기업확인서" in body


def test_bank_home_lists_what_they_can_do(login, cast):
    body = login(cast.loan_officer).get(reverse("home:home"), **EN).content.decode()

    assert "What you can do here" in body


@pytest.mark.parametrize(
    ("who", "route", "status"),
    [
        ("host_admin", "partners:review_queue", 200),
        ("reviewer", "partners:review_queue", 200),
        ("partner_owner", "partners:review_queue", 403),
        ("loan_officer", "partners:review_queue", 403),
        ("host_admin", "partners:edit", 200),
        ("partner_member", "partners:edit", 200),
        ("host_admin", "partners:contacts", 200),
        ("host_admin", "partners:detail", 200),
        ("observer", "partners:detail", 200),
        ("other_partner_owner", "partners:detail", 404),
    ],
)
def test_page_permission_matrix(login, cast, who, route, status):
    ContactFactory(partner=cast.partner)
    kwargs = {} if route == "partners:review_queue" else {"partner_id": cast.partner.pk}

    response = login(getattr(cast, who)).get(reverse(route, kwargs=kwargs))

    assert response.status_code == status


def test_pages_render_in_korean_by_default(client, login, cast, pending):
    assert client.get(reverse("partners:signup")).status_code == 200
    host = login(cast.host_admin)
    for url in (
        reverse("home:home"),
        reverse("partners:directory"),
        reverse("partners:review_queue"),
        reverse("partners:detail", kwargs={"partner_id": pending.pk}),
        reverse("partners:edit", kwargs={"partner_id": pending.pk}),
        reverse("partners:import"),
    ):
        response = host.get(url)
        assert response.status_code == 200, url
        assert 'lang="ko"' in response.content.decode()


def test_the_review_queue_lists_waiting_partners(login, cast, pending):
    body = login(cast.program_manager).get(reverse("partners:review_queue")).content.decode()

    assert pending.name_ko in body and cast.partner.name_ko not in body


def test_the_admin_lists_partners_and_keeps_the_status_history_read_only(client, cast):
    from sangsaeng.accounts.models import User

    admin = User.objects.create_superuser("root@host.example", "a-long-Passphrase-42", name="root")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    change = cast.partner.status_changes.create(to_status="approved")

    changelist = client.get("/django-admin/partners/partner/?q=가나다")
    history = client.get(f"/django-admin/partners/partnerstatuschange/{change.pk}/change/")
    add = client.get("/django-admin/partners/partnerstatuschange/add/")

    assert changelist.status_code == 200 and "가나다테크" in changelist.content.decode()
    assert history.status_code == 200 and 'name="_save"' not in history.content.decode()
    assert add.status_code == 403


def test_directory_rows_escape_what_companies_typed(login, cast):
    PartnerFactory(name_ko="<script>alert(1)</script>", name_en='"><img src=x onerror=alert(2)>')

    html = login(cast.host_admin).get(reverse("partners:directory")).content.decode()

    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


# --- Sign-up against bots (core.botcheck) and floods (core.ratelimits) ----------------------------------


def test_a_filled_in_honeypot_field_refuses_the_sign_up_and_creates_nothing(client, db):
    users = User.objects.count()

    response = client.post(reverse("partners:signup"), _signup_data(website="http://spam.example"), **EN)

    assert response.status_code == 200
    assert "could not be accepted" in response.content.decode()
    assert not Partner.objects.exists() and User.objects.count() == users


def test_a_sign_up_sent_too_quickly_is_refused_and_the_page_offers_a_fresh_token(client, db, settings):
    settings.SIGNUP_FORM_MIN_SECONDS = 3
    page = client.get(reverse("partners:signup"), **EN)
    token = page.context["form_token"]
    assert f'value="{token}"' in page.content.decode()

    too_quick = client.post(reverse("partners:signup"), _signup_data(form_token=token), **EN)
    assert "sent too quickly" in too_quick.content.decode()
    assert too_quick.context["form_token"] != token
    assert not Partner.objects.exists()

    later = botcheck.issue_token(issued_at=time.time() - 5)
    accepted = client.post(reverse("partners:signup"), _signup_data(form_token=later), **EN)
    assert accepted.status_code == 302
    assert Partner.objects.count() == 1


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (lambda: "", "could not be accepted"),
        (lambda: "forged:token", "could not be accepted"),
        (lambda: botcheck.issue_token()[:-2] + "xx", "could not be accepted"),
        (lambda: botcheck.issue_token(issued_at=0), "open too long"),
    ],
    ids=["missing", "forged", "tampered", "expired"],
)
def test_a_sign_up_without_a_valid_form_token_is_refused(client, db, make_token, message):
    response = client.post(reverse("partners:signup"), _signup_data(form_token=make_token()), **EN)

    assert message in response.content.decode()
    assert not Partner.objects.exists()


def test_a_form_token_is_used_once(client, db):
    token = botcheck.issue_token()
    first = client.post(reverse("partners:signup"), _signup_data(form_token=token), **EN)
    client.logout()

    again = client.post(
        reverse("partners:signup"),
        _signup_data(form_token=token, email="second@company.example", brn=VALID_BRN),
        **EN,
    )

    assert first.status_code == 302
    assert "already sent" in again.content.decode()
    assert Partner.objects.count() == 1


def test_sign_ups_from_one_address_are_limited_with_a_translated_429_page(client, db, settings):
    settings.RATE_LIMIT_SIGNUP_PER_IP = "2/h"
    for number in range(2):
        client.post(
            reverse("partners:signup"), _signup_data(email=f"x{number}@company.example", website="bot")
        )

    response = client.post(reverse("partners:signup"), _signup_data(email="x3@company.example"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "<nav" in body and 'lang="ko"' in body  # the site's layout, Korean by default
    with translation.override("ko"):
        assert translation.gettext("Too many requests") in body
    assert not Partner.objects.exists()
