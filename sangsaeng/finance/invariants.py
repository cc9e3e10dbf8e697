"""Loan fund and benefit-sharing invariants (core.invariants).

The fund, each bank's pool and each company's exposure keep outstanding + reserved counters: reserved is
the sum of the open applications' reservations, outstanding the sum of the disbursed loans' balances,
and both stay within the ceiling. A loan's balance is its principal less the payments no reversal
cancelled. A sharing payout belongs to its measurement's task and never exceeds the saving.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, OuterRef, Q, Sum

from sangsaeng.core.invariants import (
    Difference,
    counter_mismatches,
    grouped_mismatches,
    invariant,
    rows_violating,
    sum_of,
    total_mismatch,
)
from sangsaeng.finance.models import (
    ApplicationStatus,
    CompanyExposure,
    FundBank,
    Loan,
    LoanApplication,
    LoanFund,
    LoanStatus,
    Repayment,
    RepaymentKind,
    SharingMeasurement,
    SharingPayout,
)

# Statuses in which an application holds a reservation on the fund, pool and company limit.
RESERVING = (ApplicationStatus.RECOMMENDED, ApplicationStatus.BANK_APPROVED)


def _counters(
    name: str,
    model: type[LoanFund] | type[FundBank] | type[CompanyExposure],
    keys: tuple[str, ...],
    application_keys: tuple[str, ...],
) -> Iterator[Difference]:
    rows = model._default_manager.all()
    yield from grouped_mismatches(
        name,
        rows,
        "reserved_krw",
        keys,
        LoanApplication.objects.all(),
        application_keys,
        "reserved_krw",
        "reserved_krw differs from the applications' reservations",
    )
    yield from grouped_mismatches(
        name,
        rows,
        "outstanding_krw",
        keys,
        Loan.objects.all(),
        tuple(f"application__{key}" for key in application_keys),
        "balance_krw",
        "outstanding_krw differs from the loans' balances",
    )
    totals = rows.aggregate(reserved=Sum("reserved_krw"), outstanding=Sum("outstanding_krw"))
    yield from total_mismatch(
        name,
        f"all {model._meta.verbose_name_plural} (reserved)",
        totals["reserved"],
        LoanApplication.objects.aggregate(t=Sum("reserved_krw"))["t"],
    )
    yield from total_mismatch(
        name,
        f"all {model._meta.verbose_name_plural} (outstanding)",
        totals["outstanding"],
        Loan.objects.aggregate(t=Sum("balance_krw"))["t"],
    )


@invariant("finance.fund_counters")
def fund_counters() -> Iterator[Difference]:
    """A loan fund's reserved and outstanding amounts are the sums of its applications and loans."""
    yield from _counters("finance.fund_counters", LoanFund, ("pk",), ("fund_id",))


@invariant("finance.pool_counters")
def pool_counters() -> Iterator[Difference]:
    """A bank pool's reserved and outstanding amounts are the sums of its applications and loans."""
    yield from _counters("finance.pool_counters", FundBank, ("pk",), ("pool_id",))


@invariant("finance.exposure_counters")
def exposure_counters() -> Iterator[Difference]:
    """A company's exposure under a fund is the sum of its applications and loans under that fund."""
    yield from _counters(
        "finance.exposure_counters", CompanyExposure, ("fund_id", "partner_id"), ("fund_id", "partner_id")
    )


@invariant("finance.within_limits")
def within_limits() -> Iterator[Difference]:
    """Outstanding + reserved stay within the fund's total, the bank's pool and the company's limit."""
    name = "finance.within_limits"
    message = "outstanding + reserved exceed the ceiling, or a counter is negative"
    for model, ceiling in ((LoanFund, "total_krw"), (FundBank, "pool_krw"), (CompanyExposure, "limit_krw")):
        yield from rows_violating(
            name,
            model._default_manager.filter(
                Q(outstanding_krw__gt=F(ceiling) - F("reserved_krw"))
                | Q(outstanding_krw__lt=0)
                | Q(reserved_krw__lt=0)
            ),
            message,
        )


@invariant("finance.application_reservations")
def application_reservations() -> Iterator[Difference]:
    """Only recommended or bank-approved applications hold a reservation, and those hold one."""
    name = "finance.application_reservations"
    yield from rows_violating(
        name,
        LoanApplication.objects.exclude(status__in=RESERVING).exclude(reserved_krw=0),
        "an application that is not open still holds a reservation",
    )
    yield from rows_violating(
        name,
        LoanApplication.objects.filter(status__in=RESERVING, reserved_krw__lte=0),
        "an open recommendation holds no reservation",
    )
    yield from rows_violating(
        name,
        LoanApplication.objects.filter(
            status__in=(ApplicationStatus.DISBURSED, ApplicationStatus.REPAID), loan__isnull=True
        ),
        "a disbursed application has no loan",
    )


@invariant("finance.loan_balances")
def loan_balances() -> Iterator[Difference]:
    """A loan's balance is its principal less the payments no reversal cancelled; 0 exactly when repaid."""
    name = "finance.loan_balances"
    paid = sum_of(Repayment, "principal_krw", loan=OuterRef("pk"), kind=RepaymentKind.PAYMENT)
    reversed_ = sum_of(Repayment, "principal_krw", loan=OuterRef("pk"), kind=RepaymentKind.REVERSAL)
    yield from counter_mismatches(
        name,
        Loan.objects.all(),
        "balance_krw",
        F("principal_krw") - paid + reversed_,
        "the balance differs from the principal less the repayments",
    )
    yield from rows_violating(
        name,
        Loan.objects.filter(
            Q(status=LoanStatus.REPAID, balance_krw__gt=0) | Q(status=LoanStatus.ACTIVE, balance_krw=0)
        ),
        "the loan's status does not match its balance",
    )


@invariant("finance.sharing_payouts")
def sharing_payouts() -> Iterator[Difference]:
    """Every measurement has one payout, of its own task, between 0 and the measured saving."""
    name = "finance.sharing_payouts"
    yield from rows_violating(
        name,
        SharingPayout.objects.filter(Q(amount_krw__lt=0) | Q(amount_krw__gt=F("measurement__saving_krw"))),
        "the payout exceeds the measured saving",
    )
    yield from rows_violating(
        name,
        SharingPayout.objects.exclude(task_id=F("measurement__task_id")),
        "the payout's task is not its measurement's",
    )
    yield from rows_violating(
        name, SharingMeasurement.objects.filter(payout__isnull=True), "the measurement has no payout"
    )
