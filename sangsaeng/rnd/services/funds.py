"""Fund, fund-year and call management (programme managers and administrators only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sangsaeng.core import audit
from sangsaeng.partners.models import SizeClass
from sangsaeng.rnd.models import Call, Criterion, Fund, FundYear, LedgerEntry, LedgerKind, Proposal
from sangsaeng.rnd.services.common import require_manager

CALL_FIELDS = (
    "title",
    "themes",
    "eligible_size_classes",
    "eligible_tiers",
    "fair_trade_required",
    "min_partner_share_pct",
    "max_request_krw",
    "max_per_partner_krw",
    "opens_at",
    "closes_at",
    "reviewers_per_proposal",
)


# The call's eligibility rules: editable, like the rubric, only until the call opens or the first
# proposal is submitted, so that every applicant is judged by the rules it read.
ELIGIBILITY_FIELDS = ("eligible_size_classes", "eligible_tiers", "fair_trade_required")


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: int
    max_score: int = 10


def create_fund(
    *,
    actor: Any,
    name: str,
    description: str = "",
    carry_over: bool = False,
    years: Sequence[tuple[int, int]],
) -> Fund:
    """Create a fund with its yearly budgets [(year, budget_krw), ...]. Managers only.

    Raises PermissionDenied, ValidationError (no years, a repeated year, a negative budget).
    """
    with transaction.atomic():
        require_manager(actor)
        fund = Fund(name=name, description=description, carry_over=carry_over)
        fund.full_clean()
        errors: dict[str, list[str]] = {}
        if not years:
            errors["years"] = [_("Add at least one year.")]
        elif len({year for year, _budget in years}) != len(years):
            errors["years"] = [_("Each year may appear once.")]
        elif any(budget < 0 for _year, budget in years):
            errors["years"] = [_("Enter an amount of 0 or more.")]
        if errors:
            raise ValidationError(errors)
        fund.save()
        for year, budget in years:
            fund_year = FundYear.objects.create(fund=fund, year=year, budget_krw=budget)
            LedgerEntry.objects.create(
                fund_year=fund_year, kind=LedgerKind.BUDGET, amount_krw=budget, actor=actor, note=name[:300]
            )
        audit.record(
            actor=actor,
            action="rnd.create_fund",
            target=fund,
            changes={"name": [None, name], "years": [None, [list(pair) for pair in years]]},
        )
        return fund


def set_year_budget(*, actor: Any, fund_year: FundYear, budget_krw: int) -> FundYear:
    """Change a year's budget; it may not fall below what agreements already committed.

    The check is a guarded UPDATE (no read-check-write). Raises PermissionDenied, ValidationError.
    """
    with transaction.atomic():
        require_manager(actor)
        if budget_krw < 0:
            raise ValidationError({"budget_krw": [_("Enter an amount of 0 or more.")]})
        before = FundYear.objects.get(pk=fund_year.pk).budget_krw
        updated = FundYear.objects.filter(
            pk=fund_year.pk,
            committed_krw__lte=budget_krw + F("carried_over_krw") - F("carried_out_krw"),
        ).update(budget_krw=budget_krw)
        if not updated:
            raise ValidationError(
                {"budget_krw": [_("The budget cannot be lower than what agreements have already committed.")]}
            )
        fund_year.refresh_from_db()
        LedgerEntry.objects.create(
            fund_year=fund_year, kind=LedgerKind.BUDGET, amount_krw=budget_krw - before, actor=actor
        )
        audit.record(
            actor=actor,
            action="rnd.set_year_budget",
            target=fund_year,
            changes={"budget_krw": [before, budget_krw]},
        )
        return fund_year


def carry_over(*, actor: Any, fund_year: FundYear) -> int:
    """Move the year's unspent (uncommitted) money to the next year, where the fund's rule allows it.

    Returns the amount moved. Raises PermissionDenied, ValidationError (rule off, no next year, nothing
    left).
    """
    with transaction.atomic():
        require_manager(actor)
        year = FundYear.objects.select_related("fund").select_for_update().get(pk=fund_year.pk)
        if not year.fund.carry_over:
            raise ValidationError(_("This fund does not carry unspent money over."))
        following = FundYear.objects.filter(fund_id=year.fund_id, year=year.year + 1).first()
        if following is None:
            raise ValidationError(_("There is no next year to carry the money to."))
        amount = year.remaining_krw
        if amount <= 0:
            raise ValidationError(_("Nothing is left to carry over."))
        updated = FundYear.objects.filter(
            pk=year.pk,
            committed_krw__lte=F("budget_krw") + F("carried_over_krw") - F("carried_out_krw") - amount,
        ).update(carried_out_krw=F("carried_out_krw") + amount)
        if not updated:
            raise ValidationError(_("The year's commitments changed; try again."))
        FundYear.objects.filter(pk=following.pk).update(carried_over_krw=F("carried_over_krw") + amount)
        LedgerEntry.objects.create(
            fund_year=year, kind=LedgerKind.CARRY_OVER, amount_krw=-amount, actor=actor
        )
        LedgerEntry.objects.create(
            fund_year=following, kind=LedgerKind.CARRY_OVER, amount_krw=amount, actor=actor
        )
        audit.record(
            actor=actor,
            action="rnd.carry_over",
            target=year,
            changes={"carried_out_krw": [year.carried_out_krw, year.carried_out_krw + amount]},
        )
        return amount


def _validate_call(call: Call, criteria: Sequence[CriterionSpec]) -> None:
    errors: dict[str, list[str]] = {}
    try:
        call.full_clean(exclude=["fund_year"])
    except ValidationError as error:
        errors.update({k: [str(m) for m in v] for k, v in error.message_dict.items()})
    if not call.themes or not all(isinstance(t, str) and t.strip() for t in call.themes):
        errors.setdefault("themes", []).append(_("Add at least one theme."))
    valid_sizes = {choice.value for choice in SizeClass}
    if any(size not in valid_sizes for size in call.eligible_size_classes):
        errors.setdefault("eligible_size_classes", []).append(_("Unknown size class."))
    if any(tier not in (1, 2, 3, 4) for tier in call.eligible_tiers):
        errors.setdefault("eligible_tiers", []).append(_("Tiers are 1 to 4."))
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        errors.setdefault("closes_at", []).append(_("The call must close after it opens."))
    if call.opens_at and call.fund_year_id:
        # A call spends its fund year's budget (출연 연도): it opens in that year or the year before
        # (a call for next year's budget), never years away from it.
        year = call.fund_year.year
        if not year - 1 <= timezone.localtime(call.opens_at).year <= year:
            errors.setdefault("opens_at", []).append(
                _("A call of the %(year)s budget opens in %(previous)s or %(year)s.")
                % {"year": year, "previous": year - 1}
            )
    if call.min_partner_share_pct is not None and call.min_partner_share_pct > 100:
        errors.setdefault("min_partner_share_pct", []).append(_("Enter a percentage up to 100."))
    if not criteria:
        errors.setdefault("criteria", []).append(_("Add at least one review criterion."))
    elif any(c.weight <= 0 or c.max_score <= 0 or not c.name.strip() for c in criteria):
        errors.setdefault("criteria", []).append(
            _("Each criterion needs a name, a positive weight and maximum.")
        )
    if errors:
        raise ValidationError(errors)


def create_call(*, actor: Any, fund_year: FundYear, criteria: Sequence[CriterionSpec], **fields: Any) -> Call:
    """Open a call on a fund year with its eligibility rules, caps and rubric. Managers only.

    Raises PermissionDenied, ValidationError with field errors.
    """
    with transaction.atomic():
        require_manager(actor)
        unknown = set(fields) - set(CALL_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        call = Call(fund_year=fund_year, **fields)
        _validate_call(call, criteria)
        call.save()
        Criterion.objects.bulk_create(
            Criterion(call=call, name=c.name, weight=c.weight, max_score=c.max_score, order=k)
            for k, c in enumerate(criteria)
        )
        audit.record(
            actor=actor,
            action="rnd.create_call",
            target=call,
            changes={name: [None, fields[name]] for name in sorted(fields)},
        )
        return call


def update_call(*, actor: Any, call: Call, **fields: Any) -> Call:
    """Edit a call's fields (e.g. its theme list). Managers only. The rubric and eligibility follow
    update_call_rules: they are refused here too once the call has opened or a proposal was submitted.
    Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        require_manager(actor)
        unknown = set(fields) - set(CALL_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        call = Call.objects.select_for_update().get(pk=call.pk)
        if set(fields) & set(ELIGIBILITY_FIELDS):
            locked = rules_locked_reason(call)
            if locked:
                raise ValidationError(locked, code="locked")
        before = audit.snapshot(call, fields)
        for name, value in fields.items():
            setattr(call, name, value)
        _validate_call(call, [CriterionSpec(c.name, c.weight, c.max_score) for c in call.criteria.all()])
        call.save()
        audit.record(
            actor=actor,
            action="rnd.update_call",
            target=call,
            changes=audit.diff(before, audit.snapshot(call, fields)),
        )
        return call


def rules_locked_reason(call: Call, now: dt.datetime | None = None) -> str:
    """Why the rubric and eligibility of the call can no longer change ("" while they can): the call
    has opened, or a proposal has been submitted to it."""
    now = now or timezone.now()
    if call.opens_at <= now:
        return _("The rubric and eligibility can no longer be changed: the call opened at %(opens)s.") % {
            "opens": date_format(timezone.localtime(call.opens_at), "Y-m-d H:i") + " (Asia/Seoul)"
        }
    if Proposal.objects.filter(call_id=call.pk, submitted_at__isnull=False).exists():
        return _("The rubric and eligibility can no longer be changed: a proposal has been submitted.")
    return ""


def _criteria_snapshot(criteria: Sequence[CriterionSpec]) -> list[list[Any]]:
    return [[c.name, c.weight, c.max_score] for c in criteria]


def update_call_rules(
    *,
    actor: Any,
    call: Call,
    criteria: Sequence[CriterionSpec] | None = None,
    now: dt.datetime | None = None,
    **eligibility: Any,
) -> Call:
    """Change the review rubric (criteria with weights and maxima, replaced as a whole) and/or the
    eligibility rules of a call (ELIGIBILITY_FIELDS). Managers only; only until the call opens or the
    first proposal is submitted (after that: ValidationError with the reason, code "locked").

    Raises PermissionDenied, ValidationError (locked, unknown field, field errors)."""
    with transaction.atomic():
        require_manager(actor)
        unknown = set(eligibility) - set(ELIGIBILITY_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        call = Call.objects.select_for_update().get(pk=call.pk)
        locked = rules_locked_reason(call, now)
        if locked:
            raise ValidationError(locked, code="locked")
        current = [
            CriterionSpec(c.name, c.weight, c.max_score) for c in call.criteria.order_by("order", "pk")
        ]
        wanted = list(criteria) if criteria is not None else current
        before = audit.snapshot(call, ELIGIBILITY_FIELDS)
        for name, value in eligibility.items():
            setattr(call, name, value)
        _validate_call(call, wanted)
        if eligibility:
            call.save(update_fields=list(eligibility))
        changes = audit.diff(before, audit.snapshot(call, ELIGIBILITY_FIELDS))
        if criteria is not None and _criteria_snapshot(wanted) != _criteria_snapshot(current):
            # No review can exist yet (reviewers see submitted proposals only), so the rows are replaced.
            Criterion.objects.filter(call=call).delete()
            Criterion.objects.bulk_create(
                Criterion(call=call, name=c.name.strip(), weight=c.weight, max_score=c.max_score, order=k)
                for k, c in enumerate(wanted)
            )
            changes["criteria"] = [_criteria_snapshot(current), _criteria_snapshot(wanted)]
        audit.record(actor=actor, action="rnd.update_call_rules", target=call, changes=changes)
        return call
