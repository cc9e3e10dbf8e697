"""Pages of the councils app: the flow through the pages, the permission matrix, query counts on lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sangsaeng.councils import services
from sangsaeng.councils.models import ActionItem, Minutes, MinutesStatus, Rsvp
from sangsaeng.councils.tests.factories import make_council, make_meeting, make_task, seat

pytestmark = pytest.mark.django_db


def test_list_shows_my_councils_and_the_public_list(cast, board, login):
    hidden = make_council(cast.host, name="비공개 협의체", is_listed=False)
    listed = make_council(cast.host, name="공개 협의체")
    client = login(cast.partner_member)
    text = client.get(reverse("councils:list")).content.decode()
    assert board.council.name in text and listed.name in text and hidden.name not in text


def test_outsider_sees_public_page_and_applies(cast, board, login):
    council = make_council(cast.host, name="핵심사업 협의체")
    client = login(cast.partner_owner)
    response = client.get(reverse("councils:detail", args=[council.pk]))
    assert (
        "how_to_apply" not in response.content.decode() and council.how_to_apply in response.content.decode()
    )
    client.post(reverse("councils:apply", args=[council.pk]), {"motivation": "참여 희망"})
    assert council.applications.get().motivation == "참여 희망"


def test_unlisted_council_is_404_for_outsiders(cast, login):
    council = make_council(cast.host, is_listed=False)
    assert login(cast.partner_owner).get(reverse("councils:detail", args=[council.pk])).status_code == 404


def test_meeting_flow_through_pages(cast, board, login, client):
    login(cast.program_manager)
    starts = timezone.localtime() + dt.timedelta(minutes=30)
    response = client.post(
        reverse("councils:meeting_schedule", args=[board.council.pk]),
        {
            "title": "정기회의",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "본사",
            "agenda": "안건 1\n안건 2",
        },
    )
    meeting = board.council.meetings.get()
    assert response.status_code == 302 and meeting.agenda_items.count() == 2
    page = client.get(reverse("councils:meeting", args=[meeting.pk])).content.decode()
    assert "<svg" in page  # the check-in QR code for the secretariat
    login(board.member_b.user)
    client.post(reverse("councils:rsvp", args=[meeting.pk]), {"rsvp": "attending"})
    client.post(reverse("councils:check_in", args=[meeting.pk]))
    invitation = meeting.invitations.get(member=board.member_b)
    assert invitation.rsvp == Rsvp.ATTENDING and invitation.attended
    login(cast.program_manager)
    client.post(reverse("councils:minutes_write", args=[meeting.pk]), {"body": "회의록 초안"})
    client.post(reverse("councils:minutes_action", args=[meeting.pk]), {"action": "circulate"})
    login(board.chair.user)
    client.post(reverse("councils:minutes_action", args=[meeting.pk]), {"action": "approve"})
    client.post(reverse("councils:minutes_action", args=[meeting.pk]), {"action": "lock"})
    assert Minutes.objects.get(meeting=meeting).status == MinutesStatus.LOCKED
    response = client.get(reverse("councils:meeting_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_member_cannot_schedule_or_approve_as_non_chair(cast, board, login):
    client = login(board.member_b.user)
    assert client.get(reverse("councils:meeting_schedule", args=[board.council.pk])).status_code == 403
    meeting = make_meeting(board.council, created_by=cast.program_manager)
    services.write_minutes(actor=cast.program_manager, meeting=meeting, body="초안")
    services.circulate_minutes(actor=cast.program_manager, minutes=meeting.minutes)
    assert (
        client.post(reverse("councils:minutes_action", args=[meeting.pk]), {"action": "approve"}).status_code
        == 403
    )
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.status == MinutesStatus.CIRCULATED


def test_round_page_hides_ballots_from_members_and_shows_auditor(cast, board, login):
    task = make_task(board.council, board.chair)
    other = make_task(board.council, board.member_c)
    selection = services.open_round(
        actor=cast.program_manager,
        council=board.council,
        title="선정",
        method="vote",
        task_ids=[task.pk, other.pk],
        closes_at=timezone.now() + dt.timedelta(days=1),
    )
    services.cast_ballot(actor=board.member_b.user, selection=selection, task=task, approve=True)
    member_page = (
        login(board.member_c.user).get(reverse("councils:round", args=[selection.pk])).content.decode()
    )
    assert board.member_b.user.name not in member_page
    auditor_page = login(cast.auditor).get(reverse("councils:round", args=[selection.pk])).content.decode()
    assert board.member_b.user.name in auditor_page


@pytest.mark.parametrize("count", [1, 8])
def test_list_pages_have_constant_queries(cast, login, django_assert_max_num_queries, count):
    for index in range(count):
        council = make_council(cast.host)
        member = seat(council, cast.partner_owner)
        meeting = make_meeting(council, created_by=cast.program_manager)
        ActionItem.objects.create(
            meeting=meeting,
            council=council,
            title=f"조치 {index}",
            owner_user=cast.partner_owner,
            due_on=timezone.localdate(),
        )
        make_task(council, member)
    client = login(cast.partner_owner)
    for name in ("councils:list", "councils:my_actions"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200
    client = login(cast.program_manager)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("councils:board")).status_code == 200
    for path in (
        "/api/v1/councils",
        "/api/v1/councils/public",
        "/api/v1/councils/action-items",
        "/api/v1/councils/action-items/board",
    ):
        with django_assert_max_num_queries(10):
            assert client.get(path).status_code == 200


def test_rnd_call_page_shows_where_its_theme_came_from(cast, board, login):
    from sangsaeng.councils.models import AreaStatus, CooperationArea
    from sangsaeng.rnd.tests.factories import make_call

    call = make_call()
    area = CooperationArea.objects.create(
        council=board.council, name="오픈랜 장비", status=AreaStatus.SELECTED
    )
    services.hand_over_area_to_call(actor=cast.program_manager, area=area, call=call)
    page = login(cast.program_manager).get(reverse("rnd:call_detail", args=[call.pk])).content.decode()
    assert "오픈랜 장비" in page and reverse("councils:detail", args=[board.council.pk]) in page


def test_owner_home_shows_overdue_council_actions(cast, board, login):
    meeting = make_meeting(board.council, created_by=cast.program_manager)
    ActionItem.objects.create(
        meeting=meeting,
        council=board.council,
        title="시험 성적서 제출",
        owner_organization=board.chair.organization,
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    page = login(cast.partner_owner).get("/").content.decode()
    assert "시험 성적서 제출" in page
    assert "시험 성적서 제출" not in login(cast.other_partner_owner).get("/").content.decode()
