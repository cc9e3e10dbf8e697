"""The Open Lab API: booking, decisions, permission matrix, scoping and constant query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from sangsaeng.core.models import AuditEvent
from sangsaeng.openlab import services
from sangsaeng.openlab.models import Booking, BookingItem, BookingState
from sangsaeng.openlab.tests.factories import at, next_weekday

pytestmark = pytest.mark.django_db
API = "/api/v1/openlab"


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_a_partner_books_a_bundle_and_reads_it_back(client, login, cast, lab):
    from sangsaeng.usecases.tests.factories import make_use_case

    use_case = make_use_case(cast.partner, cast.partner_owner)
    login(cast.partner_member)
    day = next_weekday()
    response = _post(
        client,
        f"{API}/bookings",
        {
            "resources": [lab.room.pk, lab.device.pk],
            "start": at(day, 10).isoformat(),
            "end": at(day, 12).isoformat(),
            "purpose": "PoC",
            "use_case": use_case.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "requested" and body["use_case_id"] == use_case.pk and len(body["items"]) == 2
    assert client.get(f"{API}/bookings/{body['id']}").json()["id"] == body["id"]


def test_a_taken_slot_answers_422_with_the_next_free_slots(client, login, cast, lab):
    day = next_weekday()
    services.book(
        actor=cast.other_partner_owner, resources=[lab.room], start=at(day, 10), end=at(day, 12), purpose="x"
    )
    login(cast.partner_owner)
    response = _post(
        client,
        f"{API}/bookings",
        {
            "resources": [lab.room.pk],
            "start": at(day, 10).isoformat(),
            "end": at(day, 12).isoformat(),
            "purpose": "y",
        },
    )
    assert response.status_code == 422
    assert "start" in response.json()["error"]["fields"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lab_operator", 200),
        ("program_manager", 200),
        ("auditor", 403),
        ("partner_owner", 403),
        ("other_partner_owner", 404),
    ],
)
def test_approve_permission_matrix(client, login, cast, lab, who, status):
    booking = services.book(
        actor=cast.partner_member,
        resources=[lab.room],
        start=at(next_weekday(), 10),
        end=at(next_weekday(), 12),
        purpose="x",
    )
    events = AuditEvent.objects.count()
    login(getattr(cast, who))
    response = _post(client, f"{API}/bookings/{booking.pk}/approve")
    assert response.status_code == status
    booking.refresh_from_db()
    if status == 200:
        assert booking.state == BookingState.APPROVED
    else:
        assert booking.state == BookingState.REQUESTED and AuditEvent.objects.count() == events


def test_anonymous_callers_get_401(client, lab):
    assert client.get(f"{API}/bookings").status_code == 401
    assert (
        client.get(
            f"{API}/availability", {"minutes": 60, "date_from": "2030-01-01", "date_to": "2030-01-02"}
        ).status_code
        == 401
    )


def test_the_availability_api_returns_slots(client, login, cast, lab):
    login(cast.partner_owner)
    day = next_weekday()
    response = client.get(
        f"{API}/availability",
        {"resources": [lab.room.pk, lab.station.pk], "minutes": 240, "date_from": day, "date_to": day},
    )
    assert response.status_code == 200
    slots = response.json()
    assert slots[0]["resource_ids"] == [lab.room.pk, lab.station.pk]
    assert dt.datetime.fromisoformat(slots[0]["start"]) == at(day, 9)


def test_the_calendar_api_hides_other_partners(client, login, cast, lab):
    day = next_weekday()
    services.book(
        actor=cast.other_partner_owner,
        resources=[lab.room],
        start=at(day, 10),
        end=at(day, 12),
        purpose="Rival",
    )
    login(cast.partner_owner)
    blocks = client.get(f"{API}/resources/{lab.room.pk}/calendar", {"week": day.isoformat()}).json()
    assert blocks == [
        {
            "resource_id": lab.room.pk,
            "start": blocks[0]["start"],
            "end": blocks[0]["end"],
            "kind": "busy",
            "label": "",
            "booking_id": None,
        }
    ]


def test_a_partner_lists_only_its_own_bookings(client, login, cast, lab):
    day = next_weekday()
    services.book(
        actor=cast.other_partner_owner, resources=[lab.room], start=at(day, 10), end=at(day, 12), purpose="x"
    )
    mine = services.book(
        actor=cast.partner_owner, resources=[lab.room], start=at(day, 13), end=at(day, 15), purpose="y"
    )
    login(cast.partner_member)
    assert [item["id"] for item in client.get(f"{API}/bookings").json()["items"]] == [mine.pk]


@pytest.mark.parametrize("count", [5, 50])
def test_the_booking_list_runs_a_constant_number_of_queries(
    client, login, cast, lab, count, django_assert_num_queries
):
    day = next_weekday()
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
    client.get(f"{API}/bookings")
    with django_assert_num_queries(6):
        response = client.get(f"{API}/bookings", {"limit": 200})
    assert len(response.json()["items"]) == count


def test_a_use_case_of_another_partner_cannot_be_linked(client, login, cast, lab):
    from sangsaeng.usecases.tests.factories import make_use_case

    foreign = make_use_case(cast.other_partner, cast.other_partner_owner)
    login(cast.partner_owner)
    day = next_weekday()
    response = _post(
        client,
        f"{API}/bookings",
        {
            "resources": [lab.room.pk],
            "start": at(day, 10).isoformat(),
            "end": at(day, 12).isoformat(),
            "purpose": "PoC",
            "use_case": foreign.pk,
        },
    )
    assert response.status_code == 422
    assert not Booking.objects.exists()


def _direct_booking(cast, lab, state, start):
    booking = Booking.objects.create(
        partner=cast.partner,
        requested_by=cast.partner_member,
        site=lab.site,
        start=start,
        end=start + dt.timedelta(hours=2),
        purpose="direct",
        state=state,
    )
    BookingItem.objects.create(booking=booking, resource=lab.device, start=booking.start, end=booking.end)
    return booking


ACTIONS = {
    # endpoint: (state before, start offset from now, state after)
    "approve": (BookingState.REQUESTED, dt.timedelta(days=2), BookingState.APPROVED),
    "reject": (BookingState.REQUESTED, dt.timedelta(days=2), BookingState.REJECTED),
    "cancel": (BookingState.APPROVED, dt.timedelta(days=2), BookingState.CANCELLED),
    "check-in": (BookingState.APPROVED, dt.timedelta(minutes=30), BookingState.CHECKED_IN),
    "complete": (BookingState.CHECKED_IN, -dt.timedelta(hours=1), BookingState.COMPLETED),
    "no-show": (BookingState.APPROVED, -dt.timedelta(hours=1), BookingState.NO_SHOW),
}
MATRIX = [
    ("approve", {"lab_operator": 200, "auditor": 403, "partner_owner": 403, "other_partner_owner": 404}),
    (
        "reject",
        {"program_manager": 200, "host_admin": 403, "partner_member": 403, "other_partner_owner": 404},
    ),
    ("cancel", {"partner_member": 200, "lab_operator": 403, "other_partner_owner": 404}),
    (
        "check-in",
        {"lab_operator": 200, "program_manager": 403, "partner_owner": 403, "other_partner_owner": 404},
    ),
    ("complete", {"lab_operator": 200, "auditor": 403, "partner_owner": 403, "other_partner_owner": 404}),
    (
        "no-show",
        {"lab_operator": 200, "program_manager": 403, "partner_member": 403, "other_partner_owner": 404},
    ),
]


@pytest.mark.parametrize(
    ("action", "who", "status"),
    [(action, who, status) for action, table in MATRIX for who, status in table.items()]
    + [(action, None, 401) for action, _table in MATRIX],
)
def test_booking_action_permission_matrix(client, login, cast, lab, action, who, status):
    before, offset, after = ACTIONS[action]
    booking = _direct_booking(cast, lab, before, timezone.now().replace(microsecond=0) + offset)
    events = AuditEvent.objects.count()
    if who:
        login(getattr(cast, who))
    response = _post(client, f"{API}/bookings/{booking.pk}/{action}", {"reason": "Full", "notes": "ok"})
    assert response.status_code == status, response.content
    booking.refresh_from_db()
    if status == 200:
        assert booking.state == after and AuditEvent.objects.count() == events + 1
    else:
        assert booking.state == before and AuditEvent.objects.count() == events


def test_joining_and_leaving_the_waitlist_through_the_api(client, login, cast, lab):
    day = next_weekday()
    services.book(
        actor=cast.other_partner_owner, resources=[lab.room], start=at(day, 10), end=at(day, 12), purpose="x"
    )
    login(cast.partner_member)
    slot = {"resources": [lab.room.pk], "start": at(day, 10).isoformat(), "end": at(day, 12).isoformat()}
    response = _post(client, f"{API}/waitlist", {**slot, "purpose": "wait"})
    assert response.status_code == 201, response.content
    entry_id = response.json()["id"]
    assert [entry["id"] for entry in client.get(f"{API}/waitlist").json()] == [entry_id]

    response = client.delete(f"{API}/waitlist/{entry_id}")
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    assert client.get(f"{API}/waitlist").json() == []


@pytest.mark.parametrize(("who", "status"), [("lab_operator", 200), ("partner_owner", 403), ("auditor", 403)])
def test_the_operations_queues_are_for_lab_deciders(client, login, cast, lab, who, status):
    booking = _direct_booking(cast, lab, BookingState.REQUESTED, timezone.now() + dt.timedelta(days=2))
    login(getattr(cast, who))
    response = client.get(f"{API}/operations/approvals")
    assert response.status_code == status
    if status == 200:
        assert [item["id"] for item in response.json()["items"]] == [booking.pk]
        assert client.get(f"{API}/operations/check-ins").status_code == 200
        assert client.get(f"{API}/operations/loans").status_code == 200


@pytest.mark.parametrize(("who", "status"), [("auditor", 200), ("partner_owner", 403)])
def test_the_report_apis_are_for_host_people(client, login, cast, lab, who, status):
    start = at(next_weekday(), 10)
    services.book(
        actor=cast.partner_owner,
        resources=[lab.station],
        start=start,
        end=start + dt.timedelta(hours=2),
        purpose="x",
    )
    login(getattr(cast, who))
    query = {"date_from": start.date(), "date_to": start.date()}
    response = client.get(f"{API}/reports/utilisation-by-partner", query)
    assert response.status_code == status
    if status == 200:
        assert response.json() == [
            {
                "partner_id": cast.partner.pk,
                "partner_name": cast.partner.name_ko,
                "bookings": 1,
                "no_shows": 0,
            }
        ]
        rows = {row["resource_id"]: row for row in client.get(f"{API}/reports/utilisation", query).json()}
        assert rows[lab.station.pk]["booked_hours"] == 2.0
