"""Joint R&D fund (공동 R&D 출연) of the demo: a 100억 fund of five 20억 years (ending this year), a
closed call that went all the way (proposals → blind review → optimiser → published decisions →
agreements → a paid milestone) and an open call where the demo partner has a draft."""

from __future__ import annotations

import datetime as dt
import random

from sangsaeng.demo.programmes.context import DemoContext
from sangsaeng.partners.models import Partner, SizeClass
from sangsaeng.rnd import services
from sangsaeng.rnd.models import (
    Agreement,
    Call,
    Fund,
    FundYear,
    MilestoneStatus,
    Proposal,
    ProposalStatus,
    ReviewAssignment,
    SelectionRun,
)

FUND_NAME = "5G 공동 R&D 2019–2023"
EOK = 100_000_000
MAN = 10_000
CLOSED_TITLE = "5G 공동 R&D 4차년도 과제 공모"
OPEN_TITLE = "5G 공동 R&D 5차년도 과제 공모"
THEMES = ["5G MEC 엣지 솔루션", "네트워크 슬라이싱·운용 자동화", "5G 산업용 단말·모듈", "실감 미디어(AR/VR)"]
CRITERIA = (
    services.CriterionSpec("기술성", 40),
    services.CriterionSpec("사업화 가능성", 30),
    services.CriterionSpec("수행 역량", 20),
    services.CriterionSpec("상생 협력 효과", 10),
)
ELIGIBLE_SIZES = [SizeClass.SMALL, SizeClass.MEDIUM]
# The closed call's money: part of the budget of the year it opened in.
CLOSED_CALL_BUDGET = 7 * EOK

# (theme index, title, host contribution in 만원, reviewers' quality 0–1): the demo partner first.
CLOSED_PROPOSALS = (
    (2, "5G 산업용 라우터 국산화 및 MEC 연동 검증", 15_000, 0.95),
    (0, "MEC 기반 저지연 영상분석 플랫폼", 21_000, 0.9),
    (1, "AI 기반 5G 코어 장애 예측 및 자동 복구", 26_000, 0.85),
    (3, "5G 실감형 원격 교육 콘텐츠 저작도구", 18_000, 0.6),
    (0, "스마트 항만 MEC 물류 관제 솔루션", 25_000, 0.7),
    (2, "5G NR 산업용 IoT 모듈 저전력화", 16_000, 0.5),
    (1, "네트워크 슬라이스 SLA 모니터링 도구", 14_000, 0.8),
    (3, "볼류메트릭 비디오 경량 스트리밍 엔진", 27_000, 0.45),
    (0, "엣지 클라우드 게임 스트리밍 최적화", 22_000, 0.55),
    (2, "5G 스마트팩토리용 무선 PLC 게이트웨이", 19_000, 0.75),
    (1, "오픈랜 RU 시험 자동화 프레임워크", 23_000, 0.35),
    (3, "AR 원격 정비 지원 글래스 앱", 15_000, 0.65),
)
OPEN_DRAFT_TITLE = "5G 특화망 기반 무인 검사 로봇 통신 모듈"
OPEN_SUBMITTED = (
    (0, "MEC 기반 실시간 품질검사 비전 서버", 20_000),
    (1, "5G 코어 트래픽 이상탐지 경량 모델", 17_000),
)


