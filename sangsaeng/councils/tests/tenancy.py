"""Registers every councils route with the tenancy harness (core/tests/test_tenancy.py).

Each `make` receives the owner of partner A and builds an unlisted council in which A holds a seat,
with its meeting, minutes, action item, task, round and ballot carrying a text only A's people (and the
host) may see. A person of partner B, who holds no seat, gets a 404 from every object route and never
sees the text in a list: a member of one council cannot read another council's closed meetings or
ballots.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from sangsaeng.accounts.models import Membership
from sangsaeng.core.tests import tenancy
from sangsaeng.councils.models import (
    ActionItem,
    AgendaAttachment,
    AgendaItem,
    Ballot,
    CooperationArea,
    Council,
    CouncilKind,
    CouncilMember,
    Invitation,
    JoinApplication,
    Meeting,
    MemberRole,
    Minutes,
    MinutesVersion,
    SelectionRound,
    TaskAttachment,
    TaskProposal,
)


def _secret() -> str:
    return f"secret-{uuid.uuid4().hex[:12]}"


def _council(owner: Any, secret: str) -> tuple[Council, CouncilMember]:
    organization = Membership.objects.get(user=owner, is_active=True).organization
    today = timezone.localdate()
    council = Council.objects.create(
        name=secret,
        kind=CouncilKind.FUTURE_NETWORK,
        charter=secret,
        term_start=today,
        term_end=today + dt.timedelta(days=365),
        secretariat=organization,
        is_listed=False,
        how_to_apply=secret,
    )
    seat = CouncilMember.objects.create(
        council=council, organization=organization, user=owner, role=MemberRole.CHAIR, joined_on=today
    )
    return council, seat


def _meeting_of(owner: Any, secret: str) -> tuple[Meeting, CouncilMember]:
    council, seat = _council(owner, secret)
    starts = timezone.now() + dt.timedelta(days=1)
    meeting = Meeting.objects.create(
        council=council,
        title=secret,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        place=secret,
        created_by=owner,
    )
    Invitation.objects.create(meeting=meeting, member=seat)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title=secret)
    minutes = Minutes.objects.create(meeting=meeting, current_version=1)
    MinutesVersion.objects.create(minutes=minutes, number=1, body=secret, written_by=owner)
    ActionItem.objects.create(
        meeting=meeting,
        council=council,
        title=secret,
        owner_organization=seat.organization,
        due_on=timezone.localdate(),
    )
    del item
    return meeting, seat


def _council_route(owner: Any) -> tenancy.Owned:
    secret = _secret()
    return tenancy.Owned({"council_id": _council(owner, secret)[0].pk}, secret)


def _meeting(owner: Any) -> tenancy.Owned:
    secret = _secret()
    return tenancy.Owned({"meeting_id": _meeting_of(owner, secret)[0].pk}, secret)


def _application(owner: Any) -> tenancy.Owned:
    secret = _secret()
    council, seat = _council(owner, secret)
    application = JoinApplication.objects.create(
        council=council, organization=seat.organization, applicant=owner, motivation=secret
    )
    return tenancy.Owned({"application_id": application.pk}, secret)


def _member(owner: Any) -> tenancy.Owned:
    secret = _secret()
    return tenancy.Owned({"member_id": _council(owner, secret)[1].pk}, secret)


def _agenda_item(owner: Any) -> tenancy.Owned:
    secret = _secret()
    meeting, _seat = _meeting_of(owner, secret)
    return tenancy.Owned({"item_id": meeting.agenda_items.get().pk}, secret)


def _agenda_attachment(owner: Any) -> tenancy.Owned:
    secret = _secret()
    meeting, _seat = _meeting_of(owner, secret)
    item = meeting.agenda_items.get()
    attachment = AgendaAttachment(
        item=item,
        original_name=f"{secret}.pdf",
        content_type="application/pdf",
        size_bytes=20,
        uploaded_by=owner,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(f"%PDF-1.4 {secret}".encode()), save=False)
    attachment.save()
    return tenancy.Owned({"item_id": item.pk, "attachment_id": attachment.pk}, secret)


def _action(owner: Any) -> tenancy.Owned:
    secret = _secret()
    meeting, _seat = _meeting_of(owner, secret)
    return tenancy.Owned({"action_id": meeting.action_items.get().pk}, secret)


def _task_of(owner: Any, secret: str) -> tuple[TaskProposal, CouncilMember]:
    council, seat = _council(owner, secret)
    area = CooperationArea.objects.create(council=council, name=secret)
    task = TaskProposal.objects.create(
        council=council,
        area=area,
        title=secret,
        problem=secret,
        expected_outcome=secret,
        proposed_by=owner,
        organization=seat.organization,
    )
    return task, seat


def _task(owner: Any) -> tenancy.Owned:
    secret = _secret()
    return tenancy.Owned({"task_id": _task_of(owner, secret)[0].pk}, secret)


def _area(owner: Any) -> tenancy.Owned:
    secret = _secret()
    return tenancy.Owned({"area_id": _task_of(owner, secret)[0].area_id}, secret)


def _task_attachment(owner: Any) -> tenancy.Owned:
    secret = _secret()
    task, _seat = _task_of(owner, secret)
    attachment = TaskAttachment(
        task=task,
        original_name=f"{secret}.pdf",
        content_type="application/pdf",
        size_bytes=20,
        uploaded_by=owner,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(f"%PDF-1.4 {secret}".encode()), save=False)
    attachment.save()
    return tenancy.Owned({"task_id": task.pk, "attachment_id": attachment.pk}, secret)


def _round(owner: Any) -> tenancy.Owned:
    """A round with a ballot (secret even from other members of the same council)."""
    secret = _secret()
    task, seat = _task_of(owner, secret)
    selection = SelectionRound.objects.create(
        council=task.council,
        title=secret,
        method="vote",
        quorum_percent=50,
        closes_at=timezone.now() + dt.timedelta(days=1),
        eligible_count=1,
        created_by=owner,
    )
    selection.candidates.add(task)
    Ballot.objects.create(round=selection, task=task, member=seat, approve=True, total=1)
    return tenancy.Owned({"round_id": selection.pk}, secret)


# --- Web routes ---------------------------------------------------------------------------------------
tenancy.register_object("councils:detail", make=_council_route)
tenancy.register_object("councils:edit", make=_council_route)
tenancy.register_object("councils:edit", make=_council_route, method="post", data={"name": "x"})
tenancy.register_object("councils:apply", make=_council_route, method="post", data={"motivation": "x"})
tenancy.register_object(
    "councils:member_add", make=_council_route, method="post", data={"email": "a@b.c", "role": "member"}
)
tenancy.register_object("councils:area_add", make=_council_route, method="post", data={"name": "x"})
tenancy.register_object("councils:meeting_schedule", make=_council_route)
tenancy.register_object("councils:task_propose", make=_council_route)
tenancy.register_object("councils:round_open", make=_council_route)
tenancy.register_object(
    "councils:application_decide",
    make=_application,
    method="post",
    data={"decision": "approve", "reason": "x"},
)
tenancy.register_object("councils:member_remove", make=_member, method="post")
for _name in ("meeting", "check_in", "minutes_diff", "meeting_pdf"):
    tenancy.register_object(f"councils:{_name}", make=_meeting)
for _name, _data in (
    ("rsvp", {"rsvp": "attending"}),
    ("attendance", {"present": "1"}),
    ("meeting_status", {"action": "held"}),
    ("agenda_add", {"title": "x"}),
    ("minutes_write", {"body": "x"}),
    ("minutes_action", {"action": "circulate"}),
    ("minutes_comment", {"agenda_item": "1", "body": "x"}),
    ("action_add", {"title": "x", "due_on": "2030-01-01"}),
):
    tenancy.register_object(f"councils:{_name}", make=_meeting, method="post", data=_data)
tenancy.register_object("councils:agenda_attach", make=_agenda_item, method="post")
tenancy.register_object("councils:agenda_attachment", make=_agenda_attachment)
tenancy.register_object("councils:action_status", make=_action, method="post", data={"status": "done"})
tenancy.register_object("councils:task", make=_task)
tenancy.register_object("councils:task_attachment", make=_task_attachment)
tenancy.register_object("councils:task_comment", make=_task, method="post", data={"body": "x"})
tenancy.register_object("councils:task_use_case", make=_task, method="post", data={"industry": "other"})
tenancy.register_object("councils:task_rnd_proposal", make=_task, method="post")
tenancy.register_object("councils:area_hand_over", make=_area, method="post", data={"call": "1"})
tenancy.register_object("councils:round", make=_round)
tenancy.register_object(
    "councils:round_ballot", make=_round, method="post", data={"task": "1", "approve": "yes"}
)
tenancy.register_object("councils:round_conflict", make=_round, method="post", data={"task": "1"})
tenancy.register_object("councils:round_close", make=_round, method="post")

for _route in ("councils:list", "councils:my_actions", "councils:board"):
    tenancy.register_list(_route, make=_meeting)
tenancy.register_list("councils:list", make=_council_route)

# --- API routes ---------------------------------------------------------------------------------------
_API = "/api/v1/councils"
tenancy.register_object(f"GET {_API}/{{council_id}}", make=_council_route)
tenancy.register_object(f"GET {_API}/{{council_id}}/members", make=_council_route)
tenancy.register_object(f"POST {_API}/{{council_id}}/members", make=_council_route, data={"user_id": 1})
tenancy.register_object(f"GET {_API}/{{council_id}}/applications", make=_council_route)
tenancy.register_object(
    f"POST {_API}/{{council_id}}/applications", make=_council_route, data={"motivation": "x"}
)
tenancy.register_object(
    f"POST {_API}/applications/{{application_id}}/decision",
    make=_application,
    data={"approve": True, "reason": "x"},
)
tenancy.register_object(f"GET {_API}/{{council_id}}/meetings", make=_council_route)
tenancy.register_object(
    f"POST {_API}/{{council_id}}/meetings",
    make=_council_route,
    data={
        "title": "x",
        "starts_at": "2030-01-01T10:00:00+09:00",
        "ends_at": "2030-01-01T11:00:00+09:00",
        "place": "x",
    },
)
tenancy.register_object(f"GET {_API}/{{council_id}}/tasks", make=_council_route)
tenancy.register_object(
    f"POST {_API}/{{council_id}}/tasks",
    make=_council_route,
    data={"area_id": 1, "title": "x", "problem": "x", "expected_outcome": "x"},
)
tenancy.register_object(f"POST {_API}/{{council_id}}/areas", make=_council_route, data={"name": "x"})
tenancy.register_object(
    f"POST {_API}/{{council_id}}/rounds",
    make=_council_route,
    data={"title": "x", "method": "vote", "task_ids": [1], "closes_at": "2030-01-01T10:00:00+09:00"},
)
tenancy.register_object(f"GET {_API}/meetings/{{meeting_id}}", make=_meeting)
tenancy.register_object(f"GET {_API}/meetings/{{meeting_id}}/minutes", make=_meeting)
tenancy.register_object(f"GET {_API}/meetings/{{meeting_id}}/minutes/diff", make=_meeting)
tenancy.register_object(
    f"POST {_API}/meetings/{{meeting_id}}/rsvp", make=_meeting, data={"rsvp": "attending"}
)
tenancy.register_object(f"POST {_API}/meetings/{{meeting_id}}/check-in", make=_meeting)
tenancy.register_object(
    f"POST {_API}/meetings/{{meeting_id}}/attendance", make=_meeting, data={"present_member_ids": []}
)
tenancy.register_object(f"POST {_API}/meetings/{{meeting_id}}/minutes", make=_meeting, data={"body": "x"})
for _step in ("circulate", "draft", "approve", "lock", "acknowledge"):
    tenancy.register_object(f"POST {_API}/meetings/{{meeting_id}}/minutes/{_step}", make=_meeting)
tenancy.register_object(
    f"POST {_API}/meetings/{{meeting_id}}/minutes/comments",
    make=_meeting,
    data={"agenda_item_id": 1, "body": "x"},
)
tenancy.register_object(
    f"POST {_API}/meetings/{{meeting_id}}/action-items",
    make=_meeting,
    data={"title": "x", "due_on": "2030-01-01"},
)
tenancy.register_object(
    f"POST {_API}/action-items/{{action_id}}/status", make=_action, data={"status": "done"}
)
tenancy.register_object(f"GET {_API}/tasks/{{task_id}}", make=_task)
tenancy.register_object(f"POST {_API}/tasks/{{task_id}}/comments", make=_task, data={"body": "x"})
tenancy.register_object(
    f"POST {_API}/tasks/{{task_id}}/use-case",
    make=_task,
    data={"industry": "other", "features": ["embb"], "nda_accepted": True},
)
tenancy.register_object(f"POST {_API}/tasks/{{task_id}}/rnd-proposal", make=_task)
tenancy.register_object(f"POST {_API}/areas/{{area_id}}/hand-over", make=_area, data={"call_id": 1})
tenancy.register_object(f"GET {_API}/rounds/{{round_id}}", make=_round)
tenancy.register_object(f"GET {_API}/rounds/{{round_id}}/ballots", make=_round)
tenancy.register_object(
    f"POST {_API}/rounds/{{round_id}}/ballots", make=_round, data={"task_id": 1, "approve": True}
)
tenancy.register_object(f"POST {_API}/rounds/{{round_id}}/conflicts", make=_round, data={"task_id": 1})
tenancy.register_object(f"POST {_API}/rounds/{{round_id}}/close", make=_round)
for _route in (
    f"GET {_API}",
    f"GET {_API}/public",
    f"GET {_API}/action-items",
    f"GET {_API}/action-items/board",
):
    tenancy.register_list(_route, make=_meeting)
tenancy.register_object(f"POST {_API}/meetings/{{meeting_id}}/agenda", make=_meeting, data={"title": "x"})
tenancy.register_object(f"POST {_API}/agenda/{{item_id}}/attachments", make=_agenda_item)
tenancy.register_object(f"POST {_API}/meetings/{{meeting_id}}/held", make=_meeting)
tenancy.register_object(f"POST {_API}/meetings/{{meeting_id}}/cancel", make=_meeting, data={"reason": "x"})
tenancy.register_object(f"POST {_API}/members/{{member_id}}/leave", make=_member)
tenancy.register_object(f"POST {_API}/applications/{{application_id}}/withdraw", make=_application)
tenancy.register_object("councils:task_attach", make=_task, method="post")
tenancy.register_object(f"POST {_API}/tasks/{{task_id}}/attachments", make=_task)
