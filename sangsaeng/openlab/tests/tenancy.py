"""Registers every Open Lab route that takes an id with the tenancy harness (core/tests/test_tenancy.py).

Each `make` receives the owner of partner A and returns the path parameters of A's booking (or
waitlist entry) and a text only A's people may see: the purpose. Resources and sites belong to the
host and are open to every member; their calendars show other partners' bookings only as anonymous
busy blocks (tested in openlab/tests/test_views.py and test_api.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from sangsaeng.core.tests import tenancy
from sangsaeng.openlab.models import Booking, BookingItem, WaitlistEntry
from sangsaeng.partners.models import Partner


def _secret() -> str:
    return f"secret-{uuid.uuid4().hex[:12]}"


def _partner_of(owner: Any) -> Partner:
    return Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )


def _booking(owner: Any) -> tenancy.Owned:
    from sangsaeng.openlab.tests.factories import make_resource

    resource = make_resource()
    secret = _secret()
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    booking = Booking.objects.create(
        partner=_partner_of(owner),
        requested_by=owner,
        site_id=resource.zone.site_id,
        start=start,
        end=start + dt.timedelta(hours=2),
        purpose=secret,
    )
    BookingItem.objects.create(booking=booking, resource=resource, start=booking.start, end=booking.end)
    return tenancy.Owned({"booking_id": booking.pk}, secret)


def _waitlist_entry(owner: Any) -> tenancy.Owned:
    from sangsaeng.openlab.tests.factories import make_resource

    resource = make_resource()
    secret = _secret()
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    entry = WaitlistEntry.objects.create(
        partner=_partner_of(owner),
        requested_by=owner,
        start=start,
        end=start + dt.timedelta(hours=2),
        purpose=secret,
    )
    entry.resources.add(resource)
    return tenancy.Owned({"entry_id": entry.pk}, secret)


tenancy.register_object("openlab:booking_detail", make=_booking)
tenancy.register_object("openlab:booking_ics", make=_booking)
for _name in ("approve", "reject", "cancel", "check_in", "complete", "no_show"):
    tenancy.register_object(f"openlab:booking_{_name}", make=_booking, method="post", data={"reason": "x"})
tenancy.register_object("openlab:waitlist_leave", make=_waitlist_entry, method="post")

_API = "/api/v1/openlab"
tenancy.register_object(f"GET {_API}/bookings/{{booking_id}}", make=_booking)
tenancy.register_object(f"GET {_API}/bookings/{{booking_id}}/ics", make=_booking)
for _path in ("approve", "reject", "cancel", "check-in", "complete", "no-show"):
    tenancy.register_object(
        f"POST {_API}/bookings/{{booking_id}}/{_path}", make=_booking, data={"reason": "x"}
    )
tenancy.register_object(f"DELETE {_API}/waitlist/{{entry_id}}", make=_waitlist_entry)

_HOST_RESOURCE = (
    "a host resource or site, open to every member; other partners' bookings show only as busy blocks"
)
tenancy.exempt("openlab:resource_calendar", reason=_HOST_RESOURCE)
tenancy.exempt("openlab:site_calendar", reason=_HOST_RESOURCE)
tenancy.exempt("openlab:resource_photo", reason=_HOST_RESOURCE)
tenancy.exempt("openlab:resource_photo_add", reason="host staff only (can_manage_resources); no partner data")
tenancy.exempt(f"GET {_API}/resources/{{resource_id}}", reason=_HOST_RESOURCE)
tenancy.exempt(f"GET {_API}/resources/{{resource_id}}/calendar", reason=_HOST_RESOURCE)
tenancy.exempt(f"GET {_API}/sites/{{site_id}}/calendar", reason=_HOST_RESOURCE)

# Maintaining the catalogue: host objects, host staff only (can_manage_resources → 403 for everyone
# else, tested in openlab/tests/test_catalogue.py). A refusal names affected bookings, to those staff only.
_CATALOGUE = "host staff only (can_manage_resources); a host site, zone, resource or closure"
for _name in (
    "manage_site",
    "manage_site_hours",
    "manage_closure_add",
    "manage_zone_new",
    "manage_zone",
    "manage_resource",
    "manage_closure_remove",
):
    tenancy.exempt(f"openlab:{_name}", reason=_CATALOGUE)
for _route in (
    "PATCH /sites/{site_id}",
    "PUT /sites/{site_id}/hours",
    "GET /sites/{site_id}/closures",
    "PATCH /zones/{zone_id}",
    "PATCH /resources/{resource_id}",
    "DELETE /closures/{closure_id}",
):
    _method, _path = _route.split(" ")
    tenancy.exempt(f"{_method} {_API}{_path}", reason=_CATALOGUE)

tenancy.register_list("openlab:booking_list", make=_booking)
tenancy.register_list("openlab:approvals", make=_booking)
tenancy.register_list("openlab:checkins", make=_booking)
tenancy.register_list("openlab:loans", make=_booking)
tenancy.register_list("openlab:report", make=_booking)
tenancy.register_list("openlab:report_export", make=_booking)
tenancy.register_list("openlab:report_export", make=_booking, query={"by": "partner"})
tenancy.register_list(f"GET {_API}/bookings", make=_booking)
tenancy.register_list(f"GET {_API}/waitlist", make=_waitlist_entry)
tenancy.register_list(
    f"GET {_API}/reports/utilisation-by-partner",
    make=_booking,
    query={"date_from": "2000-01-01", "date_to": "2100-12-31"},
)
tenancy.register_list(
    f"GET {_API}/reports/utilisation",
    make=_booking,
    query={"date_from": "2000-01-01", "date_to": "2100-12-31"},
)
for _path in ("approvals", "check-ins", "loans"):
    tenancy.register_list(f"GET {_API}/operations/{_path}", make=_booking)
