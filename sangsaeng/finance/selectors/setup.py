"""Reads of the fund set-up: funds with their participating banks, a bank to add, a partner to grade.

Funds, pools and banks hold no partner data: the callers check the right (can_set_up_funds,
can_grade_partners, can_simulate) before they read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from sangsaeng.accounts.models import Organization, OrganizationKind
from sangsaeng.finance.models import FundBank, LoanFund
from sangsaeng.finance.selectors.loans import open_funds
from sangsaeng.partners.models import Partner


def _with_banks(funds: QuerySet[LoanFund]) -> QuerySet[LoanFund]:
    """Each fund's pools in one more query, with their bank, by the bank's name."""
    pools = FundBank.objects.select_related("bank").order_by("bank__name")
    return funds.prefetch_related(Prefetch("banks", queryset=pools))


def open_funds_with_banks() -> QuerySet[LoanFund]:
    """Funds open for applications with each participating bank's pool and rates."""
    return _with_banks(open_funds())


def funds_with_banks() -> QuerySet[LoanFund]:
    """Every fund, newest first, with its participating banks (the set-up page)."""
    return _with_banks(LoanFund.objects.order_by("-valid_from", "-pk"))


def get_fund_for_setup(fund_id: int) -> LoanFund:
    """A fund with its banks, or 404."""
    fund = LoanFund.objects.prefetch_related("banks__bank").filter(pk=fund_id).first()
    if fund is None:
        raise Http404
    return fund


def get_pool_for_setup(pool_id: int) -> FundBank:
    """A bank's pool in a fund, with both, or 404."""
    pool = FundBank.objects.select_related("fund", "bank").filter(pk=pool_id).first()
    if pool is None:
        raise Http404
    return pool


def bank_by_id(bank_id: Any) -> Organization | None:
    """The bank organisation with this id, or None (also for an organisation that is not a bank)."""
    return Organization.objects.filter(pk=bank_id, kind=OrganizationKind.BANK).first()


def partner_to_grade(partner_id: int) -> Partner | None:
    """Any registered partner (grading is for host fund managers, who see every partner)."""
    return Partner.objects.filter(pk=partner_id).first()
