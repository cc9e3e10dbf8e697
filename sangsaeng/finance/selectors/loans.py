"""Reads of the loan fund, always scoped to the acting user.

Host people see everything; a bank's loan officers see only applications recommended to their own
bank (and the loans made from them); a partner's people see their own company's; nobody else sees
any. Lists run a fixed number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Count, F, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.access import HostArea, host_may
from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import is_host, kind_of, organization_id_of
from sangsaeng.core import dates
from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import permissions
from sangsaeng.finance.bank_format import COLUMNS
from sangsaeng.finance.models import (
    ApplicationDocument,
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
    RepaymentKind,
)
from sangsaeng.finance.models.loans import BANK_VISIBLE_STATUSES
from sangsaeng.finance.rates import RateBreakdown
from sangsaeng.finance.schedule import ScheduleRow, build_schedule, interest_between
from sangsaeng.partners.models import Partner

PAGE_SIZE = 50


def applications_for_user(user: Any) -> QuerySet[LoanApplication]:
    """Applications the user may see, newest first, with fund, partner, bank and letter joined."""
    queryset = LoanApplication.objects.select_related(
        "fund", "partner", "pool__bank", "recommendation"
    ).order_by("-created_at", "-pk")
    kind = kind_of(user)
    if is_host(user):
        return queryset if host_may(user, HostArea.LOANS) else queryset.none()
    if kind == OrganizationKind.BANK and permissions.is_loan_officer(user):
        return queryset.filter(pool__bank_id=organization_id_of(user), status__in=BANK_VISIBLE_STATUSES)
    organization_id = organization_id_of(user)
    if kind == OrganizationKind.PARTNER and organization_id is not None:
        return queryset.filter(partner__organization_id=organization_id)
    return queryset.none()


# What the application lists (pages and API) read: the application's columns, its letter, and the
# company's and bank's names, not the partner's or the fund's wide rows.
_APPLICATION_LIST_FIELDS = (
    *(field.attname for field in LoanApplication._meta.concrete_fields),
    "partner__name_ko",
    "partner__organization_id",
    "pool__bank_id",
    "pool__bank__name",
    *(f"recommendation__{field.attname}" for field in Recommendation._meta.concrete_fields),
)


def for_application_list(queryset: QuerySet[LoanApplication]) -> QuerySet[LoanApplication]:
    """An application queryset trimmed to the columns the lists show (same rows, same order)."""
    return (
        queryset.select_related(None)
        .select_related("partner", "pool__bank", "recommendation")
        .only(*_APPLICATION_LIST_FIELDS)
    )


def get_application_for_user(user: Any, application_id: int) -> LoanApplication:
    application = applications_for_user(user).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def review_queue_for_user(user: Any) -> QuerySet[LoanApplication]:
    """Applications waiting for the host, oldest first (host fund managers only)."""
    if not permissions.is_fund_manager(user):
        return LoanApplication.objects.none()
    return applications_for_user(user).filter(status="applied").order_by("created_at", "pk")


def bank_queue_for_user(user: Any) -> QuerySet[LoanApplication]:
    """Recommendations and approvals waiting for the officer's own bank, oldest first."""
    if not permissions.is_loan_officer(user):
        return LoanApplication.objects.none()
    return (
        applications_for_user(user)
        .filter(status__in=("recommended", "bank_approved"))
        .order_by("created_at", "pk")
    )


def loans_for_user(user: Any) -> QuerySet[Loan]:
    queryset = Loan.objects.select_related("partner", "pool__bank", "pool__fund", "application").order_by(
        "-disbursed_on", "-pk"
    )
    kind = kind_of(user)
    if is_host(user):
        return queryset if host_may(user, HostArea.LOANS) else queryset.none()
    if kind == OrganizationKind.BANK and permissions.is_loan_officer(user):
        # By the bank's pool ids (one small query), so the list walks the (pool, newest) index.
        pools = list(FundBank.objects.filter(bank_id=organization_id_of(user)).values_list("pk", flat=True))
        return queryset.filter(pool_id__in=pools)
    organization_id = organization_id_of(user)
    if kind == OrganizationKind.PARTNER and organization_id is not None:
        return queryset.filter(partner__organization_id=organization_id)
    return queryset.none()


# What the loan lists (page and API) read: the loan's own columns and two names, not the partner's
# or the fund's wide rows.
_LIST_FIELDS = (
    *(field.attname for field in Loan._meta.concrete_fields),
    "partner__name_ko",
    "partner__organization_id",
    "pool__bank__name",
)


