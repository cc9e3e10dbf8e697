"""Repayment schedules (상환 스케줄) and interest: pure functions, no database.

Rules: due dates are the disbursement day plus n months (clamped to the month's last day), moved to
the next business day (weekends and Korean public holidays, core.dates). Interest is daily, act/365,
on the balance between two actual due dates, rounded down to the won. Equal payment (원리금균등)
computes a level monthly payment from the nominal monthly rate; equal principal (원금균등) splits the
principal evenly; bullet (만기일시) pays all principal at maturity. Grace months (거치) pay interest
only. The last instalment absorbs every rounding difference, so principal always sums to the loan.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from sangsaeng.core.dates import next_business_day

_DAYS_PER_YEAR = Decimal(365)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    due_on: dt.date
    principal_krw: int
    interest_krw: int
    balance_after_krw: int

    @property
    def payment_krw(self) -> int:
        return self.principal_krw + self.interest_krw


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has fewer days (Jan 31 + 1 → Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def daily_interest(balance_krw: int, annual_rate: Decimal, days: int) -> int:
    """Interest on `balance_krw` for `days` days at `annual_rate` percent, act/365, rounded down."""
    if balance_krw <= 0 or days <= 0 or annual_rate <= 0:
        return 0
    amount = Decimal(balance_krw) * annual_rate * days / (_HUNDRED * _DAYS_PER_YEAR)
    return int(amount.to_integral_value(rounding=ROUND_DOWN))


def due_dates(start: dt.date, term_months: int) -> list[dt.date]:
    """The business-day due dates of months 1…term after `start`."""
    return list(_due_dates(start, term_months))


@functools.lru_cache(maxsize=8192)
def _due_dates(start: dt.date, term_months: int) -> tuple[dt.date, ...]:
    # Many loans share a start day and a term (a bank disburses dozens a day): the calendar work
    # (month arithmetic, weekend and holiday checks) is done once per pair. Pure, so safe to cache.
    return tuple(next_business_day(add_months(start, n)) for n in range(1, term_months + 1))


def level_payment(principal_krw: int, annual_rate: Decimal, months: int) -> int:
    """The level monthly payment (원리금균등) from the nominal monthly rate, rounded down to the won."""
    if annual_rate <= 0:
        return principal_krw // months
    rate = annual_rate / _HUNDRED / 12
    factor = (1 + rate) ** months
    payment = Decimal(principal_krw) * rate * factor / (factor - 1)
    return int(payment.to_integral_value(rounding=ROUND_DOWN))


def build_schedule(
    *,
    principal_krw: int,
    annual_rate: Decimal,
    start: dt.date,
    term_months: int,
    method: str,
    grace_months: int = 0,
) -> list[ScheduleRow]:
    """The repayment schedule of a loan disbursed on `start`.

    Raises ValueError for a non-positive principal or term, or grace not shorter than the term.
    """
    if principal_krw <= 0 or term_months <= 0:
        raise ValueError("principal and term must be positive")
    if not 0 <= grace_months < term_months:
        raise ValueError("grace must be shorter than the term")
    dates = due_dates(start, term_months)
    amortising = term_months - grace_months
    payment = level_payment(principal_krw, annual_rate, amortising) if method == "equal_payment" else 0
    even_principal = principal_krw // amortising
    rows: list[ScheduleRow] = []
    balance = principal_krw
    previous = start
    for index, due in enumerate(dates):
        number = index + 1
        interest = daily_interest(balance, annual_rate, (due - previous).days)
        if number == term_months:
            principal = balance  # the last instalment absorbs all rounding
        elif number <= grace_months or method == "bullet":
            principal = 0
        elif method == "equal_payment":
            principal = min(balance, max(0, payment - interest))
        else:
            principal = min(balance, even_principal)
        balance -= principal
        rows.append(ScheduleRow(number, due, principal, interest, balance))
        previous = due
    return rows


def interest_between(balance_krw: int, annual_rate: Decimal, start: dt.date, end: dt.date) -> int:
    return daily_interest(balance_krw, annual_rate, (end - start).days)
