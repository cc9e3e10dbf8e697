"""Lab fixtures built in code: a site open Monday–Friday 09:00–18:00 with resources of every kind."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from sangsaeng.openlab.models import OpeningHours, Resource, ResourceKind, Site, Zone, ZoneKind

_counter = itertools.count(1)


def make_site(
    name: str = "", hours: tuple[dt.time, dt.time] = (dt.time(9), dt.time(18)), weekdays: int = 5
) -> Site:
    number = next(_counter)
    site = Site.objects.create(code=f"site-{number}", name=name or f"Lab {number}")
    for weekday in range(weekdays):
        OpeningHours.objects.create(site=site, weekday=weekday, opens=hours[0], closes=hours[1])
    return site


def make_resource(site: Site | None = None, kind: str = ResourceKind.SHIELDED_ROOM, **rules: Any) -> Resource:
    site = site or make_site()
    zone = site.zones.first() or Zone.objects.create(site=site, kind=ZoneKind.INFRA, name="Infra")
    defaults: dict[str, Any] = {
        "min_duration_minutes": 60,
        "max_duration_minutes": 480,
        "slot_minutes": 30,
        "advance_notice_hours": 24,
        "horizon_days": 90,
        "needs_approval": True,
        "monthly_quota_hours": None,
    }
    defaults.update(rules)
    return Resource.objects.create(zone=zone, kind=kind, name=f"{kind} {next(_counter)}", **defaults)


def next_weekday(weekday: int = 2, weeks_ahead: int = 1, avoid_holidays: bool = True) -> dt.date:
    """A future date on the given weekday (Wednesday by default) that is not a public holiday."""
    from sangsaeng.openlab.rules import is_public_holiday

    day = timezone.localdate() + dt.timedelta(days=7 * weeks_ahead)
    while day.weekday() != weekday or (avoid_holidays and is_public_holiday(day)):
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
