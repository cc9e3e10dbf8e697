"""R&D fund invariants (core.invariants): a fund year's committed and paid amounts are the sums of
its agreements and payments, its ledger adds up to its counters, and nothing exceeds the budget."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, OuterRef, Q, Sum

from sangsaeng.core.invariants import (
    Difference,
    counter_mismatches,
    invariant,
    rows_violating,
    sum_of,
    total_mismatch,
)
from sangsaeng.rnd.models import Agreement, FundYear, LedgerEntry, LedgerKind, Payment


@invariant("rnd.fund_year_committed")
def fund_year_committed() -> Iterator[Difference]:
    """A fund year's committed amount is the sum of its agreements' amounts."""
    name = "rnd.fund_year_committed"
    yield from counter_mismatches(
        name,
        FundYear.objects.all(),
        "committed_krw",
        sum_of(Agreement, "amount_krw", fund_year=OuterRef("pk")),
    )
    yield from total_mismatch(
        name,
        "all fund years",
        FundYear.objects.aggregate(total=Sum("committed_krw"))["total"],
        Agreement.objects.aggregate(total=Sum("amount_krw"))["total"],
    )


@invariant("rnd.fund_year_paid")
def fund_year_paid() -> Iterator[Difference]:
    """A fund year's paid amount is the sum of the payments on its agreements."""
    yield from counter_mismatches(
        "rnd.fund_year_paid",
        FundYear.objects.all(),
        "paid_krw",
        sum_of(Payment, "amount_krw", agreement__fund_year=OuterRef("pk")),
    )


@invariant("rnd.agreement_paid")
def agreement_paid() -> Iterator[Difference]:
    """An agreement's paid amount is the sum of its payments, each the amount of its milestone."""
    name = "rnd.agreement_paid"
    yield from counter_mismatches(
        name, Agreement.objects.all(), "paid_krw", sum_of(Payment, "amount_krw", agreement=OuterRef("pk"))
    )
    yield from rows_violating(
        name,
        Payment.objects.exclude(amount_krw=F("milestone__amount_krw")),
        "the payment differs from its milestone's amount",
    )
    yield from rows_violating(
        name,
        Payment.objects.exclude(agreement_id=F("milestone__agreement_id")),
        "the payment's agreement is not its milestone's",
    )


@invariant("rnd.fund_year_within_budget")
def fund_year_within_budget() -> Iterator[Difference]:
    """Committed ≤ budget + carried over − carried out, and paid ≤ committed, on every fund year."""
    yield from rows_violating(
        "rnd.fund_year_within_budget",
        FundYear.objects.filter(
            Q(committed_krw__gt=F("budget_krw") + F("carried_over_krw") - F("carried_out_krw"))
            | Q(paid_krw__gt=F("committed_krw"))
            | Q(committed_krw__lt=0)
            | Q(paid_krw__lt=0)
        ),
        "committed exceeds the available budget or paid exceeds committed",
    )


@invariant("rnd.ledger")
def ledger() -> Iterator[Difference]:
    """A fund year's ledger adds up to its budget, commitments, payments and carry-overs."""
    name = "rnd.ledger"
    years = FundYear.objects.all()
    for kind, counter in (
        (LedgerKind.BUDGET, "budget_krw"),
        (LedgerKind.COMMITMENT, "committed_krw"),
        (LedgerKind.PAYMENT, "paid_krw"),
    ):
        yield from counter_mismatches(
            name,
            years,
            counter,
            sum_of(LedgerEntry, "amount_krw", fund_year=OuterRef("pk"), kind=kind),
            f"{counter} differs from the ledger's {kind} entries",
        )
    yield from counter_mismatches(
        name,
        years,
        "carried_over_krw",
        sum_of(
            LedgerEntry, "amount_krw", fund_year=OuterRef("pk"), kind=LedgerKind.CARRY_OVER, amount_krw__gt=0
        ),
        "carried_over_krw differs from the ledger's incoming carry-overs",
    )
    yield from counter_mismatches(
        name,
        years,
        "carried_out_krw",
        -sum_of(
            LedgerEntry, "amount_krw", fund_year=OuterRef("pk"), kind=LedgerKind.CARRY_OVER, amount_krw__lt=0
        ),
        "carried_out_krw differs from the ledger's outgoing carry-overs",
    )
