"""Services of the councils app: members and applications, meetings, minutes and their lock (also in the
database), action-item reminders, task selection with recusal, quorum and secret ballots, hand-over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from sangsaeng.core.models import AuditEvent, Notification
from sangsaeng.core.workflow import TransitionError
from sangsaeng.councils import selectors, services
from sangsaeng.councils.models import (
    ActionItem,
    ApplicationStatus,
    AreaStatus,
    Ballot,
    CouncilKind,
    CouncilMember,
    Minutes,
    MinutesStatus,
    MinutesVersion,
    Recusal,
    RoundStatus,
    Rsvp,
    TaskStatus,
)
from sangsaeng.councils.tests.factories import make_meeting, make_task
from sangsaeng.rnd.tests.factories import make_call

pytestmark = pytest.mark.django_db


# --- Councils and members ---------------------------------------------------------------------------
def test_manager_creates_council_with_host_as_secretariat(cast):
    today = timezone.localdate()
    council = services.create_council(
        actor=cast.program_manager,
        name="글로벌사업협의체",
        kind=CouncilKind.GLOBAL_BUSINESS,
        charter="회칙",
        quorum_percent=60,
        term_start=today,
        term_end=today + dt.timedelta(days=365),
    )
    assert council.secretariat == cast.host
    assert AuditEvent.objects.filter(action="councils.create_council", object_id=str(council.pk)).exists()


def test_core_business_council_needs_business_area(cast):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.create_council(
            actor=cast.host_admin,
            name="핵심사업",
            kind=CouncilKind.CORE_BUSINESS,
            charter="회칙",
            term_start=today,
            term_end=today,
        )
    assert "business_area" in error.value.message_dict


def test_partner_cannot_create_council(cast):
    with pytest.raises(PermissionDenied):
        services.create_council(actor=cast.partner_owner, name="x")


def test_application_approved_with_reason_seats_the_applicant(cast, board):
    _partner, owner = __import__(
        "sangsaeng.partners.tests.factories", fromlist=["make_partner_owner"]
    ).make_partner_owner()
    application = services.apply_to_join(actor=owner, council=board.council, motivation="5G 장비 협력")
    with pytest.raises(ValidationError):  # a reason is required
        services.decide_application(
            actor=cast.program_manager, application=application, approve=True, reason=""
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    services.decide_application(
        actor=cast.program_manager, application=application, approve=True, reason="적격"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decision_reason == "적격"
    assert CouncilMember.objects.filter(council=board.council, user=owner, left_on__isnull=True).exists()


def test_member_company_cannot_apply_and_members_cannot_decide(cast, board):
    with pytest.raises(PermissionDenied):
        services.apply_to_join(actor=cast.partner_owner, council=board.council, motivation="again")
    _partner, owner = __import__(
        "sangsaeng.partners.tests.factories", fromlist=["make_partner_owner"]
    ).make_partner_owner()
    application = services.apply_to_join(actor=owner, council=board.council, motivation="x")
    with pytest.raises(PermissionDenied):
        services.decide_application(
            actor=board.member_b.user, application=application, approve=True, reason="r"
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_member_leaves_and_the_seat_is_kept(cast, board):
    services.remove_member(actor=cast.program_manager, member=board.member_c)
    board.member_c.refresh_from_db()
    assert board.member_c.left_on == timezone.localdate()
    assert selectors.members_of(board.council).count() == 2
    assert selectors.members_of(board.council, include_left=True).count() == 3


# --- Meetings -------------------------------------------------------------------------------------------
def _schedule(cast, board, **overrides):
    starts = timezone.now() + dt.timedelta(days=2)
    values = {
        "title": "1차 정기회의",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "place": "본사 대회의실",
        "agenda": [services.AgendaSpec("협력 분야 선정", presenter=board.chair.user)],
    }
    values.update(overrides)
    return services.schedule_meeting(actor=cast.program_manager, council=board.council, **values)


def test_schedule_invites_every_member(cast, board):
    meeting = _schedule(cast, board)
    assert meeting.invitations.count() == 3
    assert meeting.agenda_items.get().presenter == board.chair.user
    assert Notification.objects.filter(recipient=board.member_b.user).exists()


def test_meeting_needs_place_or_link_and_end_after_start(cast, board):
    starts = timezone.now()
    with pytest.raises(ValidationError) as error:
        _schedule(
            cast, board, place="", online_url="", ends_at=starts - dt.timedelta(hours=1), starts_at=starts
        )
    assert {"place", "ends_at"} <= set(error.value.message_dict)


def test_rsvp_and_quorum_from_charter(cast, board):
    meeting = _schedule(cast, board)
    services.answer_invitation(actor=board.member_b.user, meeting=meeting, rsvp=Rsvp.ATTENDING)
    assert selectors.own_invitation(board.member_b.user, meeting).rsvp == Rsvp.ATTENDING
    quorum = selectors.quorum_of(meeting)
    assert (quorum.invited, quorum.required, quorum.present, quorum.reached) == (3, 2, 0, False)
    services.record_attendance(
        actor=cast.program_manager, meeting=meeting, present_member_ids=[board.chair.pk, board.member_b.pk]
    )
    assert selectors.quorum_of(meeting).reached


def test_outsider_cannot_answer(cast, board):
    meeting = _schedule(cast, board)
    with pytest.raises(PermissionDenied):
        services.answer_invitation(actor=cast.partner_member, meeting=meeting, rsvp=Rsvp.ATTENDING)


def test_self_check_in_only_in_window(cast, board):
    meeting = _schedule(cast, board)
    with pytest.raises(ValidationError):
        services.check_in(actor=board.member_b.user, meeting=meeting)
    assert not meeting.invitations.filter(attended=True).exists()
    services.check_in(actor=board.member_b.user, meeting=meeting, now=meeting.starts_at)
    assert meeting.invitations.get(member=board.member_b).attended


# --- Minutes ----------------------------------------------------------------------------------------
def _locked_minutes(cast, board):
    meeting = make_meeting(board.council, created_by=cast.program_manager)
    services.record_attendance(
        actor=cast.program_manager, meeting=meeting, present_member_ids=[board.member_b.pk]
    )
    services.write_minutes(actor=cast.program_manager, meeting=meeting, body="1. 개회\n2. 안건 논의")
    minutes = Minutes.objects.get(meeting=meeting)
    services.circulate_minutes(actor=cast.program_manager, minutes=minutes)
    services.approve_minutes(actor=board.chair.user, minutes=minutes)
    services.lock_minutes(actor=cast.program_manager, minutes=minutes)
    minutes.refresh_from_db()
    return meeting, minutes


def test_minutes_state_machine_keeps_every_version_and_diffs(cast, board):
    meeting = make_meeting(board.council, created_by=cast.program_manager)
    item = meeting.agenda_items.create(order=1, title="안건 1")
    services.write_minutes(actor=cast.program_manager, meeting=meeting, body="1. 개회\n2. 논의")
    minutes = Minutes.objects.get(meeting=meeting)
    services.circulate_minutes(actor=cast.program_manager, minutes=minutes)
    with pytest.raises(ValidationError):  # not a draft any more
        services.write_minutes(actor=cast.program_manager, meeting=meeting, body="changed")
    services.comment_on_minutes(
        actor=board.member_b.user, minutes=minutes, agenda_item=item, body="수정 요청"
    )
    with pytest.raises(PermissionDenied):  # only the chair approves
        services.approve_minutes(actor=board.member_b.user, minutes=minutes)
    services.return_minutes_to_draft(actor=cast.program_manager, minutes=minutes)
    services.write_minutes(actor=cast.program_manager, meeting=meeting, body="1. 개회\n2. 논의 및 의결")
    minutes.refresh_from_db()
    assert minutes.current_version == 2
    assert list(minutes.versions.values_list("number", flat=True)) == [1, 2]
    lines = selectors.diff_versions(minutes, 1, 2)
    assert ("removed", "2. 논의") in [(line.kind, line.text) for line in lines]
    assert ("added", "2. 논의 및 의결") in [(line.kind, line.text) for line in lines]
    with pytest.raises(TransitionError):  # approving a draft skips circulation
        services.approve_minutes(actor=board.chair.user, minutes=minutes)
    services.circulate_minutes(actor=cast.program_manager, minutes=minutes)
    services.approve_minutes(actor=board.chair.user, minutes=minutes)
    services.lock_minutes(actor=cast.program_manager, minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.LOCKED
    assert minutes.approved_by == board.chair.user and minutes.locked_at is not None


def test_locked_minutes_refused_by_services(cast, board):
    meeting, minutes = _locked_minutes(cast, board)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.write_minutes(actor=cast.program_manager, meeting=meeting, body="몰래 수정")
    with pytest.raises(ValidationError):
        services.return_minutes_to_draft(actor=cast.program_manager, minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.LOCKED and minutes.current_version == 1
    assert MinutesVersion.objects.filter(minutes=minutes).count() == 1
    assert AuditEvent.objects.count() == events


def test_locked_minutes_refused_by_the_database(cast, board):
    _meeting, minutes = _locked_minutes(cast, board)
    with pytest.raises(DatabaseError), transaction.atomic():
        Minutes.objects.filter(pk=minutes.pk).update(status=MinutesStatus.DRAFT)
    with pytest.raises(DatabaseError), transaction.atomic():
        MinutesVersion.objects.filter(minutes=minutes).update(body="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        MinutesVersion.objects.create(minutes=minutes, number=2, body="new", written_by=cast.program_manager)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE councils_minutes SET current_version = 9 WHERE id = %s", [minutes.pk])
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.LOCKED
    assert minutes.versions.get().body == "1. 개회\n2. 안건 논의"


def test_unlocked_minutes_versions_are_still_append_only(cast, board):
    meeting = make_meeting(board.council, created_by=cast.program_manager)
    version = services.write_minutes(actor=cast.program_manager, meeting=meeting, body="초안")
    with pytest.raises(DatabaseError), transaction.atomic():
        MinutesVersion.objects.filter(pk=version.pk).update(body="changed")


def test_attendees_acknowledge_locked_minutes(cast, board):
    _meeting, minutes = _locked_minutes(cast, board)
    services.acknowledge_minutes(actor=board.member_b.user, minutes=minutes)
    services.acknowledge_minutes(actor=board.member_b.user, minutes=minutes)  # once
    assert minutes.acknowledgements.count() == 1
    with pytest.raises(PermissionDenied):  # not an attendee
        services.acknowledge_minutes(actor=board.member_c.user, minutes=minutes)


# --- Action items ---------------------------------------------------------------------------------------
def test_action_item_reminders_before_and_on_due_date_once(cast, board, settings):
    settings.COUNCIL_ACTION_REMINDER_DAYS = 3
    meeting = make_meeting(board.council, created_by=cast.program_manager)
    today = timezone.localdate()
    item = services.add_action_item(
        actor=cast.program_manager,
        meeting=meeting,
        title="장비 사양서 공유",
        due_on=today + dt.timedelta(days=3),
        owner_organization=board.member_b.organization,
    )
    assert services.remind_action_items(today) == 1
    assert services.remind_action_items(today) == 0
    assert (
        Notification.objects.filter(recipient=board.member_b.user, title__contains="장비 사양서").count() == 1
    )
    assert services.remind_action_items(today + dt.timedelta(days=3)) == 1
    assert (
        selectors.overdue(selectors.own_action_items(board.member_b.user), today + dt.timedelta(days=4)).get()
        == item
    )
    assert selectors.secretariat_board_for_user(cast.program_manager).get() == item
    services.set_action_status(actor=board.member_b.user, item=item, status="done")
    assert not selectors.own_action_items(board.member_b.user).exists()


def test_action_item_owner_must_sit_on_council(cast, board):
    meeting = make_meeting(board.council, created_by=cast.program_manager)
    with pytest.raises(ValidationError):
        services.add_action_item(
            actor=cast.program_manager,
            meeting=meeting,
            title="x",
            due_on=timezone.localdate(),
            owner_user=cast.partner_member,
        )
    assert not ActionItem.objects.exists()


# --- Task selection ----------------------------------------------------------------------------------
def _round(cast, board, method="vote", **overrides):
    task_a = make_task(board.council, board.chair, title="A사 과제")
    task_b = make_task(board.council, board.member_b, title="B사 과제")
    values = {
        "title": "2027 과제 선정",
        "method": method,
        "task_ids": [task_a.pk, task_b.pk],
        "closes_at": timezone.now() + dt.timedelta(days=1),
        "seats": 1,
        "criteria": ["기술성", "사업성"] if method == "rubric" else [],
    }
    values.update(overrides)
    return services.open_round(actor=cast.program_manager, council=board.council, **values), task_a, task_b


def test_proposing_organisation_is_recused_and_its_ballot_refused(cast, board):
    selection, task_a, _task_b = _round(cast, board)
    assert Recusal.objects.filter(round=selection, task=task_a, member=board.chair).exists()
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(actor=board.chair.user, selection=selection, task=task_a, approve=True)
    assert error.value.code == "recused"
    assert not Ballot.objects.exists()


def test_declared_conflict_recuses(cast, board):
    selection, task_a, _task_b = _round(cast, board)
    services.declare_conflict(actor=board.member_c.user, selection=selection, task=task_a, note="지분 관계")
    with pytest.raises(ValidationError):
        services.cast_ballot(actor=board.member_c.user, selection=selection, task=task_a, approve=True)
    assert not Ballot.objects.exists()


def test_ballot_once_and_not_after_closing(cast, board):
    selection, task_a, _task_b = _round(cast, board)
    services.cast_ballot(actor=board.member_b.user, selection=selection, task=task_a, approve=True)
    with pytest.raises(ValidationError):
        services.cast_ballot(actor=board.member_b.user, selection=selection, task=task_a, approve=False)
    with pytest.raises(ValidationError):
        services.cast_ballot(
            actor=board.member_c.user, selection=selection, task=task_a, approve=True, now=selection.closes_at
        )
    assert Ballot.objects.count() == 1


def test_rubric_scores_checked(cast, board):
    selection, task_a, _ = _round(cast, board, method="rubric")
    with pytest.raises(ValidationError):
        services.cast_ballot(
            actor=board.member_b.user, selection=selection, task=task_a, scores={"기술성": 9}
        )
    ballot = services.cast_ballot(
        actor=board.member_b.user, selection=selection, task=task_a, scores={"기술성": 4, "사업성": 5}
    )
    assert ballot.total == 9


def test_result_needs_quorum(cast, board):
    selection, task_a, _ = _round(cast, board, quorum_percent=100)
    services.cast_ballot(actor=board.member_b.user, selection=selection, task=task_a, approve=True)
    with pytest.raises(ValidationError):  # still open
        services.close_round(actor=cast.program_manager, selection=selection)
    services.close_round(actor=cast.program_manager, selection=selection, now=selection.closes_at)
    selection.refresh_from_db()
    task_a.refresh_from_db()
    assert selection.status == RoundStatus.FAILED
    assert task_a.status == TaskStatus.PROPOSED


def test_published_tally_selects_and_keeps_ballots_secret(cast, board):
    selection, task_a, task_b = _round(cast, board)
    services.cast_ballot(actor=board.member_b.user, selection=selection, task=task_a, approve=True)
    services.cast_ballot(actor=board.member_c.user, selection=selection, task=task_a, approve=True)
    services.cast_ballot(actor=board.member_c.user, selection=selection, task=task_b, approve=False)
    services.close_round(actor=cast.program_manager, selection=selection, now=selection.closes_at)
    selection.refresh_from_db()
    task_a.refresh_from_db()
    task_b.refresh_from_db()
    assert selection.status == RoundStatus.PUBLISHED
    assert (task_a.status, task_b.status) == (TaskStatus.SELECTED, TaskStatus.NOT_SELECTED)
    assert task_a.area.status == AreaStatus.SELECTED
    tally = {row["task_id"]: row for row in selectors.published_tally(selection)}
    assert (tally[task_a.pk]["approvals"], tally[task_a.pk]["recused"]) == (2, 1)
    assert "member" not in str(selection.tally)
    # Secret: a member reads only their own ballots; the auditor reads all; the chair none.
    assert selectors.ballots_for_user(board.member_c.user, selection).count() == 2
    assert selectors.ballots_for_user(board.member_b.user, selection).count() == 1
    assert selectors.ballots_for_user(board.chair.user, selection).count() == 0
    assert selectors.ballots_for_user(cast.program_manager, selection).count() == 0
    assert selectors.ballots_for_user(cast.auditor, selection).count() == 3
    # The audit trail records that a ballot was cast, not how.
    event = AuditEvent.objects.filter(action="councils.cast_ballot").first()
    assert "approve" not in event.changes and "total" not in event.changes


# --- Hand-over to R&D and use cases -----------------------------------------------------------------
def _selected_task(cast, board):
    selection, task_a, _task_b = _round(cast, board)
    services.cast_ballot(actor=board.member_b.user, selection=selection, task=task_a, approve=True)
    services.cast_ballot(actor=board.member_c.user, selection=selection, task=task_a, approve=True)
    services.close_round(actor=cast.program_manager, selection=selection, now=selection.closes_at)
    task_a.refresh_from_db()
    return task_a


def test_selected_area_becomes_rnd_call_theme_linked_both_ways(cast, board):
    task = _selected_task(cast, board)
    call = make_call()
    services.hand_over_area_to_call(actor=cast.program_manager, area=task.area, call=call)
    call.refresh_from_db()
    assert task.area.name in call.themes
    assert list(call.council_areas.all()) == [task.area]
    with pytest.raises(ValidationError):
        services.hand_over_area_to_call(actor=cast.program_manager, area=task.area, call=call)
    proposal = services.task_to_rnd_proposal(actor=cast.partner_owner, task=task)
    assert (proposal.title, proposal.theme, proposal.summary) == (task.title, task.area.name, task.problem)
    task.refresh_from_db()
    assert task.rnd_proposal == proposal and list(proposal.council_tasks.all()) == [task]


def test_unselected_area_is_not_handed_over(cast, board):
    task = make_task(board.council, board.chair)
    call = make_call()
    with pytest.raises(ValidationError):
        services.hand_over_area_to_call(actor=cast.program_manager, area=task.area, call=call)
    call.refresh_from_db()
    assert task.area.name not in call.themes


def test_selected_task_becomes_use_case_of_proposing_partner_only(cast, board):
    task = _selected_task(cast, board)
    with pytest.raises(PermissionDenied):
        services.task_to_use_case(
            actor=cast.other_partner_owner, task=task, industry="other", features=["embb"], nda_accepted=True
        )
    use_case = services.task_to_use_case(
        actor=cast.partner_owner, task=task, industry="other", features=["embb"], nda_accepted=True
    )
    assert use_case.partner == cast.partner and use_case.title == task.title
    task.refresh_from_db()
    assert task.use_case == use_case


def test_seat_is_unique_while_active(cast, board):
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMember.objects.create(
            council=board.council,
            organization=board.member_b.organization,
            user=board.member_b.user,
            joined_on=timezone.localdate(),
        )
