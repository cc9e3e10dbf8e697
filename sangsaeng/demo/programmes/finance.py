"""Co-prosperity fund (상생협력펀드) and benefit sharing (성과공유제) of the demo: a 1,000억 loan fund
run with the two demo banks, applications in every state of the three-party workflow (some loans
disbursed with schedules and repayments), and benefit-sharing tasks from draft to confirmed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from sangsaeng.accounts.models import Organization, OrganizationKind, Role, User
from sangsaeng.core import audit
from sangsaeng.demo.programmes.context import DemoContext
from sangsaeng.finance import services
from sangsaeng.finance.models import (
    ApplicationStatus,
    FundBank,
    IncentiveRule,
    LoanApplication,
    LoanFund,
    PartnerGrade,
    Recommendation,
    SharingProgramme,
    SharingTask,
    TaskStatus,
)
from sangsaeng.finance.schedule import add_months
from sangsaeng.partners.models import Partner

EOK = 100_000_000
MAN = 10_000
FUND_NAME = "5G 상생협력펀드"
# (bank name, deposit, pool, base rate, spread, reduction): deposits back pools twice their size.
POOLS = (
    ("상생은행", 250 * EOK, 500 * EOK, "4.200", "1.300", "1.800"),
    ("미래은행", 250 * EOK, 500 * EOK, "4.350", "1.100", "1.500"),
)


@dataclass(frozen=True)
class LoanStory:
    """One company's application and how far it went (target status), with its figures."""

    target: str
    bank: int
    amount_man: int
    purpose: str
    term_months: int
    method: str
    months_ago: int = 0  # disbursed this many months ago
    repaid_instalments: int = 0
    reason: str = ""


STORIES = (
    # The demo partner: disbursed seven months ago, repaying on schedule.
    LoanStory(ApplicationStatus.DISBURSED, 0, 50_000, "working", 24, "equal_principal", 7, 6),
    LoanStory(ApplicationStatus.APPLIED, 0, 30_000, "facilities", 36, "equal_payment"),
    LoanStory(ApplicationStatus.APPLIED, 1, 20_000, "working", 12, "bullet"),
    LoanStory(ApplicationStatus.RECOMMENDED, 1, 40_000, "working", 24, "equal_payment"),
    LoanStory(ApplicationStatus.RECOMMENDED, 0, 25_000, "facilities", 36, "equal_principal"),
    LoanStory(ApplicationStatus.BANK_APPROVED, 0, 35_000, "facilities", 36, "equal_payment"),
    LoanStory(ApplicationStatus.DISBURSED, 1, 45_000, "facilities", 36, "equal_payment", 14, 13),
    LoanStory(ApplicationStatus.DISBURSED, 1, 15_000, "working", 12, "equal_principal", 3, 2),
    LoanStory(ApplicationStatus.REPAID, 0, 10_000, "working", 12, "equal_principal", 13, 12),
    LoanStory(
        ApplicationStatus.REJECTED,
        0,
        30_000,
        "working",
        24,
        "equal_payment",
        reason="공정거래협약 미체결 상태에서 요청한 한도가 최근 매출 대비 과다합니다. 협약 체결 후 다시 신청해 주세요.",
    ),
    LoanStory(
        ApplicationStatus.BANK_REJECTED,
        1,
        20_000,
        "facilities",
        24,
        "equal_payment",
        reason="신용평가 결과 담보 보강이 필요합니다. 보증서를 첨부해 다시 신청해 주세요.",
    ),
)
USE_OF_FUNDS = {
    "working": "5G 장비 부품 구매 및 인건비",
    "facilities": "5G 시험 장비 및 생산 설비 도입",
}


