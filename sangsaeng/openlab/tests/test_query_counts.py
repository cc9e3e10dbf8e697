"""Every Open Lab list page and list API runs the same number of queries for 5 and for 40 rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sangsaeng.openlab.models import Booking, BookingItem, BookingState, ResourceKind, WaitlistEntry
from sangsaeng.openlab.tests.factories import make_resource

pytestmark = pytest.mark.django_db


def _add_rows(cast, lab, count: int) -> None:
    """`count` rows of each kind: requested, today's approved, checked-in loans, waitlist entries,
    resources (each booking gets its own resource, so the resource list grows too)."""
    now = timezone.now().replace(second=0, microsecond=0)
    for index in range(count):
        resource = make_resource(lab.site, ResourceKind.LOAN_DEVICE)
        for offset, state in enumerate(
            (BookingState.REQUESTED, BookingState.APPROVED, BookingState.CHECKED_IN)
        ):
            start = now + dt.timedelta(minutes=index * 3 + offset)
            booking = Booking.objects.create(
                partner=cast.partner,
                requested_by=cast.partner_owner,
                site=lab.site,
                start=start,
                end=start + dt.timedelta(minutes=1),
                purpose=f"p{index}",
                state=state,
            )
            BookingItem.objects.create(
                booking=booking, resource=resource, start=booking.start, end=booking.end
            )
        entry = WaitlistEntry.objects.create(
            partner=cast.partner,
            requested_by=cast.partner_owner,
            start=now + dt.timedelta(days=2),
            end=now + dt.timedelta(days=2, hours=1),
            purpose="w",
        )
        entry.resources.add(resource)


PAGES = [
    ("openlab:resources", "partner_owner", {}),
    ("openlab:booking_list", "partner_owner", {}),
    ("openlab:booking_list", "program_manager", {}),
    ("openlab:approvals", "lab_operator", {}),
    ("openlab:checkins", "lab_operator", {}),
    ("openlab:loans", "lab_operator", {}),
    ("openlab:report", "auditor", {}),
    ("/api/v1/openlab/resources", "partner_owner", {}),
    ("/api/v1/openlab/bookings", "partner_owner", {}),
    ("/api/v1/openlab/bookings", "program_manager", {}),
    ("/api/v1/openlab/waitlist", "partner_owner", {}),
    ("/api/v1/openlab/operations/approvals", "lab_operator", {}),
    ("/api/v1/openlab/operations/check-ins", "lab_operator", {}),
    ("/api/v1/openlab/operations/loans", "lab_operator", {}),
    ("/api/v1/openlab/reports/utilisation", "auditor", {"date_from": "2000-01-01", "date_to": "2100-12-31"}),
]


@pytest.mark.parametrize(("name", "who", "query"), PAGES)
def test_list_pages_run_the_same_number_of_queries_for_5_and_40_rows(
    login, cast, lab, django_assert_num_queries, name, who, query
):
    client = login(getattr(cast, who))
    url = name if name.startswith("/") else reverse(name)
    _add_rows(cast, lab, 5)
    assert client.get(url, query).status_code == 200  # warm the per-process caches
    with CaptureQueriesContext(connection) as five:
        assert client.get(url, query).status_code == 200
    _add_rows(cast, lab, 35)
    with django_assert_num_queries(len(five.captured_queries)):
        response = client.get(url, query)
    assert response.status_code == 200
