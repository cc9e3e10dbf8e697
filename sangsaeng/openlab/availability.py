"""Availability search (빈 시간 찾기): free slots for a bundle of resources in a date range.

A bundle is a list of groups; each group lists interchangeable resources (e.g. "any RF-shielded
room") and one resource per group is taken. All resources of a slot are at one site. A slot honours
the site's opening hours, Korean public holidays, closures, each resource's rules (duration,
granularity, advance notice, horizon), other active bookings and the partner's monthly quotas.

The search reads what it needs in a few queries (opening hours, closures, the partner's quota use,
and active booking items in growing windows, so a search that fills its limit early reads little)
and then works in memory: busy intervals per resource are sorted, so a slot is checked with one
binary search per resource. A kind may be asked for more than once ("two loan devices").
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, Func, QuerySet
from django.utils import timezone

from sangsaeng.core.dates import rows_with_datetimes
from sangsaeng.openlab import rules
from sangsaeng.openlab.models import (
    HOLDING_STATES,
    BookingItem,
    Closure,
    OpeningHours,
    Resource,
    Site,
)
from sangsaeng.partners.models import Partner

# Busy intervals are read in windows that double (4, 8, 16, then 28 days at most): a search that
# fills its limit in the first days reads only those days.
FIRST_BUSY_WINDOW_DAYS = 4
LONGEST_BUSY_WINDOW_DAYS = 28


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    site: Site
    resources: tuple[Resource, ...]

    @property
    def resource_ids(self) -> list[int]:
        return [resource.pk for resource in self.resources]


class _EpochSeconds(Func):
    """A datetime column as whole seconds since 1970 (UTC), computed by the database: the busy
    intervals of a search are compared as integers, so no datetime object is built per row."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400) AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)", **extra
        )


def _epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


@dataclass
class _Busy:
    """One resource's busy intervals in epoch seconds, sorted by start, with the running latest end."""

    starts: list[int] = field(default_factory=list)
    ends_max: list[int] = field(default_factory=list)

    def is_free(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)  # intervals that start before our end
        return index == 0 or self.ends_max[index - 1] <= start