def loan_list_for_user(user: Any) -> QuerySet[Loan]:
    """loans_for_user for the lists: the same rows, only the columns a list shows."""
    return (
        loans_for_user(user).select_related(None).select_related("partner", "pool__bank").only(*_LIST_FIELDS)
    )


def get_loan_for_user(user: Any, loan_id: int) -> Loan:
    loan = loans_for_user(user).filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    return loan


def instalments_of(loan: Loan) -> QuerySet[Instalment]:
    return loan.instalments.order_by("number")


def repayments_of(loan: Loan) -> QuerySet[Repayment]:
    """The whole ledger (payments, reversals and their replacements) in the order it was written."""
    return loan.repayments.order_by("pk")


def current_grade(partner_id: int, on: dt.date | None = None) -> PartnerGrade | None:
    """The partner's grade in force on `on` (default today): the latest whose date has come (one query)."""
    day = on or dates.today()
    return (
        PartnerGrade.objects.filter(partner_id=partner_id, valid_from__lte=day)
        .order_by("-valid_from", "-pk")
        .first()
    )


def rate_breakdown(
    pool: FundBank, partner: Partner | None = None, on: dt.date | None = None
) -> RateBreakdown:
    """The fund rate at `pool`, part by part; with a partner, its grade and incentive points count
    (two queries), without one only the fund's reduction (the generic rate)."""
    from sangsaeng.finance.selectors.sharing import total_points

    if partner is None:
        return RateBreakdown(pool.rate_without_fund, pool.reduction)
    grade = current_grade(partner.pk, on)
    code = grade.grade if grade else ""
    points = total_points(partner.pk)
    return RateBreakdown(
        rate_without_fund=pool.rate_without_fund,
        base_reduction=pool.reduction,
        grade=code,
        grade_reduction=pool.grade_reduction(code),
        points=points,
        points_reduction=pool.fund.points_reduction(points),
    )


def stored_breakdown(recommendation: Recommendation | None) -> RateBreakdown | None:
    """The breakdown kept on a recommendation letter (None for letters from before it was kept)."""
    if recommendation is None or recommendation.rate_without_fund is None:
        return None
    return RateBreakdown(
        rate_without_fund=recommendation.rate_without_fund,
        base_reduction=recommendation.base_reduction,
        grade=recommendation.partner_grade,
        grade_reduction=recommendation.grade_reduction,
        points=recommendation.incentive_points,
        points_reduction=recommendation.points_reduction,
    )


def rate_breakdown_of(application: LoanApplication) -> RateBreakdown:
    """As recommended once there is a letter; before that, what the partner would get today."""
    stored = stored_breakdown(getattr(application, "recommendation", None))
    return stored or rate_breakdown(application.pool, application.partner)


def loan_breakdown(loan: Loan) -> RateBreakdown:
    """The cuts that made a loan's rate, as kept on the loan."""
    return RateBreakdown(
        rate_without_fund=loan.rate_without_fund,
        base_reduction=loan.base_reduction,
        grade=loan.partner_grade,
        grade_reduction=loan.grade_reduction,
        points_reduction=loan.points_reduction,
    )


def grades_for_user(user: Any) -> QuerySet[PartnerGrade]:
    """Grade assignments the user may see, newest first: the host all, a partner's people their own."""
    queryset = PartnerGrade.objects.select_related("partner", "assigned_by").order_by("-assigned_at", "-pk")
    if is_host(user):
        return queryset if host_may(user, HostArea.FUND_DASHBOARD) else queryset.none()
    organization_id = organization_id_of(user)
    if kind_of(user) == OrganizationKind.PARTNER and organization_id is not None:
        return queryset.filter(partner__organization_id=organization_id)
    return queryset.none()


def open_funds() -> QuerySet[LoanFund]:
    """Funds open for applications (they hold no partner data; anyone signed in may read them)."""
    return LoanFund.objects.filter(is_active=True).order_by("-valid_from", "name")


def pools_of(fund: LoanFund) -> QuerySet[FundBank]:
    return fund.banks.select_related("bank").order_by("bank__name")


def get_open_fund(fund_id: int) -> LoanFund:
    fund = open_funds().filter(pk=fund_id).first()
    if fund is None:
        raise Http404
    return fund


def get_open_pool(fund: LoanFund, pool_id: int) -> FundBank:
    pool = pools_of(fund).filter(pk=pool_id).first()
    if pool is None:
        raise Http404
    return pool


