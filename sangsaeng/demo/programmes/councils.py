"""Councils (협의체) of the demo: the future network council with a held meeting whose minutes are locked,
an upcoming meeting, an overdue action item of the demo partner and an open vote on proposed tasks; the
global business council; a core business council the demo partner may apply to."""

from __future__ import annotations

from sangsaeng.councils import services
from sangsaeng.councils.models import (
    CooperationArea,
    Council,
    CouncilKind,
    MemberRole,
    Minutes,
    MinutesStatus,
    TaskProposal,
)
from sangsaeng.demo.programmes.context import DemoContext
from sangsaeng.partners.models import CollaborationField

FUTURE_NETWORK = "미래네트워크협의체"
GLOBAL_BUSINESS = "글로벌사업협의체"
CHARTER = (
    "제1조(목적) 주관사와 협력사가 5G 네트워크 분야의 협력 분야를 선정하고 공동 과제를 발굴한다.\n"
    "제2조(의결) 재적 위원 과반수 출석으로 개의하고 출석 위원 과반수 찬성으로 의결한다.\n"
    "제3조(회의록) 사무국이 작성하여 위원 회람 후 위원장이 승인하며, 승인된 회의록은 확정한다."
)
MINUTES = (
    "1. 개회 및 위원 소개\n"
    "2. 2027년 협력 분야 후보 논의: 오픈랜 소형셀, 5G 특화망 보안\n"
    "3. 과제 제안 일정: 다음 회의 2주 전까지 제안서 제출\n"
    "4. 폐회"
)


def _council(ctx: DemoContext, name: str, **fields: object) -> tuple[Council, bool]:
    existing = Council.objects.filter(name=name).first()
    if existing is not None:
        return existing, False
    council = services.create_council(
        actor=ctx.fresh(ctx.pm),
        name=name,
        term_start=ctx.day(-120),
        term_end=ctx.day(610),
        secretariat_unit="동반성장팀",
        **fields,
    )
    ctx.created["councils"] += 1
    return council, True


def _seat(ctx: DemoContext, council: Council, partner: object, role: str = MemberRole.MEMBER) -> None:
    services.add_member(
        actor=ctx.fresh(ctx.pm),
        council=council,
        user=ctx.fresh(ctx.owner(partner)),  # type: ignore[arg-type]
        role=role,
        joined_on=ctx.day(-100),
    )
    ctx.created["council_members"] += 1


