"""Every page renders with real rows for the people who use it (templates fail only with data)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sangsaeng.openlab import services
from sangsaeng.openlab.models import Booking, BookingItem, BookingState, Closure
from sangsaeng.openlab.tests.factories import at, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(cast, lab):
    day = next_weekday()
    requested = services.book(
        actor=cast.partner_owner,
        resources=[lab.room],
        start=at(day, 10),
        end=at(day, 12),
        purpose="Room test",
    )
    now = timezone.now()
    start = now.replace(minute=0, second=0, microsecond=0)
    loan = Booking.objects.create(
        partner=cast.partner,
        requested_by=cast.partner_owner,
        site=lab.site,
        start=start,
        end=start + dt.timedelta(hours=23),
        purpose="Device loan",
        state=BookingState.CHECKED_IN,
        condition_notes="out: fine",
    )
    BookingItem.objects.create(booking=loan, resource=lab.device, start=loan.start, end=loan.end)
    Closure.objects.create(site=lab.site, start=at(day, 16), end=at(day, 18), reason="Maintenance")
    return requested, loan


@pytest.mark.parametrize(
    ("who", "names"),
    [
        ("lab_operator", ["approvals", "checkins", "loans", "booking_list", "report", "resources"]),
        ("partner_owner", ["booking_list", "resources", "booking_new", "availability"]),
    ],
)
def test_lists_render_with_rows(english, login, cast, bookings, who, names):
    login(getattr(cast, who))
    for name in names:
        response = english.get(reverse(f"openlab:{name}"))
        assert response.status_code == 200, name


def test_the_queues_show_their_bookings(english, login, cast, bookings):
    requested, loan = bookings
    login(cast.lab_operator)
    assert f">{requested.pk}<" in english.get(reverse("openlab:approvals")).content.decode()
    assert f">{loan.pk}<" in english.get(reverse("openlab:loans")).content.decode()
    assert f">{loan.pk}<" in english.get(reverse("openlab:checkins")).content.decode()


@pytest.mark.parametrize(
    ("who", "buttons", "absent"),
    [
        ("lab_operator", ["Approve", "Reject"], ["Cancel booking"]),
        ("partner_owner", ["Cancel booking"], ["Approve"]),
        ("auditor", [], ["Approve", "Cancel booking"]),
    ],
)
def test_the_booking_page_offers_each_person_their_actions(
    english, login, cast, bookings, who, buttons, absent
):
    requested, _loan = bookings
    login(getattr(cast, who))
    text = english.get(reverse("openlab:booking_detail", args=[requested.pk])).content.decode()
    assert "Room test" in text
    for button in buttons:
        assert button in text
    for button in absent:
        assert button not in text


def test_the_operator_returns_a_loan_with_notes(client, login, cast, bookings):
    _requested, loan = bookings
    login(cast.lab_operator)
    response = client.post(reverse("openlab:booking_complete", args=[loan.pk]), {"notes": "Screen cracked"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.state == BookingState.COMPLETED and "return: Screen cracked" in loan.condition_notes


@pytest.mark.parametrize("count", [5, 40])
def test_the_site_week_runs_a_constant_number_of_queries(
    client, login, cast, lab, count, django_assert_max_num_queries
):
    day = next_weekday()
    for index in range(count):
        start = at(day, 9) + dt.timedelta(days=index % 5, minutes=10 * (index // 5))
        booking = Booking.objects.create(
            partner=cast.partner,
            requested_by=cast.partner_owner,
            site=lab.site,
            start=start,
            end=start + dt.timedelta(minutes=10),
            purpose="p",
        )
        BookingItem.objects.create(booking=booking, resource=lab.room, start=booking.start, end=booking.end)
    login(cast.partner_owner)
    url = reverse("openlab:site_calendar", args=[lab.site.pk])
    client.get(url, {"week": day.isoformat()})
    with django_assert_max_num_queries(12):
        response = client.get(url, {"week": day.isoformat()})
    assert response.content.decode().count("rounded cal-own") == count


def test_the_release_command_releases_no_shows(cast, lab, settings):
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    booking = Booking.objects.create(
        partner=cast.partner,
        requested_by=cast.partner_owner,
        site=lab.site,
        start=start,
        end=start + dt.timedelta(hours=4),
        purpose="p",
        state=BookingState.APPROVED,
    )
    BookingItem.objects.create(booking=booking, resource=lab.room, start=booking.start, end=booking.end)
    call_command("openlab_release_no_shows", stdout=io.StringIO())
    booking.refresh_from_db()
    assert booking.state == BookingState.NO_SHOW


def test_the_booking_page_shows_its_history_without_naming_host_staff_to_partners(
    english, login, cast, bookings
):
    requested, _loan = bookings
    services.approve_booking(actor=cast.lab_operator, booking=requested)
    login(cast.partner_member)
    text = english.get(reverse("openlab:booking_detail", args=[requested.pk])).content.decode()
    assert "Requested" in text and "Approved" in text
    assert (
        cast.partner_owner.email in text and cast.lab_operator.email not in text and "Open Lab staff" in text
    )


def test_host_staff_see_partner_people_masked_in_the_history(english, login, cast, bookings):
    requested, _loan = bookings
    login(cast.lab_operator)
    text = english.get(reverse("openlab:booking_detail", args=[requested.pk])).content.decode()
    assert "Requested" in text and cast.partner_owner.email not in text
