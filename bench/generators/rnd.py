"""Bench of the joint R&D fund (`make bench`).

`time_optimiser()` times the selection optimiser on a synthetic call (pure: no database).
`generate_bench_data()` writes the programme's bench data into the scale dataset: one fund with five
yearly budgets, the current call (10 themes, a 5-criterion rubric) with 2,000 submitted proposals of
approved bench partners, each with budget lines and milestones, about 40 host reviewers and 10,000
scored reviews (5 per proposal, each reviewer harsh or lenient by a personal bias so calibration has
work to do), and the previous year's call, decided and published, with agreements, milestone payments
and their ledger lines. Rows are bulk-inserted as the services would have written them (counters on the
fund years equal the sums of the agreements and payments); audit events are not written for bench rows.
`bench_endpoints()` names the pages and API calls the bench times.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from sangsaeng.rnd.optimiser import Item, Problem, greedy, is_feasible, optimise

TARGET_SECONDS = 1.0
BENCH_DATA_VERSION = 1
DOMAIN = "bench.example.com"
PM_EMAIL = f"pm@{DOMAIN}"
REVIEWER_EMAIL = f"reviewer@{DOMAIN}"
BATCH = 2_000
EOK = 100_000_000
THEMES = (
    "5G 코어",
    "5G 무선접속",
    "엣지 컴퓨팅",
    "네트워크 슬라이싱",
    "IoT 단말",
    "AI 음성비서",
    "스마트 에너지",
    "블록체인",
    "보안",
    "미디어·XR",
)
RUBRIC = (
    ("기술성", 30),
    ("5G 생태계 파급효과", 20),
    ("수행 가능성", 20),
    ("사업화 가능성", 15),
    ("예산 적정성", 15),
)


def synthetic_problem(proposals: int = 2_000, themes: int = 10, seed: int = 1) -> Problem:
    """A call of `proposals` requests (5천만–5억 KRW) from proposals/4 partners over `themes` themes,
    a 20억 budget, a 5억 per-partner cap, 2–15 proposals per theme and 50 exclusive pairs."""
    rng = random.Random(seed)
    names = [f"theme-{k}" for k in range(themes)]
    items = [
        Item(
            k,
            rng.randrange(max(proposals // 4, 1)),
            rng.choice(names),
            rng.randrange(5, 50) * 10_000_000,
            round(rng.gauss(70, 10), 2),
        )
        for k in range(proposals)
    ]
    return Problem(
        items,
        budget=2_000_000_000,
        partner_cap=500_000_000,
        theme_min={name: 2 for name in names},
        theme_max={name: 15 for name in names},
        exclusive=[(2 * k, 2 * k + 1) for k in range(min(50, proposals // 2))],
    )


def time_optimiser(proposals: int = 2_000, themes: int = 10, seed: int = 1) -> dict[str, Any]:
    """Solve once to optimality and report the time, the totals and how greedy compares."""
    problem = synthetic_problem(proposals, themes, seed)
    started = time.perf_counter()
    best = optimise(problem)
    seconds = time.perf_counter() - started
    baseline = greedy(problem)
    return {
        "proposals": proposals,
        "themes": themes,
        "seconds": round(seconds, 3),
        "within_target": seconds <= TARGET_SECONDS,
        "feasible": best.feasible and is_feasible(problem, best.ids),
        "optimal_score": best.total_score,
        "greedy_score": baseline.total_score,
        "selected": len(best.ids),
        "unspent_krw": best.unspent,
    }


# --- Bench data -------------------------------------------------------------------------------------------
def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    created: list[Any] = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH]))
    return created


def _reviewers(count: int) -> list[Any]:
    """reviewer@bench plus new host reviewers (rnd-reviewerNN@bench) sharing the bench password hash."""
    from sangsaeng.accounts.models import Membership, Role, User

    first = User.objects.get(email=REVIEWER_EMAIL)
    host_id = Membership.objects.filter(user=first, role=Role.REVIEWER).values_list(
        "organization_id", flat=True
    )[0]
    people = [first]
    for number in range(1, count):
        user, created = User.objects.get_or_create(
            email=f"rnd-reviewer{number:02d}@{DOMAIN}",
            defaults={"name": f"벤치 심사위원 {number:02d}", "password": first.password},
        )
        if created:
            Membership.objects.create(user=user, organization_id=host_id, role=Role.REVIEWER)
        people.append(user)
    return people


def _proposals(
    rng: random.Random,
    call: Any,
    partners: list[Any],
    creators: dict[int, int],
    count: int,
    status: str,
    submitted_at: dt.datetime,
) -> list[Any]:
    """`count` proposals of `call` spread over `partners` within the per-partner cap, with two budget
    lines (own share 25–40 % of the total) and two milestones adding up to the request."""
    from sangsaeng.rnd.models import BudgetLine, Proposal, ProposalMilestone

    used: Counter[int] = Counter()
    rows: list[Proposal] = []
    index = 0
    while len(rows) < count:
        partner = partners[index % len(partners)]
        index += 1
        requested = rng.randrange(5, 50) * 10_000_000
        if used[partner.pk] + requested > call.max_per_partner_krw:
            if index > count * 50:
                raise ValueError("not enough approved partners for the bench proposals")
            continue
        used[partner.pk] += requested
        own = requested * rng.randint(34, 67) // 100  # 25–40 % of the total
        theme = rng.choice(call.themes)
        rows.append(
            Proposal(
                call=call,
                partner=partner,
                status=status,
                theme=theme,
                title=f"{theme} 공동개발 과제 {len(rows) + 1:04d}",
                summary=f"{partner.name_ko}의 {theme} 솔루션 개발",
                objectives="시제품 개발과 현장 시험",
                team="책임연구원 1, 연구원 3",
                requested_krw=requested,
                partner_share_krw=own,
                submitted_at=submitted_at,
                created_by_id=creators[partner.organization_id],
            )
        )
    created = _bulk(Proposal, rows)
    lines, plan = [], []
    for proposal in created:
        personnel = proposal.requested_krw * 6 // 10
        own_personnel = proposal.partner_share_krw // 2
        lines += [
            BudgetLine(
                proposal=proposal,
                category="personnel",
                description="연구 인력",
                host_krw=personnel,
                partner_krw=own_personnel,
            ),
            BudgetLine(
                proposal=proposal,
                category="equipment",
                description="시험 장비",
                host_krw=proposal.requested_krw - personnel,
                partner_krw=proposal.partner_share_krw - own_personnel,
            ),
        ]
        half = proposal.requested_krw // 2
        plan += [
            ProposalMilestone(
                proposal=proposal, order=0, title="설계", deliverables="설계서", month=4, amount_krw=half
            ),
            ProposalMilestone(
                proposal=proposal,
                order=1,
                title="시제품",
                deliverables="시제품과 시험 성적서",
                month=10,
                amount_krw=proposal.requested_krw - half,
            ),
        ]
    _bulk(BudgetLine, lines)
    _bulk(ProposalMilestone, plan)
    return created


def _reviews(
    rng: random.Random,
    proposals: list[Any],
    reviewers: list[Any],
    criteria: list[Any],
    per_proposal: int,
    assigned_by: Any,
    submitted_at: dt.datetime,
) -> int:
    """`per_proposal` scored reviews per proposal, reviewers in rotation (balanced load); every reviewer
    has a bias (harsh or lenient) and each proposal a quality, so the calibration has work to do."""
    from sangsaeng.rnd.models import ReviewAssignment, ReviewScore

    bias = {r.pk: rng.uniform(-2.0, 2.0) for r in reviewers}
    assignments = []
    quality = {}
    for k, proposal in enumerate(proposals):
        quality[proposal.pk] = rng.uniform(3.0, 9.0)
        for offset in range(per_proposal):
            reviewer = reviewers[(k * per_proposal + offset) % len(reviewers)]
            assignments.append(
                ReviewAssignment(
                    proposal=proposal,
                    reviewer=reviewer,
                    assigned_by=assigned_by,
                    comment=f"검토 의견 {k}-{offset}",
                    submitted_at=submitted_at,
                )
            )
    created = _bulk(ReviewAssignment, assignments)
    scores = []
    for assignment in created:
        base = quality[assignment.proposal_id] + bias[assignment.reviewer_id]
        for criterion in criteria:
            value = round(base + rng.gauss(0, 1.2))
            scores.append(
                ReviewScore(
                    assignment=assignment, criterion=criterion, score=min(criterion.max_score, max(0, value))
                )
            )
    _bulk(ReviewScore, scores)
    return len(created)


def generate_bench_data(
    *,
    seed: int,
    log: Callable[[str], None] = lambda message: None,
    proposals: int = 2_000,
    reviewers: int = 40,
    reviews_per_proposal: int = 5,
    agreements: int = 20,
) -> dict[str, Any]:
    """Write the fund, the current call with `proposals` proposals and their reviews, and last year's
    published call with `agreements` agreements, payments and ledger lines. Returns the ids and logins
    bench_endpoints() needs."""
    from sangsaeng.accounts.models import Membership, Role, User
    from sangsaeng.partners.models import Partner, PartnerStatus
    from sangsaeng.rnd.models import (
        Agreement,
        AgreementMilestone,
        Call,
        Criterion,
        Fund,
        FundYear,
        LedgerEntry,
        LedgerKind,
        MilestoneStatus,
        Payment,
        ProposalStatus,
    )

    rng = random.Random(seed * 17 + 3)
    now = timezone.now()
    this_year = timezone.localdate().year
    pm = User.objects.get(email=PM_EMAIL)
    with transaction.atomic():
        people = _reviewers(reviewers)
        log(f"{len(people)} reviewers")
        fund = Fund.objects.create(
            name=f"5G 공동 R&D {this_year - 3}–{this_year + 1}",
            description="벤치 기금: 연 20억 × 5년",
            carry_over=True,
        )
        years = [
            FundYear.objects.create(fund=fund, year=year, budget_krw=20 * EOK)
            for year in range(this_year - 3, this_year + 2)
        ]
        _bulk(
            LedgerEntry,
            [
                LedgerEntry(
                    fund_year=y, kind=LedgerKind.BUDGET, amount_krw=y.budget_krw, actor=pm, note=fund.name
                )
                for y in years
            ],
        )
        partners = list(
            Partner.objects.filter(status=PartnerStatus.APPROVED)
            .order_by("pk")
            .only("pk", "organization_id", "name_ko")
        )
        if not partners:
            raise ValueError("the bench dataset has no approved partner")
        creators = dict(
            Membership.objects.filter(
                organization_id__in=[p.organization_id for p in partners], role=Role.OWNER, is_active=True
            ).values_list("organization_id", "user_id")
        )
        partners = [p for p in partners if p.organization_id in creators]
        rng.shuffle(partners)
        # Some partners write several proposals (the owner's page then lists more than one).
        applicants = partners[: max(1, min(len(partners), proposals * 2 // 3))]

        def make_call(year: Any, title: str, opens: dt.datetime, closes: dt.datetime) -> Any:
            call = Call.objects.create(
                fund_year=year,
                title=title,
                themes=list(THEMES),
                min_partner_share_pct=20,
                max_request_krw=5 * EOK,
                max_per_partner_krw=10 * EOK,
                opens_at=opens,
                closes_at=closes,
                reviewers_per_proposal=reviews_per_proposal,
            )
            criteria = Criterion.objects.bulk_create(
                Criterion(call=call, name=name, weight=weight, max_score=10, order=k)
                for k, (name, weight) in enumerate(RUBRIC)
            )
            return call, criteria

        # The current call: closed, every proposal under review with its reviews in.
        call, criteria = make_call(
            years[3],
            f"{this_year} 5G 공동 R&D 공모",
            now - dt.timedelta(days=60),
            now - dt.timedelta(days=20),
        )
        current = _proposals(
            rng,
            call,
            applicants,
            creators,
            proposals,
            ProposalStatus.UNDER_REVIEW,
            now - dt.timedelta(days=25),
        )
        log(f"{len(current)} proposals with budget lines and milestones")
        written = _reviews(
            rng, current, people, criteria, reviews_per_proposal, pm, now - dt.timedelta(days=10)
        )
        log(f"{written} reviews with {written * len(criteria)} criterion scores")

        # Last year's call: decided and published, with agreements, payments and ledger lines.
        last_year = years[2]
        previous, previous_criteria = make_call(
            last_year,
            f"{this_year - 1} 5G 공동 R&D 공모",
            now - dt.timedelta(days=420),
            now - dt.timedelta(days=390),
        )
        decided = _proposals(
            rng,
            previous,
            partners[-max(agreements, 1) :],
            creators,
            agreements,
            ProposalStatus.SELECTED,
            now - dt.timedelta(days=395),
        )
        _reviews(
            rng, decided, people, previous_criteria, min(3, len(people)), pm, now - dt.timedelta(days=380)
        )
        Call.objects.filter(pk=previous.pk).update(decisions_published_at=now - dt.timedelta(days=370))
        committed = 0
        chosen = []
        for proposal in decided:
            if committed + proposal.requested_krw > last_year.available_krw:
                break
            committed += proposal.requested_krw
            chosen.append(proposal)
        made = _bulk(
            Agreement,
            [
                Agreement(proposal=p, fund_year=last_year, amount_krw=p.requested_krw, created_by=pm)
                for p in chosen
            ],
        )
        milestones: list[Any] = []
        for agreement, proposal in zip(made, chosen, strict=True):
            half = proposal.requested_krw // 2
            milestones += [
                AgreementMilestone(
                    agreement=agreement,
                    order=0,
                    title="설계",
                    deliverables="설계서",
                    month=4,
                    amount_krw=half,
                    status=MilestoneStatus.ACCEPTED,
                    report="설계 완료",
                    submitted_at=now - dt.timedelta(days=250),
                    decided_at=now - dt.timedelta(days=245),
                ),
                AgreementMilestone(
                    agreement=agreement,
                    order=1,
                    title="시제품",
                    deliverables="시제품과 시험 성적서",
                    month=10,
                    amount_krw=proposal.requested_krw - half,
                ),
            ]
        milestones = _bulk(AgreementMilestone, milestones)
        accepted = [m for m in milestones if m.status == MilestoneStatus.ACCEPTED]
        _bulk(
            Payment,
            [
                Payment(
                    agreement=m.agreement,
                    milestone=m,
                    amount_krw=m.amount_krw,
                    idempotency_key=f"bench-rnd-{m.agreement.pk}-{m.pk}",
                    created_by=pm,
                )
                for m in accepted
            ],
        )
        paid = sum(m.amount_krw for m in accepted)
        for m in accepted:
            Agreement.objects.filter(pk=m.agreement.pk).update(paid_krw=m.amount_krw)
        FundYear.objects.filter(pk=last_year.pk).update(committed_krw=committed, paid_krw=paid)
        _bulk(
            LedgerEntry,
            [
                LedgerEntry(
                    fund_year=last_year,
                    agreement=a,
                    kind=LedgerKind.COMMITMENT,
                    amount_krw=a.amount_krw,
                    actor=pm,
                )
                for a in made
            ]
            + [
                LedgerEntry(
                    fund_year=last_year,
                    agreement=m.agreement,
                    kind=LedgerKind.PAYMENT,
                    amount_krw=m.amount_krw,
                    actor=pm,
                )
                for m in accepted
            ],
        )
        log(f"{len(made)} agreements, {len(accepted)} payments")

    per_partner = Counter(p.partner.organization_id for p in current)
    owner_org = max(sorted(per_partner), key=lambda key: per_partner[key])
    owner = User.objects.get(pk=creators[owner_org])
    return {
        "version": BENCH_DATA_VERSION,
        "fund_id": fund.pk,
        "call_id": call.pk,
        "previous_call_id": previous.pk,
        "proposals": len(current),
        "reviews": written,
        "reviewer_email": REVIEWER_EMAIL,
        "partner_owner_email": owner.email,
        "partner_owner_proposals": per_partner[owner_org],
    }


def bench_endpoints(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The pages and API calls `make bench` times (GET, answering 200), with the person each is seen as."""
    call = info["call_id"]
    endpoints = [
        (
            "rnd: ranking page, 2,000 proposals / 10,000 reviews (PM)",
            f"/rnd/calls/{call}/",
            PM_EMAIL,
            False,
            300,
        ),
        ("rnd: review progress (PM)", f"/rnd/calls/{call}/progress/", PM_EMAIL, False, 300),
        ("rnd: proposal list (PM)", "/rnd/", PM_EMAIL, False, 300),
        ("rnd: my assignments (reviewer)", "/rnd/reviews/", info["reviewer_email"], False, 300),
        ("rnd: API proposal list (PM token)", f"/api/v1/rnd/proposals?call_id={call}", None, True, 300),
        ("rnd: my proposals (partner owner)", "/rnd/", info["partner_owner_email"], False, 300),
        ("rnd: agreements (PM)", "/rnd/agreements/", PM_EMAIL, False, 300),
        ("rnd: ledger dashboard (PM)", "/rnd/manage/", PM_EMAIL, False, 300),
    ]
    return [
        {"name": name, "path": path, "login": login, "bearer": bearer, "target_p95_ms": float(target)}
        for name, path, login, bearer, target in endpoints
    ]