def _fund(ctx: DemoContext) -> LoanFund:
    admin = ctx.fresh(ctx.admin)
    fund = LoanFund.objects.filter(name=FUND_NAME).order_by("pk").first()
    if fund is None:
        fund = services.create_fund(
            actor=admin,
            values={
                "name": FUND_NAME,
                "total_krw": 1_000 * EOK,
                "valid_from": dt.date(2019, 1, 2),
                "valid_to": None,
                "is_active": True,
                "eligible_tiers": [1, 2, 3],
                "limits_by_tier": {"1": 10 * EOK, "2": 5 * EOK, "3": 5 * EOK},
                "terms_months": [12, 24, 36],
                "purposes": ["working", "facilities"],
                "requires_fair_trade": False,
                "recommendation_valid_days": 60,
                "points_reductions": [[10, "0.2"], [30, "0.5"]],
            },
        )
        ctx.created["finance_funds"] += 1
    for name, deposit, pool, base, spread, reduction in POOLS:
        bank = Organization.objects.get(kind=OrganizationKind.BANK, name=name)
        if not FundBank.objects.filter(fund=fund, bank=bank).exists():
            services.add_bank(
                actor=admin,
                fund=fund,
                bank=bank,
                values={
                    "deposit_krw": deposit,
                    "pool_krw": pool,
                    "base_rate": base,
                    "spread": spread,
                    "reduction": reduction,
                    # Extra cut by the host's partner grade (S best).
                    "grade_reductions": {"S": "0.5", "A": "0.3", "B": "0.1", "C": "0"},
                },
            )
            ctx.created["finance_pools"] += 1
    return fund


def _officer(pool: FundBank) -> User:
    """The bank's demo loan officer (the first one, if the bank has invited more)."""
    officer = (
        User.objects.filter(
            memberships__organization_id=pool.bank_id,
            memberships__role=Role.LOAN_OFFICER,
            memberships__is_active=True,
        )
        .order_by("pk")
        .first()
    )
    if officer is None:
        raise RuntimeError(f"The demo bank {pool.bank} has no loan officer.")
    return officer


def _story_dates(ctx: DemoContext, story: LoanStory, position: int) -> tuple[dt.date, dt.date]:
    """When the story's company applied and was recommended: a disbursed loan five and three weeks
    before its disbursement, an open application in the last weeks (recommendation → approval →
    disbursement → repayments follow each other, as disburse_loan requires)."""
    if story.target in (ApplicationStatus.DISBURSED, ApplicationStatus.REPAID):
        disbursed_on = _months_back(ctx.today, story.months_ago)
        return disbursed_on - dt.timedelta(days=35), disbursed_on - dt.timedelta(days=21)
    applied_on = ctx.day(-(20 + 3 * position))
    return applied_on, applied_on + dt.timedelta(days=7)


def _date_application(application: LoanApplication, applied_on: dt.date, recommended_on: dt.date) -> None:
    """Give a demo application the dates of its story (the services date everything today). The
    recommendation letter keeps its validity period from the day it was issued."""
    LoanApplication.objects.filter(pk=application.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(applied_on, dt.time(10)))
    )
    letter = Recommendation.objects.filter(application=application).first()
    if letter is not None:
        valid_for = letter.expires_on - letter.issued_on
        Recommendation.objects.filter(pk=letter.pk).update(
            issued_on=recommended_on, expires_on=recommended_on + valid_for
        )
        LoanApplication.objects.filter(pk=application.pk, expires_on__isnull=False).update(
            expires_on=recommended_on + valid_for
        )


def _step(
    ctx: DemoContext, application: LoanApplication, story: LoanStory, dates: tuple[dt.date, dt.date]
) -> None:
    """Move one application towards its story's status, one service call per step."""
    pm = ctx.fresh(ctx.pm)
    officer = _officer(application.pool)
    status = application.status
    _date_application(application, *dates)
    if status == ApplicationStatus.APPLIED and story.target == ApplicationStatus.REJECTED:
        services.reject_application(actor=pm, application=application, reason=story.reason)
        return
    if status == ApplicationStatus.APPLIED and story.target != ApplicationStatus.APPLIED:
        application = services.recommend_application(
            actor=pm, application=application, note="공정거래협약 이행 우수 협력사로 추천합니다."
        )
        _date_application(application, *dates)
        status = application.status
    if status == ApplicationStatus.RECOMMENDED and story.target == ApplicationStatus.BANK_REJECTED:
        services.bank_reject(actor=ctx.fresh(officer), application=application, reason=story.reason)
        return
    if status == ApplicationStatus.RECOMMENDED and story.target not in (
        ApplicationStatus.RECOMMENDED,
        ApplicationStatus.BANK_REJECTED,
    ):
        application = services.bank_approve(actor=ctx.fresh(officer), application=application)
        status = application.status
    if status == ApplicationStatus.BANK_APPROVED and story.target in (
        ApplicationStatus.DISBURSED,
        ApplicationStatus.REPAID,
    ):
        loan = services.disburse_loan(
            actor=ctx.fresh(officer),
            application=application,
            disbursed_on=_months_back(ctx.today, story.months_ago),
        )
        ctx.created["finance_loans"] += 1
        # The bank reports the instalments that fell due, each on its due date (in date order).
        for instalment in loan.instalments.order_by("number")[: story.repaid_instalments]:
            if instalment.due_on > ctx.today:
                break
            services.record_repayment(
                actor=ctx.fresh(officer),
                loan=loan,
                paid_on=instalment.due_on,
                principal_krw=instalment.principal_krw,
                interest_krw=instalment.interest_krw,
            )
            ctx.created["finance_repayments"] += 1


