"""Maintaining the catalogue outside the Django admin: sites and hours, zones, resources and rules,
closures — pages (htmx) and API, audited, and never breaking existing bookings silently."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sangsaeng.core.models import AuditEvent
from sangsaeng.openlab import services, services_catalogue
from sangsaeng.openlab.models import (
    Booking,
    BookingState,
    Closure,
    OpeningHours,
    Resource,
    ResourceKind,
    Site,
    Zone,
)
from sangsaeng.openlab.tests.factories import at, make_resource, next_weekday

pytestmark = pytest.mark.django_db
API = "/api/v1/openlab"


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def _approved_booking(cast, lab, resource=None, hour=10):
    day = next_weekday()
    booking = services.book(
        actor=cast.partner_owner,
        resources=[resource or lab.station],
        start=at(day, hour),
        end=at(day, hour + 2),
        purpose="PoC",
    )
    assert booking.state == BookingState.APPROVED
    return booking


def _resource_post(lab, **changes):
    data = {
        "zone": lab.room.zone_id,
        "kind": ResourceKind.MEC_SERVER,
        "name": "MEC 서버 9",
        "description": "",
        "capacity": 1,
        "features": "GPU",
        "is_active": "on",
        "min_duration_minutes": 60,
        "max_duration_minutes": 240,
        "slot_minutes": 30,
        "advance_notice_hours": 24,
        "horizon_days": 90,
        "needs_approval": "on",
        "monthly_quota_hours": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Permission matrix ---------------------------------------------------------------------------------
PAGES = [
    ("openlab:manage", lambda lab: []),
    ("openlab:manage_site", lambda lab: [lab.site.pk]),
    ("openlab:manage_zone", lambda lab: [lab.room.zone_id]),
    ("openlab:manage_resource", lambda lab: [lab.room.pk]),
    ("openlab:manage_resource_new", lambda lab: []),
    ("openlab:manage_site_new", lambda lab: []),
    ("openlab:manage_zone_new", lambda lab: [lab.site.pk]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("partner_owner", 403),
        ("partner_member", 403),
        ("reviewer", 403),
        ("auditor", 403),
        ("loan_officer", 403),
        ("lab_operator", 200),
        ("program_manager", 200),
        ("host_admin", 200),
    ],
)
def test_catalogue_pages_are_for_host_admins_lab_operators_and_programme_managers(
    client, login, cast, lab, name, args, who, status
):
    if who:
        login(getattr(cast, who))
    response = client.get(reverse(name, args=args(lab)))
    assert response.status_code == status


@pytest.mark.parametrize("who", ["partner_owner", "reviewer", "auditor"])
def test_people_without_the_right_change_nothing_through_pages_or_api(client, login, cast, lab, who):
    login(getattr(cast, who))
    before = list(Resource.objects.values().order_by("pk"))
    assert (
        client.post(reverse("openlab:manage_resource", args=[lab.room.pk]), _resource_post(lab)).status_code
        == 403
    )
    assert client.post(reverse("openlab:manage_resource_new"), _resource_post(lab)).status_code == 403
    assert _json(client, "patch", f"{API}/resources/{lab.room.pk}", {"is_active": False}).status_code == 403
    assert _json(client, "post", f"{API}/sites", {"code": "x", "name": "X"}).status_code == 403
    assert list(Resource.objects.values().order_by("pk")) == before
    assert not Site.objects.filter(code="x").exists()
    assert not AuditEvent.objects.filter(action__startswith="openlab.create_").exists()
    with pytest.raises(PermissionDenied):
        services_catalogue.save_resource(
            actor=getattr(cast, who), resource=lab.room, values={"is_active": False}
        )


# --- Resources and rules -----------------------------------------------------------------------------
def test_a_lab_operator_adds_a_resource_with_its_rules_through_the_htmx_form(client, login, cast, lab):
    login(cast.lab_operator)
    response = client.post(
        reverse("openlab:manage_resource_new"), _resource_post(lab), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response["HX-Redirect"]
    resource = Resource.objects.get(name="MEC 서버 9")
    assert (resource.max_duration_minutes, resource.needs_approval, resource.monthly_quota_hours) == (
        240,
        True,
        None,
    )
    event = AuditEvent.objects.get(action="openlab.create_resource")
    assert event.object_id == str(resource.pk) and event.changes["max_duration_minutes"] == [None, 240]


def test_a_maximum_shorter_than_the_minimum_is_a_field_error_and_nothing_is_saved(
    client, english, login, cast, lab
):
    login(cast.lab_operator)
    response = english.post(
        reverse("openlab:manage_resource_new"),
        _resource_post(lab, min_duration_minutes=240, max_duration_minutes=60),
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200 and "must not be shorter than the minimum" in text
    assert 'id="id_max_duration_minutes_error"' in text or "is-invalid" in text
    assert not Resource.objects.filter(name="MEC 서버 9").exists()
    assert not AuditEvent.objects.filter(action="openlab.create_resource").exists()


def test_rule_changes_apply_to_new_requests_and_keep_existing_bookings(cast, lab):
    booking = _approved_booking(cast, lab)
    services_catalogue.save_resource(
        actor=cast.program_manager,
        resource=lab.station,
        values={"min_duration_minutes": 240, "max_duration_minutes": 480},
    )
    booking.refresh_from_db()
    assert booking.state == BookingState.APPROVED and booking.items.get().active
    day = next_weekday() + dt.timedelta(days=1)
    station = Resource.objects.select_related("zone").get(pk=lab.station.pk)
    with pytest.raises(ValidationError):
        services.book(
            actor=cast.partner_owner, resources=[station], start=at(day, 10), end=at(day, 12), purpose="x"
        )


def test_deactivating_a_booked_resource_is_refused_with_the_list_and_nothing_changes(
    client, english, login, cast, lab
):
    booking = _approved_booking(cast, lab)
    login(cast.lab_operator)
    data = _resource_post(
        lab, name=lab.station.name, kind=lab.station.kind, is_active=None, needs_approval=None
    )
    response = english.post(
        reverse("openlab:manage_resource", args=[lab.station.pk]), data, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200 and f"#{booking.pk}" in text and "Settle these bookings first" in text
    lab.station.refresh_from_db()
    assert lab.station.is_active and lab.station.min_duration_minutes == 60
    assert not AuditEvent.objects.filter(action="openlab.update_resource").exists()
    # once the booking is cancelled, the resource can be retired
    services.cancel_booking(actor=cast.partner_owner, booking=booking)
    services_catalogue.save_resource(
        actor=cast.lab_operator, resource=lab.station, values={"is_active": False}
    )
    lab.station.refresh_from_db()
    assert not lab.station.is_active
    assert AuditEvent.objects.get(action="openlab.update_resource").changes["is_active"] == [True, False]


def test_moving_a_booked_resource_to_another_site_is_refused(cast, lab):
    from sangsaeng.openlab.tests.factories import make_site

    _approved_booking(cast, lab)
    other = make_site("판교")
    zone = Zone.objects.create(site=other, kind="infra", name="Infra")
    with pytest.raises(ValidationError) as refused:
        services_catalogue.save_resource(actor=cast.lab_operator, resource=lab.station, values={"zone": zone})
    assert "zone" in refused.value.message_dict
    lab.station.refresh_from_db()
    assert lab.station.zone.site_id == lab.site.pk


# --- Sites, hours, zones -------------------------------------------------------------------------------
def test_a_programme_manager_creates_a_site_with_hours_and_a_zone(client, login, cast):
    login(cast.program_manager)
    response = client.post(
        reverse("openlab:manage_site_new"), {"code": "pangyo2", "name": "판교 2", "is_active": "on"}
    )
    site = Site.objects.get(code="pangyo2")
    assert response.status_code == 302 and response["Location"] == reverse(
        "openlab:manage_site", args=[site.pk]
    )
    hours = {f"opens_{d}": "09:00" for d in range(5)} | {f"closes_{d}": "18:00" for d in range(5)}
    assert client.post(reverse("openlab:manage_site_hours", args=[site.pk]), hours).status_code == 302
    assert sorted(OpeningHours.objects.filter(site=site).values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    assert (
        client.post(
            reverse("openlab:manage_zone_new", args=[site.pk]), {"kind": "media", "name": "Media"}
        ).status_code
        == 302
    )
    assert Zone.objects.filter(site=site, name="Media").exists()
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "openlab.create_site",
        "openlab.set_opening_hours",
        "openlab.create_zone",
    }
    assert client.get(reverse("openlab:manage_site", args=[site.pk])).status_code == 200


def test_hours_with_a_missing_time_are_a_field_error(client, english, login, cast, lab):
    login(cast.lab_operator)
    before = list(OpeningHours.objects.filter(site=lab.site).values_list("weekday", "opens", "closes"))
    response = english.post(
        reverse("openlab:manage_site_hours", args=[lab.site.pk]), {"opens_0": "09:00"}, HTTP_HX_REQUEST="true"
    )
    assert "Give both times" in response.content.decode()
    assert (
        list(OpeningHours.objects.filter(site=lab.site).values_list("weekday", "opens", "closes")) == before
    )


def test_hours_that_leave_a_booking_outside_are_refused_and_nothing_changes(cast, lab):
    booking = _approved_booking(cast, lab, hour=15)  # 15:00–17:00
    weekday = booking.start.astimezone(dt.timezone(dt.timedelta(hours=9))).weekday()
    before = list(OpeningHours.objects.filter(site=lab.site).values_list("weekday", "opens", "closes"))
    hours = {d: (dt.time(9), dt.time(18)) for d in range(5)} | {weekday: (dt.time(9), dt.time(16))}
    with pytest.raises(ValidationError) as refused:
        services_catalogue.set_opening_hours(actor=cast.lab_operator, site=lab.site, hours=hours)
    assert f"#{booking.pk}" in str(refused.value.message_dict["hours"])
    assert (
        list(OpeningHours.objects.filter(site=lab.site).values_list("weekday", "opens", "closes")) == before
    )
    assert not AuditEvent.objects.filter(action="openlab.set_opening_hours").exists()


def test_deactivating_a_site_with_bookings_to_come_is_refused(cast, lab):
    _approved_booking(cast, lab)
    with pytest.raises(ValidationError):
        services_catalogue.save_site(actor=cast.host_admin, site=lab.site, values={"is_active": False})
    lab.site.refresh_from_db()
    assert lab.site.is_active


# --- Closures ---------------------------------------------------------------------------------------
def test_a_closure_over_a_booking_is_refused_and_a_free_one_blocks_new_bookings(
    client, english, login, cast, lab
):
    booking = _approved_booking(cast, lab)
    day = next_weekday()
    login(cast.lab_operator)
    url = reverse("openlab:manage_closure_add", args=[lab.site.pk])
    taken = {"start": f"{day}T09:00", "end": f"{day}T13:00", "reason": "점검"}
    response = english.post(url, taken, HTTP_HX_REQUEST="true")
    assert f"#{booking.pk}" in response.content.decode() and not Closure.objects.exists()
    free = {"start": f"{day}T14:00", "end": f"{day}T18:00", "reason": "점검", "resource": lab.room.pk}
    assert english.post(url, free).status_code == 302
    closure = Closure.objects.get()
    assert closure.resource == lab.room
    with pytest.raises(ValidationError):
        services.book(
            actor=cast.partner_owner, resources=[lab.room], start=at(day, 14), end=at(day, 16), purpose="x"
        )
    assert english.post(reverse("openlab:manage_closure_remove", args=[closure.pk])).status_code == 302
    assert not Closure.objects.exists()
    assert (
        AuditEvent.objects.filter(action__in=["openlab.add_closure", "openlab.remove_closure"]).count() == 2
    )


# --- API ---------------------------------------------------------------------------------------------
def test_the_api_maintains_resources_hours_and_closures(client, login, cast, lab):
    login(cast.lab_operator)
    created = _json(
        client,
        "post",
        f"{API}/resources",
        {"zone": lab.room.zone_id, "kind": "instrument", "name": "분석기 2", "features": ["44GHz", " "]},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["features"] == ["44GHz"] and body["is_active"] is True
    patched = _json(client, "patch", f"{API}/resources/{body['id']}", {"monthly_quota_hours": 20})
    assert patched.status_code == 200 and patched.json()["monthly_quota_hours"] == 20
    hours = _json(
        client,
        "put",
        f"{API}/sites/{lab.site.pk}/hours",
        {"days": [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(6)]},
    )
    assert hours.status_code == 200 and len(hours.json()) == 6
    day = next_weekday()
    closure = _json(
        client,
        "post",
        f"{API}/closures",
        {
            "site": lab.site.pk,
            "start": at(day, 8).isoformat(),
            "end": at(day, 9).isoformat(),
            "reason": "점검",
        },
    )
    assert closure.status_code == 201
    assert [c["id"] for c in client.get(f"{API}/sites/{lab.site.pk}/closures").json()] == [
        closure.json()["id"]
    ]
    assert client.delete(f"{API}/closures/{closure.json()['id']}").status_code == 204


def test_the_api_refuses_to_deactivate_a_booked_resource_with_a_field_error(client, login, cast, lab):
    booking = _approved_booking(cast, lab)
    login(cast.program_manager)
    response = _json(client, "patch", f"{API}/resources/{lab.station.pk}", {"is_active": False})
    assert response.status_code == 422
    error = response.json()["error"]
    assert "is_active" in error["fields"] and f"#{booking.pk}" in str(error["fields"]["is_active"])
    lab.station.refresh_from_db()
    assert lab.station.is_active


def test_the_api_answers_404_for_unknown_catalogue_objects(client, login, cast):
    login(cast.lab_operator)
    assert _json(client, "patch", f"{API}/resources/999999", {"name": "x"}).status_code == 404
    assert _json(client, "patch", f"{API}/zones/999999", {"name": "x"}).status_code == 404
    assert client.delete(f"{API}/closures/999999").status_code == 404


# --- Query counts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [reverse_lazy_name for reverse_lazy_name in ("openlab:manage",)])
def test_the_catalogue_list_runs_the_same_number_of_queries_for_5_and_40_resources(
    login, cast, lab, django_assert_num_queries, url
):
    client = login(cast.lab_operator)
    for _index in range(5):
        make_resource(lab.site)
    client.get(reverse(url))
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse(url)).status_code == 200
    for _index in range(35):
        make_resource(lab.site)
    with django_assert_num_queries(len(five.captured_queries)):
        assert client.get(reverse(url)).status_code == 200
    assert Booking.objects.count() == 0
