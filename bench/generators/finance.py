"""Bench data of the loan fund (`make bench`): one 1,000억 fund at the two bench banks with 20,000
loans to approved bench partners, their schedules and repayments, and open applications.

Every loan goes application → recommendation (serial) → disbursement; its schedule is built by the
real schedule code (schedule.build_schedule, timed: the issue's target is 20 s for 20,000 loans)
and its repayments follow the service's rules (date order, saving accrued on the balance up to each
repayment, next_due_on from the schedule). Behaviour mix: mostly on time, some late, some repaid
early in full, a few overdue. The capacity counters (company exposure, bank pool, fund) are the sums
of the balances of active loans plus the open reservations, so every invariant holds; a loan whose
balance would not fit a limit today is written as repaid early instead. Rows are bulk-inserted (the
services would take hours); audit events are not written for bench rows.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, Role, User
from sangsaeng.core import dates
from sangsaeng.finance.models import (
    ApplicationStatus,
    CompanyExposure,
    FundBank,
    Instalment,
    Loan,
    LoanApplication,
    LoanFund,
    LoanStatus,
    PartnerGrade,
    PoolSnapshot,
    Recommendation,
    Repayment,
)
from sangsaeng.finance.schedule import ScheduleRow, build_schedule, interest_between
from sangsaeng.partners.models import Partner, PartnerStatus

BENCH_DATA_VERSION = 3
DOMAIN = "bench.example.com"
PM_EMAIL = f"pm@{DOMAIN}"
OFFICER_EMAIL = f"officer0@{DOMAIN}"
BANKS = ("상생은행", "미래은행")
EOK = 100_000_000
MAN = 10_000
SCHEDULE_TARGET_SECONDS = 20.0
BATCH = 2_000

# Amounts in 만원 (1천만–2억), weighted to the small loans most partners take.
AMOUNTS_MAN = (1_000, 2_000, 3_000, 5_000, 7_000, 10_000, 15_000, 20_000)
AMOUNT_WEIGHTS = (20, 22, 18, 16, 9, 8, 4, 3)
TERMS = (12, 24, 36)
TERM_WEIGHTS = (30, 45, 25)
METHODS = ("equal_payment", "equal_principal", "bullet")
METHOD_WEIGHTS = (55, 30, 15)
# Open applications beside the loans, by status (a tenth of the loans in all).
GRADE_REDUCTIONS = {"S": "0.5", "A": "0.3", "B": "0.1"}
# A quarter of the eligible partners carry a grade (S few, B most).
GRADE_WEIGHTS = (("S", 1), ("A", 3), ("B", 4), ("C", 2))
OPEN_MIX = (
    (ApplicationStatus.APPLIED, 40),
    (ApplicationStatus.RECOMMENDED, 20),
    (ApplicationStatus.BANK_APPROVED, 10),
    (ApplicationStatus.REJECTED, 15),
    (ApplicationStatus.BANK_REJECTED, 8),
    (ApplicationStatus.EXPIRED, 7),
)


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    created: list[Any] = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH]))
    return created


def _rate(pool: FundBank, grade: str) -> Decimal:
    """The fund rate at `pool` for a partner of `grade` (bench partners hold no incentive points)."""
    return max(Decimal("0"), pool.fund_rate - pool.grade_reduction(grade))


def _insert(model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain INSERTs of many ledger rows (instalments, repayments): the ORM's per-object work would
    dominate at half a million rows. Values are adapted for the database beforehand."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5_000):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start : start + 5_000])


def _grace(rng: random.Random, term: int, method: str) -> int:
    if method == "bullet" or rng.random() < 0.7:
        return 0
    return rng.choice((3, 6)) if term >= 24 else 3


class _Capacity:
    """Today's counters while loans are placed: a loan's balance goes in only if it fits every limit."""

    def __init__(self, fund: LoanFund, pools: list[FundBank]) -> None:
        self.fund_room = fund.total_krw
        self.pool_room = {pool.pk: pool.pool_krw for pool in pools}
        self.company_used: dict[int, int] = defaultdict(int)

    def take(self, partner: Partner, limit: int, pool_id: int, amount: int) -> bool:
        if amount > self.fund_room or amount > self.pool_room[pool_id]:
            return False
        if self.company_used[partner.pk] + amount > limit:
            return False
        self.fund_room -= amount
        self.pool_room[pool_id] -= amount
        self.company_used[partner.pk] += amount
        return True


def _repayments(
    rng: random.Random, rows: list[ScheduleRow], today: dt.date
) -> tuple[list[tuple[dt.date, int, int]], bool]:
    """The repayments (paid_on, principal, interest) of a loan up to today, and whether it is overdue."""
    past = [row for row in rows if row.due_on < today]
    behaviour = rng.random()
    paid: list[tuple[dt.date, int, int]] = []
    overdue = False
    stop = len(past)
    if behaviour < 0.04 and past and len(past) < len(rows):
        stop = max(0, len(past) - rng.randint(1, 3))  # overdue: the last few not paid
        overdue = True
    early_at = rng.randrange(len(past)) if behaviour > 0.93 and past else None
    late = 0.04 <= behaviour < 0.16
    balance = rows[0].balance_after_krw + rows[0].principal_krw
    for index, row in enumerate(past[:stop]):
        paid_on = row.due_on
        if late:
            following = rows[index + 1].due_on if index + 1 < len(rows) else today
            paid_on = min(row.due_on + dt.timedelta(days=rng.randint(1, 9)), following, today)
        if early_at is not None and index == early_at:
            paid.append((paid_on, balance, row.interest_krw))
            return paid, False
        if row.principal_krw or row.interest_krw:
            paid.append((paid_on, row.principal_krw, row.interest_krw))
        balance -= row.principal_krw
    return paid, overdue


def generate_bench_data(
    *,
    seed: int,
    log: Callable[[str], None] = lambda message: None,
    loans: int = 20_000,
    open_applications: int | None = None,
) -> dict[str, Any]:
    """Write the fund, its pools, `loans` loans with schedules and repayments, and open applications."""
    rng = random.Random(seed * 31 + 4)
    open_applications = loans // 10 if open_applications is None else open_applications
    today = dates.today()
    pm = User.objects.get(email=PM_EMAIL)
    banks = [Organization.objects.get(kind=OrganizationKind.BANK, name=name) for name in BANKS]
    officers = [User.objects.get(email=f"officer{index}@{DOMAIN}") for index in range(len(banks))]
    eligible = list(Partner.objects.filter(status=PartnerStatus.APPROVED, tier__in=(1, 2, 3)).order_by("pk"))
    if not eligible:
        raise ValueError("the bench dataset has no approved 1·2·3차 partner")
    timings: list[dict[str, Any]] = []
    with transaction.atomic():
        fund = LoanFund.objects.create(
            name="상생협력펀드 (벤치)",
            total_krw=1_000 * EOK,
            valid_from=dt.date(today.year - 5, 1, 1),
            eligible_tiers=[1, 2, 3],
            limits_by_tier={"1": 10 * EOK, "2": 5 * EOK, "3": 5 * EOK},
            terms_months=list(TERMS),
            purposes=["working", "facilities"],
            requires_fair_trade=False,
            recommendation_valid_days=60,
            points_reductions=[[10, "0.2"], [30, "0.5"]],
        )
        pools = [
            FundBank.objects.create(
                fund=fund,
                bank=bank,
                deposit_krw=deposit * EOK,
                pool_krw=3 * deposit * EOK,
                base_rate=Decimal(base),
                spread=Decimal("1.500"),
                reduction=Decimal("2.000"),
                grade_reductions=GRADE_REDUCTIONS,
            )
            for bank, deposit, base in zip(banks, (200, 150), ("4.200", "4.350"), strict=True)
        ]
        log(f"fund {fund.pk} with pools at {', '.join(BANKS)}")
        capacity = _Capacity(fund, pools)
        start_day = dt.date(today.year - 5, 1, 1)
        codes = [code for code, _w in GRADE_WEIGHTS]
        grade_weights = [weight for _c, weight in GRADE_WEIGHTS]
        graded = [
            PartnerGrade(
                partner=partner,
                grade=rng.choices(codes, grade_weights)[0],
                valid_from=start_day,
                reason="동반성장 평가 결과",
                assigned_by=pm,
            )
            for partner in eligible
            if rng.random() < 0.25
        ]
        _bulk(PartnerGrade, graded)
        grade_of = {row.partner_id: row.grade for row in graded}
        span = (today - dt.timedelta(days=5) - start_day).days

        # 1. What each loan is: partner, bank, amount, term, method, grace, day.
        specs = []
        for _index in range(loans):
            partner = rng.choice(eligible)
            pool_index = rng.randrange(len(pools))
            term = rng.choices(TERMS, TERM_WEIGHTS)[0]
            method = rng.choices(METHODS, METHOD_WEIGHTS)[0]
            amount = rng.choices(AMOUNTS_MAN, AMOUNT_WEIGHTS)[0] * MAN
            amount = min(amount, fund.limit_for_tier(partner.tier))
            day = dates.next_business_day(start_day + dt.timedelta(days=rng.randrange(span)))
            day = min(day, today - dt.timedelta(days=1))
            specs.append((partner, pool_index, term, method, _grace(rng, term, method), amount, day))
        specs.sort(key=lambda spec: spec[6])  # placed in disbursement order, as the bank would have

        # 2. The schedules, through the real schedule code (timed).
        started = time.perf_counter()
        schedules = [
            build_schedule(
                principal_krw=amount,
                annual_rate=_rate(pools[pool_index], grade_of.get(partner.pk, "")),
                start=day,
                term_months=term,
                method=method,
                grace_months=grace,
            )
            for partner, pool_index, term, method, grace, amount, day in specs
        ]
        schedule_seconds = time.perf_counter() - started
        rows_total = sum(len(rows) for rows in schedules)
        log(f"{loans} schedules ({rows_total} instalments) built in {schedule_seconds:.2f} s")
        timings.append(
            {
                "name": f"finance: repayment schedules for {loans:,} loans",
                "seconds": round(schedule_seconds, 3),
                "target_seconds": SCHEDULE_TARGET_SECONDS,
                "detail": f"{rows_total:,} instalments via schedule.build_schedule",
            }
        )

        # 3. Applications with their letters, then loans, instalments and repayments.
        applications = []
        for partner, pool_index, term, method, grace, amount, _day in specs:
            applications.append(
                LoanApplication(
                    fund=fund,
                    partner=partner,
                    pool=pools[pool_index],
                    amount_krw=amount,
                    purpose="working" if rng.random() < 0.7 else "facilities",
                    term_months=term,
                    grace_months=grace,
                    method=method,
                    status=ApplicationStatus.DISBURSED,
                    approved_krw=amount,
                    created_by=pm,
                )
            )
        applications = _bulk(LoanApplication, applications)
        recommendations = []
        loan_rows = []
        plans = []
        for application, spec, rows in zip(applications, specs, schedules, strict=True):
            partner, pool_index, term, method, grace, amount, day = spec
            pool = pools[pool_index]
            limit = fund.limit_for_tier(partner.tier)
            issued = day - dt.timedelta(days=rng.randint(3, 20))
            grade = grade_of.get(partner.pk, "")
            rate = _rate(pool, grade)
            recommendations.append(
                Recommendation(
                    application=application,
                    serial=f"SS-{issued.year}-{application.pk:06d}",
                    amount_krw=amount,
                    issued_by=pm,
                    issued_on=issued,
                    expires_on=issued + dt.timedelta(days=fund.recommendation_valid_days),
                    rate_without_fund=pool.rate_without_fund,
                    base_reduction=pool.reduction,
                    partner_grade=grade,
                    grade_reduction=pool.grade_reduction(grade),
                    expected_rate=rate,
                )
            )

            paid, _overdue = _repayments(rng, rows, today)
            balance = amount - sum(principal for _d, principal, _i in paid)
            if balance and not capacity.take(partner, limit, pool.pk, balance):
                # No room today for this balance: the company repaid it early after its last payment.
                last_day = paid[-1][0] if paid else day
                paid_on = min(last_day + dt.timedelta(days=rng.randint(1, 20)), today)
                paid.append((paid_on, balance, 0))
                balance = 0
            saving, accrued = 0, day
            running = amount
            without = pool.rate_without_fund
            for paid_on, principal, _interest in paid:
                end = min(paid_on, rows[-1].due_on)
                if end > accrued:
                    saving += interest_between(running, without - rate, accrued, end)
                accrued = max(accrued, paid_on)
                running -= principal
            repaid = amount - balance
            next_due = None
            if balance:
                scheduled = 0
                for row in rows:
                    scheduled += row.principal_krw
                    if row.principal_krw and scheduled > repaid:
                        next_due = row.due_on
                        break
            status = LoanStatus.ACTIVE if balance else LoanStatus.REPAID
            application.status = ApplicationStatus.DISBURSED if balance else ApplicationStatus.REPAID
            loan_rows.append(
                Loan(
                    application=application,
                    pool=pool,
                    partner=partner,
                    principal_krw=amount,
                    balance_krw=balance,
                    annual_rate=rate,
                    rate_without_fund=without,
                    base_reduction=pool.reduction,
                    partner_grade=grade,
                    grade_reduction=pool.grade_reduction(grade),
                    method=method,
                    term_months=term,
                    grace_months=grace,
                    disbursed_on=day,
                    maturity_on=rows[-1].due_on,
                    status=status,
                    next_due_on=next_due,
                    saving_krw=saving,
                    saving_accrued_until=accrued,
                    disbursed_by=officers[pool_index],
                )
            )
            plans.append((paid, officers[pool_index]))
        _bulk(Recommendation, recommendations)
        LoanApplication.objects.filter(pk__in=[a.pk for a in applications if a.status == "repaid"]).update(
            status=ApplicationStatus.REPAID
        )
        made = _bulk(Loan, loan_rows)
        log(f"{len(made)} applications, letters and loans written")
        adapt_date = connection.ops.adapt_datefield_value
        instalments = [
            (
                loan.pk,
                row.number,
                adapt_date(row.due_on),
                row.principal_krw,
                row.interest_krw,
                row.balance_after_krw,
            )
            for loan, rows in zip(made, schedules, strict=True)
            for row in rows
        ]
        _insert(
            Instalment,
            ("loan_id", "number", "due_on", "principal_krw", "interest_krw", "balance_after_krw"),
            instalments,
        )
        recorded_at = connection.ops.adapt_datetimefield_value(timezone.now())
        repayments = []
        for loan, (paid, officer) in zip(made, plans, strict=True):
            balance = loan.principal_krw
            for paid_on, principal, interest in paid:
                balance -= principal
                repayments.append(
                    (
                        loan.pk,
                        "payment",
                        adapt_date(paid_on),
                        principal,
                        interest,
                        balance,
                        "",
                        officer.pk,
                        recorded_at,
                    )
                )
        _insert(
            Repayment,
            (
                "loan_id",
                "kind",
                "paid_on",
                "principal_krw",
                "interest_krw",
                "balance_after_krw",
                "reason",
                "recorded_by_id",
                "recorded_at",
            ),
            repayments,
        )
        log(f"{len(instalments)} instalments and {len(repayments)} repayments written")

        # 4. Open applications (some holding reservations) and the counters.
        statuses = [status for status, _w in OPEN_MIX]
        weights = [weight for _s, weight in OPEN_MIX]
        opened = []
        for _index in range(open_applications):
            partner = rng.choice(eligible)
            pool_index = rng.randrange(len(pools))
            term = rng.choices(TERMS, TERM_WEIGHTS)[0]
            method = rng.choices(METHODS, METHOD_WEIGHTS)[0]
            amount = min(rng.choices(AMOUNTS_MAN, AMOUNT_WEIGHTS)[0] * MAN, fund.limit_for_tier(partner.tier))
            status = rng.choices(statuses, weights)[0]
            reserved = 0
            if status in (ApplicationStatus.RECOMMENDED, ApplicationStatus.BANK_APPROVED):
                if capacity.take(partner, fund.limit_for_tier(partner.tier), pools[pool_index].pk, amount):
                    reserved = amount
                else:
                    status = ApplicationStatus.EXPIRED
            application = LoanApplication(
                fund=fund,
                partner=partner,
                pool=pools[pool_index],
                amount_krw=amount,
                purpose="working",
                term_months=term,
                grace_months=_grace(rng, term, method),
                method=method,
                status=status,
                status_reason="서류 보완이 필요합니다."
                if status in (ApplicationStatus.REJECTED, ApplicationStatus.BANK_REJECTED)
                else "",
                reserved_krw=reserved,
                approved_krw=amount if status == ApplicationStatus.BANK_APPROVED else None,
                expires_on=today + dt.timedelta(days=rng.randint(5, 55)) if reserved else None,
                created_by=pm,
            )
            opened.append(application)
        opened = _bulk(LoanApplication, opened)
        letters = []
        for application in opened:
            if application.status in (ApplicationStatus.APPLIED, ApplicationStatus.REJECTED):
                continue
            issued = today - dt.timedelta(days=rng.randint(1, 50))
            letters.append(
                Recommendation(
                    application=application,
                    serial=f"SS-{issued.year}-{application.pk:06d}",
                    amount_krw=application.amount_krw,
                    issued_by=pm,
                    issued_on=issued,
                    expires_on=application.expires_on or issued + dt.timedelta(days=60),
                )
            )
        _bulk(Recommendation, letters)
        _write_counters(fund, pools, made, opened)
        _write_snapshots(pools, made, plans, opened, today)
        log(f"{len(opened)} open applications; counters and 180 days of pool snapshots written")

    owner = _owner_with_loans(made)
    active = sum(1 for loan in made if loan.status == LoanStatus.ACTIVE)
    return {
        "fund_id": fund.pk,
        "loans": len(made),
        "active_loans": active,
        "open_applications": len(opened),
        "partner_owner_email": owner,
        "timings": timings,
    }


def _write_counters(
    fund: LoanFund, pools: list[FundBank], loans: list[Loan], opened: list[LoanApplication]
) -> None:
    """Counters = active balances + open reservations, per company, per pool and for the fund."""
    outstanding: dict[tuple[str, int], int] = defaultdict(int)
    reserved: dict[tuple[str, int], int] = defaultdict(int)
    partners: dict[int, Partner] = {item.partner_id: item.partner for item in [*loans, *opened]}
    for loan in loans:
        if loan.balance_krw:
            for key in (("company", loan.partner_id), ("pool", loan.pool_id), ("fund", 0)):
                outstanding[key] += loan.balance_krw
    for application in opened:
        if application.reserved_krw:
            for key in (("company", application.partner_id), ("pool", application.pool_id), ("fund", 0)):
                reserved[key] += application.reserved_krw
    unreserved = (ApplicationStatus.APPLIED, ApplicationStatus.REJECTED)
    used_ids = {loan.partner_id for loan in loans} | {
        a.partner_id for a in opened if a.status not in unreserved
    }
    exposures = [
        CompanyExposure(
            fund=fund,
            partner_id=partner_id,
            limit_krw=fund.limit_for_tier(partners[partner_id].tier),
            outstanding_krw=outstanding[("company", partner_id)],
            reserved_krw=reserved[("company", partner_id)],
        )
        for partner_id in sorted(used_ids)
    ]
    _bulk(CompanyExposure, exposures)
    for pool in pools:
        FundBank.objects.filter(pk=pool.pk).update(
            outstanding_krw=outstanding[("pool", pool.pk)], reserved_krw=reserved[("pool", pool.pk)]
        )
    LoanFund.objects.filter(pk=fund.pk).update(
        outstanding_krw=outstanding[("fund", 0)], reserved_krw=reserved[("fund", 0)]
    )


def _write_snapshots(
    pools: list[FundBank],
    loans: list[Loan],
    plans: list[tuple[list[tuple[dt.date, int, int]], User]],
    opened: list[LoanApplication],
    today: dt.date,
) -> None:
    """Each pool's outstanding at the end of each of the last 180 days, from the loans' own history."""
    first = today - dt.timedelta(days=180)
    moves: dict[int, dict[dt.date, int]] = {pool.pk: defaultdict(int) for pool in pools}
    for loan, (paid, _officer) in zip(loans, plans, strict=True):
        moves[loan.pool_id][max(loan.disbursed_on, first)] += loan.principal_krw
        for paid_on, principal, _interest in paid:
            moves[loan.pool_id][max(paid_on, first)] -= principal
    reserved = defaultdict(int)
    for application in opened:
        reserved[application.pool_id] += application.reserved_krw
    snapshots = []
    for pool in pools:
        running = 0
        for offset in range(181):
            day = first + dt.timedelta(days=offset)
            running += moves[pool.pk].get(day, 0)
            snapshots.append(
                PoolSnapshot(
                    pool=pool,
                    taken_on=day,
                    pool_krw=pool.pool_krw,
                    outstanding_krw=running,
                    reserved_krw=reserved[pool.pk] if day == today else 0,
                )
            )
    _bulk(PoolSnapshot, snapshots)


def _owner_with_loans(loans: list[Loan]) -> str:
    """The e-mail of the owner of the partner with the most loans (the partner's loans page)."""
    counts: dict[int, int] = defaultdict(int)
    for loan in loans:
        counts[loan.partner.organization_id] += 1
    organization_id = max(sorted(counts), key=lambda key: counts[key])
    membership = (
        Membership.objects.filter(organization_id=organization_id, role=Role.OWNER, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise ValueError("the bench partner with the most loans has no owner")
    return str(membership.user.email)


def bench_endpoints(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The pages `make bench` times (GET, 200), with the bench person each is seen as."""
    fund = info["fund_id"]
    owner = info["partner_owner_email"]
    return [
        {
            "name": "finance: fund dashboard (PM)",
            "path": f"/finance/dashboard/?fund={fund}",
            "login": PM_EMAIL,
            "bearer": False,
            "target_p95_ms": 300.0,
        },
        {
            "name": "finance: loan list (PM)",
            "path": "/finance/loans/",
            "login": PM_EMAIL,
            "bearer": False,
            "target_p95_ms": 300.0,
        },
        {
            "name": "finance: applications (PM)",
            "path": "/finance/",
            "login": PM_EMAIL,
            "bearer": False,
            "target_p95_ms": 300.0,
        },
        {
            "name": "finance: bank queue (officer)",
            "path": "/finance/bank/",
            "login": OFFICER_EMAIL,
            "bearer": False,
            "target_p95_ms": 300.0,
        },
        {
            "name": "finance: bank's loans (officer)",
            "path": "/finance/loans/",
            "login": OFFICER_EMAIL,
            "bearer": False,
            "target_p95_ms": 300.0,
        },
        {
            "name": "finance: API loan list (PM token)",
            "path": "/api/v1/finance/loans",
            "login": None,
            "bearer": True,
            "target_p95_ms": 300.0,
        },
        {
            "name": "finance: partner's loans (owner)",
            "path": "/finance/loans/",
            "login": owner,
            "bearer": False,
            "target_p95_ms": 300.0,
        },
    ]
