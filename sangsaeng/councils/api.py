"""Councils API, mounted at /api/v1/councils. Same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from sangsaeng.accounts.models import Organization, User
from sangsaeng.core.pagination import page_slice
from sangsaeng.core.schemas import Id
from sangsaeng.councils import permissions, selectors, services
from sangsaeng.councils.models import (
    ActionItem,
    AgendaItem,
    Council,
    CouncilMember,
    JoinApplication,
    Meeting,
    SelectionRound,
    TaskProposal,
)
from sangsaeng.councils.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionPageOut,
    ActionStatusIn,
    AgendaAttachmentOut,
    AgendaIn,
    AreaIn,
    AreaOut,
    AttendanceIn,
    BallotIn,
    BallotOut,
    CommentIn,
    ConflictIn,
    CouncilDetailOut,
    CouncilIn,
    CouncilMemberIn,
    CouncilMemberOut,
    CouncilPageOut,
    CouncilTaskIn,
    CouncilTaskOut,
    CouncilTaskPageOut,
    DiffLineOut,
    HandOverIn,
    JoinApplicationIn,
    JoinApplicationOut,
    JoinDecisionIn,
    LinkOut,
    ListIn,
    MeetingCancelIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingPageOut,
    MinutesCommentIn,
    MinutesIn,
    MinutesOut,
    QuorumOut,
    RoundIn,
    RoundOut,
    RsvpIn,
    UseCaseFromTaskIn,
)

router = Router(tags=["councils"])


def _council_out(council: Council, *, full: bool | None = None) -> dict[str, Any]:
    out = {
        "id": council.pk,
        "name": council.name,
        "kind": council.kind,
        "business_area": council.business_area.name_ko if council.business_area else None,
        "term_start": council.term_start,
        "term_end": council.term_end,
        "member_count": (
            council.member_count  # type: ignore[attr-defined]
            if hasattr(council, "member_count")
            else council.members.filter(left_on__isnull=True).count()
        ),
        "accepts_applications": council.accepts_applications,
        "how_to_apply": council.how_to_apply,
    }
    if full is not None:
        out.update(
            charter=council.charter,
            quorum_percent=council.quorum_percent,
            secretariat=council.secretariat.name,
            secretariat_unit=council.secretariat_unit,
            full=full,
        )
    return out


def _page(queryset: Any, page: ListIn, convert: Any) -> dict[str, Any]:
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [convert(item) for item in page_slice(queryset, page)],
    }


@router.get(
    "", response=CouncilPageOut, summary="My councils (all of them for the host's managers and auditors)"
)
def list_councils(request: HttpRequest, page: Query[ListIn]) -> dict[str, Any]:
    return _page(selectors.councils_for_user(request.user), page, _council_out)


@router.get("/public", response=CouncilPageOut, summary="Councils open to partners, with how to apply")
def list_public_councils(request: HttpRequest, page: Query[ListIn]) -> dict[str, Any]:
    return _page(selectors.listed_councils(), page, _council_out)


def _action_out(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "council_id": item.council_id,
        "meeting_id": item.meeting_id,
        "title": item.title,
        "owner": item.owner_user.name
        if item.owner_user
        else (item.owner_organization.name if item.owner_organization else ""),
        "due_on": item.due_on,
        "status": item.status,
        "overdue": item.status == "open" and item.due_on < timezone.localdate(),
    }


@router.get("/action-items", response=ActionPageOut, summary="My open action items (person or organisation)")
def my_action_items(request: HttpRequest, page: Query[ListIn]) -> dict[str, Any]:
    return _page(selectors.own_action_items(request.user), page, _action_out)


@router.get(
    "/action-items/board",
    response=ActionPageOut,
    summary="Secretariat board: open action items, overdue first",
)
def board(request: HttpRequest, page: Query[ListIn]) -> dict[str, Any]:
    return _page(selectors.secretariat_board_for_user(request.user), page, _action_out)


@router.post("", response={201: CouncilDetailOut}, summary="Create a council (host managers)")
def create_council(request: HttpRequest, payload: CouncilIn) -> Status[dict[str, Any]]:
    council = services.create_council(actor=request.user, **payload.dict())
    return Status(201, _council_out(council, full=True))


@router.get("/{council_id}", response=CouncilDetailOut, summary="One council (public page for outsiders)")
def get_council(request: HttpRequest, council_id: Id) -> dict[str, Any]:
    council, full = selectors.get_council_for_user(request.user, council_id)
    out = _council_out(council, full=full)
    if not full:
        out.update(secretariat_unit="", quorum_percent=council.quorum_percent)
    return out


def _member_out(member: CouncilMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "user_id": member.user_id,
        "name": member.user.name,
        "organization_id": member.organization_id,
        "organization": member.organization.name,
        "role": member.role,
        "joined_on": member.joined_on,
        "left_on": member.left_on,
    }


@router.get("/{council_id}/members", response=list[CouncilMemberOut], summary="Members, former ones included")
def list_members(request: HttpRequest, council_id: Id) -> list[dict[str, Any]]:
    council = selectors.get_member_council_for_user(request.user, council_id)
    return [_member_out(m) for m in selectors.members_of(council, include_left=True)]


@router.post("/{council_id}/members", response={201: CouncilMemberOut}, summary="Seat a member (secretariat)")
def add_member(request: HttpRequest, council_id: Id, payload: CouncilMemberIn) -> Status[dict[str, Any]]:
    council = selectors.get_member_council_for_user(request.user, council_id)
    person = User.objects.filter(pk=payload.user_id, is_active=True).first()
    if person is None:
        raise ValidationError({"user_id": [_("No active person has this id.")]})
    return Status(
        201,
        _member_out(services.add_member(actor=request.user, council=council, user=person, role=payload.role)),
    )


def _application_out(application: JoinApplication) -> dict[str, Any]:
    return {
        "id": application.pk,
        "council_id": application.council_id,
        "organization": application.organization.name,
        "status": application.status,
        "motivation": application.motivation,
        "decision_reason": application.decision_reason,
        "submitted_at": application.submitted_at,
    }


@router.get("/{council_id}/applications", response=list[JoinApplicationOut], summary="Applications to join")
def list_applications(request: HttpRequest, council_id: Id) -> list[dict[str, Any]]:
    council, _full = selectors.get_council_for_user(request.user, council_id)
    return [_application_out(a) for a in selectors.applications_for_user(request.user, council)[:200]]


@router.post(
    "/{council_id}/applications", response={201: JoinApplicationOut}, summary="Apply to join (partner owner)"
)
def apply_to_join(request: HttpRequest, council_id: Id, payload: JoinApplicationIn) -> Status[dict[str, Any]]:
    council, _full = selectors.get_council_for_user(request.user, council_id)
    return Status(
        201,
        _application_out(
            services.apply_to_join(actor=request.user, council=council, motivation=payload.motivation)
        ),
    )


@router.post(
    "/applications/{application_id}/decision",
    response=JoinApplicationOut,
    summary="Decide an application (secretariat)",
)
def decide_application(request: HttpRequest, application_id: Id, payload: JoinDecisionIn) -> dict[str, Any]:
    application = selectors.get_application_for_user(request.user, application_id)
    return _application_out(
        services.decide_application(
            actor=request.user, application=application, approve=payload.approve, reason=payload.reason
        )
    )


# --- Meetings ---------------------------------------------------------------------------------------
def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    return {
        "id": meeting.pk,
        "council_id": meeting.council_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "status": meeting.status,
        "minutes_status": minutes.status if minutes else None,
    }


def _meeting_detail(meeting: Meeting) -> dict[str, Any]:
    out = _meeting_out(meeting)
    quorum = selectors.quorum_of(meeting)
    out["agenda"] = [
        {
            "id": item.pk,
            "order": item.order,
            "title": item.title,
            "description": item.description,
            "presenter": item.presenter.name if item.presenter else None,
            "attachments": [a.original_name for a in item.attachments.all()],
        }
        for item in meeting.agenda_items.select_related("presenter").prefetch_related("attachments")
    ]
    out["invitations"] = [
        {
            "member_id": inv.member_id,
            "name": inv.member.user.name,
            "organization": inv.member.organization.name,
            "rsvp": inv.rsvp,
            "attended": inv.attended,
        }
        for inv in selectors.invitations_of(meeting)
    ]
    out["quorum"] = QuorumOut(
        invited=quorum.invited, required=quorum.required, present=quorum.present, reached=quorum.reached
    )
    return out


@router.get("/{council_id}/meetings", response=MeetingPageOut, summary="A council's meetings")
def list_meetings(request: HttpRequest, council_id: Id, page: Query[ListIn]) -> dict[str, Any]:
    council = selectors.get_member_council_for_user(request.user, council_id)
    return _page(selectors.meetings_of(council), page, _meeting_out)


@router.post(
    "/{council_id}/meetings", response={201: MeetingDetailOut}, summary="Schedule a meeting (secretariat)"
)
def schedule_meeting(request: HttpRequest, council_id: Id, payload: MeetingIn) -> Status[dict[str, Any]]:
    council = selectors.get_member_council_for_user(request.user, council_id)
    data = payload.dict()
    presenters = {
        u.pk: u
        for u in User.objects.filter(pk__in=[a["presenter_id"] for a in data["agenda"] if a["presenter_id"]])
    }
    agenda = [
        services.AgendaSpec(a["title"], a["description"], presenters.get(a["presenter_id"] or 0))
        for a in data.pop("agenda")
    ]
    meeting = services.schedule_meeting(actor=request.user, council=council, agenda=agenda, **data)
    return Status(201, _meeting_detail(meeting))


@router.get(
    "/meetings/{meeting_id}", response=MeetingDetailOut, summary="One meeting: agenda, invitations, quorum"
)
def get_meeting(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _meeting_detail(selectors.get_meeting_for_user(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/rsvp", response=MeetingDetailOut, summary="Answer the invitation")
def answer_invitation(request: HttpRequest, meeting_id: Id, payload: RsvpIn) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    services.answer_invitation(actor=request.user, meeting=meeting, rsvp=payload.rsvp)
    return _meeting_detail(meeting)


@router.post(
    "/meetings/{meeting_id}/check-in", response=MeetingDetailOut, summary="Check in on the day (member)"
)
def check_in(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    services.check_in(actor=request.user, meeting=meeting)
    return _meeting_detail(meeting)


@router.post(
    "/meetings/{meeting_id}/attendance", response=MeetingDetailOut, summary="Take attendance (secretariat)"
)
def record_attendance(request: HttpRequest, meeting_id: Id, payload: AttendanceIn) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    services.record_attendance(
        actor=request.user, meeting=meeting, present_member_ids=payload.present_member_ids
    )
    return _meeting_detail(meeting)


def _minutes_out(meeting: Meeting) -> dict[str, Any]:
    minutes = selectors.minutes_of(meeting)
    if minutes is None:
        raise Http404
    return {
        "status": minutes.status,
        "current_version": minutes.current_version,
        "approved_at": minutes.approved_at,
        "locked_at": minutes.locked_at,
        "versions": [
            {"number": v.number, "body": v.body, "written_by": v.written_by.name, "written_at": v.written_at}
            for v in selectors.versions_of(minutes)
        ],
        "comments": [
            {
                "agenda_item_id": c.agenda_item_id,
                "version_number": c.version_number,
                "author": c.author.name,
                "body": c.body,
                "created_at": c.created_at,
            }
            for c in minutes.comments.select_related("author")
        ],
        "acknowledged_by": [a.user.name for a in minutes.acknowledgements.select_related("user")],
    }


@router.get("/meetings/{meeting_id}/minutes", response=MinutesOut, summary="The minutes with every version")
def get_minutes(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _minutes_out(selectors.get_meeting_for_user(request.user, meeting_id))


@router.post(
    "/meetings/{meeting_id}/minutes", response={201: MinutesOut}, summary="Write a new version (secretariat)"
)
def write_minutes(request: HttpRequest, meeting_id: Id, payload: MinutesIn) -> Status[dict[str, Any]]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    services.write_minutes(actor=request.user, meeting=meeting, body=payload.body)
    return Status(201, _minutes_out(meeting))


def _minutes_step(request: HttpRequest, meeting_id: Id, service: Any) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    minutes = selectors.minutes_of(meeting)
    if minutes is None:
        raise Http404
    service(actor=request.user, minutes=minutes)
    return _minutes_out(meeting)


@router.post(
    "/meetings/{meeting_id}/minutes/circulate", response=MinutesOut, summary="Circulate for comments"
)
def circulate_minutes(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _minutes_step(request, meeting_id, services.circulate_minutes)


@router.post("/meetings/{meeting_id}/minutes/draft", response=MinutesOut, summary="Back to draft")
def minutes_to_draft(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _minutes_step(request, meeting_id, services.return_minutes_to_draft)


@router.post("/meetings/{meeting_id}/minutes/approve", response=MinutesOut, summary="Approve (chair)")
def approve_minutes(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _minutes_step(request, meeting_id, services.approve_minutes)


@router.post(
    "/meetings/{meeting_id}/minutes/lock", response=MinutesOut, summary="Lock (secretariat or chair)"
)
def lock_minutes(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _minutes_step(request, meeting_id, services.lock_minutes)


@router.post(
    "/meetings/{meeting_id}/minutes/acknowledge", response=MinutesOut, summary="Acknowledge (attendee)"
)
def acknowledge_minutes(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _minutes_step(request, meeting_id, services.acknowledge_minutes)


@router.post(
    "/meetings/{meeting_id}/minutes/comments", response={201: MinutesOut}, summary="Comment on an agenda item"
)
def comment_on_minutes(
    request: HttpRequest, meeting_id: Id, payload: MinutesCommentIn
) -> Status[dict[str, Any]]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    minutes = selectors.minutes_of(meeting)
    item = AgendaItem.objects.filter(pk=payload.agenda_item_id, meeting=meeting).first()
    if minutes is None:
        raise Http404
    if item is None:
        raise ValidationError({"agenda_item_id": [_("Choose an item of this meeting's agenda.")]})
    services.comment_on_minutes(actor=request.user, minutes=minutes, agenda_item=item, body=payload.body)
    return Status(201, _minutes_out(meeting))


@router.get(
    "/meetings/{meeting_id}/minutes/diff",
    response=list[DiffLineOut],
    summary="Differences between two versions",
)
def diff_minutes(
    request: HttpRequest,
    meeting_id: Id,
    first: int = Query(1, ge=1, le=100_000, alias="from"),
    second: int = Query(1, ge=1, le=100_000, alias="to"),
) -> Any:  # type: ignore[assignment]
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    minutes = selectors.minutes_of(meeting)
    if minutes is None:
        raise Http404
    return [
        {"kind": line.kind, "text": line.text} for line in selectors.diff_versions(minutes, first, second)
    ]


# --- Action items ------------------------------------------------------------------------------------
@router.post(
    "/meetings/{meeting_id}/action-items",
    response={201: ActionItemOut},
    summary="Add an action item (secretariat)",
)
def add_action_item(request: HttpRequest, meeting_id: Id, payload: ActionItemIn) -> Status[dict[str, Any]]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    owner_user = User.objects.filter(pk=payload.owner_user_id).first() if payload.owner_user_id else None
    owner_organization = (
        Organization.objects.filter(pk=payload.owner_organization_id).first()
        if payload.owner_organization_id
        else None
    )
    if payload.owner_user_id and owner_user is None:
        raise ValidationError({"owner_user_id": [_("The owner must sit on the council.")]})
    if payload.owner_organization_id and owner_organization is None:
        raise ValidationError(
            {"owner_organization_id": [_("The organisation must hold a seat on the council.")]}
        )
    item = services.add_action_item(
        actor=request.user,
        meeting=meeting,
        title=payload.title,
        due_on=payload.due_on,
        owner_user=owner_user,
        owner_organization=owner_organization,
    )
    return Status(201, _action_out(item))


@router.post(
    "/action-items/{action_id}/status", response=ActionItemOut, summary="Mark done, reopen or cancel"
)
def set_action_status(request: HttpRequest, action_id: Id, payload: ActionStatusIn) -> dict[str, Any]:
    item = selectors.get_action_item_for_user(request.user, action_id)
    return _action_out(services.set_action_status(actor=request.user, item=item, status=payload.status))


# --- Task discovery -----------------------------------------------------------------------------------
def _task_out(task: TaskProposal) -> dict[str, Any]:
    return {
        "id": task.pk,
        "council_id": task.council_id,
        "area": task.area.name,
        "title": task.title,
        "problem": task.problem,
        "expected_outcome": task.expected_outcome,
        "partners_needed": task.partners_needed,
        "organization": task.organization.name,
        "status": task.status,
        "use_case_id": task.use_case_id,
        "rnd_proposal_id": task.rnd_proposal_id,
    }


@router.post("/{council_id}/areas", response={201: AreaOut}, summary="Add a cooperation area")
def add_area(request: HttpRequest, council_id: Id, payload: AreaIn) -> Status[Any]:
    council = selectors.get_member_council_for_user(request.user, council_id)
    area = services.add_area(
        actor=request.user, council=council, name=payload.name, description=payload.description
    )
    return Status(
        201, {"id": area.pk, "name": area.name, "status": area.status, "rnd_call_id": area.rnd_call_id}
    )


@router.post("/areas/{area_id}/hand-over", response=AreaOut, summary="Make a selected area an R&D call theme")
def hand_over_area(request: HttpRequest, area_id: Id, payload: HandOverIn) -> dict[str, Any]:
    from sangsaeng.councils.models import CooperationArea
    from sangsaeng.rnd.models import Call

    area = CooperationArea.objects.filter(pk=area_id).first()
    if area is None:
        raise Http404
    selectors.get_member_council_for_user(request.user, area.council_id)
    call = Call.objects.filter(pk=payload.call_id).first()
    if call is None:
        raise ValidationError({"call_id": [_("Choose a call that has not closed.")]})
    area = services.hand_over_area_to_call(actor=request.user, area=area, call=call)
    return {"id": area.pk, "name": area.name, "status": area.status, "rnd_call_id": area.rnd_call_id}


@router.get("/{council_id}/tasks", response=CouncilTaskPageOut, summary="Proposed tasks of a council")
def list_tasks(request: HttpRequest, council_id: Id, page: Query[ListIn]) -> dict[str, Any]:
    council = selectors.get_member_council_for_user(request.user, council_id)
    return _page(selectors.tasks_of(council), page, _task_out)


@router.post("/{council_id}/tasks", response={201: CouncilTaskOut}, summary="Propose a task (member)")
def propose_task(request: HttpRequest, council_id: Id, payload: CouncilTaskIn) -> Status[dict[str, Any]]:
    council = selectors.get_member_council_for_user(request.user, council_id)
    data = payload.dict()
    area = council.areas.filter(pk=data.pop("area_id")).first()
    if area is None:
        raise ValidationError({"area_id": [_("Choose an area of this council.")]})
    return Status(
        201, _task_out(services.propose_task(actor=request.user, council=council, area=area, **data))
    )


@router.get("/tasks/{task_id}", response=CouncilTaskOut, summary="One task")
def get_task(request: HttpRequest, task_id: Id) -> dict[str, Any]:
    return _task_out(selectors.get_task_for_user(request.user, task_id))


@router.post("/tasks/{task_id}/comments", response={201: CouncilTaskOut}, summary="Discuss a task")
def comment_on_task(request: HttpRequest, task_id: Id, payload: CommentIn) -> Status[dict[str, Any]]:
    task = selectors.get_task_for_user(request.user, task_id)
    services.comment_on_task(actor=request.user, task=task, body=payload.body)
    return Status(201, _task_out(task))


@router.post(
    "/tasks/{task_id}/use-case", response={201: LinkOut}, summary="Turn a selected task into a 5G use case"
)
def task_to_use_case(request: HttpRequest, task_id: Id, payload: UseCaseFromTaskIn) -> Status[dict[str, Any]]:
    task = selectors.get_task_for_user(request.user, task_id)
    use_case = services.task_to_use_case(actor=request.user, task=task, **payload.dict())
    return Status(201, {"id": use_case.pk})


@router.post(
    "/tasks/{task_id}/rnd-proposal",
    response={201: LinkOut},
    summary="Turn a selected task into an R&D proposal draft",
)
def task_to_rnd_proposal(request: HttpRequest, task_id: Id) -> Status[dict[str, Any]]:
    task = selectors.get_task_for_user(request.user, task_id)
    return Status(201, {"id": services.task_to_rnd_proposal(actor=request.user, task=task).pk})


def _round_out(selection: SelectionRound) -> dict[str, Any]:
    return {
        "id": selection.pk,
        "council_id": selection.council_id,
        "title": selection.title,
        "method": selection.method,
        "criteria": selection.criteria,
        "max_score": selection.max_score,
        "seats": selection.seats,
        "quorum_percent": selection.quorum_percent,
        "closes_at": selection.closes_at,
        "status": selection.status,
        "candidate_ids": list(selection.candidates.values_list("pk", flat=True)),
        "tally": selectors.published_tally(selection),
    }


@router.post("/{council_id}/rounds", response={201: RoundOut}, summary="Open a selection (secretariat)")
def open_round(request: HttpRequest, council_id: Id, payload: RoundIn) -> Status[dict[str, Any]]:
    council = selectors.get_member_council_for_user(request.user, council_id)
    return Status(201, _round_out(services.open_round(actor=request.user, council=council, **payload.dict())))


@router.get("/rounds/{round_id}", response=RoundOut, summary="A selection and its published tally")
def get_round(request: HttpRequest, round_id: Id) -> dict[str, Any]:
    return _round_out(selectors.get_round_for_user(request.user, round_id))


@router.get(
    "/rounds/{round_id}/ballots", response=list[BallotOut], summary="Ballots: auditors all, others their own"
)
def list_ballots(request: HttpRequest, round_id: Id) -> list[dict[str, Any]]:
    selection = selectors.get_round_for_user(request.user, round_id)
    shows_voter = permissions.can_view_ballots(request.user)
    return [
        {
            "id": b.pk,
            "task_id": b.task_id,
            "member": f"{b.member.user.name} ({b.member.organization.name})" if shows_voter else None,
            "scores": b.scores,
            "approve": b.approve,
            "total": b.total,
            "cast_at": b.cast_at,
        }
        for b in selectors.ballots_for_user(request.user, selection)[:5000]
    ]


def _candidate(selection: SelectionRound, task_id: Id) -> TaskProposal:
    task = selection.candidates.filter(pk=task_id).first()
    if task is None:
        raise ValidationError({"task_id": [_("Choose a task of this selection.")]})
    return task


@router.post("/rounds/{round_id}/ballots", response={201: BallotOut}, summary="Cast a ballot (member)")
def cast_ballot(request: HttpRequest, round_id: Id, payload: BallotIn) -> Status[dict[str, Any]]:
    selection = selectors.get_round_for_user(request.user, round_id)
    task = _candidate(selection, payload.task_id)
    ballot = services.cast_ballot(
        actor=request.user, selection=selection, task=task, scores=payload.scores, approve=payload.approve
    )
    return Status(
        201,
        {
            "id": ballot.pk,
            "task_id": ballot.task_id,
            "member": None,
            "scores": ballot.scores,
            "approve": ballot.approve,
            "total": ballot.total,
            "cast_at": ballot.cast_at,
        },
    )


@router.post(
    "/rounds/{round_id}/conflicts", response={201: RoundOut}, summary="Declare a conflict of interest"
)
def declare_conflict(request: HttpRequest, round_id: Id, payload: ConflictIn) -> Status[dict[str, Any]]:
    selection = selectors.get_round_for_user(request.user, round_id)
    services.declare_conflict(
        actor=request.user,
        selection=selection,
        task=_candidate(selection, payload.task_id),
        note=payload.note,
    )
    return Status(201, _round_out(selection))


@router.post(
    "/rounds/{round_id}/close", response=RoundOut, summary="Publish the result (secretariat, after closing)"
)
def close_round(request: HttpRequest, round_id: Id) -> dict[str, Any]:
    selection = selectors.get_round_for_user(request.user, round_id)
    return _round_out(services.close_round(actor=request.user, selection=selection))


# --- Further operations of the pages ------------------------------------------------------------------
_OPTIONAL_FILE = File(None)  # optional so that an unknown object answers 404 before a missing file 422


@router.post("/meetings/{meeting_id}/agenda", response={201: MeetingDetailOut}, summary="Add an agenda item")
def add_agenda_item(request: HttpRequest, meeting_id: Id, payload: AgendaIn) -> Status[dict[str, Any]]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    presenter = User.objects.filter(pk=payload.presenter_id).first() if payload.presenter_id else None
    if payload.presenter_id and presenter is None:
        raise ValidationError({"presenter_id": [_("The presenter must be a member or of the secretariat.")]})
    services.add_agenda_item(
        actor=request.user,
        meeting=meeting,
        title=payload.title,
        description=payload.description,
        presenter=presenter,
    )
    return Status(201, _meeting_detail(meeting))


@router.post(
    "/agenda/{item_id}/attachments",
    response={201: AgendaAttachmentOut},
    summary="Attach a document to an agenda item",
)
def add_agenda_attachment(
    request: HttpRequest, item_id: Id, file: UploadedFile | None = _OPTIONAL_FILE
) -> Status[Any]:
    item = AgendaItem.objects.select_related("meeting__council").filter(pk=item_id).first()
    if item is None:
        raise Http404
    selectors.get_meeting_for_user(request.user, item.meeting_id)
    if file is None:
        raise ValidationError({"file": [_("Choose a file.")]})
    return Status(201, services.add_agenda_attachment(actor=request.user, item=item, upload=file))


@router.post("/meetings/{meeting_id}/held", response=MeetingDetailOut, summary="Record the meeting as held")
def mark_meeting_held(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    services.mark_meeting_held(actor=request.user, meeting=meeting)
    return _meeting_detail(meeting)


@router.post(
    "/meetings/{meeting_id}/cancel", response=MeetingDetailOut, summary="Cancel the meeting (with a reason)"
)
def cancel_meeting(request: HttpRequest, meeting_id: Id, payload: MeetingCancelIn) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    services.cancel_meeting(actor=request.user, meeting=meeting, reason=payload.reason)
    return _meeting_detail(meeting)


@router.post("/members/{member_id}/leave", response=CouncilMemberOut, summary="A member leaves (secretariat)")
def remove_member(request: HttpRequest, member_id: Id) -> dict[str, Any]:
    member = (
        CouncilMember.objects.select_related("council", "user", "organization").filter(pk=member_id).first()
    )
    if member is None:
        raise Http404
    selectors.get_member_council_for_user(request.user, member.council_id)
    return _member_out(services.remove_member(actor=request.user, member=member))


@router.post(
    "/applications/{application_id}/withdraw", response=JoinApplicationOut, summary="Withdraw an application"
)
def withdraw_application(request: HttpRequest, application_id: Id) -> dict[str, Any]:
    application = selectors.get_application_for_user(request.user, application_id)
    return _application_out(services.withdraw_application(actor=request.user, application=application))


@router.post(
    "/tasks/{task_id}/attachments", response={201: AgendaAttachmentOut}, summary="Attach a document to a task"
)
def add_task_attachment(
    request: HttpRequest, task_id: Id, file: UploadedFile | None = _OPTIONAL_FILE
) -> Status[Any]:
    task = selectors.get_task_for_user(request.user, task_id)
    if file is None:
        raise ValidationError({"file": [_("Choose a file.")]})
    return Status(201, services.add_task_attachment(actor=request.user, task=task, upload=file))
