"""Bench data and endpoints of the councils (협의체), for `make bench` (issue 13 §5).

`generate_bench_data` writes, into the "scale" dataset, 50 councils run by the host, 2,000 seats held
by partner owners (a person may sit on several councils), 5,000 meetings over about two years with
their agenda, invitations for each council's latest meetings, and 100,000 action items owned by
seated people or organisations, due around today (open, done or cancelled). Rows go in with
bulk_create, each one the services could have written; not written: their audit events (the pages
measured here do not read them).

`bench_endpoints` lists the pages and API calls the runner times: the secretariat's board and a
member's home page p95 ≤ 150 ms, and the lists.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import Membership, OrganizationKind, Role, User
from sangsaeng.councils.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Council,
    CouncilKind,
    CouncilMember,
    Invitation,
    Meeting,
    MeetingStatus,
    MemberRole,
    Rsvp,
)

BENCH_DATA_VERSION = 1
BENCH_COUNCILS = 50
BENCH_SEATS = 2_000
BENCH_MEETINGS = 5_000
BENCH_ACTION_ITEMS = 100_000
INVITED_MEETINGS_PER_COUNCIL = 10
BATCH = 5_000
PM_EMAIL = "pm@bench.example.com"
NAME_PREFIX = "벤치 협의체"


def generate_bench_data(
    *,
    seed: int,
    log: Callable[[str], None],
    councils: int = BENCH_COUNCILS,
    seats: int = BENCH_SEATS,
    meetings: int = BENCH_MEETINGS,
    action_items: int = BENCH_ACTION_ITEMS,
) -> dict[str, Any]:
    """Write the councils' bench data; return what bench_endpoints needs (deterministic from `seed`)."""
    rng = random.Random(seed)
    pm = User.objects.get(email=PM_EMAIL)
    host = Membership.objects.get(user=pm, is_active=True).organization
    owners = list(
        Membership.objects.filter(
            is_active=True, role=Role.OWNER, organization__kind=OrganizationKind.PARTNER
        ).values_list("user_id", "organization_id")[: max(seats // 2, 10)]
    )
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        created = Council.objects.bulk_create(
            [
                Council(
                    name=f"{NAME_PREFIX} {index + 1:03d}",
                    kind=(CouncilKind.FUTURE_NETWORK, CouncilKind.GLOBAL_BUSINESS)[index % 2],
                    charter="벤치 회칙",
                    quorum_percent=50,
                    term_start=today - dt.timedelta(days=700),
                    term_end=today + dt.timedelta(days=700),
                    secretariat=host,
                    is_listed=index % 3 != 0,
                )
                for index in range(councils)
            ]
        )
        seat_rows: list[CouncilMember] = []
        per_council = max(seats // councils, 1)
        for index, council in enumerate(created):
            chosen = rng.sample(owners, min(per_council, len(owners)))
            if index == 0 and owners[0] not in chosen:
                chosen[0] = owners[0]  # the measured member sits on the first council
            for position, (user_id, organization_id) in enumerate(chosen):
                seat_rows.append(
                    CouncilMember(
                        council=council,
                        user_id=user_id,
                        organization_id=organization_id,
                        role=MemberRole.CHAIR if position == 0 else MemberRole.MEMBER,
                        joined_on=today - dt.timedelta(days=600),
                    )
                )
        CouncilMember.objects.bulk_create(seat_rows, batch_size=BATCH)
    log(f"{len(created)} councils, {len(seat_rows)} seats")
    seats_by_council: dict[int, list[CouncilMember]] = {}
    for seat in CouncilMember.objects.filter(council__in=created):
        seats_by_council.setdefault(seat.council_id, []).append(seat)

    meeting_rows: list[Meeting] = []
    per_meeting_council = max(meetings // councils, 1)
    for council in created:
        for k in range(per_meeting_council):
            starts = (
                now
                - dt.timedelta(days=700)
                + dt.timedelta(days=k * 730 / per_meeting_council, hours=rng.randint(0, 8))
            )
            meeting_rows.append(
                Meeting(
                    council=council,
                    title=f"{council.name} 회의 {k + 1}",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    place="본사 회의실",
                    status=MeetingStatus.HELD if starts < now else MeetingStatus.SCHEDULED,
                    created_by=pm,
                )
            )
    with transaction.atomic():
        Meeting.objects.bulk_create(meeting_rows, batch_size=BATCH)
    meetings_by_council: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(council__in=created).order_by("council_id", "starts_at"):
        meetings_by_council.setdefault(meeting.council_id, []).append(meeting)
    with transaction.atomic():
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, order=order, title=f"안건 {order}")
                for council_meetings in meetings_by_council.values()
                for meeting in council_meetings[-INVITED_MEETINGS_PER_COUNCIL:]
                for order in (1, 2)
            ],
            batch_size=BATCH,
        )
        Invitation.objects.bulk_create(
            [
                Invitation(
                    meeting=meeting,
                    member=seat,
                    rsvp=rng.choice((Rsvp.PENDING, Rsvp.ATTENDING, Rsvp.DECLINED)),
                    attended=meeting.status == MeetingStatus.HELD and rng.random() < 0.7,
                )
                for council_id, council_meetings in meetings_by_council.items()
                for meeting in council_meetings[-INVITED_MEETINGS_PER_COUNCIL:]
                for seat in seats_by_council.get(council_id, [])
            ],
            batch_size=BATCH,
        )
    log(f"{len(meeting_rows)} meetings")

    written = 0
    all_meetings = [m for ms in meetings_by_council.values() for m in ms]
    while written < action_items:
        rows = []
        for _ in range(min(BATCH, action_items - written)):
            meeting = all_meetings[rng.randrange(len(all_meetings))]
            seat = rng.choice(seats_by_council[meeting.council_id])
            by_person = rng.random() < 0.5
            due = meeting.starts_at.date() + dt.timedelta(days=rng.randint(7, 90))
            status = (
                ActionStatus.OPEN
                if due >= today - dt.timedelta(days=30) or rng.random() < 0.05
                else (ActionStatus.DONE if rng.random() < 0.9 else ActionStatus.CANCELLED)
            )
            rows.append(
                ActionItem(
                    meeting=meeting,
                    council_id=meeting.council_id,
                    title=f"후속 조치 {written + len(rows) + 1}",
                    owner_user_id=seat.user_id if by_person else None,
                    owner_organization_id=None if by_person else seat.organization_id,
                    due_on=due,
                    status=status,
                )
            )
        with transaction.atomic():
            ActionItem.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    log(f"{written} action items")
    member_id = owners[0][0]
    first = created[0]
    return {
        "version": BENCH_DATA_VERSION,
        "councils": len(created),
        "seats": len(seat_rows),
        "meetings": len(meeting_rows),
        "action_items": written,
        "member_email": User.objects.get(pk=member_id).email,
        "council_id": first.pk,
        "meeting_id": meetings_by_council[first.pk][-1].pk,
    }


def bench_endpoints(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The pages and API calls the bench times (GET, answering 200), with their p95 targets."""
    member = info["member_email"]
    endpoints = [
        ("councils secretariat board", "/councils/board/", PM_EMAIL, False, 150),
        ("councils member home page", "/", member, False, 150),
        ("councils list (member)", "/councils/", member, False, 150),
        ("councils my action items", "/councils/my-actions/", member, False, 150),
        ("councils council page (member)", f"/councils/{info['council_id']}/", member, False, 150),
        ("councils meeting page (member)", f"/councils/meetings/{info['meeting_id']}/", member, False, 150),
        ("councils API board", "/api/v1/councils/action-items/board", PM_EMAIL, False, 150),
    ]
    return [
        {"name": name, "path": path, "login": login, "bearer": bearer, "target_p95_ms": float(target)}
        for name, path, login, bearer, target in endpoints
    ]
