"""Test data of the councils app, built with the ORM (fast) where the services are not under test."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from sangsaeng.accounts.models import Membership
from sangsaeng.councils.models import (
    CooperationArea,
    Council,
    CouncilKind,
    CouncilMember,
    Invitation,
    Meeting,
    MemberRole,
    TaskProposal,
)

_numbers = itertools.count(1)


def make_council(secretariat, *, name: str = "", is_listed: bool = True, **fields) -> Council:
    today = timezone.localdate()
    values = {
        "name": name or f"미래네트워크협의체 {next(_numbers)}",
        "kind": CouncilKind.FUTURE_NETWORK,
        "charter": "제1조 (목적) 5G 네트워크 협력.",
        "quorum_percent": 50,
        "term_start": today - dt.timedelta(days=30),
        "term_end": today + dt.timedelta(days=700),
        "secretariat": secretariat,
        "is_listed": is_listed,
        "how_to_apply": "사무국에 신청서를 제출하세요.",
    }
    values.update(fields)
    return Council.objects.create(**values)


def seat(council: Council, user, role: str = MemberRole.MEMBER) -> CouncilMember:
    organization = Membership.objects.get(user=user, is_active=True).organization
    return CouncilMember.objects.create(
        council=council, organization=organization, user=user, role=role, joined_on=council.term_start
    )


def make_meeting(
    council: Council, *, created_by, starts_in: dt.timedelta = dt.timedelta(days=3), title: str = ""
) -> Meeting:
    starts = timezone.now() + starts_in
    meeting = Meeting.objects.create(
        council=council,
        title=title or "정기회의",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="본사 대회의실",
        created_by=created_by,
    )
    Invitation.objects.bulk_create(
        [
            Invitation(meeting=meeting, member=member)
            for member in council.members.filter(left_on__isnull=True)
        ]
    )
    return meeting


def make_task(
    council: Council, member: CouncilMember, *, title: str = "", area: CooperationArea | None = None
) -> TaskProposal:
    area = area or CooperationArea.objects.get_or_create(council=council, name="5G 코어 장비")[0]
    return TaskProposal.objects.create(
        council=council,
        area=area,
        title=title or f"공동 과제 {next(_numbers)}",
        problem="소형 기지국 전력 문제",
        expected_outcome="전력 20% 절감",
        proposed_by=member.user,
        organization=member.organization,
    )
