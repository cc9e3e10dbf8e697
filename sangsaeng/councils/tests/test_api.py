"""The councils API: the permission matrix on the main operations, the error body, secret ballots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sangsaeng.councils import services
from sangsaeng.councils.models import Minutes, MinutesStatus
from sangsaeng.councils.tests.factories import make_meeting, make_task

pytestmark = pytest.mark.django_db
API = "/api/v1/councils"


def test_schedule_answer_and_minutes_over_the_api(cast, board, login, client):
    login(cast.program_manager)
    starts = timezone.now() + dt.timedelta(days=1)
    response = client.post(
        f"{API}/{board.council.pk}/meetings",
        {
            "title": "API 회의",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=1)).isoformat(),
            "online_url": "https://meet.example/abc",
            "agenda": [{"title": "안건"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    login(board.member_b.user)
    response = client.post(
        f"{API}/meetings/{meeting_id}/rsvp", {"rsvp": "attending"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (
        client.post(
            f"{API}/meetings/{meeting_id}/minutes", {"body": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    login(cast.program_manager)
    assert (
        client.post(
            f"{API}/meetings/{meeting_id}/minutes", {"body": "초안"}, content_type="application/json"
        ).status_code
        == 201
    )
    response = client.post(f"{API}/meetings/{meeting_id}/minutes/approve")
    assert response.status_code == 403
    assert Minutes.objects.get(meeting_id=meeting_id).status == MinutesStatus.DRAFT


def test_meeting_must_end_after_start_field_error(cast, board, login):
    starts = timezone.now() + dt.timedelta(days=1)
    response = login(cast.program_manager).post(
        f"{API}/{board.council.pk}/meetings",
        {"title": "x", "starts_at": starts.isoformat(), "ends_at": starts.isoformat(), "place": "본사"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "ends_at" in response.json()["error"]["fields"]


def test_ballots_api_is_secret(cast, board, login):
    task = make_task(board.council, board.chair)
    selection = services.open_round(
        actor=cast.program_manager,
        council=board.council,
        title="선정",
        method="vote",
        task_ids=[task.pk],
        closes_at=timezone.now() + dt.timedelta(days=1),
    )
    response = login(board.member_b.user).post(
        f"{API}/rounds/{selection.pk}/ballots",
        {"task_id": task.pk, "approve": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    recused = login(board.chair.user).post(
        f"{API}/rounds/{selection.pk}/ballots",
        {"task_id": task.pk, "approve": True},
        content_type="application/json",
    )
    assert recused.status_code == 422 and recused.json()["error"]["code"] == "recused"
    assert login(board.member_c.user).get(f"{API}/rounds/{selection.pk}/ballots").json() == []
    auditor_view = login(cast.auditor).get(f"{API}/rounds/{selection.pk}/ballots").json()
    assert len(auditor_view) == 1 and board.member_b.user.name in auditor_view[0]["member"]


def test_other_council_member_cannot_read_meeting(cast, board, login):
    from sangsaeng.councils.tests.factories import make_council, seat
    from sangsaeng.partners.tests.factories import make_partner_owner

    other = make_council(cast.host, is_listed=False)
    _partner, outsider = make_partner_owner()
    seat(other, outsider)
    meeting = make_meeting(board.council, created_by=cast.program_manager, title="비공개 회의")
    client = login(outsider)
    assert client.get(f"{API}/meetings/{meeting.pk}").status_code == 404
    assert client.get(f"/councils/meetings/{meeting.pk}/").status_code == 404
