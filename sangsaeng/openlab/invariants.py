"""Open Lab invariants (core.invariants): a resource is held by at most one booking at a time, and a
booking's items hold their resources exactly while the booking is in a holding state."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, Window
from django.db.models.functions import Lag

from sangsaeng.core.invariants import Difference, invariant, rows_violating
from sangsaeng.openlab.models import HOLDING_STATES, BookingItem


@invariant("openlab.no_double_booking")
def no_double_booking() -> Iterator[Difference]:
    """No two active booking items of one resource overlap in time (capacity: one booking at a time)."""
    # Sorted by start per resource, an overlap anywhere shows as an item starting before the end of the
    # item just before it, so one window pass finds them (no self-join over every pair).
    previous_end = Window(
        Lag("end"),
        partition_by=[F("resource_id")],
        order_by=[F("start").asc(), F("end").asc(), F("pk").asc()],
    )
    previous_booking = Window(
        Lag("booking_id"),
        partition_by=[F("resource_id")],
        order_by=[F("start").asc(), F("end").asc(), F("pk").asc()],
    )
    overlapping = (
        BookingItem.objects.filter(active=True)
        .annotate(previous_end=previous_end, previous_booking=previous_booking)
        .filter(previous_end__gt=F("start"))
        .order_by("resource_id", "start")
        .values_list("pk", "resource_id", "booking_id", "previous_booking", "start")
    )
    for pk, resource_id, booking_id, previous_booking_id, start in overlapping:
        yield Difference(
            "openlab.no_double_booking",
            f"openlab.BookingItem #{pk}",
            f"resource #{resource_id} is held by booking #{booking_id} and booking #{previous_booking_id} "
            f"at {start.isoformat()}",
        )


@invariant("openlab.items_follow_booking")
def items_follow_booking() -> Iterator[Difference]:
    """Items are active exactly while their booking holds its resources (requested to completed)."""
    name = "openlab.items_follow_booking"
    yield from rows_violating(
        name,
        BookingItem.objects.filter(active=True).exclude(booking__state__in=HOLDING_STATES),
        "the item still holds its resource although its booking no longer does",
    )
    yield from rows_violating(
        name,
        BookingItem.objects.filter(active=False, booking__state__in=HOLDING_STATES),
        "the item does not hold its resource although its booking does",
    )