def _lines(host_man: int) -> list[services.BudgetLineSpec]:
    host = host_man * MAN
    personnel = host * 6 // 10
    equipment = host * 3 // 10
    materials = host - personnel - equipment
    # The partner's own share (자부담) is 30 % of the host contribution: above the 20 % rule.
    return [
        services.BudgetLineSpec("personnel", personnel, personnel * 3 // 10, "연구 인력"),
        services.BudgetLineSpec("equipment", equipment, equipment * 3 // 10, "시험 장비"),
        services.BudgetLineSpec("materials", materials, materials * 3 // 10 + MAN, "시제품 재료"),
    ]


def _milestones(host_man: int) -> list[services.MilestoneSpec]:
    host = host_man * MAN
    first = host * 4 // 10
    return [
        services.MilestoneSpec("요구사항 정의 및 설계", "설계서, 시험 계획서", 4, first),
        services.MilestoneSpec("시제품 개발 및 오픈랩 시험", "시제품, 시험 성적서", 10, host - first),
    ]


def fund_years(ctx: DemoContext) -> range:
    """Five budget years ending with this one: the closed call spent part of the budget of the year it
    opened in, the open call spends this year's (a call opens in its fund year or the year before)."""
    return range(ctx.today.year - 4, ctx.today.year + 1)


def _fund(ctx: DemoContext) -> Fund:
    fund = Fund.objects.filter(name=FUND_NAME).order_by("pk").first()
    if fund is None:
        fund = services.create_fund(
            actor=ctx.fresh(ctx.pm),
            name=FUND_NAME,
            description="5G 상생 성장 계획의 공동 R&D 출연: 5년간 매년 20억, 총 100억.",
            carry_over=True,
            years=[(year, 20 * EOK) for year in fund_years(ctx)],
        )
        ctx.created["rnd_funds"] += 1
    return fund


def _call(ctx: DemoContext, fund_year: FundYear, title: str, opens: dt.datetime, closes: dt.datetime) -> Call:
    call = Call.objects.filter(fund_year=fund_year, title=title).first()
    if call is None:
        call = services.create_call(
            actor=ctx.fresh(ctx.pm),
            fund_year=fund_year,
            criteria=CRITERIA,
            title=title,
            themes=THEMES,
            eligible_size_classes=ELIGIBLE_SIZES,
            eligible_tiers=[],
            fair_trade_required=False,
            min_partner_share_pct=20,
            max_request_krw=3 * EOK,
            max_per_partner_krw=3 * EOK,
            opens_at=opens,
            closes_at=closes,
            reviewers_per_proposal=3,
        )
        ctx.created["rnd_calls"] += 1
    return call


def _proposal(
    ctx: DemoContext, call: Call, partner: Partner, theme: int, title: str, host_man: int
) -> Proposal:
    # Found by its title, or by its company (someone using the demo may have renamed the draft):
    # a second load never writes the same story twice.
    proposal = (
        Proposal.objects.filter(call=call, title=title).order_by("pk").first()
        or Proposal.objects.filter(call=call, partner=partner).order_by("pk").first()
    )
    if proposal is None:
        proposal = services.create_proposal(
            actor=ctx.fresh(ctx.owner(partner)),
            call=call,
            budget_lines=_lines(host_man),
            milestones=_milestones(host_man),
            theme=THEMES[theme],
            title=title,
            summary=f"{partner.name_ko}의 {THEMES[theme]} 과제입니다.",
            objectives="상용 5G 망과 오픈랩에서 검증된 시제품을 만들고 호스트 구매로 이어지게 합니다.",
            team="책임연구원 1, 연구원 3",
        )
        ctx.created["rnd_proposals"] += 1
    return proposal


def _eligible(partner: Partner) -> bool:
    return partner.size_class in ELIGIBLE_SIZES


def _closed_call(ctx: DemoContext, fund: Fund) -> None:
    opens = ctx.at(ctx.day(-150), 9)
    year = FundYear.objects.get(fund=fund, year=opens.year)
    closes = ctx.at(ctx.day(-90), 18)
    call = _call(ctx, year, CLOSED_TITLE, opens, closes)
    partners = [ctx.demo_partner, *ctx.pick(0, len(CLOSED_PROPOSALS) - 1, _eligible)]
    proposals = []
    for k, (partner, (theme, title, host_man, _quality)) in enumerate(
        zip(partners, CLOSED_PROPOSALS, strict=True)
    ):
        proposal = _proposal(ctx, call, partner, theme, title, host_man)
        if proposal.status == ProposalStatus.DRAFT and call.decisions_published_at is None:
            services.submit_proposal(
                actor=ctx.fresh(ctx.owner(partner)), proposal=proposal, now=opens + dt.timedelta(days=20 + k)
            )
        proposals.append(proposal)
    if call.decisions_published_at is None:
        _review_and_decide(ctx, call)
    _agreements(ctx, call, proposals)


def _review_and_decide(ctx: DemoContext, call: Call) -> None:
    pm = ctx.fresh(ctx.pm)
    if Proposal.objects.filter(call=call, status=ProposalStatus.SUBMITTED).exists():
        ctx.created["rnd_review_assignments"] += services.auto_assign(actor=pm, call=call)
    quality = {title: q for _t, title, _m, q in CLOSED_PROPOSALS}
    criteria = list(call.criteria.all())
    for assignment in (
        ReviewAssignment.objects.filter(
            proposal__call=call,
            proposal__status=ProposalStatus.UNDER_REVIEW,
            submitted_at__isnull=True,
            conflict_declared=False,
        )
        .select_related("proposal", "reviewer")
        .order_by("pk")
    ):
        title = assignment.proposal.title
        # Each reviewer scores around the proposal's quality with their own leniency and noise.
        rng = random.Random(f"{title}:{assignment.reviewer.email}")
        leniency = random.Random(assignment.reviewer.email).uniform(-1.2, 1.2)
        scores = {
            c.pk: max(
                0,
                min(
                    c.max_score, round(quality.get(title, 0.5) * c.max_score + leniency + rng.uniform(-1, 1))
                ),
            )
            for c in criteria
        }
        services.submit_review(
            actor=ctx.fresh(assignment.reviewer),
            assignment=assignment,
            scores=scores,
            comment="목표와 시험 계획이 구체적입니다."
            if quality.get(title, 0) >= 0.7
            else "사업화 경로를 보완하세요.",
        )
        ctx.created["rnd_reviews"] += 1
    if Proposal.objects.filter(call=call, status=ProposalStatus.UNDER_REVIEW).exists():
        run = SelectionRun.objects.filter(call=call, applied=True).first()
        if run is None:
            run = services.run_selection(actor=pm, call=call, budget_krw=CLOSED_CALL_BUDGET)
            services.apply_selection(actor=pm, run=run)
            ctx.created["rnd_selection_runs"] += 1
    if Proposal.objects.filter(call=call, status=ProposalStatus.SELECTED).exists():
        services.publish_decisions(actor=pm, call=call)


def _agreements(ctx: DemoContext, call: Call, proposals: list[Proposal]) -> None:
    call.refresh_from_db()
    if call.decisions_published_at is None:
        return
    selected = [
        p for p in Proposal.objects.filter(pk__in=[p.pk for p in proposals], status=ProposalStatus.SELECTED)
    ]
    # The demo partner's agreement first (its owner sees a paid milestone), then by the plan's order.
    order = {p.pk: k for k, p in enumerate(proposals)}
    selected.sort(key=lambda p: order[p.pk])
    for k, proposal in enumerate(selected[:3]):
        agreement = Agreement.objects.filter(proposal=proposal).first()
        if agreement is None:
            agreement = services.create_agreement(actor=ctx.fresh(ctx.pm), proposal=proposal)
            ctx.created["rnd_agreements"] += 1
        first = agreement.milestones.order_by("order", "pk").first()
        if first is None or k == 2:
            continue  # the third agreement has just been signed: nothing delivered yet
        owner = ctx.fresh(ctx.owner(proposal.partner))
        if first.status == MilestoneStatus.PENDING:
            first = services.submit_milestone(
                actor=owner,
                milestone=first,
                report="요구사항 정의서와 상세 설계서를 제출합니다. 오픈랩 시험 계획을 포함했습니다.",
            )
            ctx.created["rnd_milestone_reports"] += 1
        if k == 0 and first.status == MilestoneStatus.SUBMITTED:
            services.accept_milestone(
                actor=ctx.fresh(ctx.pm), milestone=first, idempotency_key=f"demo-rnd-milestone-{first.pk}"
            )
            ctx.created["rnd_payments"] += 1


def _open_call(ctx: DemoContext, fund: Fund) -> None:
    opens = ctx.at(ctx.day(-10), 9)
    year = FundYear.objects.get(fund=fund, year=opens.year)
    closes = ctx.at(ctx.day(30), 18)
    call = _call(ctx, year, OPEN_TITLE, opens, closes)
    _proposal(ctx, call, ctx.demo_partner, 2, OPEN_DRAFT_TITLE, 15_000)  # stays a draft
    for partner, (theme, title, host_man) in zip(
        ctx.pick(40, len(OPEN_SUBMITTED), _eligible), OPEN_SUBMITTED, strict=True
    ):
        proposal = _proposal(ctx, call, partner, theme, title, host_man)
        if proposal.status == ProposalStatus.DRAFT and ctx.now < call.closes_at:
            services.submit_proposal(actor=ctx.fresh(ctx.owner(partner)), proposal=proposal)


def load(ctx: DemoContext) -> None:
    fund = _fund(ctx)
    _closed_call(ctx, fund)
    _open_call(ctx, fund)
