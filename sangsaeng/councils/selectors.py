"""Reads of the councils app: every function takes the acting user and returns only what they may see.

A council is read in full by the host's managers and auditors and by the people of an organisation
holding an active seat; a listed council shows everyone else its public page (charter, how to apply).
Meetings, minutes, tasks and rounds are read only in full: anything else is a 404. Ballots are read by
their voter and by auditors (permissions.can_view_ballots), never by other members.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sangsaeng.accounts.selectors import organization_id_of
from sangsaeng.councils import permissions
from sangsaeng.councils.models import (
    ActionItem,
    ActionStatus,
    Ballot,
    CooperationArea,
    Council,
    CouncilMember,
    Invitation,
    JoinApplication,
    Meeting,
    Minutes,
    MinutesVersion,
    Rsvp,
    SelectionRound,
    TaskProposal,
)


def _member_filter(user: Any) -> Q | None:
    """Q selecting the councils the user reads in full; None means all of them."""
    if permissions.reads_every_council(user):
        return None
    organization_id = organization_id_of(user)
    if organization_id is None:
        return Q(pk__in=[])
    seats = CouncilMember.objects.filter(organization_id=organization_id, left_on__isnull=True)
    return Q(pk__in=seats.values("council_id"))


def councils_for_user(user: Any) -> QuerySet[Council]:
    """The councils the user reads in full, with their active member count."""
    queryset = Council.objects.select_related("business_area").annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True)
    )
    condition = _member_filter(user)
    queryset = queryset.order_by("kind", "name", "id")
    return queryset if condition is None else queryset.filter(condition)


def listed_councils() -> QuerySet[Council]:
    """The public list of councils (공개 목록) with how to apply."""
    return (
        Council.objects.filter(is_listed=True)
        .select_related("business_area")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True))
        .order_by("kind", "name", "id")
    )


def reads_in_full(user: Any, council: Council) -> bool:
    if permissions.reads_every_council(user):
        return True
    organization_id = organization_id_of(user)
    return (
        organization_id is not None
        and CouncilMember.objects.filter(
            council=council, organization_id=organization_id, left_on__isnull=True
        ).exists()
    )


def get_council_for_user(user: Any, council_id: int) -> tuple[Council, bool]:
    """(council, full): full for insiders; the public page of a listed council for others; else 404."""
    council = Council.objects.select_related("business_area", "secretariat").filter(pk=council_id).first()
    if council is None:
        raise Http404
    if reads_in_full(user, council):
        return council, True
    if council.is_listed:
        return council, False
    raise Http404


def get_member_council_for_user(user: Any, council_id: int) -> Council:
    council, full = get_council_for_user(user, council_id)
    if not full:
        raise Http404
    return council


def members_of(council: Council, *, include_left: bool = False) -> QuerySet[CouncilMember]:
    queryset = council.members.select_related("user", "organization")
    return queryset if include_left else queryset.filter(left_on__isnull=True)


def applications_for_user(user: Any, council: Council) -> QuerySet[JoinApplication]:
    """The secretariat sees every application to the council; an applicant's company its own."""
    queryset = JoinApplication.objects.filter(council=council).select_related(
        "organization", "applicant", "decided_by"
    )
    if permissions.is_secretariat(user, council) or permissions.is_auditor(user):
        return queryset
    return queryset.filter(organization_id=organization_id_of(user) or 0)


def own_applications_for_user(user: Any) -> QuerySet[JoinApplication]:
    return JoinApplication.objects.filter(organization_id=organization_id_of(user) or 0).select_related(
        "council", "decided_by"
    )


def get_application_for_user(user: Any, application_id: int) -> JoinApplication:
    application = (
        JoinApplication.objects.select_related("council", "organization").filter(pk=application_id).first()
    )
    if application is None:
        raise Http404
    if not applications_for_user(user, application.council).filter(pk=application.pk).exists():
        raise Http404
    return application


# --- Meetings ---------------------------------------------------------------------------------------
def meetings_of(council: Council) -> QuerySet[Meeting]:
    return council.meetings.annotate(
        invited=Count("invitations", distinct=True),
        attending=Count("invitations", filter=Q(invitations__rsvp=Rsvp.ATTENDING), distinct=True),
        present=Count("invitations", filter=Q(invitations__attended=True), distinct=True),
    ).select_related("minutes")


