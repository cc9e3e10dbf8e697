"""The availability search: hours, holidays, closures, other bookings, quotas and bundles across sites."""

from __future__ import annotations

import datetime as dt

import pytest

from sangsaeng.openlab import selectors, services
from sangsaeng.openlab.availability import find_slots
from sangsaeng.openlab.models import Closure, ResourceKind
from sangsaeng.openlab.tests.factories import at, make_resource, make_site, next_weekday

pytestmark = pytest.mark.django_db


def _starts(slots):
    return [slot.start for slot in slots]


def test_free_slots_follow_opening_hours_and_skip_booked_time(cast, lab):
    day = next_weekday()
    services.book(
        actor=cast.other_partner_owner, resources=[lab.room], start=at(day, 11), end=at(day, 13), purpose="x"
    )

    slots = find_slots(groups=[[lab.room]], duration=dt.timedelta(hours=2), date_from=day, date_to=day)

    assert _starts(slots) == [at(day, 9)] + [at(day, 13) + dt.timedelta(minutes=30 * i) for i in range(7)]
    assert all(slot.end <= at(day, 18) for slot in slots)


def test_holidays_weekends_and_closures_have_no_slots(cast, lab):
    lab.room.horizon_days = 3650
    lab.room.save()
    holiday = dt.date(2027, 3, 1)  # 삼일절, a Monday
    assert (
        find_slots(groups=[[lab.room]], duration=dt.timedelta(hours=1), date_from=holiday, date_to=holiday)
        == []
    )
    saturday = next_weekday(5)
    assert (
        find_slots(groups=[[lab.room]], duration=dt.timedelta(hours=1), date_from=saturday, date_to=saturday)
        == []
    )
    day = next_weekday()
    Closure.objects.create(site=lab.site, start=at(day, 9), end=at(day, 17), reason="Power work")
    slots = find_slots(groups=[[lab.room]], duration=dt.timedelta(hours=1), date_from=day, date_to=day)
    assert _starts(slots) == [at(day, 17)]


def test_a_bundle_takes_one_resource_per_kind_at_one_site(cast, lab):
    other_site = make_site("판교")
    make_resource(other_site, ResourceKind.SHIELDED_ROOM)  # no base station in 판교
    day = next_weekday()
    slots = selectors.availability_for_user(
        cast.partner_owner,
        kinds=[ResourceKind.SHIELDED_ROOM, ResourceKind.TESTBED],
        minutes=240,
        date_from=day,
        date_to=day,
    )
    ours = [slot for slot in slots if slot.site == lab.site]
    assert ours and {r.pk for r in ours[0].resources} == {lab.room.pk, lab.station.pk}
    assert all(slot.site != other_site for slot in slots)


def test_the_partners_quota_limits_its_slots(cast, lab):
    lab.room.monthly_quota_hours = 3
    lab.room.save()
    day = next_weekday()
    services.book(
        actor=cast.partner_owner, resources=[lab.room], start=at(day, 9), end=at(day, 11), purpose="x"
    )
    assert (
        find_slots(
            groups=[[lab.room]],
            duration=dt.timedelta(hours=2),
            date_from=day,
            date_to=day,
            partner=cast.partner,
        )
        == []
    )
    assert find_slots(
        groups=[[lab.room]],
        duration=dt.timedelta(hours=2),
        date_from=day,
        date_to=day,
        partner=cast.other_partner,
    )


def test_advance_notice_removes_slots_too_soon(cast, lab):
    lab.room.advance_notice_hours = 24 * 30
    lab.room.save()
    day = next_weekday()
    assert find_slots(groups=[[lab.room]], duration=dt.timedelta(hours=1), date_from=day, date_to=day) == []


def test_the_search_runs_a_fixed_number_of_queries(cast, lab, django_assert_max_num_queries):
    day = next_weekday()
    for hour in (9, 12, 15):
        services.book(
            actor=cast.partner_owner,
            resources=[lab.room],
            start=at(day, hour),
            end=at(day, hour + 1),
            purpose="x",
        )
    with django_assert_max_num_queries(8):
        selectors.availability_for_user(
            cast.partner_owner,
            resource_ids=[lab.room.pk, lab.station.pk],
            minutes=60,
            date_from=day,
            date_to=day + dt.timedelta(days=60),
        )


def test_a_kind_named_twice_needs_two_resources_of_that_kind(cast, lab):
    day = next_weekday()
    wanted = [ResourceKind.SHIELDED_ROOM, ResourceKind.LOAN_DEVICE, ResourceKind.LOAN_DEVICE]
    search = dict(kinds=wanted, minutes=120, date_from=day, date_to=day, site_id=lab.site.pk)
    assert selectors.availability_for_user(cast.partner_owner, **search) == []  # one device only
    second = make_resource(lab.site, ResourceKind.LOAN_DEVICE, needs_approval=False)
    slots = selectors.availability_for_user(cast.partner_owner, **search)
    assert slots and {r.pk for r in slots[0].resources} == {lab.room.pk, lab.device.pk, second.pk}


def test_busy_intervals_are_read_as_the_same_instants_on_every_database(cast, lab):
    """The search compares busy time as epoch seconds computed by the database (SQLite julianday,
    PostgreSQL EXTRACT): they must be exactly the instants of the booking."""
    from sangsaeng.openlab.availability import _busy_by_resource

    day = next_weekday()
    services.book(
        actor=cast.partner_owner, resources=[lab.room], start=at(day, 9, 30), end=at(day, 11), purpose="x"
    )
    busy = _busy_by_resource([lab.room.pk, lab.station.pk], at(day, 0), at(day + dt.timedelta(days=1), 0))

    assert set(busy) == {lab.room.pk}
    assert busy[lab.room.pk].starts == [int(at(day, 9, 30).timestamp())]
    assert busy[lab.room.pk].ends_max == [int(at(day, 11).timestamp())]
    assert not busy[lab.room.pk].is_free(int(at(day, 10).timestamp()), int(at(day, 12).timestamp()))
    assert busy[lab.room.pk].is_free(int(at(day, 11).timestamp()), int(at(day, 12).timestamp()))
