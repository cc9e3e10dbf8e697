"""Fund set-up (펀드 설정): the programme, its rules and the participating banks, by host administrators.

Ceilings can be lowered only to what is already in use: the UPDATE states that condition itself, so
a concurrent recommendation cannot slip between a check and the write.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Organization, OrganizationKind, Role, User
from sangsaeng.accounts.selectors import has_role, is_host
from sangsaeng.core import audit
from sangsaeng.finance.models import FundBank, LoanFund, LoanPurpose, PartnerGradeCode

FUND_FIELDS = (
    "name",
    "total_krw",
    "valid_from",
    "valid_to",
    "is_active",
    "eligible_tiers",
    "limits_by_tier",
    "terms_months",
    "purposes",
    "requires_fair_trade",
    "recommendation_valid_days",
    "points_reductions",
)
POOL_FIELDS = ("deposit_krw", "pool_krw", "base_rate", "spread", "reduction", "grade_reductions")


def can_set_up_funds(user: Any) -> bool:
    """Host administrators set up funds and banks."""
    return is_host(user) and has_role(user, Role.ADMIN)


def _require(actor: User) -> None:
    if not can_set_up_funds(actor):
        raise PermissionDenied(_("Only host administrators set up the loan fund."))


def _clean_fund(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}
    cleaned = {name: value for name, value in values.items() if name in FUND_FIELDS}
    for name in set(values) - set(FUND_FIELDS):
        errors.setdefault(name, []).append(ValidationError(_("Unknown field.")))
    if "total_krw" in cleaned and int(cleaned["total_krw"]) <= 0:
        errors.setdefault("total_krw", []).append(ValidationError(_("Enter an amount above zero.")))
    if "purposes" in cleaned and any(p not in LoanPurpose.values for p in cleaned["purposes"]):
        errors.setdefault("purposes", []).append(ValidationError(_("Choose valid purposes.")))
    if "eligible_tiers" in cleaned and any(t not in (1, 2, 3, 4) for t in cleaned["eligible_tiers"]):
        errors.setdefault("eligible_tiers", []).append(ValidationError(_("Tiers are 1 to 4.")))
    if "limits_by_tier" in cleaned:
        limits = cleaned["limits_by_tier"]
        if any(str(k) not in ("1", "2", "3", "4") or int(v) < 0 for k, v in limits.items()):
            errors.setdefault("limits_by_tier", []).append(
                ValidationError(_("Limits per tier 1–4, zero or more."))
            )
        cleaned["limits_by_tier"] = {str(k): int(v) for k, v in limits.items()}
    if "points_reductions" in cleaned:
        try:
            cleaned["points_reductions"] = sorted(
                [int(minimum), str(Decimal(str(extra)))] for minimum, extra in cleaned["points_reductions"]
            )
        except (TypeError, ValueError, ArithmeticError):
            errors.setdefault("points_reductions", []).append(
                ValidationError(_("Steps of [minimum points, extra %p].")),
            )
    if "terms_months" in cleaned and any(int(t) <= 0 or int(t) > 120 for t in cleaned["terms_months"]):
        errors.setdefault("terms_months", []).append(ValidationError(_("Terms are 1 to 120 months.")))
    if errors:
        raise ValidationError(errors)
    return cleaned


def create_fund(*, actor: User, values: Mapping[str, Any]) -> LoanFund:
    """A new loan programme with its rules. Raises PermissionDenied or ValidationError."""
    with transaction.atomic():
        _require(actor)
        cleaned = _clean_fund(values)
        fund = LoanFund(**cleaned)
        fund.full_clean()
        fund.save()
        audit.record(
            actor=actor,
            action="finance.create_fund",
            target=fund,
            changes={name: [None, getattr(fund, name)] for name in FUND_FIELDS},
        )
    return fund


def update_fund(*, actor: User, fund: LoanFund, values: Mapping[str, Any]) -> LoanFund:
    """Change a fund's rules; its total never drops below what is outstanding and reserved."""
    with transaction.atomic():
        _require(actor)
        cleaned = _clean_fund(values)
        fund = LoanFund.objects.select_for_update().get(pk=fund.pk)
        before = audit.snapshot(fund, FUND_FIELDS)
        if "total_krw" in cleaned:
            updated = (
                LoanFund.objects.filter(pk=fund.pk)
                .alias(used=F("outstanding_krw") + F("reserved_krw"))
                .filter(used__lte=int(cleaned["total_krw"]))
                .update(total_krw=int(cleaned["total_krw"]))
            )
            if updated != 1:
                raise ValidationError({"total_krw": _("Below what is already lent and reserved.")})
        for name, value in cleaned.items():
            setattr(fund, name, value)
        fund.full_clean()
        # The counters are never written from memory; the total was written by the guarded UPDATE.
        rest = [name for name in cleaned if name != "total_krw"]
        if rest:
            fund.save(update_fields=rest)
        audit.record(
            actor=actor,
            action="finance.update_fund",
            target=fund,
            changes=audit.diff(before, audit.snapshot(fund, FUND_FIELDS)),
        )
    return fund


