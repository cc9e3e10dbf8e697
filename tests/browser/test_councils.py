"""End to end in Chromium: the secretariat schedules a council meeting, a member answers, attendance is
taken, the minutes are circulated, approved by the chair and locked; a task is selected and its area
becomes an R&D call theme, which the call's page shows."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.councils import services
from sangsaeng.councils.models import Meeting, MemberRole, MinutesStatus, Rsvp, TaskStatus
from sangsaeng.councils.tests.factories import make_council, make_task, seat
from sangsaeng.partners.tests.factories import make_partner_owner
from sangsaeng.rnd.tests.factories import make_call

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_meeting_minutes_lock_and_task_to_rnd_theme(new_page, log_in_page):
    host = OrganizationFactory(kind=OrganizationKind.HOST, name="호스트텔레콤")
    pm = make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host, email="pm@host.example")
    council = make_council(host, name="미래네트워크협의체")
    _a, chair_user = make_partner_owner(name_ko="이루온")
    _b, member_user = make_partner_owner(name_ko="하이테크")
    chair = seat(council, chair_user, MemberRole.CHAIR)
    member = seat(council, member_user)

    # The secretariat schedules the meeting (Seoul time) with its agenda.
    pm_page = new_page("ko")
    log_in_page(pm_page, pm.email)
    pm_page.goto(f"/councils/{council.pk}/meetings/new/")
    starts = timezone.localtime() + dt.timedelta(days=2)
    pm_page.fill("#id_title", "제1차 정기회의")
    pm_page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    pm_page.fill("#id_ends_at", (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    pm_page.fill("#id_place", "본사 대회의실")
    pm_page.fill("#id_agenda", "협력 분야 선정\n과제 발굴")
    pm_page.locator("main form button[type=submit]").first.click()
    pm_page.wait_for_url(re.compile(r".*/councils/meetings/\d+/$"))
    meeting = Meeting.objects.get(council=council)
    expect(pm_page.locator("main")).to_contain_text("협력 분야 선정")

    # A member answers the invitation.
    member_page = new_page("ko")
    log_in_page(member_page, member_user.email)
    member_page.goto(f"/councils/meetings/{meeting.pk}/")
    member_page.locator("button[name=rsvp][value=attending]").click()
    member_page.wait_for_load_state()
    assert meeting.invitations.get(member=member).rsvp == Rsvp.ATTENDING

    # Attendance on the day, then the minutes: written, circulated, approved by the chair, locked.
    pm_page.goto(f"/councils/meetings/{meeting.pk}/")
    pm_page.check(f"#present-{member.pk}")
    pm_page.check(f"#present-{chair.pk}")
    pm_page.locator("form[action$='/attendance/'] button[type=submit]").click()
    pm_page.wait_for_load_state()
    assert meeting.invitations.filter(attended=True).count() == 2
    pm_page.fill("#minutes_body", "1. 개회\n2. 협력 분야로 오픈랜 소형셀을 선정하기로 함")
    pm_page.locator("form[action$='/minutes/'] button[type=submit]").click()
    pm_page.wait_for_load_state()
    pm_page.locator("button[name=action][value=circulate]").click()
    pm_page.wait_for_load_state()
    chair_page = new_page("ko")
    log_in_page(chair_page, chair_user.email)
    chair_page.goto(f"/councils/meetings/{meeting.pk}/")
    chair_page.locator("button[name=action][value=approve]").click()
    chair_page.wait_for_load_state()
    chair_page.locator("button[name=action][value=lock]").click()
    chair_page.wait_for_load_state()
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.status == MinutesStatus.LOCKED
    member_page.goto(f"/councils/meetings/{meeting.pk}/")
    member_page.locator("button[name=action][value=acknowledge]").click()
    member_page.wait_for_load_state()
    assert meeting.minutes.acknowledgements.filter(user=member_user).exists()

    # A task is selected: the chair's company proposed it, so only the member may vote.
    task = make_task(council, chair, title="오픈랜 소형셀 RU 국산화")
    selection = services.open_round(
        actor=pm,
        council=council,
        title="과제 선정",
        method="vote",
        task_ids=[task.pk],
        closes_at=timezone.now() + dt.timedelta(seconds=4),
    )
    member_page.goto(f"/councils/rounds/{selection.pk}/")
    member_page.locator("button[name=approve][value=yes]").click()
    member_page.wait_for_load_state()
    time.sleep(max(0.0, (selection.closes_at - timezone.now()).total_seconds()) + 0.5)
    pm_page.goto(f"/councils/rounds/{selection.pk}/")
    pm_page.locator("form[action$='/close/'] button[type=submit]").click()
    pm_page.wait_for_load_state()
    task.refresh_from_db()
    assert task.status == TaskStatus.SELECTED

    # Its area becomes a theme of an open R&D call in one step, and the call shows where it came from.
    call = make_call(title="2027 5G 공동 R&D 공모")
    pm_page.goto(f"/councils/tasks/{task.pk}/")
    pm_page.select_option("#id_call", str(call.pk))
    pm_page.locator("form[action$='/hand-over/'] button[type=submit]").click()
    pm_page.wait_for_load_state()
    call.refresh_from_db()
    assert task.area.name in call.themes
    pm_page.goto(f"/rnd/calls/{call.pk}/")
    expect(pm_page.locator("main")).to_contain_text("미래네트워크협의체")