def saving_to_date(loan: Loan, today: dt.date | None = None) -> int:
    """Interest saved so far: the stored saving plus the accrual on the balance since the last repayment."""
    end = min(today or dates.today(), loan.maturity_on)
    if loan.status != LoanStatus.ACTIVE or end <= loan.saving_accrued_until:
        return loan.saving_krw
    difference = loan.rate_without_fund - loan.annual_rate
    return loan.saving_krw + interest_between(loan.balance_krw, difference, loan.saving_accrued_until, end)


# The saving accrued on an active loan's balance since its last repayment, per loan and rounded down
# to the won exactly as schedule.interest_between does: balance × (rate without − fund rate) × days /
# 36,500, in integers (rates have three decimals, so the difference is a whole number of 0.001 %p).
_ACCRUAL_SQL = {
    "postgresql": (
        "(finance_loan.balance_krw"
        " * CAST(ROUND((finance_loan.rate_without_fund - finance_loan.annual_rate) * 1000) AS BIGINT)"
        " * (LEAST(CAST(%s AS date), finance_loan.maturity_on) - finance_loan.saving_accrued_until))"
        " / 36500000"
    ),
    "sqlite": (
        "(finance_loan.balance_krw"
        " * CAST(ROUND((finance_loan.rate_without_fund - finance_loan.annual_rate) * 1000) AS INTEGER)"
        " * CAST(julianday(MIN(%s, finance_loan.maturity_on)) - julianday(finance_loan.saving_accrued_until)"
        " AS INTEGER)) / 36500000"
    ),
}


@dataclass(frozen=True)
class PoolUsage:
    pool: FundBank
    outstanding_krw: int
    reserved_krw: int
    percent: int