def get_meeting_for_user(user: Any, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("council").filter(pk=meeting_id).first()
    if meeting is None or not reads_in_full(user, meeting.council):
        raise Http404
    return meeting


@dataclass(frozen=True)
class Quorum:
    """Quorum from the charter (의결 정족수): attendees needed out of the invited members."""

    invited: int
    required: int
    present: int

    @property
    def reached(self) -> bool:
        return self.invited > 0 and self.present >= self.required


def required_for(count: int, percent: int) -> int:
    """The smallest whole number of people that is at least `percent` % of `count` (ceil)."""
    return -(-count * percent // 100)


def quorum_of(meeting: Meeting) -> Quorum:
    counts = meeting.invitations.aggregate(invited=Count("pk"), present=Count("pk", filter=Q(attended=True)))
    return Quorum(
        invited=counts["invited"],
        required=required_for(counts["invited"], meeting.council.quorum_percent),
        present=counts["present"],
    )


def invitations_of(meeting: Meeting) -> QuerySet[Invitation]:
    return meeting.invitations.select_related("member__user", "member__organization").order_by(
        "member__role", "member__user__name"
    )


def own_invitation(user: Any, meeting: Meeting) -> Invitation | None:
    return meeting.invitations.filter(member__user_id=user.pk).select_related("member").first()


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def versions_of(minutes: Minutes) -> QuerySet[MinutesVersion]:
    return minutes.versions.select_related("written_by")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same", "hunk"
    text: str


def diff_versions(minutes: Minutes, first: int, second: int) -> list[DiffLine]:
    """The line differences between two versions of the minutes (difflib's unified diff)."""
    bodies = dict(minutes.versions.filter(number__in=[first, second]).values_list("number", "body"))
    if first not in bodies or second not in bodies:
        raise Http404
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(
        bodies[first].splitlines(), bodies[second].splitlines(), f"v{first}", f"v{second}", lineterm="", n=2
    ):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines


# --- Action items -------------------------------------------------------------------------------------
def _open_actions() -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(status=ActionStatus.OPEN).select_related(
        "council", "meeting", "owner_user", "owner_organization"
    )


def secretariat_board_for_user(user: Any, *, today: dt.date | None = None) -> QuerySet[ActionItem]:
    """Open action items of the councils the user runs, overdue first (the secretariat's board)."""
    queryset = _open_actions()
    if not permissions.reads_every_council(user):
        secretary_of = CouncilMember.objects.filter(
            user_id=user.pk, left_on__isnull=True, role="secretary"
        ).values("council_id")
        queryset = queryset.filter(council_id__in=secretary_of)
    return queryset.order_by("due_on", "id")


def own_action_items(user: Any) -> QuerySet[ActionItem]:
    """Open action items owned by the user or by the user's organisation (the owner's home)."""
    organization_id = organization_id_of(user)
    condition = Q(owner_user_id=user.pk)
    if organization_id is not None:
        condition |= Q(owner_organization_id=organization_id)
    return _open_actions().filter(condition).order_by("due_on", "id")


def overdue(queryset: QuerySet[ActionItem], today: dt.date | None = None) -> QuerySet[ActionItem]:
    return queryset.filter(due_on__lt=today or timezone.localdate())


def get_action_item_for_user(user: Any, action_id: int) -> ActionItem:
    item = ActionItem.objects.select_related("council", "meeting").filter(pk=action_id).first()
    if item is None or not reads_in_full(user, item.council):
        raise Http404
    return item


# --- Task discovery ---------------------------------------------------------------------------------
def tasks_of(council: Council) -> QuerySet[TaskProposal]:
    return council.tasks.select_related("area", "organization", "proposed_by").annotate(
        comment_count=Count("comments", distinct=True)
    )


def get_task_for_user(user: Any, task_id: int) -> TaskProposal:
    task = (
        TaskProposal.objects.select_related("council", "area", "organization", "proposed_by")
        .filter(pk=task_id)
        .first()
    )
    if task is None or not reads_in_full(user, task.council):
        raise Http404
    return task


def rounds_of(council: Council) -> QuerySet[SelectionRound]:
    return council.rounds.all()


def get_round_for_user(user: Any, round_id: int) -> SelectionRound:
    selection = SelectionRound.objects.select_related("council").filter(pk=round_id).first()
    if selection is None or not reads_in_full(user, selection.council):
        raise Http404
    return selection


def ballots_for_user(user: Any, selection: SelectionRound) -> QuerySet[Ballot]:
    """Auditors read every ballot of the round; anyone else only their own (secret ballot)."""
    queryset = selection.ballots.select_related("task", "member__user", "member__organization")
    if permissions.can_view_ballots(user):
        return queryset
    return queryset.filter(member__user_id=user.pk)


def published_tally(selection: SelectionRound) -> list[dict[str, Any]]:
    """The tally (집계) members see once published: per task, never per voter."""
    return list(selection.tally) if selection.status != "open" else []


def areas_handed_over_to(call: Any) -> QuerySet[CooperationArea]:
    """Where an R&D call's themes came from: the councils' selected areas handed over to it."""
    return CooperationArea.objects.filter(rnd_call=call).select_related("council").order_by("name")
