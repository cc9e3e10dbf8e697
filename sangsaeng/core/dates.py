"""Dates in Asia/Seoul; Korean public holidays (lunar and substitute days) from the holidays package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

import holidays
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


@lru_cache(maxsize=64)
def _korean_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KR", years=year)


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _korean_holidays(day.year)


def next_business_day(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def _aware(value: Any) -> dt.datetime | None:
    """A datetime column as the database driver gives it: on SQLite a naive datetime in UTC (Django
    registers the column type's parser with the driver) or ISO text, on PostgreSQL an aware datetime."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def rows_with_datetimes(
    queryset: QuerySet[Any], datetime_columns: Sequence[int]
) -> Iterator[tuple[Any, ...]]:
    """The rows of a `values_list` queryset, its datetime columns (by position) read straight from the
    driver. Django's per-value converters cost about 6 µs a datetime on SQLite (a settings lookup, a
    zone attach), which is most of the time of a read of thousands of intervals (availability search,
    week calendars); here it is one check and a `replace` per value. Columns other than the named ones
    must need no conversion (ints, text)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. an empty `__in` list: Django knows there are no rows without asking
        return
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            if not datetime_columns:
                yield tuple(row)
                continue
            values = list(row)
            for index in datetime_columns:
                values[index] = _aware(values[index])
            yield tuple(values)