def fund_dashboard(user: Any, fund: LoanFund, today: dt.date | None = None) -> dict[str, Any]:
    """Utilisation per bank, interest saved (to date) and overdue instalments of one fund (host only).

    A fixed number of queries, all aggregated in the database: pools, the savings (stored plus the
    accrual since each active loan's last repayment, rounded per loan), the overdue count and balance
    and the applications by status.
    """
    if not permissions.can_view_fund_dashboard(user):
        raise Http404
    today = today or dates.today()
    pools = [
        PoolUsage(
            pool,
            pool.outstanding_krw,
            pool.reserved_krw,
            (pool.outstanding_krw + pool.reserved_krw) * 100 // pool.pool_krw if pool.pool_krw else 0,
        )
        for pool in pools_of(fund)
    ]
    today_param = today.isoformat() if connection.vendor == "sqlite" else today
    pool_ids = [usage.pool.pk for usage in pools]
    # By pool id (no join): the stored savings of every loan, then the accrual of the active ones,
    # which the (status, next_due_on) index finds without reading the repaid loans.
    loans = Loan.objects.filter(pool_id__in=pool_ids)
    stored = loans.aggregate(stored=Coalesce(Sum("saving_krw"), 0))["stored"]
    accruing = (
        loans.filter(status=LoanStatus.ACTIVE, saving_accrued_until__lt=today)
        .filter(saving_accrued_until__lt=F("maturity_on"))
        .aggregate(
            accruing=Coalesce(
                Sum(
                    RawSQL(  # noqa: S611 - constant SQL; the day is a bound parameter
                        _ACCRUAL_SQL[connection.vendor], (today_param,), output_field=BigIntegerField()
                    )
                ),
                0,
            )
        )["accruing"]
    )
    totals = {"stored": stored, "accruing": accruing}
    overdue = Loan.objects.filter(
        status=LoanStatus.ACTIVE, next_due_on__lt=today, pool_id__in=pool_ids
    ).aggregate(n=Count("pk"), balance=Coalesce(Sum("balance_krw"), 0))
    counts = dict(
        LoanApplication.objects.filter(fund=fund).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return {
        "fund": fund,
        "pools": pools,
        "interest_saved_krw": int(totals["stored"]) + int(totals["accruing"]),
        "overdue_loans": overdue["n"],
        "overdue_balance_krw": int(overdue["balance"]),
        "status_counts": counts,
    }


def overdue_loans(fund: LoanFund | None, today: dt.date) -> QuerySet[Loan]:
    """Active loans whose first instalment not covered by the repayments fell due before `today`."""
    queryset = Loan.objects.filter(status=LoanStatus.ACTIVE, next_due_on__lt=today)
    if fund is not None:
        queryset = queryset.filter(pool__fund=fund)
    return queryset


@dataclass(frozen=True)
class Simulation:
    """What a loan would cost: the schedule at the fund rate and the saving against the bank's own rate."""

    rows: list[ScheduleRow]
    annual_rate: Decimal
    rate_without_fund: Decimal
    total_interest_krw: int
    interest_without_fund_krw: int
    breakdown: RateBreakdown
    # True when the rate is the partner's own (its grade and incentive points counted).
    personal: bool = False

    @property
    def saving_krw(self) -> int:
        return self.interest_without_fund_krw - self.total_interest_krw


def simulation_partner(user: Any) -> Partner | None:
    """The company whose own rate the simulator shows: a partner's people get theirs, others the generic rate."""
    from sangsaeng.partners.selectors import own_partner_for_user

    return own_partner_for_user(user) if permissions.is_partner_person(user) else None


def simulate(
    pool: FundBank,
    *,
    amount_krw: int,
    term_months: int,
    method: str,
    grace_months: int = 0,
    start: dt.date | None = None,
    partner: Partner | None = None,
) -> Simulation:
    """The simulator for partners before applying (no database writes). With `partner`, the rate is
    that company's own (the fund's reduction plus its grade's and its incentive points' cuts today);
    without, the generic fund rate. Raises ValueError on bad terms."""
    start = start or dates.today()
    breakdown = rate_breakdown(pool, partner, start)
    common = {
        "principal_krw": amount_krw,
        "start": start,
        "term_months": term_months,
        "method": method,
        "grace_months": grace_months,
    }
    rows = build_schedule(annual_rate=breakdown.rate, **common)  # type: ignore[arg-type]
    without = build_schedule(annual_rate=pool.rate_without_fund, **common)  # type: ignore[arg-type]
    return Simulation(
        rows=rows,
        annual_rate=breakdown.rate,
        rate_without_fund=pool.rate_without_fund,
        total_interest_krw=sum(row.interest_krw for row in rows),
        interest_without_fund_krw=sum(row.interest_krw for row in without),
        breakdown=breakdown,
        personal=partner is not None,
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    label: str


_TIMELINE_LABELS = {
    "finance.apply_for_loan": _("Applied"),
    "finance.recommend_application": _("Recommended by the host"),
    "finance.reject_application": _("Rejected by the host"),
    "finance.bank_approve": _("Approved by the bank"),
    "finance.bank_reject": _("Rejected by the bank"),
    "finance.disburse_loan": _("Disbursed"),
    "finance.expire_recommendation": _("Recommendation expired"),
    "finance.application_repaid": _("Repaid"),
    "finance.correct_repayment_status": _("Status changed by a repayment correction"),
}


def timeline_of(application: LoanApplication) -> list[TimelineEntry]:
    """The application's steps from its audit events (one query), oldest first."""
    events = (
        AuditEvent.objects.filter(object_type="finance.loanapplication", object_id=str(application.pk))
        .order_by("seq")
        .values_list("created_at", "action")
    )
    return [TimelineEntry(at, str(_TIMELINE_LABELS.get(action, action))) for at, action in events]


def bank_file_rows_for_user(user: Any) -> tuple[list[str], list[list[Any]]]:
    """The bank's working file: recommendations waiting for it and its active loans, one per row.

    The first columns are those of the import (bank_format.COLUMNS) with the ids filled in, so
    the bank fills in action, amounts and dates and sends the file back; the rest describe the row.
    """
    headers = [
        *COLUMNS,
        "company",
        "brn",
        "serial",
        "status",
        "expires_on",
        "balance_krw",
        "term_months",
        "method",
    ]
    rows: list[list[Any]] = []
    for item in bank_queue_for_user(user):
        recommendation = getattr(item, "recommendation", None)
        rows.append(
            [
                "",
                item.pk,
                "",
                item.reserved_krw,
                "",
                "",
                "",
                "",
                "",
                item.partner.name_ko,
                item.partner.brn,
                recommendation.serial if recommendation else "",
                item.status,
                item.expires_on.isoformat() if item.expires_on else "",
                "",
                item.term_months,
                item.method,
            ]
        )
    if permissions.is_loan_officer(user):
        for loan in loans_for_user(user).filter(status=LoanStatus.ACTIVE):
            rows.append(
                [
                    "",
                    loan.application_id,
                    loan.pk,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    loan.partner.name_ko,
                    loan.partner.brn,
                    "",
                    loan.status,
                    "",
                    loan.balance_krw,
                    loan.term_months,
                    loan.method,
                ]
            )
    return headers, rows


@dataclass(frozen=True)
class RepaymentLine:
    repayment: Repayment
    # "late", "early" or "on_time" for a payment in force; "reversed" for a payment a correction
    # cancelled; "reversal" for the correction's reversal line.
    timing: str


def repayments_with_timing(loan: Loan) -> list[RepaymentLine]:
    """The repayment ledger in the order it was written, each payment in force classed against the
    schedule (two queries).

    Late: principal due before the payment day was still unpaid when it came. Early: after it, more
    principal is repaid than was due by that day. Otherwise on time. Payments are classed in date
    order over the payments in force (those no reversal cancels).
    """
    schedule = list(loan.instalments.order_by("due_on").values_list("due_on", "principal_krw"))
    entries = list(loan.repayments.order_by("pk"))
    reversed_ids = {entry.reverses_id for entry in entries if entry.kind == RepaymentKind.REVERSAL}
    in_force = sorted(
        (e for e in entries if e.kind == RepaymentKind.PAYMENT and e.pk not in reversed_ids),
        key=lambda e: (e.paid_on, e.pk),
    )
    timing: dict[int, str] = {}
    repaid = 0
    for repayment in in_force:
        due_before = sum(amount for due, amount in schedule if due < repayment.paid_on)
        due_by = sum(amount for due, amount in schedule if due <= repayment.paid_on)
        after = repaid + repayment.principal_krw
        if repaid < due_before:
            timing[repayment.pk] = "late"
        elif after > due_by:
            timing[repayment.pk] = "early"
        else:
            timing[repayment.pk] = "on_time"
        repaid = after
    lines = []
    for entry in entries:
        if entry.kind == RepaymentKind.REVERSAL:
            lines.append(RepaymentLine(entry, "reversal"))
        else:
            lines.append(RepaymentLine(entry, timing.get(entry.pk, "reversed")))
    return lines


def get_repayment_for_user(user: Any, loan_id: int, repayment_id: int) -> Repayment:
    """A repayment entry of a loan the user may see; else Http404."""
    loan = get_loan_for_user(user, loan_id)
    repayment = loan.repayments.select_related("loan").filter(pk=repayment_id).first()
    if repayment is None:
        raise Http404
    return repayment


def documents_of(application: LoanApplication) -> QuerySet[ApplicationDocument]:
    return application.documents.order_by("uploaded_at", "pk")


def get_document_for_user(user: Any, application_id: int, document_id: int) -> ApplicationDocument:
    """A document of an application the user may see (the bank once it is recommended); else Http404."""
    application = get_application_for_user(user, application_id)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def loan_export_rows(user: Any, today: dt.date | None = None) -> tuple[list[str], list[list[Any]]]:
    """Loans the user may see as spreadsheet rows, with the interest saved to date (host: all; bank: own)."""
    today = today or dates.today()
    headers = [
        "loan",
        "application",
        "company",
        "brn",
        "bank",
        "principal_krw",
        "balance_krw",
        "annual_rate",
        "rate_without_fund",
        "method",
        "disbursed_on",
        "maturity_on",
        "status",
        "interest_saved_krw",
    ]
    rows = [
        [
            loan.pk,
            loan.application_id,
            loan.partner.name_ko,
            loan.partner.brn,
            loan.pool.bank.name,
            loan.principal_krw,
            loan.balance_krw,
            str(loan.annual_rate),
            str(loan.rate_without_fund),
            loan.method,
            loan.disbursed_on.isoformat(),
            loan.maturity_on.isoformat(),
            loan.status,
            saving_to_date(loan, today),
        ]
        for loan in loans_for_user(user).iterator(chunk_size=2000)
    ]
    return headers, rows


def utilisation_series(fund: LoanFund, days: int = 180) -> dict[str, Any]:
    """Utilisation (outstanding + reserved, % of the pool) per bank per day over the last `days` (one query)."""
    since = dates.today() - dt.timedelta(days=days)
    snapshots = (
        PoolSnapshot.objects.filter(pool__fund=fund, taken_on__gte=since)
        .order_by("taken_on", "pool__bank__name")
        .values_list("taken_on", "pool__bank__name", "pool_krw", "outstanding_krw", "reserved_krw")
    )
    labels: list[str] = []
    series: dict[str, dict[str, int]] = {}
    for taken_on, bank, pool_krw, outstanding, reserved in snapshots:
        day = taken_on.isoformat()
        if not labels or labels[-1] != day:
            labels.append(day)
        series.setdefault(bank, {})[day] = (outstanding + reserved) * 100 // pool_krw if pool_krw else 0
    return {
        "labels": labels,
        "datasets": [
            {"label": bank, "data": [values.get(day) for day in labels]} for bank, values in series.items()
        ],
    }
