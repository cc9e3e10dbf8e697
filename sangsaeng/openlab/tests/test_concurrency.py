"""The overlap guard under concurrent requests (threads standing in for app servers), on both databases."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from sangsaeng.openlab import services
from sangsaeng.openlab.models import Booking, BookingItem, ResourceKind
from sangsaeng.openlab.tests.factories import at, make_resource, make_site, next_weekday
from sangsaeng.partners.tests.factories import make_partner_owner


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run the calls at the same moment; collect results and errors."""
    start = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            results.append(call())
        except BaseException as error:  # reported to the test: a thread's exception would vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_requests_for_overlapping_slots_book_exactly_one():
    site = make_site()
    room = make_resource(site, ResourceKind.SHIELDED_ROOM)
    station = make_resource(site, ResourceKind.TESTBED, needs_approval=False)
    owners = [make_partner_owner()[1] for _ in range(5)]
    day = next_weekday()

    def request(index: int) -> Callable[[], object]:
        start = at(day, 10) + dt.timedelta(minutes=30 * (index % 4))  # 10:00, 10:30, 11:00, 11:30
        return lambda: services.book(
            actor=owners[index % len(owners)],
            resources=[room, station],
            start=start,
            end=start + dt.timedelta(hours=2),
            purpose=f"request {index}",
        )

    results, errors = _race([request(index) for index in range(50)])

    assert len(results) == 1, errors[:3]
    assert len(errors) == 49
    assert all(isinstance(error, ValidationError) and services.is_overlap_error(error) for error in errors), [
        repr(error) for error in errors if not isinstance(error, ValidationError)
    ][:3]
    assert Booking.objects.count() == 1
    assert BookingItem.objects.filter(active=True).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_partner_never_exceed_the_monthly_quota():
    site = make_site()
    rooms = [make_resource(site, ResourceKind.TEST_ROOM, monthly_quota_hours=4) for _ in range(1)]
    owner = make_partner_owner()[1]
    day = next_weekday()

    def request(hour: int) -> Callable[[], object]:
        return lambda: services.book(
            actor=owner, resources=rooms, start=at(day, hour), end=at(day, hour + 2), purpose="quota"
        )

    results, errors = _race([request(hour) for hour in (9, 11, 13, 15)])

    assert len(results) == 2, errors
    assert all(isinstance(error, ValidationError) for error in errors)


@pytest.mark.django_db
def test_the_database_itself_refuses_overlapping_active_items_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL; SQLite relies on IMMEDIATE transactions")
    room = make_resource()
    owner = make_partner_owner()
    day = next_weekday()
    bookings = [
        Booking.objects.create(
            partner=owner[0],
            requested_by=owner[1],
            site_id=room.zone.site_id,
            start=at(day, 10),
            end=at(day, 12),
            purpose="x",
        )
        for _ in range(2)
    ]
    BookingItem.objects.create(booking=bookings[0], resource=room, start=at(day, 10), end=at(day, 12))
    # An inactive item may overlap (a cancelled booking keeps its history).
    BookingItem.objects.create(
        booking=bookings[1], resource=room, start=at(day, 11), end=at(day, 13), active=False
    )
    with pytest.raises(IntegrityError, match=services.OVERLAP_CONSTRAINT), transaction.atomic():
        BookingItem.objects.filter(booking=bookings[1]).update(active=True)
