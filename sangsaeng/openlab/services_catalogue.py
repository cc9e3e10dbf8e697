"""Maintaining the Open Lab's catalogue (자원 관리): sites with opening hours, zones, resources with their
booking rules (예약 규칙), and maintenance closures (점검). Host administrators, lab operators and
programme managers (permissions.can_manage_resources); everyone else gets PermissionDenied.

Existing bookings are never broken silently. The choice made here is refusal with the list:
- booking rules (durations, granularity, advance notice, horizon, approval, monthly quota) apply to
  requests made after the change; bookings already made keep their time (the form says so);
- deactivating a resource or a site, moving a resource to a zone of another site, closing or
  shortening a weekday's opening hours and adding a closure are refused while bookings that hold
  time in the future (requested, approved, checked in) would be affected. The ValidationError
  (code "bookings_affected") lists them — #id, time, partner — so the operator settles them first
  (rejects the requests, asks the partners to cancel or move) and then repeats the change.
Each function checks the permission, validates (field-level ValidationError), changes and records
one audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit
from sangsaeng.openlab import permissions, rules
from sangsaeng.openlab.models import Booking, BookingState, Closure, OpeningHours, Resource, Site, Zone

# Bookings that hold time and have not ended: a change must not take their time away.
LIVE_STATES = (BookingState.REQUESTED, BookingState.APPROVED, BookingState.CHECKED_IN)
SITE_FIELDS = ("code", "name", "address", "is_active")
ZONE_FIELDS = ("kind", "name")
RESOURCE_FIELDS = (
    "zone",
    "kind",
    "name",
    "description",
    "capacity",
    "features",
    "is_active",
    "min_duration_minutes",
    "max_duration_minutes",
    "slot_minutes",
    "advance_notice_hours",
    "horizon_days",
    "needs_approval",
    "monthly_quota_hours",
)
# How many affected bookings a refusal names (the rest are counted).
LISTED_BOOKINGS = 20
WEEKDAYS = range(7)


def _require_manager(actor: User) -> None:
    if not permissions.can_manage_resources(actor):
        raise PermissionDenied(
            _("Only host administrators, lab operators and programme managers maintain the lab.")
        )


def _check_fields(values: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")


def _live_bookings(condition: Q, now: dt.datetime) -> list[Booking]:
    return list(
        Booking.objects.filter(condition, state__in=LIVE_STATES, end__gt=now)
        .select_related("partner")
        .distinct()
        .order_by("start", "pk")
    )


def affected_text(bookings: Sequence[Booking]) -> str:
    """ "#12 2026-12-01 10:00–12:00 (가나다테크), …" for the first LISTED_BOOKINGS, then "and N more"."""
    text = ", ".join(
        f"#{b.pk} {rules.local(b.start):%Y-%m-%d %H:%M}–{rules.local(b.end):%H:%M} ({b.partner.name_ko})"
        for b in bookings[:LISTED_BOOKINGS]
    )
    if len(bookings) > LISTED_BOOKINGS:
        text += " " + _("and %(count)s more") % {"count": len(bookings) - LISTED_BOOKINGS}
    return text


def _refuse(field: str, message: str, bookings: Sequence[Booking]) -> ValidationError:
    full = (
        message
        + " "
        + _("Settle these bookings first: %(bookings)s.") % {"bookings": affected_text(bookings)}
    )
    return ValidationError({field: [ValidationError(full, code="bookings_affected")]})


def _validated(instance: Any, exclude: Sequence[str] = ()) -> None:
    """full_clean with field-level messages (model constraints are checked by the callers' own rules)."""
    instance.full_clean(exclude=list(exclude), validate_constraints=False)


# --- Sites and opening hours ---------------------------------------------------------------------------
def save_site(*, actor: User, site: Site | None = None, values: Mapping[str, Any]) -> Site:
    """Create a site (site=None) or change its code, name, address or active flag.

    Deactivating a site with live bookings is refused with their list (ValidationError on is_active).
    """
    _require_manager(actor)
    _check_fields(values, SITE_FIELDS)
    now = timezone.now()
    with transaction.atomic():
        target = Site() if site is None else Site.objects.select_for_update().get(pk=site.pk)
        before = {} if site is None else audit.snapshot(target, SITE_FIELDS)
        for name, value in values.items():
            setattr(target, name, value.strip() if isinstance(value, str) else value)
        _validated(target)
        if site is not None and before["is_active"] and not target.is_active:
            live = _live_bookings(Q(site=target), now)
            if live:
                raise _refuse("is_active", _("This site has bookings that are still to come."), live)
        target.save()
        audit.record(
            actor=actor,
            action="openlab.create_site" if site is None else "openlab.update_site",
            target=target,
            changes=audit.diff(before, audit.snapshot(target, SITE_FIELDS)),
        )
    return target


def set_opening_hours(
    *, actor: User, site: Site, hours: Mapping[int, tuple[dt.time, dt.time] | None]
) -> list[OpeningHours]:
    """Replace the site's weekly opening hours (weekday 0 = Monday → (opens, closes), or None: closed).

    ValidationError on "opens_<weekday>"/"closes_<weekday>" for a day that closes before it opens,
    and on "hours" (with the list) when live bookings would fall outside the new hours.
    """
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    wanted: dict[int, rules.Hours] = {}
    for weekday in WEEKDAYS:
        pair = hours.get(weekday)
        if pair is None:
            continue
        opens, closes = pair
        if closes <= opens:
            errors[f"closes_{weekday}"] = [_("The lab must close after it opens.")]
        wanted[weekday] = rules.Hours(opens, closes)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        site = Site.objects.select_for_update().get(pk=site.pk)
        current = list(OpeningHours.objects.filter(site=site))
        before = {str(row.weekday): f"{row.opens:%H:%M}-{row.closes:%H:%M}" for row in current}
        outside = []
        for booking in _live_bookings(Q(site=site), now):
            start, end = rules.local(booking.start), rules.local(booking.end)
            day_hours = wanted.get(start.weekday())
            if day_hours is None or start.time() < day_hours.opens or end.time() > day_hours.closes:
                outside.append(booking)
        if outside:
            raise _refuse("hours", _("The new hours would leave bookings outside opening time."), outside)
        OpeningHours.objects.filter(site=site).delete()
        created = OpeningHours.objects.bulk_create(
            [
                OpeningHours(site=site, weekday=day, opens=h.opens, closes=h.closes)
                for day, h in sorted(wanted.items())
            ]
        )
        after = {str(row.weekday): f"{row.opens:%H:%M}-{row.closes:%H:%M}" for row in created}
        audit.record(
            actor=actor,
            action="openlab.set_opening_hours",
            target=site,
            changes={"opening_hours": [before, after]} if before != after else {},
        )
    return created


# --- Zones -------------------------------------------------------------------------------------------
def save_zone(
    *, actor: User, site: Site | None = None, zone: Zone | None = None, values: Mapping[str, Any]
) -> Zone:
    """Create a zone of `site` (zone=None) or rename/re-kind one; a zone stays at its site."""
    _require_manager(actor)
    _check_fields(values, ZONE_FIELDS)
    if zone is None and site is None:
        raise ValueError("a new zone needs its site")
    with transaction.atomic():
        if zone is None:
            assert site is not None
            target = Zone(site=site)
            before: dict[str, Any] = {}
        else:
            target = Zone.objects.select_for_update().get(pk=zone.pk)
            before = audit.snapshot(target, ZONE_FIELDS)
        for name, value in values.items():
            setattr(target, name, value.strip() if isinstance(value, str) else value)
        _validated(target)
        target.save()
        audit.record(
            actor=actor,
            action="openlab.create_zone" if zone is None else "openlab.update_zone",
            target=target,
            changes=audit.diff(before, {**audit.snapshot(target, ZONE_FIELDS), "site": target.site_id}),
        )
    return target


# --- Resources and their rules -------------------------------------------------------------------------
def _rule_errors(resource: Resource) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if resource.slot_minutes is not None and resource.slot_minutes < 5:
        errors["slot_minutes"] = [_("Slots are at least 5 minutes.")]
    if (
        resource.min_duration_minutes is not None
        and resource.max_duration_minutes is not None
        and resource.max_duration_minutes < resource.min_duration_minutes
    ):
        errors["max_duration_minutes"] = [_("The maximum duration must not be shorter than the minimum.")]
    if resource.max_duration_minutes is not None and resource.max_duration_minutes > 24 * 60:
        errors["max_duration_minutes"] = [_("A booking lasts at most one day.")]
    if resource.horizon_days is not None and resource.horizon_days < 1:
        errors["horizon_days"] = [_("The horizon is at least one day.")]
    if resource.capacity is not None and resource.capacity < 1:
        errors["capacity"] = [_("The capacity is at least one person.")]
    return errors


def save_resource(*, actor: User, resource: Resource | None = None, values: Mapping[str, Any]) -> Resource:
    """Create a resource (resource=None) or change it and its booking rules.

    Rule changes apply to new requests only. Deactivating a resource, or moving it to a zone of
    another site, is refused while it has live bookings (ValidationError listing them).
    """
    _require_manager(actor)
    _check_fields(values, RESOURCE_FIELDS)
    now = timezone.now()
    with transaction.atomic():
        if resource is None:
            target = Resource()
            before: dict[str, Any] = {}
        else:
            target = Resource.objects.select_for_update().select_related("zone").get(pk=resource.pk)
            before = audit.snapshot(target, RESOURCE_FIELDS)
        old_site_id = target.zone.site_id if resource is not None else None
        for name, value in values.items():
            setattr(target, name, value.strip() if isinstance(value, str) else value)
        errors = _rule_errors(target)
        try:
            _validated(target)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        if resource is not None:
            live: list[Booking] = []
            if before["is_active"] and not target.is_active:
                live = _live_bookings(Q(items__resource=target, items__active=True), now)
                if live:
                    raise _refuse("is_active", _("This resource has bookings that are still to come."), live)
            if target.zone.site_id != old_site_id:
                live = _live_bookings(Q(items__resource=target, items__active=True), now)
                if live:
                    raise _refuse("zone", _("This resource is booked at its current site."), live)
        target.save()
        audit.record(
            actor=actor,
            action="openlab.create_resource" if resource is None else "openlab.update_resource",
            target=target,
            changes=audit.diff(before, audit.snapshot(target, RESOURCE_FIELDS)),
        )
    return target


# --- Closures (maintenance windows) --------------------------------------------------------------------
def add_closure(
    *,
    actor: User,
    site: Site,
    resource: Resource | None = None,
    start: dt.datetime,
    end: dt.datetime,
    reason: str,
) -> Closure:
    """Close the whole site, or one of its resources, for maintenance from `start` to `end`.

    Refused (ValidationError on "start", with the list) when live bookings fall in the window.
    """
    _require_manager(actor)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the lab closes.")]
    if timezone.is_naive(start) or timezone.is_naive(end):
        errors["start"] = [_("Give the time with its time zone.")]
    elif end <= start:
        errors["end"] = [_("The end must be after the start.")]
    if resource is not None and resource.zone.site_id != site.pk:
        errors["resource"] = [_("This resource is at another site.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        Site.objects.select_for_update().get(pk=site.pk)
        window = Q(site=site, start__lt=end, end__gt=start)
        if resource is not None:
            window &= Q(items__resource=resource, items__active=True)
        live = _live_bookings(window, now)
        if live:
            raise _refuse("start", _("Bookings fall in this window."), live)
        closure = Closure(site=site, resource=resource, start=start, end=end, reason=reason)
        _validated(closure)
        closure.save()
        audit.record(
            actor=actor,
            action="openlab.add_closure",
            target=closure,
            changes={
                "site": [None, site.pk],
                "resource": [None, resource.pk if resource is not None else None],
                "start": [None, start],
                "end": [None, end],
                "reason": [None, reason],
            },
        )
    return closure


def remove_closure(*, actor: User, closure: Closure) -> None:
    """Reopen: delete a maintenance window (bookable again for new requests)."""
    _require_manager(actor)
    with transaction.atomic():
        closure = Closure.objects.select_for_update().get(pk=closure.pk)
        audit.record(
            actor=actor,
            action="openlab.remove_closure",
            target=closure,
            changes={
                "start": [closure.start, None],
                "end": [closure.end, None],
                "reason": [closure.reason, None],
            },
        )
        closure.delete()
