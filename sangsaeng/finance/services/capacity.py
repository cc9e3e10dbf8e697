"""Capacity counters of the fund (한도): guarded conditional UPDATEs, never read-check-write.

Each move is a single UPDATE whose WHERE clause states the rule (e.g. outstanding + reserved + x ≤
pool), so two concurrent recommendations cannot both pass a check that only one of them fits; the
CHECK constraints on the tables are the last line. Rows are always touched in the same order
(company, bank pool, fund) so concurrent transactions on PostgreSQL never deadlock.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.utils.translation import gettext as _

from sangsaeng.finance.error_codes import FinanceErrorCode
from sangsaeng.finance.models import CompanyExposure, FundBank, LoanApplication, LoanFund


def exposure_for(application: LoanApplication) -> CompanyExposure:
    """The company's exposure row for the application's fund (created at its tier's limit)."""
    exposure, _created = CompanyExposure.objects.get_or_create(
        fund_id=application.fund_id,
        partner_id=application.partner_id,
        defaults={"limit_krw": application.fund.limit_for_tier(application.partner.tier)},
    )
    return exposure


def _reserve_row(model: type[Model], pk: int, ceiling: str, amount: int, **also: object) -> bool:
    updated: int = (
        model._default_manager.filter(pk=pk)
        .alias(used=F("outstanding_krw") + F("reserved_krw"))
        .filter(used__lte=F(ceiling) - amount)
        .update(reserved_krw=F("reserved_krw") + amount, **also)
    )
    return updated == 1


def reserve(application: LoanApplication, amount: int) -> None:
    """Hold `amount` against the company's limit (at its tier's current limit), the bank pool and the fund.

    Raises ValidationError naming the limit that has no room; the caller's transaction rolls back
    whatever was already held.
    """
    limit = application.fund.limit_for_tier(application.partner.tier)
    exposure = exposure_for(application)
    updated = (
        CompanyExposure.objects.filter(pk=exposure.pk)
        .alias(used=F("outstanding_krw") + F("reserved_krw"))
        .filter(used__lte=limit - amount)
        .update(reserved_krw=F("reserved_krw") + amount, limit_krw=limit)
    )
    if updated != 1:
        raise ValidationError(
            {
                "amount_krw": ValidationError(
                    _("The company's limit under this fund has no room for this amount."),
                    code=FinanceErrorCode.COMPANY_LIMIT,
                )
            }
        )
    if not _reserve_row(FundBank, application.pool_id, "pool_krw", amount):
        raise ValidationError(
            {
                "amount_krw": ValidationError(
                    _("The bank's loan pool has no room for this amount."), code=FinanceErrorCode.POOL_LIMIT
                )
            }
        )
    if not _reserve_row(LoanFund, application.fund_id, "total_krw", amount):
        raise ValidationError(
            {
                "amount_krw": ValidationError(
                    _("The fund has no room for this amount."), code=FinanceErrorCode.FUND_LIMIT
                )
            }
        )


def _move(application: LoanApplication, *, reserved: int, outstanding: int) -> None:
    """Add `reserved` and `outstanding` (either may be negative) on the three rows, guarded ≥ 0."""
    rows: list[tuple[type[Model], int]] = [
        (CompanyExposure, exposure_for(application).pk),
        (FundBank, application.pool_id),
        (LoanFund, application.fund_id),
    ]
    for model, pk in rows:
        updated = model._default_manager.filter(
            pk=pk, reserved_krw__gte=-reserved, outstanding_krw__gte=-outstanding
        ).update(
            reserved_krw=F("reserved_krw") + reserved, outstanding_krw=F("outstanding_krw") + outstanding
        )
        if updated != 1:
            # The counters and the applications disagree: stop rather than corrupt them further.
            raise ValidationError(
                _("The fund's counters do not match this application."), code=FinanceErrorCode.COUNTERS
            )


def release(application: LoanApplication, amount: int) -> None:
    """Give back a reservation (rejection, expiry, a lower approval or disbursement)."""
    if amount:
        _move(application, reserved=-amount, outstanding=0)


def draw(application: LoanApplication, amount: int) -> None:
    """Turn a reservation into an outstanding loan at disbursement."""
    _move(application, reserved=-amount, outstanding=amount)


def restore(application: LoanApplication, amount: int) -> None:
    """A repayment of principal frees headroom again (revolving)."""
    if amount:
        _move(application, reserved=0, outstanding=-amount)


def reopen(application: LoanApplication, amount: int) -> None:
    """A correction that undoes repaid principal: `amount` is outstanding again, guarded like a
    reservation (outstanding + reserved + amount ≤ the company's limit, the pool and the fund).

    Raises ValidationError naming the limit without room; the caller's transaction rolls back.
    """
    if not amount:
        return
    rows: list[tuple[type[Model], int, str, str]] = [
        (CompanyExposure, exposure_for(application).pk, "limit_krw", "company_limit"),
        (FundBank, application.pool_id, "pool_krw", "pool_limit"),
        (LoanFund, application.fund_id, "total_krw", "fund_limit"),
    ]
    for model, pk, ceiling, code in rows:
        updated = (
            model._default_manager.filter(pk=pk)
            .alias(used=F("outstanding_krw") + F("reserved_krw"))
            .filter(used__lte=F(ceiling) - amount)
            .update(outstanding_krw=F("outstanding_krw") + amount)
        )
        if updated != 1:
            raise ValidationError(
                {
                    "principal_krw": ValidationError(
                        _("The limits have no room to put this principal back on the loan."), code=code
                    )
                }
            )
