"""Pages: permission matrices, the propose → decide flow, board, showcase, report, query counts."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from sangsaeng.core.models import AuditEvent
from sangsaeng.usecases.models import Stage, UseCase
from sangsaeng.usecases.tests.conftest import SCORES
from sangsaeng.usecases.tests.factories import make_use_case

pytestmark = pytest.mark.django_db


def _status(client, url, user=None, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return getattr(client, method)(url, data or {}).status_code


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, 302),
        ("loan_officer", 403),
        ("program_manager", 403),
        ("partner_member", 200),
        ("partner_owner", 200),
    ],
)
def test_propose_page_permission_matrix(client, cast, who, expected):
    user = getattr(cast, who) if who else None
    assert _status(client, reverse("usecases:propose"), user) == expected


def test_a_partner_proposes_with_an_attachment_and_lands_on_the_timeline(login, cast, pdf):
    client = login(cast.partner_owner)
    response = client.post(
        reverse("usecases:propose"),
        {
            "title": "AR 원격 정비",
            "industry": "media",
            "features": ["embb", "mec"],
            "description": "AR 글래스로 원격 정비 지원",
            "expected_customers": "발전소",
            "nda_accepted": "on",
            "attachments": [pdf],
        },
    )
    use_case = UseCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("usecases:detail", args=[use_case.pk])
    assert use_case.attachments.count() == 1
    page = client.get(response["Location"])
    assert "AR 원격 정비" in page.content.decode()


def test_proposing_without_the_nda_shows_the_error_on_the_form(english, login, cast):
    client = login(cast.partner_owner)
    response = client.post(
        reverse("usecases:propose"),
        {
            "title": "t",
            "industry": "media",
            "features": ["embb"],
            "description": "d",
            "expected_customers": "c",
        },
    )
    assert response.status_code == 200
    assert "Accept the confidentiality terms to submit." in response.content.decode()
    assert not UseCase.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, 302),
        ("other_partner_owner", 404),
        ("loan_officer", 404),
        ("partner_member", 200),
        ("auditor", 200),
    ],
)
def test_detail_permission_matrix(client, cast, sponsored, who, expected):
    user = getattr(cast, who) if who else None
    assert _status(client, reverse("usecases:detail", args=[sponsored.pk]), user) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, 302),
        ("other_partner_owner", 404),
        ("partner_owner", 403),
        ("program_manager", 403),
        ("reviewer", 200),
    ],
)
def test_gate_decision_form_permission_matrix(client, cast, sponsored, who, expected):
    user = getattr(cast, who) if who else None
    assert _status(client, reverse("usecases:decide", args=[sponsored.pk]), user) == expected


def test_the_sponsor_passes_screening_and_the_partner_gets_the_open_lab_link(login, cast, sponsored):
    client = login(cast.reviewer)
    url = reverse("usecases:decide", args=[sponsored.pk])
    data = {"reason": "good", **{f"score_{k}": v for k, v in SCORES.items()}}
    assert client.post(url, {**data, "to_stage": Stage.SCREENING}).status_code == 302
    assert client.post(url, {**data, "to_stage": Stage.POC}).status_code == 302
    sponsored.refresh_from_db()
    assert sponsored.stage == Stage.POC

    page = login(cast.partner_owner).get(reverse("usecases:detail", args=[sponsored.pk])).content.decode()
    assert f"/openlab/bookings/new/?use_case={sponsored.pk}" in page
    assert "good" in page  # the reason the partner sees


def test_a_refused_move_re_renders_the_form_and_changes_nothing(login, cast, sponsored):
    client = login(cast.reviewer)
    data = {"reason": "x", "to_stage": Stage.MONITORING, **{f"score_{k}": v for k, v in SCORES.items()}}
    response = client.post(reverse("usecases:decide", args=[sponsored.pk]), data)
    assert response.status_code == 200
    sponsored.refresh_from_db()
    assert sponsored.stage == Stage.SUBMITTED
    assert not AuditEvent.objects.exists()


def test_a_manager_assigns_the_sponsor_and_the_sponsor_shelves_and_resumes(login, cast):
    use_case = make_use_case(cast.partner, cast.partner_owner)
    client = login(cast.program_manager)
    assert (
        client.post(
            reverse("usecases:assign_sponsor", args=[use_case.pk]), {"sponsor": cast.reviewer.pk}
        ).status_code
        == 302
    )
    client = login(cast.reviewer)
    shelf = reverse("usecases:shelve", args=[use_case.pk])
    assert client.post(shelf, {"action": "hold", "reason": "대기"}).status_code == 302
    use_case.refresh_from_db()
    assert use_case.stage == Stage.ON_HOLD
    assert client.post(shelf, {"action": "resume", "reason": "재개"}).status_code == 302
    use_case.refresh_from_db()
    assert use_case.stage == Stage.SUBMITTED


def test_the_partner_cannot_shelve_or_assign(login, cast, sponsored):
    client = login(cast.partner_owner)
    assert (
        client.post(
            reverse("usecases:shelve", args=[sponsored.pk]), {"action": "stop", "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("usecases:assign_sponsor", args=[sponsored.pk]), {"sponsor": cast.reviewer.pk}
        ).status_code
        == 403
    )
    assert not AuditEvent.objects.exists()


def test_attachments_are_uploaded_and_downloaded_by_the_partner_only(login, cast, sponsored, pdf):
    client = login(cast.partner_member)
    assert client.post(reverse("usecases:attach", args=[sponsored.pk]), {"file": pdf}).status_code == 302
    attachment = sponsored.attachments.get()
    url = reverse("usecases:attachment_download", args=[sponsored.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert login(cast.other_partner_owner).get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 302), ("partner_owner", 403), ("observer", 403), ("auditor", 200), ("reviewer", 200)],
)
def test_board_and_report_permission_matrix(client, cast, who, expected):
    user = getattr(cast, who) if who else None
    for name in ("usecases:board", "usecases:report", "usecases:report_export"):
        assert _status(client, reverse(name), user) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 302), ("loan_officer", 403), ("observer", 403), ("partner_member", 200), ("auditor", 200)],
)
def test_showcase_permission_matrix(client, cast, who, expected):
    user = getattr(cast, who) if who else None
    assert _status(client, reverse("usecases:showcase"), user) == expected


def test_the_showcase_shows_titles_but_not_descriptions(login, cast):
    use_case = make_use_case(
        cast.other_partner, cast.other_partner_owner, stage=Stage.VALIDATION, title="공개 제목"
    )
    page = login(cast.partner_owner).get(reverse("usecases:showcase")).content.decode()
    assert "공개 제목" in page
    assert use_case.description not in page


def test_the_board_answers_htmx_with_the_partial(login, cast):
    make_use_case(cast.partner, cast.partner_owner, title="보드 카드")
    response = login(cast.program_manager).get(reverse("usecases:board"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="usecase-board"' in body and "보드 카드" in body
    assert "<html" not in body


def test_the_report_exports_the_funnel_to_excel(login, cast):
    make_use_case(cast.partner, cast.partner_owner, title="=HYPERLINK(1)")
    response = login(cast.program_manager).get(reverse("usecases:report_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 9
    assert rows[1][1] == 1  # one use case reached "submitted"


def _fill(cast, n):
    for i in range(n):
        make_use_case(cast.partner, cast.partner_owner, title=f"uc {i}", sponsor=cast.reviewer)


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("usecases:list", "partner_owner"),
        ("usecases:list", "program_manager"),
        ("usecases:board", "program_manager"),
        ("usecases:showcase", "partner_owner"),
        ("usecases:report", "auditor"),
    ],
)
def test_list_pages_run_the_same_number_of_queries_for_5_and_50_rows(
    login, cast, django_assert_num_queries, name, who
):
    client = login(getattr(cast, who))
    url = reverse(name)
    _fill(cast, 5)
    if name == "usecases:showcase":
        UseCase.objects.update(stage=Stage.POC)
    client.get(url)  # warm caches (sessions, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    _fill(cast, 45)
    if name == "usecases:showcase":
        UseCase.objects.update(stage=Stage.POC)
    with django_assert_num_queries(len(five.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("who", "sees", "hidden"),
    [
        ("program_manager", ["Assign sponsor"], ["Gate decision", "Upload"]),
        ("reviewer", ["Gate decision", "Put on hold", "Stop"], ["Assign sponsor", "Upload"]),
        ("partner_owner", ["Upload"], ["Gate decision", "Assign sponsor", "Put on hold"]),
        ("auditor", [], ["Gate decision", "Assign sponsor", "Upload", "Put on hold"]),
    ],
)
def test_the_detail_page_offers_each_role_only_its_actions(
    english, login, cast, sponsored, who, sees, hidden
):
    body = login(getattr(cast, who)).get(reverse("usecases:detail", args=[sponsored.pk])).content.decode()
    for text in sees:
        assert text in body, text
    for text in hidden:
        assert text not in body, text


def test_the_open_lab_link_appears_only_from_the_poc_stage(login, cast):
    use_case = make_use_case(cast.partner, cast.partner_owner, stage=Stage.SCREENING)
    link = f"/openlab/bookings/new/?use_case={use_case.pk}"
    client = login(cast.partner_owner)
    assert link not in client.get(reverse("usecases:detail", args=[use_case.pk])).content.decode()
    UseCase.objects.filter(pk=use_case.pk).update(stage=Stage.POC)
    assert link in client.get(reverse("usecases:detail", args=[use_case.pk])).content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("partner_owner", {"usecases:list", "usecases:showcase"}),
        ("program_manager", {"usecases:list", "usecases:board"}),
        ("loan_officer", set()),
    ],
)
def test_menu_entries_follow_the_permissions(cast, who, expected):
    from sangsaeng.core.navigation import entries_for

    shown = {e["url_name"] for e in entries_for(getattr(cast, who)) if e["url_name"].startswith("usecases:")}
    assert shown == expected


def test_a_person_without_a_company_is_sent_to_the_partner_sign_up(login, db):
    from sangsaeng.accounts.tests.factories import UserFactory

    response = login(UserFactory()).get(reverse("usecases:propose"))
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:signup")


@pytest.mark.parametrize(
    ("name", "target"), [("usecases:list", "usecase-results"), ("usecases:showcase", "showcase-results")]
)
def test_lists_answer_htmx_with_their_partial(login, cast, name, target):
    make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.POC, title="공개된 PoC")
    make_use_case(cast.partner, cast.partner_owner, title="우리 제안")
    response = login(cast.partner_owner).get(reverse(name), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'id="{target}"' in body and "<html" not in body
    assert ("우리 제안" in body) == (name == "usecases:list")
    assert ("공개된 PoC" in body) == (name == "usecases:showcase")


def test_the_pipeline_step_counts_the_shelf_where_it_left(cast):
    assert UseCase(stage=Stage.SUBMITTED).pipeline_step == 1
    assert UseCase(stage=Stage.MONITORING).pipeline_step == 7
    assert UseCase(stage=Stage.ON_HOLD, resume_stage=Stage.POC).pipeline_step == 3
    assert UseCase(stage=Stage.STOPPED).pipeline_step == 0


def test_the_board_cards_show_title_partner_industry_sponsor_and_overdue_escaped(login, cast, english):
    late = make_use_case(
        cast.partner,
        cast.partner_owner,
        title="<b>Robot</b> & co",
        due=timezone.localdate() - datetime.timedelta(days=2),
    )
    make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.POC, sponsor=cast.reviewer)
    body = login(cast.program_manager).get(reverse("usecases:board")).content.decode()

    assert "&lt;b&gt;Robot&lt;/b&gt; &amp; co" in body and "<b>Robot" not in body
    assert f'href="{reverse("usecases:list")}{late.pk}/"' in body
    assert f"{cast.partner.name_ko} · Smart factory" in body
    assert "Sponsor: —" in body and f"Sponsor: {cast.reviewer.name}" in body
    assert f"Screening overdue ({late.screening_due_on:%Y-%m-%d})" in body
    assert body.count("card mb-2 border-danger") == 1
