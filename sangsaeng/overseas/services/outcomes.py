"""Outcomes after an exhibition (성과): meetings held, MOUs, contracts, and export amounts in their
currency with KRW at the exchange rate the host recorded (the latest on or before the export's date)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit, dates
from sangsaeng.overseas import permissions
from sangsaeng.overseas.models import (
    ApplicationStatus,
    ExchangeRate,
    ExhibitionApplication,
    ExhibitionOutcome,
    ExportRecord,
)
from sangsaeng.overseas.services.common import clean, refuse
from sangsaeng.partners.models import Partner


def _currency(value: str) -> str:
    code = clean(value).upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValidationError({"currency": _("A three-letter currency code, e.g. USD.")})
    return code


def record_exchange_rate(
    *, actor: User, currency: str, rate_date: dt.date, krw_per_unit: Decimal
) -> ExchangeRate:
    """The host records KRW per unit of a currency on a date (one rate per currency and day)."""
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    code = _currency(currency)
    if krw_per_unit is None or krw_per_unit <= 0:
        raise ValidationError({"krw_per_unit": _("The rate must be more than 0.")})
    if rate_date > dates.today():
        raise ValidationError({"rate_date": _("The rate date cannot be in the future.")})
    try:
        with transaction.atomic():
            rate = ExchangeRate.objects.create(
                currency=code, rate_date=rate_date, krw_per_unit=krw_per_unit, recorded_by=actor
            )
            audit.record(
                actor=actor,
                action="overseas.record_exchange_rate",
                target=rate,
                changes={
                    "currency": [None, code],
                    "rate_date": [None, rate_date],
                    "krw_per_unit": [None, krw_per_unit],
                },
            )
    except IntegrityError:
        raise ValidationError(
            {"rate_date": _("A rate for this currency and day is already recorded.")}
        ) from None
    return rate


def report_outcome(
    *,
    actor: User,
    application: ExhibitionApplication,
    meetings_held: int,
    mous: int,
    contracts: int,
    notes: str = "",
) -> ExhibitionOutcome:
    """The partner (or the global unit) reports what the exhibition brought; a new report replaces the
    counts and is audited with the difference."""
    if not permissions.can_report_outcome(actor, application.partner.organization_id):
        raise refuse()
    if application.status != ApplicationStatus.AGREED:
        raise ValidationError(
            _("Outcomes are reported for supported participations only."), code="no_agreement"
        )
    if min(meetings_held, mous, contracts) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    values = {"meetings_held": meetings_held, "mous": mous, "contracts": contracts, "notes": clean(notes)}
    with transaction.atomic():
        outcome = ExhibitionOutcome.objects.select_for_update().filter(application=application).first()
        before = {name: getattr(outcome, name) for name in values} if outcome else dict.fromkeys(values)
        if outcome is None:
            outcome = ExhibitionOutcome(application=application, reported_by=actor, **values)
        else:
            for name, value in values.items():
                setattr(outcome, name, value)
            outcome.reported_by = actor
        outcome.save()
        audit.record(
            actor=actor,
            action="overseas.report_outcome",
            target=outcome,
            changes=audit.diff(before, values),
            partner_organization_id=application.partner.organization_id,
        )
    return outcome


def rate_for(currency: str, on: dt.date) -> ExchangeRate | None:
    return ExchangeRate.objects.filter(currency=currency, rate_date__lte=on).order_by("-rate_date").first()


def report_export(
    *,
    actor: User,
    partner: Partner,
    year: int,
    country: str,
    currency: str,
    amount: Decimal,
    application: ExhibitionApplication | None = None,
) -> ExportRecord:
    """An export amount for a year and country. KRW = amount × the host's latest rate for the currency
    on or before the end of that year (or today, for the current year), rounded to the won."""
    if not permissions.can_report_outcome(actor, partner.organization_id):
        raise refuse()
    if application is not None and application.partner_id != partner.pk:
        raise ValidationError({"application": _("This participation is another company's.")})
    code = _currency(currency)
    today = dates.today()
    errors: dict[str, str] = {}
    if not 2000 <= year <= today.year:
        errors["year"] = _("A year from 2000 to this year.")
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError):
        value = Decimal(0)
    if value <= 0:
        errors["amount"] = _("The amount must be more than 0.")
    if not clean(country):
        errors["country"] = _("Name the country.")
    if errors:
        raise ValidationError(errors)
    rate = rate_for(code, min(dt.date(year, 12, 31), today))
    if rate is None:
        raise ValidationError(
            {"currency": _("The host has not recorded a rate for %(code)s yet.") % {"code": code}}
        )
    amount_krw = int((value * rate.krw_per_unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    with transaction.atomic():
        record = ExportRecord.objects.create(
            partner=partner,
            application=application,
            year=year,
            country=clean(country),
            currency=code,
            amount=value,
            rate=rate,
            amount_krw=amount_krw,
            reported_by=actor,
        )
        audit.record(
            actor=actor,
            action="overseas.report_export",
            target=record,
            changes={
                "year": [None, year],
                "country": [None, record.country],
                "amount": [None, f"{value} {code}"],
                "rate": [None, f"{rate.krw_per_unit} ({rate.rate_date})"],
                "amount_krw": [None, amount_krw],
            },
            partner_organization_id=partner.organization_id,
        )
    return record
