"""Partner grades for the fund's preferential rates: the host grades a partner (S/A/B/C) from a
date, with a reason; each grading is a new row (the history stays) and one audit event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit, dates
from sangsaeng.core.text import clean_text
from sangsaeng.finance import permissions
from sangsaeng.finance.models import PartnerGrade, PartnerGradeCode
from sangsaeng.partners.models import Partner


def assign_partner_grade(
    *, actor: User, partner: Partner, grade: str, valid_from: dt.date, reason: str
) -> PartnerGrade:
    """Host administrators and programme managers grade a partner from `valid_from` (not more than a
    year back). The grade in force when a loan is recommended sets its extra rate cut at each bank.
    Raises PermissionDenied or ValidationError (fields grade, valid_from, reason)."""
    with transaction.atomic():
        if not permissions.can_grade_partners(actor):
            raise PermissionDenied(_("Only host administrators and programme managers grade partners."))
        reason = clean_text(reason)
        errors: dict[str, list[ValidationError]] = {}
        if grade not in PartnerGradeCode.values:
            errors["grade"] = [ValidationError(_("Choose a grade: S, A, B or C."))]
        if not reason:
            errors["reason"] = [ValidationError(_("Give a reason; the partner will see it."))]
        if valid_from is None:
            errors["valid_from"] = [ValidationError(_("Enter the date the grade applies from."))]
        elif valid_from < dates.today() - dt.timedelta(days=366):
            errors["valid_from"] = [ValidationError(_("A grade cannot start more than a year back."))]
        if errors:
            raise ValidationError(errors)
        row = PartnerGrade(
            partner=partner, grade=grade, valid_from=valid_from, reason=reason, assigned_by=actor
        )
        row.full_clean()
        row.save()
        audit.record(
            actor=actor,
            action="finance.assign_partner_grade",
            target=row,
            changes={
                "partner": [None, partner.pk],
                "grade": [None, grade],
                "valid_from": [None, valid_from],
                "reason": [None, reason],
            },
            partner_organization_id=partner.organization_id,
        )
    return row
