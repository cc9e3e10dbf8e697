"""Pages: permission matrices, the booking form (with the use-case prefill), calendars, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sangsaeng.core.models import AuditEvent
from sangsaeng.openlab import services
from sangsaeng.openlab.models import Booking, BookingState
from sangsaeng.openlab.tests.factories import at, make_resource, next_weekday

pytestmark = pytest.mark.django_db


def _book(user, resources, start, hours=2, purpose="PoC"):
    return services.book(
        actor=user, resources=resources, start=start, end=start + dt.timedelta(hours=hours), purpose=purpose
    )


@pytest.mark.parametrize(
    ("name", "who", "status"),
    [
        ("openlab:resources", "partner_member", 200),
        ("openlab:resources", "observer", 200),
        ("openlab:availability", "partner_owner", 200),
        ("openlab:booking_new", "partner_member", 200),
        ("openlab:booking_new", "lab_operator", 403),
        ("openlab:booking_list", "partner_owner", 200),
        ("openlab:approvals", "lab_operator", 200),
        ("openlab:approvals", "program_manager", 200),
        ("openlab:approvals", "partner_owner", 403),
        ("openlab:approvals", "auditor", 403),
        ("openlab:checkins", "lab_operator", 200),
        ("openlab:checkins", "partner_owner", 403),
        ("openlab:report", "auditor", 200),
        ("openlab:report", "partner_owner", 403),
        ("openlab:report_export", "program_manager", 200),
        ("openlab:report_export", "partner_owner", 403),
    ],
)
def test_page_permission_matrix(client, login, cast, lab, name, who, status):
    login(getattr(cast, who))
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize(
    "name", ["openlab:resources", "openlab:booking_new", "openlab:booking_list", "openlab:report"]
)
def test_anonymous_people_are_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_booking_through_the_form(client, login, cast, lab):
    login(cast.partner_member)
    day = next_weekday()
    response = client.post(
        reverse("openlab:booking_new"),
        {
            "resources": [lab.room.pk, lab.station.pk],
            "day": day.isoformat(),
            "start_time": "10:00",
            "minutes": 120,
            "purpose": "5G PoC",
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "openlab:booking_detail", args=[booking.pk]
    )
    assert booking.start == at(day, 10) and booking.items.count() == 2


def test_a_taken_slot_shows_next_slots_and_offers_the_waitlist(english, login, cast, lab):
    day = next_weekday()
    _book(cast.other_partner_owner, [lab.room], at(day, 10))
    login(cast.partner_member)
    data = {
        "resources": [lab.room.pk],
        "day": day.isoformat(),
        "start_time": "10:00",
        "minutes": 120,
        "purpose": "x",
    }

    response = english.post(reverse("openlab:booking_new"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Already booked at this time" in text and "Next free slots" in text and 'name="waitlist"' in text

    response = english.post(reverse("openlab:booking_new"), {**data, "waitlist": "1"})
    assert response.status_code == 302
    assert cast.partner.lab_waitlist.count() == 1


def test_the_booking_form_is_prefilled_from_the_partners_own_use_case(english, login, cast, lab):
    from sangsaeng.usecases.tests.factories import make_use_case

    own = make_use_case(cast.partner, cast.partner_owner, title="Smart factory URLLC")
    foreign = make_use_case(cast.other_partner, cast.other_partner_owner, title="Foreign secret idea")
    login(cast.partner_member)

    response = english.get(reverse("openlab:booking_new") + f"?use_case={own.pk}")
    assert "PoC: Smart factory URLLC" in response.content.decode()
    response = english.get(reverse("openlab:booking_new") + f"?use_case={foreign.pk}")
    assert response.status_code == 200 and "Foreign secret idea" not in response.content.decode()


def test_calendars_show_other_partners_bookings_only_as_busy_blocks(english, login, cast, lab):
    day = next_weekday()
    _book(cast.other_partner_owner, [lab.room], at(day, 10), purpose="Rival secret plan")
    _book(cast.partner_owner, [lab.room], at(day, 14), purpose="Our own plan")
    login(cast.partner_member)
    for url in (
        reverse("openlab:resource_calendar", args=[lab.room.pk]),
        reverse("openlab:site_calendar", args=[lab.site.pk]),
    ):
        text = english.get(url, {"week": day.isoformat()}).content.decode()
        assert "Our own plan" in text
        assert "Rival secret plan" not in text and cast.other_partner.name_ko not in text
        assert "Busy" in text


def test_the_calendar_answers_htmx_with_the_partial(client, login, cast, lab):
    login(cast.partner_member)
    response = client.get(reverse("openlab:resource_calendar", args=[lab.room.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"<html" not in response.content


def test_availability_search_page_lists_slots(english, login, cast, lab):
    login(cast.partner_owner)
    day = next_weekday()
    response = english.get(
        reverse("openlab:availability"),
        {
            "kinds": ["shielded_room", "testbed"],
            "minutes": 240,
            "date_from": day,
            "date_to": day,
            "site": lab.site.pk,
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "Book this" in text
    assert text.count("list-group-item d-flex") == 11  # 09:00 … 14:00 in 30-minute steps


def test_operator_approves_from_the_queue_and_checks_in(client, login, cast, lab):
    booking = _book(cast.partner_owner, [lab.room], at(next_weekday(), 10))
    login(cast.lab_operator)
    response = client.post(reverse("openlab:booking_approve", args=[booking.pk]), {"next": "approvals"})
    assert response.status_code == 302 and response["Location"] == reverse("openlab:approvals")
    booking.refresh_from_db()
    assert booking.state == BookingState.APPROVED


def test_a_partner_cannot_approve_its_own_booking(client, login, cast, lab):
    booking = _book(cast.partner_owner, [lab.room], at(next_weekday(), 10))
    events = AuditEvent.objects.count()
    login(cast.partner_owner)
    assert client.post(reverse("openlab:booking_approve", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED and AuditEvent.objects.count() == events


def test_ics_download(client, login, cast, lab):
    booking = _book(cast.partner_owner, [lab.room], at(next_weekday(), 10))
    login(cast.partner_member)
    response = client.get(reverse("openlab:booking_ics", args=[booking.pk]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in text and f"DTSTART:{booking.start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in text
    assert "\r\n" in text


def test_the_utilisation_export_is_a_workbook(client, login, cast, lab):
    login(cast.lab_operator)
    response = client.get(reverse("openlab:report_export"))
    assert response.status_code == 200 and response.content.startswith(b"PK")


@pytest.mark.parametrize("count", [5, 50])
def test_my_bookings_runs_a_constant_number_of_queries(
    client, login, cast, lab, count, django_assert_max_num_queries
):
    day = next_weekday()
    from sangsaeng.openlab.models import BookingItem

    for index in range(count):
        start = at(day, 9) + dt.timedelta(days=7 * (index // 8), hours=index % 8)
        booking = Booking.objects.create(
            partner=cast.partner,
            requested_by=cast.partner_owner,
            site=lab.site,
            start=start,
            end=start + dt.timedelta(hours=1),
            purpose="p",
        )
        BookingItem.objects.create(booking=booking, resource=lab.room, start=booking.start, end=booking.end)
    login(cast.partner_owner)
    client.get(reverse("openlab:booking_list"))  # warm the per-process caches
    with django_assert_max_num_queries(14):
        response = client.get(reverse("openlab:booking_list"))
    assert response.status_code == 200


def test_a_poc_booking_from_the_use_case_link_is_linked_to_it(client, login, cast, lab):
    from sangsaeng.usecases.tests.factories import make_use_case

    use_case = make_use_case(cast.partner, cast.partner_owner)
    login(cast.partner_owner)
    day = next_weekday()
    response = client.post(
        reverse("openlab:booking_new") + f"?use_case={use_case.pk}",
        {
            "resources": [lab.room.pk],
            "day": day.isoformat(),
            "start_time": "13:00",
            "minutes": 180,
            "purpose": "PoC",
            "use_case": use_case.pk,
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get().use_case == use_case


def test_a_slot_link_prefills_the_booking_form(english, login, cast, lab):
    login(cast.partner_owner)
    day = next_weekday()
    response = english.get(
        reverse("openlab:booking_new"),
        {"resources": [lab.room.pk], "start": at(day, 14).isoformat(), "minutes": 90},
    )
    form = response.context["form"]
    assert (
        form.initial["day"] == day and form.initial["start_time"] == "14:00" and form.initial["minutes"] == 90
    )


@pytest.mark.parametrize("name", ["openlab:resources", "openlab:booking_list", "openlab:availability"])
def test_htmx_requests_get_the_partial(client, login, cast, lab, name):
    login(cast.partner_owner)
    response = client.get(reverse(name), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"<html" not in response.content
    assert b"<html" in client.get(reverse(name)).content


def test_the_booking_form_shows_the_companys_quota_use(english, login, cast, lab):
    lab.room.monthly_quota_hours = 10
    lab.room.save()
    start = at(next_weekday(), 10)
    _book(cast.partner_owner, [lab.room], start, hours=3)
    login(cast.partner_member)
    month = start.date().replace(day=1)
    from sangsaeng.openlab.selectors import quota_use_for_user

    uses = {u.resource: (u.used_hours, u.quota_hours) for u in quota_use_for_user(cast.partner_member, month)}
    assert uses[lab.room] == (3.0, 10)
    assert lab.station not in uses  # no quota
    assert english.get(reverse("openlab:booking_new")).status_code == 200


def test_the_availability_page_asks_for_several_loan_devices(english, login, cast, lab):
    login(cast.partner_owner)
    day = next_weekday()
    query = {"kinds": ["shielded_room"], "devices": 2, "minutes": 120, "date_from": day, "date_to": day}
    query["site"] = lab.site.pk
    assert "Book this" not in english.get(reverse("openlab:availability"), query).content.decode()
    make_resource(lab.site, "loan_device", needs_approval=False)
    assert "Book this" in english.get(reverse("openlab:availability"), query).content.decode()


def test_the_book_this_link_of_a_slot_prefills_the_form(english, login, cast, lab):
    import html
    import re

    login(cast.partner_owner)
    day = next_weekday()
    query = {"resources": [lab.room.pk], "minutes": 90, "date_from": day, "date_to": day, "site": lab.site.pk}
    page = english.get(reverse("openlab:availability"), query).content.decode()
    link = html.unescape(re.search(r'href="(/openlab/bookings/new/\?[^"]+)"', page).group(1))
    form = english.get(link).context["form"]
    assert form.initial["day"] == day and form.initial["start_time"] == "09:00"
    assert form.initial["resources"] == [lab.room.pk] and form.initial["minutes"] == 90


def test_the_per_partner_export_lists_partners_with_their_no_shows(client, login, cast, lab):
    import io

    import openpyxl

    start = at(next_weekday(), 10)
    booking = _book(cast.partner_owner, [lab.station], start)
    Booking.objects.filter(pk=booking.pk).update(state=BookingState.NO_SHOW)
    login(cast.program_manager)
    day = start.date()
    response = client.get(
        reverse("openlab:report_export"), {"by": "partner", "date_from": day, "date_to": day}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        [cast.partner.name_ko, 1, 1]
    ]


def test_an_approved_booking_shows_a_check_in_qr_code_of_its_own_page(client, login, cast, lab):
    """The QR code on an approved booking leads the operator to the booking's page (access-checked)."""
    from sangsaeng.openlab import qr

    booking = _book(cast.partner_owner, [lab.room], at(next_weekday(), 10))
    login(cast.partner_owner)
    before = client.get(reverse("openlab:booking_detail", args=[booking.pk])).content.decode()
    services.approve_booking(actor=cast.lab_operator, booking=booking)

    after = client.get(reverse("openlab:booking_detail", args=[booking.pk])).content.decode()

    assert 'id="check-in-qr"' not in before  # no code before approval: nothing to check in yet
    assert 'id="check-in-qr"' in after and "<svg" in after
    assert qr.booking_page_url(booking).endswith(reverse("openlab:booking_detail", args=[booking.pk]))