def _months_back(today: dt.date, months: int) -> dt.date:
    return add_months(today, -months) if months else today


# Grades the host gave some applicants half a year ago (the demo partner A), by position in STORIES.
GRADES = {
    0: ("A", "공정거래협약 이행 및 납기 준수 우수"),
    1: ("S", "최근 3년 품질 평가 최우수"),
    3: ("B", "재무 건전성 보통"),
}


def _grades(ctx: DemoContext, companies: list[Partner]) -> None:
    for position, (grade, reason) in GRADES.items():
        partner = companies[position]
        if not PartnerGrade.objects.filter(partner=partner).exists():
            services.assign_partner_grade(
                actor=ctx.fresh(ctx.pm), partner=partner, grade=grade, valid_from=ctx.day(-180), reason=reason
            )
            ctx.created["finance_partner_grades"] += 1


def _loans(ctx: DemoContext, fund: LoanFund) -> None:
    pools = [
        FundBank.objects.select_related("bank").get(fund=fund, bank__name=name) for name, *_rest in POOLS
    ]
    companies = [ctx.demo_partner, *ctx.pick(60, len(STORIES) - 1, lambda p: p.tier in (1, 2, 3))]
    _grades(ctx, companies)
    for position, (partner, story) in enumerate(zip(companies, STORIES, strict=True)):
        application = LoanApplication.objects.filter(fund=fund, partner=partner).order_by("pk").first()
        if application is None:
            application = services.apply_for_loan(
                actor=ctx.fresh(ctx.owner(partner)),
                fund=fund,
                pool=pools[story.bank],
                amount_krw=min(story.amount_man * MAN, fund.limit_for_tier(partner.tier)),
                purpose=story.purpose,
                term_months=story.term_months,
                method=story.method,
                use_of_funds=USE_OF_FUNDS[story.purpose],
            )
            ctx.created["finance_applications"] += 1
            _step(ctx, application, story, _story_dates(ctx, story, position))


# --- Benefit sharing (성과공유제) ---------------------------------------------------------------


@dataclass(frozen=True)
class TaskStory:
    title: str
    task_type: str
    kpi_name: str
    baseline: str
    target: str
    methods: tuple[str, ...]
    cash_ratio: str
    status: str
    saving_man: int = 0


TASKS = (
    TaskStory(
        "5G 소형셀 전원 모듈 국산화",
        "localisation",
        "모듈 단가(원)",
        "182000",
        "128000",
        ("cash", "long_term_contract"),
        "50",
        TaskStatus.CONFIRMED,
        32_000,
    ),
    TaskStory(
        "기지국 안테나 조립 공정 불량률 개선",
        "quality",
        "불량률(%)",
        "2.4",
        "0.8",
        ("cash", "purchase_commitment"),
        "50",
        TaskStatus.IN_PROGRESS,
        8_500,
    ),
    TaskStory(
        "광중계기 유지보수 비용 절감",
        "cost_reduction",
        "연간 유지보수비(백만원)",
        "940",
        "700",
        ("cash",),
        "40",
        TaskStatus.REGISTERED,
    ),
    TaskStory(
        "5G 특화망 설치 표준화 키트 개발",
        "new_product",
        "설치 시간(시간)",
        "16",
        "9",
        ("prototype_purchase", "joint_patent"),
        "0",
        TaskStatus.DRAFT,
    ),
)
# The path of a task to each status, after its creation as a draft.
TASK_PATH = (
    TaskStatus.REGISTERED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.OUTCOME_MEASURED,
    TaskStatus.SHARED,
    TaskStatus.CONFIRMATION_REQUESTED,
    TaskStatus.CONFIRMED,
)