def _future_network(ctx: DemoContext) -> None:
    council, created = _council(
        ctx,
        FUTURE_NETWORK,
        kind=CouncilKind.FUTURE_NETWORK,
        charter=CHARTER,
        quorum_percent=50,
        how_to_apply="네트워크 인프라 분야 협력사는 사무국(동반성장팀)에 가입을 신청하세요.",
    )
    if not created:
        return
    iruon, hitech = ctx.named["이루온"], ctx.named["하이테크"]
    others = ctx.pick(140, 2)
    _seat(ctx, council, iruon, MemberRole.CHAIR)
    _seat(ctx, council, hitech, MemberRole.VICE_CHAIR)
    _seat(ctx, council, ctx.demo_partner)
    for partner in others:
        _seat(ctx, council, partner)
    pm = ctx.fresh(ctx.pm)
    chair = ctx.fresh(ctx.owner(iruon))

    # A meeting held two weeks ago: attendance taken, minutes circulated, approved by the chair, locked.
    held_day = ctx.day(-14)
    held = services.schedule_meeting(
        actor=pm,
        council=council,
        title="2026년 제3차 정기회의",
        starts_at=ctx.at(held_day, 14),
        ends_at=ctx.at(held_day, 16),
        place="본사 17층 대회의실",
        agenda=[
            services.AgendaSpec("2027년 협력 분야 후보", "후보 분야별 현황 공유", chair),
            services.AgendaSpec("과제 제안 일정", "", None),
        ],
    )
    present = list(
        held.invitations.exclude(member__organization_id=others[-1].organization_id).values_list(
            "member_id", flat=True
        )
    )
    services.record_attendance(actor=pm, meeting=held, present_member_ids=present)
    services.mark_meeting_held(actor=pm, meeting=held)
    services.write_minutes(actor=pm, meeting=held, body=MINUTES.replace("4. 폐회", "4. 기타 안건 없음"))
    minutes = Minutes.objects.get(meeting=held)
    services.circulate_minutes(actor=pm, minutes=minutes)
    demo_owner = ctx.fresh(ctx.owner(ctx.demo_partner))
    services.comment_on_minutes(
        actor=demo_owner,
        minutes=minutes,
        agenda_item=held.agenda_items.get(order=1),
        body="보안 분야 일정도 함께 적어 주세요.",
    )
    services.return_minutes_to_draft(actor=pm, minutes=minutes)
    services.write_minutes(actor=pm, meeting=held, body=MINUTES)
    services.circulate_minutes(actor=pm, minutes=minutes)
    services.approve_minutes(actor=chair, minutes=minutes)
    services.lock_minutes(actor=pm, minutes=minutes)
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.LOCKED
    ctx.created["council_meetings"] += 1
    services.add_action_item(
        actor=pm,
        meeting=held,
        title="오픈랜 소형셀 시험 성적서 공유",
        due_on=ctx.day(-2),
        owner_organization=ctx.demo_partner.organization,
    )
    services.add_action_item(
        actor=pm, meeting=held, title="과제 제안서 양식 배포", due_on=ctx.day(5), owner_user=chair
    )
    ctx.created["council_action_items"] += 2

    # The next meeting in a week, with an online link: members answer the invitation.
    next_day = ctx.day(7)
    upcoming = services.schedule_meeting(
        actor=pm,
        council=council,
        title="2026년 제4차 정기회의",
        starts_at=ctx.at(next_day, 10),
        ends_at=ctx.at(next_day, 12),
        place="본사 17층 대회의실",
        online_url="https://meet.sangsaeng-telecom.example.com/future-network",
        agenda=[
            services.AgendaSpec("공동 과제 선정 결과 보고"),
            services.AgendaSpec("2027년 R&D 공모 주제 건의"),
        ],
    )
    services.answer_invitation(actor=chair, meeting=upcoming, rsvp="attending")
    ctx.created["council_meetings"] += 1

    # Task discovery: two areas, three proposed tasks, an open vote (the demo partner may vote).
    area = services.add_area(
        actor=pm, council=council, name="오픈랜 소형셀", description="개방형 무선접속망 소형 기지국"
    )
    security = services.add_area(actor=pm, council=council, name="5G 특화망 보안")
    tasks: list[TaskProposal] = [
        services.propose_task(
            actor=chair,
            council=council,
            area=area,
            title="오픈랜 소형셀 RU 국산화",
            problem="소형셀 RU를 전량 수입해 단가와 납기가 불안정합니다.",
            expected_outcome="국산 RU 시제품과 상호운용성 시험 통과",
            partners_needed="RF 설계, 안테나 제조",
        ),
        services.propose_task(
            actor=ctx.fresh(ctx.owner(hitech)),
            council=council,
            area=area,
            title="소형셀 설치 표준 키트",
            problem="현장마다 설치 방식이 달라 공사 기간이 깁니다.",
            expected_outcome="설치 시간 30% 단축",
        ),
        services.propose_task(
            actor=demo_owner,
            council=council,
            area=security,
            title="특화망 단말 인증 모듈",
            problem="특화망 단말 인증이 제조사마다 다릅니다.",
            expected_outcome="공통 인증 모듈과 시험 절차",
        ),
    ]
    services.comment_on_task(
        actor=demo_owner, task=tasks[0], body="RF 시험 장비는 오픈랩 것을 쓸 수 있을까요?"
    )
    ctx.created["council_tasks"] += len(tasks)
    selection = services.open_round(
        actor=pm,
        council=council,
        title="2027년 공동 과제 선정 투표",
        method="vote",
        task_ids=[t.pk for t in tasks],
        closes_at=ctx.at(ctx.day(10), 18),
        seats=1,
    )
    services.cast_ballot(
        actor=ctx.fresh(ctx.owner(others[0])), selection=selection, task=tasks[0], approve=True
    )
    services.cast_ballot(
        actor=ctx.fresh(ctx.owner(others[0])), selection=selection, task=tasks[1], approve=False
    )
    ctx.created["council_selection_rounds"] += 1
    assert CooperationArea.objects.filter(council=council).count() == 2


def _global_business(ctx: DemoContext) -> None:
    council, created = _council(
        ctx,
        GLOBAL_BUSINESS,
        kind=CouncilKind.GLOBAL_BUSINESS,
        charter="제1조(목적) 주관사의 해외 사업 경험과 협력사의 기술을 묶어 해외 사업 모델을 발굴한다.",
        quorum_percent=50,
        how_to_apply="해외 진출을 준비하는 협력사는 사무국에 가입을 신청하세요. 반기마다 총회를 엽니다.",
    )
    if created:
        _seat(ctx, council, ctx.named["하이테크"], MemberRole.CHAIR)
        for partner in ctx.pick(150, 2):
            _seat(ctx, council, partner)


def _core_business(ctx: DemoContext) -> None:
    area = (
        CollaborationField.objects.filter(kind=CollaborationField.Kind.BUSINESS_AREA).order_by("pk").first()
    )
    if area is None:
        return
    council, created = _council(
        ctx,
        f"핵심사업 협의체 ({area.name_ko})",
        kind=CouncilKind.CORE_BUSINESS,
        business_area=area,
        charter="제1조(목적) 핵심 사업 분야의 협력 과제를 함께 발굴한다.",
        quorum_percent=60,
        how_to_apply="해당 사업 분야의 협력사는 누구나 신청할 수 있습니다.",
    )
    if created:
        _seat(ctx, council, ctx.named["이루온"], MemberRole.CHAIR)


def load(ctx: DemoContext) -> None:
    """Load the councils (each only when its council is not there yet)."""
    _future_network(ctx)
    _global_business(ctx)
    _core_business(ctx)
