"""Loan fund pages: apply → recommend → bank approve → disburse → repay through the forms, the
letter, the queues, the simulator (full page and htmx) and the dashboard; refusals and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import services
from sangsaeng.finance.models import Loan, LoanApplication
from sangsaeng.finance.tests.factories import EOK, backdate, make_application
from sangsaeng.partners.tests.factories import make_partner_owner

pytestmark = pytest.mark.django_db


def test_the_whole_workflow_through_the_pages(cast, fund, pool, login):
    client = login(cast.partner_owner)
    response = client.post(
        reverse("finance:apply") + f"?fund={fund.pk}",
        {
            "pool": pool.pk,
            "amount_krw": 2 * EOK,
            "term_months": 12,
            "grace_months": 0,
            "method": "equal_payment",
            "purpose": "facilities",
            "use_of_funds": "설비 도입",
        },
    )
    application = LoanApplication.objects.get(partner=cast.partner)
    assert response.status_code == 302

    response = login(cast.program_manager).post(
        reverse("finance:recommend", args=[application.pk]), {"amount_krw": ""}
    )
    assert response.status_code == 302
    assert (
        login(cast.program_manager).get(reverse("finance:letter", args=[application.pk])).status_code == 200
    )

    officer = login(cast.loan_officer)
    assert officer.get(reverse("finance:bank_queue")).status_code == 200
    assert (
        officer.post(reverse("finance:bank_approve", args=[application.pk]), {"amount_krw": ""}).status_code
        == 302
    )
    backdate(application, dt.date(2025, 3, 4))  # applied and recommended back then
    response = officer.post(
        reverse("finance:disburse", args=[application.pk]), {"disbursed_on": "2025-03-04"}
    )
    loan = Loan.objects.get(application=application)
    assert response.status_code == 302
    response = officer.post(
        reverse("finance:repay", args=[loan.pk]),
        {"paid_on": "2025-04-04", "principal_krw": 2 * EOK, "interest_krw": 0},
    )
    assert response.status_code == 302

    loan.refresh_from_db()
    application.refresh_from_db()
    assert (loan.status, application.status) == ("repaid", "repaid")
    page = login(cast.partner_owner).get(reverse("finance:application", args=[application.pk]))
    assert page.status_code == 200
    # applied, recommended, approved, disbursed and repaid (the status change is its own audit event)
    assert len(page.context["timeline"]) == 5
    assert page.context["timeline"][-1].label == "상환 완료"


def test_bank_officer_of_another_bank_gets_404_and_nothing_changes(cast, pool, login):
    application = make_application(cast.partner, pool, cast.partner_owner)
    services.recommend_application(actor=cast.program_manager, application=application)
    events = AuditEvent.objects.count()

    response = login(cast.other_loan_officer).post(reverse("finance:bank_approve", args=[application.pk]), {})

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "recommended"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("who", "status"), [("reviewer", 404), ("auditor", 403), ("partner_owner", 403)])
def test_only_fund_managers_recommend_on_the_page(cast, pool, login, who, status):
    application = make_application(cast.partner, pool, cast.partner_owner)
    events = AuditEvent.objects.count()

    response = login(getattr(cast, who)).post(reverse("finance:recommend", args=[application.pk]), {})

    assert response.status_code == status
    application.refresh_from_db()
    assert application.status == "applied"
    assert AuditEvent.objects.count() == events


def test_rejection_without_reason_shows_the_form_again(cast, pool, login):
    application = make_application(cast.partner, pool, cast.partner_owner)

    response = login(cast.program_manager).post(
        reverse("finance:reject", args=[application.pk]), {"reason": ""}
    )

    assert response.status_code == 422
    assert response.context["reject_form"].errors


@pytest.mark.parametrize(
    ("route", "allowed", "refused"),
    [
        ("finance:review_queue", "program_manager", "partner_owner"),
        ("finance:bank_queue", "loan_officer", "program_manager"),
        ("finance:dashboard", "auditor", "loan_officer"),
        ("finance:apply", "partner_member", "loan_officer"),
    ],
)
def test_pages_answer_their_roles_only(cast, fund, pool, login, route, allowed, refused):
    assert login(getattr(cast, allowed)).get(reverse(route)).status_code == 200
    assert login(getattr(cast, refused)).get(reverse(route)).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("finance:applications"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_simulator_page_and_htmx_partial(cast, fund, pool, login):
    client = login(cast.partner_owner)
    query = {
        "fund": fund.pk,
        "pool": pool.pk,
        "amount_krw": EOK,
        "term_months": 12,
        "grace_months": 0,
        "method": "bullet",
    }

    full = client.get(reverse("finance:simulate"), query)
    partial = client.get(reverse("finance:simulate"), query, HTTP_HX_REQUEST="true")

    assert full.status_code == partial.status_code == 200
    assert full.context["simulation"].saving_krw > 0
    assert "<html" not in partial.content.decode()


def test_dashboard_shows_utilisation_saving_and_overdue(cast, fund, pool, login):
    application = make_application(cast.partner, pool, cast.partner_owner, amount_krw=EOK)
    services.recommend_application(actor=cast.program_manager, application=application)
    services.bank_approve(actor=cast.loan_officer, application=application)
    import datetime as dt

    backdate(application, dt.date(2025, 1, 6))
    services.disburse_loan(actor=cast.loan_officer, application=application, disbursed_on=dt.date(2025, 1, 6))

    response = login(cast.program_manager).get(reverse("finance:dashboard"))

    assert response.status_code == 200
    context = response.context
    assert context["pools"][0].outstanding_krw == EOK
    assert context["interest_saved_krw"] > 0
    assert context["overdue_loans"] == 1
    assert context["total_shared_krw"] == 0
    assert len(context["tasks_by_status"]) == 9
    assert all(count == 0 for _label, count in context["tasks_by_status"])


@pytest.mark.parametrize("rows", [5, 50])
def test_application_list_page_runs_a_constant_number_of_queries(
    cast, pool, login, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        partner, owner = make_partner_owner()
        make_application(partner, pool, owner, amount_krw=EOK)
    client = login(cast.program_manager)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("finance:applications"))

    assert len(response.context["page"].object_list) == rows


def test_partner_adds_a_document_and_the_bank_downloads_it_after_the_recommendation(cast, pool, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = make_application(cast.partner, pool, cast.partner_owner)
    pdf = SimpleUploadedFile(
        "사업계획서.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf"
    )

    response = login(cast.partner_member).post(
        reverse("finance:add_document", args=[application.pk]), {"file": pdf}
    )
    assert response.status_code == 302
    document = application.documents.get()
    url = reverse("finance:document", args=[application.pk, document.pk])
    assert login(cast.loan_officer).get(url).status_code == 404  # not yet recommended to the bank
    services.recommend_application(actor=cast.program_manager, application=application)

    download = login(cast.loan_officer).get(url)

    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert login(cast.other_loan_officer).get(url).status_code == 404


def test_a_document_that_is_not_a_pdf_or_image_is_refused(cast, pool, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = make_application(cast.partner, pool, cast.partner_owner)
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = login(cast.partner_owner).post(
        reverse("finance:add_document", args=[application.pk]), {"file": fake}
    )

    assert response.status_code == 422
    assert not application.documents.exists()


def test_loans_export_shows_the_officers_own_bank_only(cast, pool, other_pool, login):
    import io

    import openpyxl

    for partner, owner, chosen, officer in (
        (cast.partner, cast.partner_owner, pool, cast.loan_officer),
        (cast.other_partner, cast.other_partner_owner, other_pool, cast.other_loan_officer),
    ):
        application = make_application(partner, chosen, owner, amount_krw=EOK)
        services.recommend_application(actor=cast.program_manager, application=application)
        services.bank_approve(actor=officer, application=application)
        services.disburse_loan(actor=officer, application=application)

    own = login(cast.loan_officer).get(reverse("finance:loans_export"))
    everything = login(cast.auditor).get(reverse("finance:loans_export"))
    refused = login(cast.partner_owner).get(reverse("finance:loans_export"))

    def companies(response):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))

    assert companies(own) == [cast.partner.name_ko]
    assert companies(everything) == sorted([cast.partner.name_ko, cast.other_partner.name_ko])
    assert refused.status_code == 403


def test_daily_snapshots_feed_the_utilisation_chart(cast, fund, login):
    import datetime as dt

    from sangsaeng.core import dates
    from sangsaeng.finance.tests.factories import make_pool

    pool = make_pool(fund, cast.bank, pool_krw=100 * EOK)
    application = make_application(cast.partner, pool, cast.partner_owner, amount_krw=10 * EOK)
    services.snapshot_pools(today=dates.today() - dt.timedelta(days=1))
    services.recommend_application(actor=cast.program_manager, application=application)
    services.snapshot_pools()
    services.snapshot_pools()  # re-running a day overwrites it

    response = login(cast.program_manager).get(reverse("finance:dashboard"))

    series = response.context["utilisation"]
    assert len(series["labels"]) == 2
    assert series["datasets"] == [{"label": pool.bank.name, "data": [0, 10]}]


def test_recommendation_letter_pdf_for_the_bank_and_the_partner_only(cast, pool, other_pool, login):
    from sangsaeng.finance.tests.pdfcheck import pdf_text

    application = make_application(cast.partner, pool, cast.partner_owner)
    url = reverse("finance:letter_pdf", args=[application.pk])
    assert login(cast.loan_officer).get(url).status_code in (403, 404)  # not recommended yet
    services.recommend_application(actor=cast.program_manager, application=application)
    serial = application.recommendation.serial

    for who in ("loan_officer", "partner_owner", "program_manager"):
        response = login(getattr(cast, who)).get(url)
        assert response.status_code == 200, who
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert serial in text
        assert cast.partner.name_ko in text
        assert "300,000,000원" in text
    assert login(cast.other_loan_officer).get(url).status_code == 404
    letter = login(cast.loan_officer).get(reverse("finance:letter", args=[application.pk]))
    assert url in letter.content.decode()


@pytest.mark.parametrize("typed", ["200,000,000", "200,000,000원", "2억"])
def test_the_loan_form_takes_an_amount_typed_the_korean_way(cast, fund, pool, login, typed):
    response = login(cast.partner_owner).post(
        reverse("finance:apply") + f"?fund={fund.pk}",
        {
            "pool": pool.pk,
            "amount_krw": typed,
            "term_months": 12,
            "grace_months": 0,
            "method": "equal_payment",
            "purpose": "facilities",
            "use_of_funds": "설비 도입",
        },
    )

    assert response.status_code == 302
    assert LoanApplication.objects.get(partner=cast.partner).amount_krw == 2 * EOK


def test_the_loan_form_refuses_a_mistyped_amount_with_a_field_message_and_saves_nothing(
    cast, fund, pool, login
):
    response = login(cast.partner_owner).post(
        reverse("finance:apply") + f"?fund={fund.pk}",
        {
            "pool": pool.pk,
            "amount_krw": "2,00,000",
            "term_months": 12,
            "grace_months": 0,
            "method": "equal_payment",
            "purpose": "facilities",
        },
    )

    assert response.status_code in (200, 422)
    assert "amount_krw" in response.context["form"].errors
    assert not LoanApplication.objects.exists()
