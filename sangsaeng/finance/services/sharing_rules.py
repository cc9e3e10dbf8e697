"""Incentive rules of benefit sharing (성과공유 인센티브): how many points a confirmed task earns its
partner (finance rates and R&D reviews read the points). Host administrators and programme managers
create, change and retire them, each write audited.

The newest rule in force (valid_from on or before today, not retired) applies when a task is
confirmed. A rule that has already awarded points is not changed any more (the points must stay
explainable by the rule that gave them): retire it and create a new one.

Every function: permission first (PermissionDenied), validation (ValidationError with field errors,
conflicts with code `conflict`), the change and exactly one audit event in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit
from sangsaeng.core.error_codes import ErrorCode
from sangsaeng.finance import permissions
from sangsaeng.finance.models import IncentivePoint, IncentiveRule

RULE_FIELDS = ("valid_from", "points_per_task", "points_per_eok_shared")
MAX_POINTS = 1000
EARLIEST = dt.date(2000, 1, 1)


def can_manage_rules(user: Any) -> bool:
    """The people who run benefit sharing also set its incentive rules."""
    return permissions.can_manage_sharing(user)


def _require(actor: User) -> None:
    if not can_manage_rules(actor):
        raise PermissionDenied(_("Only host administrators and programme managers set incentive rules."))


def rule_in_force(on: dt.date | None = None) -> IncentiveRule | None:
    """The rule a task confirmed on `on` (today by default) is awarded by, if any."""
    from sangsaeng.finance.selectors.sharing_setup import rule_in_force as in_force

    return in_force(on)


def _clean(values: Mapping[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name not in RULE_FIELDS:
            errors.setdefault(name, []).append(ValidationError(_("This field cannot be changed here.")))
            continue
        if name == "valid_from":
            if not isinstance(value, dt.date):
                errors.setdefault(name, []).append(ValidationError(_("Enter a valid date.")))
            elif value < EARLIEST:
                errors.setdefault(name, []).append(
                    ValidationError(_("Enter a date from %(year)s on.") % {"year": EARLIEST.year})
                )
            else:
                cleaned[name] = value
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POINTS:
            errors.setdefault(name, []).append(
                ValidationError(_("Enter a whole number from 0 to %(max)s.") % {"max": MAX_POINTS})
            )
        else:
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_rule(rule: IncentiveRule) -> None:
    """Whole-rule checks after the fields are set: it awards something, one active rule per date."""
    errors: dict[str, list[ValidationError]] = {}
    if rule.points_per_task == 0 and rule.points_per_eok_shared == 0:
        errors["points_per_task"] = [
            ValidationError(
                _("A rule awards points per task or per 1억 shared; to stop awarding, retire it.")
            )
        ]
    clash = IncentiveRule.objects.filter(valid_from=rule.valid_from, retired_at__isnull=True)
    if rule.pk:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        errors["valid_from"] = [
            ValidationError(_("Another rule in force starts on this date; change or retire that one."))
        ]
    if errors:
        raise ValidationError(errors)


def _save(rule: IncentiveRule) -> None:
    """Save; a rule in force for the same day saved meanwhile (the database's unique constraint)
    becomes the same field error as the check before."""
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as error:
        raise ValidationError(
            {"valid_from": _("Another rule in force starts on this date; change or retire that one.")}
        ) from error


def create_rule(*, actor: User, values: Mapping[str, Any]) -> IncentiveRule:
    """A new incentive rule. Raises PermissionDenied or ValidationError (field errors)."""
    with transaction.atomic():
        _require(actor)
        missing = [name for name in RULE_FIELDS if values.get(name) is None]
        if missing:
            raise ValidationError({name: [ValidationError(_("This field is required."))] for name in missing})
        rule = IncentiveRule(**_clean(values))
        _check_rule(rule)
        _save(rule)
        audit.record(
            actor=actor,
            action="finance.create_incentive_rule",
            target=rule,
            changes=audit.diff({}, audit.snapshot(rule, RULE_FIELDS)),
        )
    return rule


def update_rule(*, actor: User, rule: IncentiveRule, values: Mapping[str, Any]) -> IncentiveRule:
    """Change a rule that has awarded no points yet and is not retired.

    Raises PermissionDenied or ValidationError (field errors; `conflict` when retired or used)."""
    with transaction.atomic():
        _require(actor)
        rule = IncentiveRule.objects.select_for_update().get(pk=rule.pk)
        if rule.retired_at is not None:
            raise ValidationError(_("A retired rule is not changed."), code=ErrorCode.CONFLICT)
        if IncentivePoint.objects.filter(rule=rule).exists():
            raise ValidationError(
                _(
                    "Points were awarded under this rule, so it stays as it is: retire it and create a new one."
                ),
                code=ErrorCode.CONFLICT,
            )
        cleaned = _clean({name: value for name, value in values.items() if value is not None})
        before = audit.snapshot(rule, RULE_FIELDS)
        for name, value in cleaned.items():
            setattr(rule, name, value)
        _check_rule(rule)
        _save(rule)
        changes = audit.diff(before, audit.snapshot(rule, RULE_FIELDS))
        if changes:
            audit.record(actor=actor, action="finance.update_incentive_rule", target=rule, changes=changes)
    return rule


def retire_rule(*, actor: User, rule: IncentiveRule) -> IncentiveRule:
    """Retire a rule: it awards no more points (those it gave stay). Raises PermissionDenied or
    ValidationError (`conflict` when already retired)."""
    with transaction.atomic():
        _require(actor)
        rule = IncentiveRule.objects.select_for_update().get(pk=rule.pk)
        if rule.retired_at is not None:
            raise ValidationError(_("This rule is already retired."), code=ErrorCode.CONFLICT)
        rule.retired_at = timezone.now()
        rule.save(update_fields=["retired_at"])
        audit.record(
            actor=actor,
            action="finance.retire_incentive_rule",
            target=rule,
            changes={"retired_at": [None, rule.retired_at]},
        )
    return rule