def active_items_overlapping(
    resource_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> QuerySet[BookingItem]:
    """Active booking items of these resources that overlap [start, end). No booking is longer than
    rules.LONGEST_BOOKING, so the start bound keeps the index range (resource, start) narrow."""
    return BookingItem.objects.filter(
        resource_id__in=resource_ids,
        active=True,
        start__lt=end,
        start__gte=start - rules.LONGEST_BOOKING,
        end__gt=start,
    )


def _busy_by_resource(resource_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, _Busy]:
    items = (
        active_items_overlapping(resource_ids, start, end)
        .order_by("resource_id", "start")
        .values_list("resource_id", _EpochSeconds("start"), _EpochSeconds("end"))
    )
    busy: dict[int, _Busy] = defaultdict(_Busy)
    for resource_id, item_start, item_end in items:
        entry = busy[resource_id]
        entry.starts.append(item_start)
        entry.ends_max.append(max(item_end, entry.ends_max[-1]) if entry.ends_max else item_end)
    return busy


def quota_use_minutes(
    partner: Partner, resource_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[tuple[int, dt.date], int]:
    """Minutes the partner holds per (resource, month) among bookings starting in [start, end)."""
    rows = rows_with_datetimes(
        BookingItem.objects.filter(
            booking__partner=partner,
            booking__state__in=HOLDING_STATES,
            resource_id__in=resource_ids,
            start__gte=start,
            start__lt=end,
        )
        .values_list("resource_id", "start", "end")
        .order_by(),
        (1, 2),
    )
    used: dict[tuple[int, dt.date], int] = defaultdict(int)
    for resource_id, item_start, item_end in rows:
        used[(resource_id, rules.month_of(item_start))] += int((item_end - item_start).total_seconds() // 60)
    return used


@dataclass(frozen=True)
class _Limits:
    """One resource's rules, precomputed for the search (the hot loop compares numbers only)."""

    duration_ok: bool
    step: int
    earliest: dt.datetime
    latest: dt.datetime

    @classmethod
    def of(cls, resource: Resource, minutes: int, now: dt.datetime) -> _Limits:
        return cls(
            duration_ok=resource.min_duration_minutes <= minutes <= resource.max_duration_minutes
            and minutes % resource.slot_minutes == 0,
            step=resource.slot_minutes,
            earliest=now + dt.timedelta(hours=resource.advance_notice_hours),
            latest=now + dt.timedelta(days=resource.horizon_days),
        )

    def allows(self, start: dt.datetime, minute_of_day: int) -> bool:
        """The numeric part of rules.resource_problems (duration, granularity, notice, horizon)."""
        return self.duration_ok and minute_of_day % self.step == 0 and self.earliest <= start <= self.latest


def find_slots(
    *,
    groups: Sequence[Sequence[Resource]],
    duration: dt.timedelta,
    date_from: dt.date,
    date_to: dt.date,
    partner: Partner | None = None,
    now: dt.datetime | None = None,
    not_before: dt.datetime | None = None,
    limit: int = 20,
) -> list[Slot]:
    """Free slots, earliest first, at most `limit`; an empty group or range gives no slots."""
    now = now or timezone.now()
    minutes = int(duration.total_seconds() // 60)
    if not groups or any(not group for group in groups) or minutes <= 0 or date_to < date_from:
        return []
    candidates = {resource.pk: resource for group in groups for resource in group}
    site_of = {resource.pk: resource.zone.site_id for resource in candidates.values()}
    sites: dict[int, Site] = {resource.zone.site_id: resource.zone.site for resource in candidates.values()}
    range_start = rules.at(date_from, dt.time(0))
    range_end = rules.at(date_to + dt.timedelta(days=1), dt.time(0))

    hours: dict[int, dict[int, rules.Hours]] = defaultdict(dict)
    for row in OpeningHours.objects.filter(site_id__in=sites):
        hours[row.site_id][row.weekday] = rules.Hours(row.opens, row.closes)
    site_closures: dict[int, list[Closure]] = defaultdict(list)
    resource_closures: dict[int, list[Closure]] = defaultdict(list)
    for closure in Closure.objects.filter(site_id__in=sites, start__lt=range_end, end__gt=range_start):
        if closure.resource_id is None:
            site_closures[closure.site_id].append(closure)
        else:
            resource_closures[closure.resource_id].append(closure)
    busy: dict[int, _Busy] = {}
    busy_until = date_from
    window_days = FIRST_BUSY_WINDOW_DAYS
    quota_used: dict[tuple[int, dt.date], int] = {}
    if partner is not None and any(r.monthly_quota_hours is not None for r in candidates.values()):
        month_start = rules.month_bounds(rules.month_of(range_start))[0]
        month_end = rules.month_bounds(rules.month_of(range_end - dt.timedelta(seconds=1)))[1]
        quota_used = quota_use_minutes(partner, list(candidates), month_start, month_end)

    limits = {pk: _Limits.of(resource, minutes, now) for pk, resource in candidates.items()}

    def usable(
        resource: Resource, start: dt.datetime, end: dt.datetime, seconds: tuple[int, int], minute_of_day: int
    ) -> bool:
        if not limits[resource.pk].allows(start, minute_of_day):
            return False
        taken = busy.get(resource.pk)
        if taken is not None and not taken.is_free(*seconds):
            return False
        if any(rules.overlaps(start, end, c.start, c.end) for c in resource_closures.get(resource.pk, ())):
            return False
        if partner is not None and resource.monthly_quota_hours is not None:
            used = quota_used.get((resource.pk, rules.month_of(start)), 0)
            if used + minutes > resource.monthly_quota_hours * 60:
                return False
        return True

    ordered_sites = sorted(sites.values(), key=lambda site: (site.name, site.pk))
    site_groups = {
        site.pk: [[r for r in group if site_of[r.pk] == site.pk] for group in groups]
        for site in ordered_sites
    }
    found: list[Slot] = []
    day = date_from
    while day <= date_to and len(found) < limit:
        if day >= busy_until:
            busy_until = min(day + dt.timedelta(days=window_days), date_to + dt.timedelta(days=1))
            window_days = min(window_days * 2, LONGEST_BUSY_WINDOW_DAYS)
            busy = _busy_by_resource(
                list(candidates),
                rules.at(day, dt.time(0)),
                rules.at(busy_until, dt.time(0)),
            )
        if not rules.is_public_holiday(day):
            day_slots: list[Slot] = []
            for site in ordered_sites:
                day_hours = hours[site.pk].get(day.weekday())
                per_group = site_groups[site.pk]
                if day_hours is None or any(not group for group in per_group):
                    continue
                step = max(r.slot_minutes for group in per_group for r in group)
                start = rules.at(day, day_hours.opens)
                closes = rules.at(day, day_hours.closes)
                minute_of_day = day_hours.opens.hour * 60 + day_hours.opens.minute
                while start + duration <= closes:
                    end = start + duration
                    if (not_before is None or start >= not_before) and not any(
                        rules.overlaps(start, end, c.start, c.end) for c in site_closures.get(site.pk, ())
                    ):
                        chosen: list[Resource] = []
                        chosen_ids: set[int] = set()  # ids: model equality is a Python call per compare
                        seconds = (_epoch(start), _epoch(end))
                        for group in per_group:
                            pick = next(
                                (
                                    r
                                    for r in group
                                    if r.pk not in chosen_ids
                                    and usable(r, start, end, seconds, minute_of_day)
                                ),
                                None,
                            )
                            if pick is None:
                                break
                            chosen.append(pick)
                            chosen_ids.add(pick.pk)
                        else:
                            day_slots.append(Slot(start, end, site, tuple(chosen)))
                    start += dt.timedelta(minutes=step)
                    minute_of_day += step
            day_slots.sort(key=lambda slot: (slot.start, slot.site.name))
            found.extend(day_slots[: limit - len(found)])
        day += dt.timedelta(days=1)
    return found


def month_minutes_used(partner: Partner, resource: Resource, month: dt.date) -> int:
    """Minutes the partner holds on one resource in one month (the service's quota check)."""
    month_start, month_end = rules.month_bounds(month)
    return quota_use_minutes(partner, [resource.pk], month_start, month_end).get((resource.pk, month), 0)
