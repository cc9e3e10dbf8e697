"""Booking rules (예약 규칙) as pure functions shared by the booking service and the availability search.

A proposed range for a bundle of resources must: lie within one day's opening hours of the
resources' single site; avoid Korean public holidays (holidays package) and maintenance closures;
respect each resource's minimum/maximum duration, slot granularity, advance notice and horizon.
Overlaps with other bookings and monthly quotas need the database and are checked by the service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.openlab.models import Closure, OpeningHours, Resource


@lru_cache(maxsize=32)
def _korean_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KR", years=year)


def is_public_holiday(day: dt.date) -> bool:
    """A Korean public holiday (lunar and substitute holidays included)."""
    return day in _korean_holidays(day.year)


def holiday_name(day: dt.date) -> str:
    return str(_korean_holidays(day.year).get(day) or "")


# A booking starts and ends on the same day (calendar_problems), so it is shorter than this. Reads of a
# range bound the items' start from below too: the (resource, start, end) index then reads only the
# range instead of every earlier booking of the resource.
LONGEST_BOOKING = dt.timedelta(days=1)


@dataclass(frozen=True)
class Hours:
    opens: dt.time
    closes: dt.time


def hours_by_weekday(rows: Iterable[OpeningHours]) -> dict[int, Hours]:
    return {row.weekday: Hours(row.opens, row.closes) for row in rows}


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """An aware datetime in the current (Asia/Seoul) time zone."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def overlaps(start: dt.datetime, end: dt.datetime, other_start: dt.datetime, other_end: dt.datetime) -> bool:
    """Half-open ranges [start, end) meet when each starts before the other ends."""
    return start < other_end and other_start < end


def granularity(resources: Sequence[Resource]) -> int:
    """The bundle's slot step: the coarsest granularity of its resources."""
    return max(resource.slot_minutes for resource in resources)


def calendar_problems(
    *,
    start: dt.datetime,
    end: dt.datetime,
    hours: dict[int, Hours],
    closures: Iterable[Closure],
) -> list[str]:
    """Why the range falls outside opening hours, on a holiday or in a closure (empty list: fine)."""
    problems: list[str] = []
    local_start, local_end = local(start), local(end)
    day = local_start.date()
    if local_end.date() != day:
        problems.append(_("A booking must start and end on the same day."))
        return problems
    if is_public_holiday(day):
        problems.append(_("The lab is closed on public holidays (%(name)s).") % {"name": holiday_name(day)})
    day_hours = hours.get(day.weekday())
    if day_hours is None:
        problems.append(_("The lab is closed on this weekday."))
    elif local_start.time() < day_hours.opens or local_end.time() > day_hours.closes:
        problems.append(
            _("The lab is open from %(opens)s to %(closes)s on this day.")
            % {"opens": f"{day_hours.opens:%H:%M}", "closes": f"{day_hours.closes:%H:%M}"}
        )
    for closure in closures:
        if overlaps(start, end, closure.start, closure.end):
            problems.append(_("Closed for maintenance: %(reason)s.") % {"reason": closure.reason})
    return problems


def resource_problems(
    *, resource: Resource, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[str]:
    """Why one resource's own rules refuse the range (duration, granularity, notice, horizon)."""
    problems: list[str] = []
    minutes = int((end - start).total_seconds() // 60)
    name = resource.name
    if minutes < resource.min_duration_minutes or minutes > resource.max_duration_minutes:
        problems.append(
            _("%(name)s is booked for %(min)s to %(max)s minutes at a time.")
            % {"name": name, "min": resource.min_duration_minutes, "max": resource.max_duration_minutes}
        )
    local_start = local(start)
    start_minute = local_start.hour * 60 + local_start.minute
    if (
        start_minute % resource.slot_minutes
        or minutes % resource.slot_minutes
        or local_start.second
        or local_start.microsecond
    ):
        problems.append(
            _("%(name)s is booked in steps of %(step)s minutes.")
            % {"name": name, "step": resource.slot_minutes}
        )
    if start < now + dt.timedelta(hours=resource.advance_notice_hours):
        problems.append(
            _("%(name)s must be booked at least %(hours)s hours in advance.")
            % {"name": name, "hours": resource.advance_notice_hours}
        )
    if start > now + dt.timedelta(days=resource.horizon_days):
        problems.append(
            _("%(name)s can be booked at most %(days)s days ahead.")
            % {"name": name, "days": resource.horizon_days}
        )
    return problems


def month_of(moment: dt.datetime) -> dt.date:
    """The first day of the (Seoul) month a moment falls in: quotas count per calendar month."""
    return local(moment).date().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return at(month, dt.time(0)), at(following, dt.time(0))