def _clean_pool(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name not in POOL_FIELDS:
            errors.setdefault(name, []).append(ValidationError(_("Unknown field.")))
        elif name == "grade_reductions":
            try:
                cleaned[name] = {
                    str(grade): str(Decimal(str(extra))) for grade, extra in dict(value or {}).items()
                }
            except (TypeError, ValueError, ArithmeticError):
                cleaned[name] = None
            if cleaned[name] is None or any(
                grade not in PartnerGradeCode.values or not Decimal("0") <= Decimal(extra) <= Decimal("5")
                for grade, extra in cleaned[name].items()
            ):
                errors.setdefault(name, []).append(
                    ValidationError(_("Grades S, A, B or C, each with an extra reduction from 0 to 5 %p."))
                )
        elif name.endswith("_krw"):
            cleaned[name] = int(value)
            if cleaned[name] < 0:
                errors.setdefault(name, []).append(ValidationError(_("Enter zero or more.")))
        else:
            cleaned[name] = Decimal(str(value))
            if not Decimal("0") <= cleaned[name] <= Decimal("30"):
                errors.setdefault(name, []).append(ValidationError(_("Between 0 and 30 %.")))
    if errors:
        raise ValidationError(errors)
    return cleaned


def add_bank(*, actor: User, fund: LoanFund, bank: Organization, values: Mapping[str, Any]) -> FundBank:
    """A bank joins the fund with the host's deposit, its loan pool and its rates."""
    with transaction.atomic():
        _require(actor)
        if bank.kind != OrganizationKind.BANK:
            raise ValidationError({"bank": _("Choose a bank.")})
        cleaned = _clean_pool(values)
        pool = FundBank(fund=fund, bank=bank, **cleaned)
        pool.full_clean()
        pool.save()
        audit.record(
            actor=actor,
            action="finance.add_fund_bank",
            target=pool,
            changes={"bank": [None, bank.pk], **{name: [None, getattr(pool, name)] for name in POOL_FIELDS}},
        )
    pool.refresh_from_db()  # the stored (quantised) rates
    return pool


def update_bank(*, actor: User, pool: FundBank, values: Mapping[str, Any]) -> FundBank:
    """Change a bank's deposit, pool or rates; the pool never drops below what is in use."""
    with transaction.atomic():
        _require(actor)
        cleaned = _clean_pool(values)
        pool = FundBank.objects.select_for_update().get(pk=pool.pk)
        before = audit.snapshot(pool, POOL_FIELDS)
        if "pool_krw" in cleaned:
            updated = (
                FundBank.objects.filter(pk=pool.pk)
                .alias(used=F("outstanding_krw") + F("reserved_krw"))
                .filter(used__lte=cleaned["pool_krw"])
                .update(pool_krw=cleaned["pool_krw"])
            )
            if updated != 1:
                raise ValidationError({"pool_krw": _("Below what is already lent and reserved.")})
        for name, value in cleaned.items():
            setattr(pool, name, value)
        rest = [name for name in cleaned if name != "pool_krw"]
        if rest:
            pool.save(update_fields=rest)
        audit.record(
            actor=actor,
            action="finance.update_fund_bank",
            target=pool,
            changes=audit.diff(before, audit.snapshot(pool, POOL_FIELDS)),
        )
    pool.refresh_from_db()
    return pool


__all__ = ["add_bank", "can_set_up_funds", "create_fund", "update_bank", "update_fund"]