def _programme(ctx: DemoContext) -> None:
    admin = ctx.fresh(ctx.admin)
    if not SharingProgramme.objects.filter(
        host_id=admin.memberships.get(is_active=True).organization_id
    ).exists():
        services.save_programme(
            actor=admin,
            values={
                "plan_from": dt.date(ctx.today.year - 1, 1, 1),
                "plan_to": dt.date(ctx.today.year, 12, 31),
                "plan_summary": "2개년 성과공유 추진 계획: 국산화·원가절감·품질개선 과제를 매년 10건 이상 등록하고 "
                "절감액의 50 %를 현금으로 배분하며 3년 장기계약을 맺습니다.",
                "internal_rules": "성과공유제 운영 규정(2019 제정): 과제 선정, 성과 측정, 배분, 이의 제기 절차.",
                "dedicated_staff": "동반성장팀 2명(과제 관리, 성과 검증)",
            },
        )
        ctx.created["sharing_programmes"] += 1
    # The points rule is set-up data without a service of its own: written here, audited like the cast.
    if not IncentiveRule.objects.exists():
        rule = IncentiveRule.objects.create(
            valid_from=dt.date(2019, 1, 1), points_per_task=10, points_per_eok_shared=1
        )
        audit.record(
            actor=None,
            action="demo.load",
            target=rule,
            changes=audit.diff(
                {}, {"valid_from": rule.valid_from, "points_per_task": 10, "points_per_eok_shared": 1}
            ),
        )
        ctx.created["sharing_incentive_rules"] += 1


def _advance_task(ctx: DemoContext, task: SharingTask, story: TaskStory) -> None:
    pm = ctx.fresh(ctx.pm)
    if story.status == TaskStatus.DRAFT or task.status != TaskStatus.DRAFT:
        return
    stop = TASK_PATH.index(story.status)
    for target in TASK_PATH[: stop + 1]:
        if target == TaskStatus.OUTCOME_MEASURED:
            _measure(ctx, task, story, settle=True)
        task = services.change_task_status(
            actor=pm,
            task=task,
            target=target,
            certificate_number=f"협력재단-{ctx.today.year}-0142" if target == TaskStatus.CONFIRMED else "",
        )
    if story.status == TaskStatus.IN_PROGRESS and story.saving_man:
        _measure(ctx, task, story, settle=False)


def _measure(ctx: DemoContext, task: SharingTask, story: TaskStory, *, settle: bool) -> None:
    pm = ctx.fresh(ctx.pm)
    end = ctx.day(-30)
    measurement = services.record_measurement(
        actor=pm,
        task=task,
        period_start=end - dt.timedelta(days=364),
        period_end=end,
        kpi_value=Decimal(story.target),
        saving_krw=story.saving_man * MAN,
        evidence="구매 단가 이력과 품질 검사 기록(ERP 추출), 양사 확인서",
    )
    ctx.created["sharing_measurements"] += 1
    if settle:
        services.settle_payout(actor=pm, payout=measurement.payout, settled_on=ctx.day(-14))


def _tasks(ctx: DemoContext) -> None:
    # 하이테크's second task shares the outcome of its use case (usecases.py links them).
    partners = [ctx.demo_partner, ctx.named["이루온"], ctx.named["하이테크"], ctx.named["하이테크"]]
    second_tier = ctx.pick(90, 1, lambda p: p.tier == 2)
    for k, (partner, story) in enumerate(zip(partners, TASKS, strict=True)):
        # By title, or by company and kind if someone using the demo renamed it: never a duplicate.
        task = (
            SharingTask.objects.filter(title=story.title).first()
            or SharingTask.objects.filter(partner=partner, task_type=story.task_type).first()
        )
        if task is not None:
            continue
        task = services.create_task(
            actor=ctx.fresh(ctx.pm),
            partner=partner,
            title=story.title,
            task_type=story.task_type,
            kpi_name=story.kpi_name,
            kpi_baseline=Decimal(story.baseline),
            contract={
                "goal": f"{story.title}: 목표 {story.kpi_name} {story.target} 달성 후 성과를 계약대로 나눕니다.",
                "kpi_target": story.target,
                "measurement_months": 36,
                "cash_ratio_percent": story.cash_ratio,
                "methods": list(story.methods),
            },
            participants=second_tier if k == 0 else (),
        )
        ctx.created["sharing_tasks"] += 1
        _advance_task(ctx, task, story)


def load(ctx: DemoContext) -> None:
    _programme(ctx)
    _tasks(ctx)
    _loans(ctx, _fund(ctx))
