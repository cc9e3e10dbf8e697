"""The use-case API: propose, list, gate decisions with refusals, showcase fields, query counts."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangsaeng.core.models import AuditEvent
from sangsaeng.usecases.models import Stage, UseCase
from sangsaeng.usecases.tests.conftest import PDF_BYTES, SCORES
from sangsaeng.usecases.tests.factories import make_use_case

pytestmark = pytest.mark.django_db

BASE = "/api/v1/usecases"


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_partner_proposes_through_the_api(login, cast):
    client = login(cast.partner_owner)
    response = _post(
        client,
        BASE,
        {
            "title": "드론 관제",
            "industry": "public_safety",
            "features": ["urllc", "slicing"],
            "description": "재난 드론 영상",
            "expected_customers": "소방",
            "nda_accepted": True,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "submitted" and body["nda_version"]
    assert UseCase.objects.get().partner == cast.partner


def test_the_api_refuses_a_proposal_without_the_nda(login, cast):
    client = login(cast.partner_owner)
    response = _post(
        client,
        BASE,
        {
            "title": "t",
            "industry": "energy",
            "features": ["mmtc"],
            "description": "d",
            "expected_customers": "c",
            "nda_accepted": False,
        },
    )
    assert response.status_code == 422
    assert "nda_accepted" in response.json()["error"]["fields"]
    assert not UseCase.objects.exists()


def test_a_refused_gate_answers_422_naming_the_field_and_changes_nothing(login, cast, sponsored):
    client = login(cast.reviewer)
    response = _post(
        client,
        f"{BASE}/{sponsored.pk}/decisions",
        {"to_stage": "monitoring", "scores": SCORES, "reason": "x"},
    )
    assert response.status_code == 422
    assert "to_stage" in response.json()["error"]["fields"]
    sponsored.refresh_from_db()
    assert sponsored.stage == Stage.SUBMITTED
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("other_partner_owner", 404), ("partner_owner", 403), ("program_manager", 403), ("reviewer", 201)],
)
def test_gate_decision_permission_matrix(client, login, cast, sponsored, who, expected):
    response = _post(
        login(getattr(cast, who)),
        f"{BASE}/{sponsored.pk}/decisions",
        {"to_stage": "screening", "scores": SCORES, "reason": "검토 시작"},
    )
    assert response.status_code == expected
    sponsored.refresh_from_db()
    assert (sponsored.stage == Stage.SCREENING) == (expected == 201)


def test_anonymous_gets_401(client, sponsored):
    assert client.get(f"{BASE}/{sponsored.pk}").status_code == 401
    assert client.get(BASE).status_code == 401


def test_sponsor_hold_resume_stop_and_the_timeline(login, cast):
    use_case = make_use_case(cast.partner, cast.partner_owner)
    assert (
        _post(
            login(cast.program_manager), f"{BASE}/{use_case.pk}/sponsor", {"sponsor_id": cast.reviewer.pk}
        ).status_code
        == 200
    )
    client = login(cast.reviewer)
    assert _post(client, f"{BASE}/{use_case.pk}/hold", {"reason": "보류"}).status_code == 201
    assert _post(client, f"{BASE}/{use_case.pk}/resume", {"reason": "재개"}).status_code == 201
    assert _post(client, f"{BASE}/{use_case.pk}/stop", {"reason": "중단"}).status_code == 201
    assert _post(client, f"{BASE}/{use_case.pk}/resume", {"reason": "x"}).status_code == 422
    timeline = login(cast.partner_owner).get(f"{BASE}/{use_case.pk}/decisions").json()
    assert [row["to_stage"] for row in timeline] == ["submitted", "on_hold", "submitted", "stopped"]
    assert timeline[-1]["reason"] == "중단"


def test_an_attachment_is_uploaded_as_multipart(login, cast, sponsored):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(cast.partner_owner)
    response = client.post(
        f"{BASE}/{sponsored.pk}/attachments",
        {"file": SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf")},
    )
    assert response.status_code == 201, response.content
    assert client.post(f"{BASE}/{sponsored.pk}/attachments", {}).status_code == 422


def test_the_showcase_api_has_no_description(login, cast):
    make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.POC)
    make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.SCREENING)
    body = login(cast.partner_owner).get(f"{BASE}/showcase").json()
    assert body["count"] == 1
    assert "description" not in body["items"][0]
    assert login(cast.loan_officer).get(f"{BASE}/showcase").status_code == 403


def test_the_board_and_funnel_apis_are_for_the_host(login, cast):
    make_use_case(cast.partner, cast.partner_owner)
    board = login(cast.program_manager).get(f"{BASE}/board").json()
    assert board["total"] == 1 and board["columns"][0]["count"] == 1
    funnel = login(cast.auditor).get(f"{BASE}/report/funnel").json()
    assert funnel[0]["stage"] == "submitted" and funnel[0]["reached"] == 1
    assert login(cast.partner_owner).get(f"{BASE}/board").status_code == 403


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("", "program_manager"),
        ("", "partner_owner"),
        ("/board", "program_manager"),
        ("/showcase", "partner_owner"),
        ("/report/funnel", "auditor"),
    ],
)
def test_list_apis_run_the_same_number_of_queries_for_5_and_50_rows(
    login, cast, django_assert_num_queries, path, who
):
    from sangsaeng.usecases.models import Stage, UseCase

    # the showcase lists use cases past screening only
    stage = Stage.POC if path == "/showcase" else Stage.SUBMITTED
    client = login(getattr(cast, who))
    for i in range(5):
        make_use_case(cast.partner, cast.partner_owner, title=f"uc {i}", sponsor=cast.reviewer, stage=stage)
    client.get(BASE + path)
    with CaptureQueriesContext(connection) as five:
        assert client.get(BASE + path + "?limit=100").status_code == 200
    for i in range(45):
        make_use_case(cast.partner, cast.partner_owner, title=f"more {i}", sponsor=cast.reviewer, stage=stage)
    assert UseCase.objects.count() == 50
    with django_assert_num_queries(len(five.captured_queries)):
        response = client.get(BASE + path + "?limit=100")
    assert response.status_code == 200
