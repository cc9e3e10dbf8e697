"""5G use cases (유스케이스) of the demo: proposals under NDA at every stage of the pipeline, each moved
by its sponsor's gate decisions with scores and reasons the partner reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from sangsaeng.demo.programmes.context import DemoContext
from sangsaeng.finance.models import SharingTask
from sangsaeng.partners.models import Partner
from sangsaeng.usecases import services
from sangsaeng.usecases.models import PIPELINE, GateDecision, Stage, UseCase

# The demo partner's use case; its PoC is booked in the Open Lab (openlab.py links the booking).
POC_TITLE = "5G 특화망 AI 비전 품질검사"
# 하이테크's benefit-sharing task (finance.py) that shares the outcome of its use case.
SHARING_TASK_TITLE = "5G 특화망 설치 표준화 키트 개발"


@dataclass(frozen=True)
class UseCaseStory:
    title: str
    industry: str
    features: tuple[str, ...]
    description: str
    customers: str
    stage: str  # where it stands now
    decision: dict[str, Any] = field(default_factory=dict)  # commercialisation / outcome details
    hold_at: str = ""  # put on hold after reaching this stage
    sharing_task: str = ""  # the outcome is shared through this benefit-sharing task (finance.py)


STORIES = (
    UseCaseStory(
        POC_TITLE,
        "smart_factory",
        ("urllc", "mec", "private_5g"),
        "생산 라인 카메라 영상을 5G 특화망과 MEC로 전송해 AI가 실시간으로 불량을 판정합니다.",
        "자동차 부품·전자 조립 공장",
        Stage.POC,
    ),
    UseCaseStory(
        "5G 드론 기반 송전선로 점검",
        "energy",
        ("embb", "mec"),
        "드론 4K 영상을 5G로 전송해 송전선로 이상을 자동 탐지합니다.",
        "전력 공기업, 발전사",
        Stage.SUBMITTED,
    ),
    UseCaseStory(
        "건설 현장 안전 모니터링 웨어러블",
        "public_safety",
        ("mmtc", "urllc"),
        "작업자 웨어러블 센서로 추락·가스 위험을 실시간 경보합니다.",
        "종합건설사",
        Stage.SCREENING,
    ),
    UseCaseStory(
        "원격 협진 초저지연 영상 플랫폼",
        "healthcare",
        ("urllc", "slicing"),
        "네트워크 슬라이싱으로 병원 간 고화질 원격 협진을 보장합니다.",
        "상급종합병원, 지역 의료원",
        Stage.VALIDATION,
    ),
    UseCaseStory(
        "자율주행 셔틀 관제 MEC",
        "mobility",
        ("urllc", "mec", "slicing"),
        "MEC에서 셔틀의 위치·영상을 처리해 관제 지연을 줄입니다.",
        "지자체, 공항 운영사",
        Stage.COMMERCIALISATION,
    ),
    UseCaseStory(
        "5G 스마트 매장 무인 결제",
        "retail",
        ("embb", "mmtc"),
        "5G 카메라와 선반 센서로 계산대 없는 매장을 만듭니다.",
        "편의점·대형마트 체인",
        Stage.OUTCOME_SHARING,
        decision={"decision_type": "joint_business", "support_amount_krw": 40_000_000},
    ),
    UseCaseStory(
        "공연장 멀티뷰 실감 중계",
        "media",
        ("embb",),
        "관객이 5G 단말로 원하는 시점의 공연 영상을 골라 봅니다.",
        "공연 기획사, 방송사",
        Stage.MONITORING,
        decision={
            "decision_type": "purchase_conditional",
            "outcome_type": "idea_purchase",
            "purchase_amount_krw": 30_000_000,
        },
    ),
    UseCaseStory(
        "항만 크레인 원격 조종",
        "smart_factory",
        ("urllc", "private_5g"),
        "5G 특화망으로 항만 크레인을 원격 조종합니다.",
        "항만 운영사",
        Stage.ON_HOLD,
        hold_at=Stage.SCREENING,
    ),
    UseCaseStory(
        "5G 특화망 구축 표준화 키트",
        "smart_factory",
        ("private_5g", "mec"),
        "공장·항만에 5G 특화망을 하루 안에 설치하는 표준 장비와 설정 키트입니다.",
        "특화망을 도입하는 제조사·항만",
        Stage.MONITORING,
        decision={"decision_type": "purchase_conditional", "outcome_type": "benefit_sharing"},
        sharing_task=SHARING_TASK_TITLE,
    ),
)
SCORES = {"fit": 5, "feasibility": 4, "market": 4, "capability": 4}
REASONS: dict[str, str] = {
    Stage.SCREENING: "NDA와 제안서를 확인했습니다. 스폰서가 2개월 안에 심사합니다.",
    Stage.POC: "5G 적합성과 수행 역량이 높아 오픈랩 PoC를 승인합니다.",
    Stage.VALIDATION: "오픈랩 PoC에서 목표 지연 시간을 달성했습니다. 실증 단계로 진행합니다.",
    Stage.COMMERCIALISATION: "고객사 실증 결과가 좋아 사업화 방식을 결정합니다.",
    Stage.OUTCOME_SHARING: "사업화 방식을 결정했습니다. 성과 공유 방식을 정합니다.",
    Stage.MONITORING: "성과 공유를 마쳤습니다. 사업 성과를 모니터링합니다.",
}


def _submit(ctx: DemoContext, partner: Partner, story: UseCaseStory) -> UseCase:
    # By title, or by company and industry if someone using the demo renamed it: never a duplicate.
    use_case = (
        UseCase.objects.filter(title=story.title).order_by("pk").first()
        or UseCase.objects.filter(partner=partner, industry=story.industry).order_by("pk").first()
    )
    if use_case is None:
        use_case = services.submit_use_case(
            actor=ctx.fresh(ctx.owner(partner)),
            title=story.title,
            industry=story.industry,
            features=list(story.features),
            description=story.description,
            expected_customers=story.customers,
            nda_accepted=True,
        )
        ctx.created["use_cases"] += 1
    return use_case


def _advance(ctx: DemoContext, use_case: UseCase, story: UseCaseStory, sponsor: Any) -> None:
    goal = story.hold_at or story.stage
    if use_case.stage not in PIPELINE or PIPELINE.index(use_case.stage) >= PIPELINE.index(goal):
        return  # already there (or moved on by someone using the demo)
    if use_case.sponsor_id is None:
        services.assign_sponsor(actor=ctx.fresh(ctx.pm), use_case=use_case, sponsor=sponsor)
    decision = dict(story.decision)
    if story.sharing_task:
        decision["benefit_sharing_reference"] = story.sharing_task
        # Linked when the task is this partner's (it is, unless someone moved it in the demo).
        task = SharingTask.objects.filter(title=story.sharing_task, partner_id=use_case.partner_id).first()
        if task is not None:
            decision["sharing_task_id"] = task.pk
    for stage in PIPELINE[PIPELINE.index(use_case.stage) + 1 : PIPELINE.index(goal) + 1]:
        services.decide_gate(
            actor=ctx.fresh(sponsor),
            use_case=use_case,
            to_stage=stage,
            scores=SCORES,
            reason=REASONS[stage],
            **decision,
        )
        ctx.created["use_case_gate_decisions"] += 1
    if story.hold_at:
        services.put_on_hold(
            actor=ctx.fresh(sponsor),
            use_case=use_case,
            reason="고객사 예산 확정 전까지 보류합니다. 내년 상반기에 다시 검토합니다.",
        )
        ctx.created["use_case_gate_decisions"] += 1


# Weeks between two gate decisions of a demo use case.
DAYS_PER_STAGE = 42


def _date_story(ctx: DemoContext, use_case: UseCase, position: int) -> None:
    """Spread a new demo use case over the past (the services date everything now): submitted some
    weeks per stage ago, each gate decision weeks after the one before, the screening deadline as far
    after the submission as the service set it, the current stage entered at the last decision."""
    decisions = list(use_case.decisions.order_by("decided_at", "pk"))
    submitted_on = ctx.day(-(DAYS_PER_STAGE * len(decisions) + 5 + 3 * position))
    submitted_at = ctx.at(submitted_on, 10)
    for number, decision in enumerate(decisions, start=1):
        GateDecision.objects.filter(pk=decision.pk).update(
            decided_at=submitted_at + dt.timedelta(days=DAYS_PER_STAGE * number, hours=number)
        )
    last = submitted_at + dt.timedelta(days=DAYS_PER_STAGE * len(decisions), hours=len(decisions))
    screening_period = use_case.screening_due_on - timezone.localdate(use_case.submitted_at)
    UseCase.objects.filter(pk=use_case.pk).update(
        submitted_at=submitted_at,
        nda_accepted_at=submitted_at,
        stage_entered_at=last,
        screening_due_on=submitted_on + screening_period,
    )


def load(ctx: DemoContext) -> UseCase:
    """Load the use cases; return the demo partner's (for its PoC booking in the Open Lab)."""
    partners = [ctx.demo_partner, *ctx.pick(100, len(STORIES) - 2), ctx.named["하이테크"]]
    sponsors = [ctx.reviewers[0], ctx.pm]
    demo_use_case = None
    for k, (partner, story) in enumerate(zip(partners, STORIES, strict=True)):
        created_before = ctx.created["use_cases"]
        use_case = _submit(ctx, partner, story)
        if story.stage != Stage.SUBMITTED:
            # A linked benefit-sharing task is chosen by a programme manager, who sees every task.
            sponsor = ctx.pm if story.sharing_task else sponsors[k % 2]
            _advance(ctx, use_case, story, sponsor)
        if ctx.created["use_cases"] > created_before:
            _date_story(ctx, use_case, k)
        if k == 0:
            demo_use_case = use_case
    assert demo_use_case is not None
    demo_use_case.refresh_from_db()
    return demo_use_case
