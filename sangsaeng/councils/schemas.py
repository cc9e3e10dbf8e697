"""API shapes of the councils app: separate In and Out schemas, never one for both. Times are ISO 8601
with their offset (entered and shown in Seoul time)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from sangsaeng.core.pagination import PageIn
from sangsaeng.core.schemas import Count, Date, DateTime, Id
from sangsaeng.core.workflow import transitions_description
from sangsaeng.councils.models import (
    ActionItem,
    ActionStatus,
    CouncilKind,
    JoinApplication,
    Meeting,
    MemberRole,
    Minutes,
    Rsvp,
    SelectionMethod,
    SelectionRound,
    TaskProposal,
)
from sangsaeng.usecases.models import Feature, Industry

KindValue = Literal[tuple(CouncilKind.values)]  # type: ignore[valid-type]
RoleValue = Literal[tuple(MemberRole.values)]  # type: ignore[valid-type]
MethodValue = Literal[tuple(SelectionMethod.values)]  # type: ignore[valid-type]
IndustryValue = Literal[tuple(Industry.values)]  # type: ignore[valid-type]
FeatureValue = Literal[tuple(Feature.values)]  # type: ignore[valid-type]
SHORT = 200
LONG = 20_000


class CouncilIn(Schema):
    name: str = Field(max_length=SHORT)
    kind: KindValue
    business_area_id: Annotated[Id, Field(ge=1, le=2**31 - 1)] | None = None
    charter: str = Field(max_length=LONG)
    quorum_percent: Annotated[Count, Field(ge=1, le=100)] = 50
    term_start: Date
    term_end: Date
    secretariat_unit: str = Field("", max_length=120)
    is_listed: bool = True
    accepts_applications: bool = True
    how_to_apply: str = Field("", max_length=LONG)


class CouncilOut(Schema):
    id: int
    name: str
    kind: str
    business_area: str | None
    term_start: dt.date
    term_end: dt.date
    member_count: int
    accepts_applications: bool
    how_to_apply: str


class CouncilDetailOut(CouncilOut):
    charter: str
    quorum_percent: int
    secretariat: str
    secretariat_unit: str
    full: bool = Field(
        description="True for members and the host; false for the public page of a listed council."
    )


class CouncilPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CouncilOut]


class CouncilMemberIn(Schema):
    user_id: Annotated[Id, Field(ge=1, le=2**31 - 1)]
    role: RoleValue = MemberRole.MEMBER


class CouncilMemberOut(Schema):
    id: int
    user_id: Id
    name: str
    organization_id: Id
    organization: str
    role: str
    joined_on: dt.date
    left_on: dt.date | None


class JoinApplicationIn(Schema):
    motivation: str = Field(max_length=LONG)


class JoinDecisionIn(Schema):
    approve: bool
    reason: str = Field(max_length=LONG)


class JoinApplicationOut(Schema):
    id: int
    council_id: Id
    organization: str
    status: str = Field(description=transitions_description(JoinApplication))
    motivation: str
    decision_reason: str
    submitted_at: dt.datetime


class AgendaIn(Schema):
    title: str = Field(max_length=SHORT)
    description: str = Field("", max_length=LONG)
    presenter_id: Annotated[Id, Field(ge=1, le=2**31 - 1)] | None = None


class MeetingIn(Schema):
    title: str = Field(max_length=SHORT)
    starts_at: DateTime
    ends_at: DateTime
    place: str = Field("", max_length=SHORT)
    online_url: str = Field("", max_length=SHORT)
    agenda: list[AgendaIn] = Field(default_factory=list, max_length=50)


class AgendaOut(Schema):
    id: int
    order: int
    title: str
    description: str
    presenter: str | None
    attachments: list[str]


class MeetingInvitationOut(Schema):
    member_id: Id
    name: str
    organization: str
    rsvp: str
    attended: bool


class QuorumOut(Schema):
    invited: int
    required: int
    present: int
    reached: bool


class MeetingOut(Schema):
    id: int
    council_id: Id
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    online_url: str
    status: str = Field(description=transitions_description(Meeting))
    minutes_status: str | None


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaOut]
    invitations: list[MeetingInvitationOut]
    quorum: QuorumOut


class MeetingPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingOut]


class RsvpIn(Schema):
    rsvp: Literal[Rsvp.ATTENDING, Rsvp.DECLINED]  # type: ignore[valid-type]


class AttendanceIn(Schema):
    present_member_ids: list[Id] = Field(max_length=2000)


class MinutesIn(Schema):
    body: str = Field(max_length=200_000)


class MinutesCommentIn(Schema):
    agenda_item_id: Annotated[Id, Field(ge=1, le=2**31 - 1)]
    body: str = Field(max_length=LONG)


class VersionOut(Schema):
    number: int
    body: str
    written_by: str
    written_at: dt.datetime


class CommentOut(Schema):
    agenda_item_id: Id
    version_number: int
    author: str
    body: str
    created_at: dt.datetime


class MinutesOut(Schema):
    status: str = Field(description=transitions_description(Minutes))
    current_version: int
    approved_at: dt.datetime | None
    locked_at: dt.datetime | None
    versions: list[VersionOut]
    comments: list[CommentOut]
    acknowledged_by: list[str]


class DiffLineOut(Schema):
    kind: str
    text: str


class ActionItemIn(Schema):
    title: str = Field(max_length=SHORT)
    due_on: Date
    owner_user_id: Annotated[Id, Field(ge=1, le=2**31 - 1)] | None = None
    owner_organization_id: Annotated[Id, Field(ge=1, le=2**31 - 1)] | None = None


class ActionStatusIn(Schema):
    status: Literal[tuple(ActionStatus.values)]  # type: ignore[valid-type]


class ActionItemOut(Schema):
    id: int
    council_id: Id
    meeting_id: Id
    title: str
    owner: str
    due_on: dt.date
    status: str = Field(description=transitions_description(ActionItem))
    overdue: bool


class ActionPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ActionItemOut]


class AreaIn(Schema):
    name: str = Field(max_length=120)
    description: str = Field("", max_length=LONG)


class AreaOut(Schema):
    id: int
    name: str
    status: str
    rnd_call_id: Id | None


class HandOverIn(Schema):
    call_id: Annotated[Id, Field(ge=1, le=2**31 - 1)]


class CouncilTaskIn(Schema):
    area_id: Annotated[Id, Field(ge=1, le=2**31 - 1)]
    title: str = Field(max_length=SHORT)
    problem: str = Field(max_length=LONG)
    expected_outcome: str = Field(max_length=LONG)
    partners_needed: str = Field("", max_length=LONG)


class CouncilTaskOut(Schema):
    id: int
    council_id: Id
    area: str
    title: str
    problem: str
    expected_outcome: str
    partners_needed: str
    organization: str
    status: str = Field(description=transitions_description(TaskProposal))
    use_case_id: Id | None
    rnd_proposal_id: Id | None


class CouncilTaskPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CouncilTaskOut]


class CommentIn(Schema):
    body: str = Field(max_length=LONG)


class UseCaseFromTaskIn(Schema):
    industry: IndustryValue
    features: list[FeatureValue] = Field(max_length=10)
    nda_accepted: bool


class LinkOut(Schema):
    id: int


class RoundIn(Schema):
    title: str = Field(max_length=SHORT)
    method: MethodValue
    task_ids: list[Id] = Field(max_length=500)
    closes_at: DateTime
    seats: Annotated[Count, Field(ge=1, le=500)] = 1
    criteria: list[str] = Field(default_factory=list, max_length=20)
    max_score: Annotated[Count, Field(ge=1, le=100)] = 5
    quorum_percent: Annotated[Count, Field(ge=1, le=100)] | None = None


class TallyRowOut(Schema):
    task_id: Id
    title: str
    ballots: int
    recused: int
    score: float
    approvals: int
    rejections: int
    selected: bool


class RoundOut(Schema):
    id: int
    council_id: Id
    title: str
    method: str
    criteria: list[str]
    max_score: int
    seats: int
    quorum_percent: int
    closes_at: dt.datetime
    status: str = Field(description=transitions_description(SelectionRound))
    candidate_ids: list[Id]
    tally: list[TallyRowOut] = Field(description="Per task, published after closing; never per voter.")


class BallotIn(Schema):
    task_id: Annotated[Id, Field(ge=1, le=2**31 - 1)]
    scores: dict[str, Count] | None = None
    approve: bool | None = None


class BallotOut(Schema):
    id: int
    task_id: Id
    member: str | None = Field(description="The voter: shown to auditors only.")
    scores: dict[str, int]
    approve: bool | None
    total: int
    cast_at: dt.datetime


class ConflictIn(Schema):
    task_id: Annotated[Id, Field(ge=1, le=2**31 - 1)]
    note: str = Field("", max_length=300)


class ListIn(PageIn):
    pass


class MeetingCancelIn(Schema):
    reason: str = Field(max_length=LONG)


class AgendaAttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size_bytes: int
