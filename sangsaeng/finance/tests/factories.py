"""Factories of the loan fund tests: a fund with a bank pool, applications at each step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sangsaeng.accounts.models import Organization, OrganizationKind, User
from sangsaeng.accounts.tests.factories import OrganizationFactory
from sangsaeng.finance.models import FundBank, LoanApplication, LoanFund
from sangsaeng.partners.models import Partner

EOK = 100_000_000


def make_fund(**overrides: object) -> LoanFund:
    values: dict[str, object] = {
        "name": "상생협력펀드 2026",
        "total_krw": 1000 * EOK,
        "valid_from": dt.date(2026, 1, 1),
        "eligible_tiers": [1, 2, 3],
        "limits_by_tier": {"1": 10 * EOK, "2": 5 * EOK, "3": 5 * EOK},
        "terms_months": [12, 24, 36],
        "purposes": ["working", "facilities"],
        "requires_fair_trade": False,
        "recommendation_valid_days": 60,
    }
    values.update(overrides)
    return LoanFund.objects.create(**values)


def make_pool(fund: LoanFund, bank: Organization | None = None, **overrides: object) -> FundBank:
    values: dict[str, object] = {
        "fund": fund,
        "bank": bank or OrganizationFactory(kind=OrganizationKind.BANK),
        "deposit_krw": 100 * EOK,
        "pool_krw": 300 * EOK,
        "base_rate": Decimal("4.000"),
        "spread": Decimal("1.500"),
        "reduction": Decimal("2.000"),
    }
    values.update(overrides)
    return FundBank.objects.create(**values)


def make_application(
    partner: Partner, pool: FundBank, created_by: User, **overrides: object
) -> LoanApplication:
    values: dict[str, object] = {
        "fund": pool.fund,
        "partner": partner,
        "pool": pool,
        "amount_krw": 3 * EOK,
        "purpose": "working",
        "term_months": 12,
        "method": "equal_payment",
        "created_by": created_by,
    }
    values.update(overrides)
    return LoanApplication.objects.create(**values)


def backdate(application: LoanApplication, day: dt.date) -> None:
    """Date an application and its recommendation letter back to `day` (a loan disbursed in the past
    was applied for and recommended before then: disburse_loan refuses a date before the letter)."""
    from sangsaeng.finance.models import Recommendation

    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    LoanApplication.objects.filter(pk=application.pk).update(created_at=moment)
    letter_days = (
        Recommendation.objects.filter(application=application).values_list("issued_on", "expires_on").first()
    )
    if letter_days:
        valid_for = letter_days[1] - letter_days[0]
        Recommendation.objects.filter(application=application).update(
            issued_on=day, expires_on=day + valid_for
        )
