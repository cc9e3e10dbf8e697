"""Repayment schedules: principal sums to the loan, balances never go negative, due dates are business days."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangsaeng.core.dates import is_business_day
from sangsaeng.finance.schedule import add_months, build_schedule, daily_interest, level_payment

methods = st.sampled_from(["equal_payment", "equal_principal", "bullet"])


@st.composite
def loans(draw):
    term = draw(st.integers(min_value=1, max_value=60))
    return {
        "principal_krw": draw(st.integers(min_value=1, max_value=10**10)),
        "annual_rate": Decimal(draw(st.integers(min_value=0, max_value=15_000))) / 1000,
        "start": draw(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))),
        "term_months": term,
        "method": draw(methods),
        "grace_months": draw(st.integers(min_value=0, max_value=term - 1)),
    }


@settings(max_examples=300, deadline=None)
@given(loans())
def test_principal_sums_to_the_loan_and_balances_stay_non_negative(loan):
    rows = build_schedule(**loan)

    assert len(rows) == loan["term_months"]
    assert sum(row.principal_krw for row in rows) == loan["principal_krw"]
    assert all(row.principal_krw >= 0 and row.interest_krw >= 0 for row in rows)
    assert all(row.balance_after_krw >= 0 for row in rows)
    assert rows[-1].balance_after_krw == 0
    assert all(
        row.principal_krw == 0 for row in rows[: loan["grace_months"]] if row.number < loan["term_months"]
    )


@settings(max_examples=200, deadline=None)
@given(loans())
def test_due_dates_are_increasing_business_days(loan):
    rows = build_schedule(**loan)

    assert all(is_business_day(row.due_on) for row in rows)
    assert all(a.due_on < b.due_on for a, b in itertools.pairwise(rows))
    assert rows[0].due_on > loan["start"]


def test_due_date_on_a_holiday_moves_to_the_next_business_day():
    # 2026-02-28 is a Saturday; 2026-03-01 (삼일절) falls on Sunday, so 03-02 is its substitute holiday.
    rows = build_schedule(
        principal_krw=1_200_000,
        annual_rate=Decimal("3"),
        start=dt.date(2026, 1, 28),
        term_months=2,
        method="equal_principal",
    )
    assert rows[0].due_on == dt.date(2026, 3, 3)


def test_chuseok_moves_the_due_date_past_the_holidays():
    # 추석 2025: 10-03 개천절, 10-05..10-07 추석, 10-08 substitute, 10-09 한글날.
    rows = build_schedule(
        principal_krw=1_000_000,
        annual_rate=Decimal("3"),
        start=dt.date(2025, 9, 3),
        term_months=2,
        method="bullet",
    )
    assert rows[0].due_on == dt.date(2025, 10, 10)


def test_interest_is_act_365_rounded_down_to_the_won():
    assert daily_interest(100_000_000, Decimal("3.5"), 31) == 297_260  # 297,260.27…
    assert daily_interest(100_000_000, Decimal("0"), 31) == 0


def test_equal_payment_instalments_are_level_apart_from_the_last():
    rows = build_schedule(
        principal_krw=120_000_000,
        annual_rate=Decimal("4.8"),
        start=dt.date(2026, 1, 15),
        term_months=12,
        method="equal_payment",
    )
    payment = level_payment(120_000_000, Decimal("4.8"), 12)
    # Actual-day interest makes each payment differ from the level one by at most a few days' interest.
    assert all(abs(row.payment_krw - payment) < 120_000_000 * 0.048 * 4 / 365 for row in rows[:-1])


def test_bullet_pays_all_principal_at_maturity():
    rows = build_schedule(
        principal_krw=50_000_000,
        annual_rate=Decimal("3"),
        start=dt.date(2026, 4, 6),
        term_months=6,
        method="bullet",
    )
    assert [row.principal_krw for row in rows] == [0, 0, 0, 0, 0, 50_000_000]


def test_month_end_start_clamps_to_the_last_day():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


@pytest.mark.parametrize("grace", [-1, 12])
def test_grace_must_be_shorter_than_the_term(grace):
    with pytest.raises(ValueError):
        build_schedule(
            principal_krw=1,
            annual_rate=Decimal("1"),
            start=dt.date(2026, 1, 5),
            term_months=12,
            method="bullet",
            grace_months=grace,
        )
