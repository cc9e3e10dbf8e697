"""Open Lab API, mounted at /api/v1/openlab. Same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import TypeAdapter

from sangsaeng.accounts.access import HostArea, require_area
from sangsaeng.core.schemas import Id
from sangsaeng.openlab import ical, permissions, selectors, selectors_catalogue, services, services_catalogue
from sangsaeng.openlab.models import Booking, Closure, Resource, Site, WaitlistEntry
from sangsaeng.openlab.schemas import (
    BookingFilterIn,
    BookingIn,
    BookingNotesIn,
    BookingOut,
    BookingPageOut,
    BookingReasonIn,
    LabAvailabilityIn,
    LabBlockOut,
    LabCalendarIn,
    LabClosureIn,
    LabClosureOut,
    LabHoursDayOut,
    LabHoursIn,
    LabManagedSiteOut,
    LabPartnerUtilisationOut,
    LabReportIn,
    LabResourceFilterIn,
    LabResourceIn,
    LabResourceOut,
    LabResourcePageOut,
    LabResourcePatchIn,
    LabSiteIn,
    LabSiteOut,
    LabSitePatchIn,
    LabSlotOut,
    LabUtilisationOut,
    LabWaitlistIn,
    LabWaitlistOut,
    LabZoneIn,
    LabZoneOut,
    LabZonePatchIn,
)

router = Router(tags=["openlab"])


def _resource_out(resource: Resource) -> dict[str, Any]:
    return {
        "id": resource.pk,
        "name": resource.name,
        "kind": resource.kind,
        "site_id": resource.zone.site_id,
        "site_name": resource.zone.site.name,
        "zone": resource.zone.name,
        "capacity": resource.capacity,
        "features": resource.feature_list,
        "min_duration_minutes": resource.min_duration_minutes,
        "max_duration_minutes": resource.max_duration_minutes,
        "slot_minutes": resource.slot_minutes,
        "advance_notice_hours": resource.advance_notice_hours,
        "horizon_days": resource.horizon_days,
        "needs_approval": resource.needs_approval,
        "monthly_quota_hours": resource.monthly_quota_hours,
        "zone_id": resource.zone_id,
        "description": resource.description,
        "is_active": resource.is_active,
    }


def _booking_out(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "partner_id": booking.partner_id,
        "partner_name": booking.partner.name_ko,
        "site_id": booking.site_id,
        "start": booking.start,
        "end": booking.end,
        "state": booking.state,
        "purpose": booking.purpose,
        "use_case_id": booking.use_case_id,
        "decision_reason": booking.decision_reason,
        "condition_notes": booking.condition_notes,
        "items": [
            {"resource_id": item.resource_id, "resource_name": item.resource.name, "active": item.active}
            for item in booking.items.all()
        ],
        "created_at": booking.created_at,
    }


def _waitlist_out(entry: WaitlistEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "start": entry.start,
        "end": entry.end,
        "state": entry.state,
        "purpose": entry.purpose,
        "resource_ids": [resource.pk for resource in entry.resources.all()],
    }


def _require_member(request: HttpRequest) -> None:
    if not selectors.can_browse_lab(request.user):
        raise PermissionDenied(_("Only members of an organisation browse the Open Lab."))


def _resources(request: HttpRequest, ids: list[int]) -> list[Resource]:
    found = {r.pk: r for r in selectors.resources_for_user(request.user).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"resources": [_("Unknown resources: %(ids)s.") % {"ids": missing}]})
    return [found[pk] for pk in dict.fromkeys(ids)]


@router.get("/sites", response=list[LabSiteOut], summary="Lab sites")
def list_sites(request: HttpRequest) -> Any:
    _require_member(request)
    return list(selectors.sites_for_user(request.user))


@router.get("/resources", response=LabResourcePageOut, summary="Bookable resources")
def list_resources(request: HttpRequest, filters: Query[LabResourceFilterIn]) -> dict[str, Any]:
    _require_member(request)
    queryset = selectors.resources_for_user(request.user, kind=filters.kind, site_id=filters.site)
    page = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_resource_out(resource) for resource in page],
    }


@router.get("/resources/{resource_id}", response=LabResourceOut, summary="One resource with its rules")
def get_resource(request: HttpRequest, resource_id: Id) -> dict[str, Any]:
    return _resource_out(selectors.get_resource_for_user(request.user, resource_id))


_BLOCKS = TypeAdapter(list[LabBlockOut])


def _blocks_response(request: HttpRequest, resources: list[Resource], week: dt.date | None) -> HttpResponse:
    """A week's blocks, validated and written as JSON by pydantic's core: Ninja's own response path
    wraps every object in a Python getter, most of the time of a site's week of hundreds of blocks."""
    first = selectors.week_start(week or timezone.localdate())
    calendar = selectors.calendar_for_user(request.user, resources, first)
    blocks = _BLOCKS.validate_python(
        [
            {
                "resource_id": block.resource_id,
                "start": block.start,
                "end": block.end,
                "kind": block.kind,
                "label": block.label,
                "booking_id": block.booking_id,
            }
            for row in calendar.rows
            for cell in row.cells
            for block in cell
        ]
    )
    return HttpResponse(_BLOCKS.dump_json(blocks), content_type="application/json; charset=utf-8")


@router.get("/resources/{resource_id}/calendar", response=list[LabBlockOut], summary="A resource's week")
def resource_calendar(request: HttpRequest, resource_id: Id, query: Query[LabCalendarIn]) -> Any:
    """Own bookings with details; other partners' as anonymous busy blocks; closures."""
    resource = selectors.get_resource_for_user(request.user, resource_id)
    return _blocks_response(request, [resource], query.week)


@router.get("/sites/{site_id}/calendar", response=list[LabBlockOut], summary="A site's week")
def site_calendar(request: HttpRequest, site_id: Id, query: Query[LabCalendarIn]) -> Any:
    site = selectors.get_site_for_user(request.user, site_id)
    return _blocks_response(
        request, list(selectors.resources_for_user(request.user, site_id=site.pk)), query.week
    )


@router.get("/availability", response=list[LabSlotOut], summary="Free slots for a bundle")
def availability(request: HttpRequest, query: Query[LabAvailabilityIn]) -> Any:
    """One resource of each kind plus the named resources, at one site, for `minutes` in the range."""
    _require_member(request)
    if query.date_to < query.date_from or (query.date_to - query.date_from).days > 92:
        raise ValidationError({"date_to": [_("Search at most three months at a time.")]})
    slots = selectors.availability_for_user(
        request.user,
        kinds=query.kinds,
        resource_ids=query.resources,
        minutes=query.minutes,
        date_from=query.date_from,
        date_to=query.date_to,
        site_id=query.site,
        limit=query.limit,
    )
    return [
        {
            "start": slot.start,
            "end": slot.end,
            "site_id": slot.site.pk,
            "site_name": slot.site.name,
            "resource_ids": slot.resource_ids,
        }
        for slot in slots
    ]


@router.get("/bookings", response=BookingPageOut, summary="Bookings the caller may see")
def list_bookings(request: HttpRequest, filters: Query[BookingFilterIn]) -> dict[str, Any]:
    require_area(request.user, HostArea.OPEN_LAB)
    queryset = selectors.bookings_for_user(request.user, state=filters.state)
    page = selectors.for_listing(queryset)[filters.offset : filters.offset + filters.limit]
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_booking_out(booking) for booking in page],
    }


@router.post("/bookings", response={201: BookingOut}, summary="Book a bundle of resources")
def create_booking(request: HttpRequest, payload: BookingIn) -> Status[dict[str, Any]]:
    use_case = None
    if payload.use_case is not None:
        from sangsaeng.usecases.selectors import get_use_case_for_user

        try:
            use_case = get_use_case_for_user(request.user, payload.use_case)
        except Http404:
            raise ValidationError({"use_case": [_("Unknown use case.")]}) from None
    booking = services.book(
        actor=request.user,
        resources=_resources(request, payload.resources),
        start=payload.start,
        end=payload.end,
        purpose=payload.purpose,
        use_case=use_case,
    )
    return Status(201, _booking_out(selectors.get_booking_for_user(request.user, booking.pk)))


@router.get("/bookings/{booking_id}", response=BookingOut, summary="One booking")
def get_booking(request: HttpRequest, booking_id: Id) -> dict[str, Any]:
    return _booking_out(selectors.get_booking_for_user(request.user, booking_id))


@router.get("/bookings/{booking_id}/ics", summary="A booking as iCalendar (.ics)")
def booking_ics(request: HttpRequest, booking_id: Id) -> HttpResponse:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    response = HttpResponse(ical.booking_ics(booking, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="openlab-booking-{booking.pk}.ics"'
    return response


def _reload(request: HttpRequest, booking: Booking) -> dict[str, Any]:
    return _booking_out(selectors.get_booking_for_user(request.user, booking.pk))


@router.post("/bookings/{booking_id}/approve", response=BookingOut, summary="Approve (lab deciders)")
def approve(request: HttpRequest, booking_id: Id) -> dict[str, Any]:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return _reload(request, services.approve_booking(actor=request.user, booking=booking))


@router.post("/bookings/{booking_id}/reject", response=BookingOut, summary="Reject with a reason")
def reject(request: HttpRequest, booking_id: Id, payload: BookingReasonIn) -> dict[str, Any]:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return _reload(
        request, services.reject_booking(actor=request.user, booking=booking, reason=payload.reason)
    )


@router.post("/bookings/{booking_id}/cancel", response=BookingOut, summary="Cancel (the booker)")
def cancel(request: HttpRequest, booking_id: Id, payload: BookingReasonIn) -> dict[str, Any]:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return _reload(
        request, services.cancel_booking(actor=request.user, booking=booking, reason=payload.reason)
    )


@router.post("/bookings/{booking_id}/check-in", response=BookingOut, summary="Check in / hand out")
def check_in(request: HttpRequest, booking_id: Id, payload: BookingNotesIn) -> dict[str, Any]:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return _reload(request, services.check_in(actor=request.user, booking=booking, notes=payload.notes))


@router.post("/bookings/{booking_id}/complete", response=BookingOut, summary="Check out / return")
def complete(request: HttpRequest, booking_id: Id, payload: BookingNotesIn) -> dict[str, Any]:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return _reload(
        request, services.complete_booking(actor=request.user, booking=booking, notes=payload.notes)
    )


@router.post("/bookings/{booking_id}/no-show", response=BookingOut, summary="Record a no-show")
def no_show(request: HttpRequest, booking_id: Id) -> dict[str, Any]:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return _reload(request, services.mark_no_show(actor=request.user, booking=booking))


def _operations(request: HttpRequest, queryset: Any, filters: BookingFilterIn) -> dict[str, Any]:
    if not permissions.can_view_operations(request.user):
        raise PermissionDenied(_("Only lab operators and programme managers decide on bookings."))
    page = selectors.for_listing(queryset)[filters.offset : filters.offset + filters.limit]
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_booking_out(booking) for booking in page],
    }


@router.get("/operations/approvals", response=BookingPageOut, summary="Requests waiting for a decision")
def approvals(request: HttpRequest, filters: Query[BookingFilterIn]) -> dict[str, Any]:
    return _operations(request, selectors.approval_queue_for_user(request.user), filters)


@router.get("/operations/check-ins", response=BookingPageOut, summary="Today's check-ins")
def checkins(request: HttpRequest, filters: Query[BookingFilterIn]) -> dict[str, Any]:
    return _operations(request, selectors.todays_checkins_for_user(request.user), filters)


@router.get("/operations/loans", response=BookingPageOut, summary="Equipment out on loan")
def loans(request: HttpRequest, filters: Query[BookingFilterIn]) -> dict[str, Any]:
    return _operations(request, selectors.open_loans_for_user(request.user), filters)


@router.get("/waitlist", response=list[LabWaitlistOut], summary="Waiting requests")
def list_waitlist(request: HttpRequest) -> Any:
    return [_waitlist_out(entry) for entry in selectors.waitlist_for_user(request.user)[:200]]


@router.post("/waitlist", response={201: LabWaitlistOut}, summary="Wait for a taken slot")
def join_waitlist(request: HttpRequest, payload: LabWaitlistIn) -> Status[dict[str, Any]]:
    entry = services.join_waitlist(
        actor=request.user,
        resources=_resources(request, payload.resources),
        start=payload.start,
        end=payload.end,
        purpose=payload.purpose,
    )
    return Status(201, _waitlist_out(entry))


@router.delete("/waitlist/{entry_id}", response=LabWaitlistOut, summary="Leave the waitlist")
def leave_waitlist(request: HttpRequest, entry_id: Id) -> dict[str, Any]:
    entry = selectors.get_waitlist_entry_for_user(request.user, entry_id)
    return _waitlist_out(services.leave_waitlist(actor=request.user, entry=entry))


@router.get("/reports/utilisation", response=list[LabUtilisationOut], summary="Utilisation per resource")
def utilisation(request: HttpRequest, query: Query[LabReportIn]) -> Any:
    if not permissions.can_view_lab_reports(request.user):
        raise PermissionDenied(_("Only host people see lab reports."))
    return [
        {
            "resource_id": row.resource.pk,
            "resource_name": row.resource.name,
            "site_name": row.resource.zone.site.name,
            "booked_hours": row.booked_hours,
            "used_hours": row.used_hours,
            "bookings": row.bookings,
            "no_shows": row.no_shows,
            "no_show_rate": row.no_show_rate,
        }
        for row in selectors.utilisation_for_user(request.user, query.date_from, query.date_to)
    ]


@router.get(
    "/reports/utilisation-by-partner", response=list[LabPartnerUtilisationOut], summary="Use per partner"
)
def utilisation_by_partner(request: HttpRequest, query: Query[LabReportIn]) -> Any:
    """Bookings held and no-shows per partner in the range (host people)."""
    if not permissions.can_view_lab_reports(request.user):
        raise PermissionDenied(_("Only host people see lab reports."))
    return [
        {"partner_id": row["partner_id"], "partner_name": row["partner__name_ko"], **row}
        for row in selectors.utilisation_by_partner_for_user(request.user, query.date_from, query.date_to)
    ]


# --- Maintaining the catalogue (host administrators, lab operators, programme managers) --------------
def _require_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_resources(request.user):
        raise PermissionDenied(
            _("Only host administrators, lab operators and programme managers maintain the lab.")
        )


def _site_out(site: Site) -> dict[str, Any]:
    return {
        "id": site.pk,
        "code": site.code,
        "name": site.name,
        "address": site.address,
        "is_active": site.is_active,
    }


def _closure_out(closure: Closure) -> dict[str, Any]:
    return {
        "id": closure.pk,
        "site_id": closure.site_id,
        "resource_id": closure.resource_id,
        "start": closure.start,
        "end": closure.end,
        "reason": closure.reason,
    }


def _resource_values(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Schema fields → the service's values: the zone id becomes the maintainer's zone, features a text."""
    values = dict(data)
    if "zone" in values:
        try:
            values["zone"] = selectors_catalogue.get_managed_zone_for_user(request.user, values["zone"])
        except Http404:
            raise ValidationError({"zone": [_("Unknown zone.")]}) from None
    if "features" in values:
        values["features"] = ", ".join(item.strip() for item in values["features"] or [] if item.strip())
    return values


@router.get("/manage/sites", response=list[LabManagedSiteOut], summary="Every site, inactive ones too")
def managed_sites(request: HttpRequest) -> Any:
    _require_manager(request)
    return [_site_out(site) for site in selectors_catalogue.managed_sites_for_user(request.user)]


@router.post("/sites", response={201: LabManagedSiteOut}, summary="Create a site")
def create_site(request: HttpRequest, payload: LabSiteIn) -> Status[dict[str, Any]]:
    _require_manager(request)
    site = services_catalogue.save_site(actor=request.user, values=payload.dict())
    return Status(201, _site_out(site))


@router.patch(
    "/sites/{site_id}", response=LabManagedSiteOut, summary="Change a site (deactivation: see rules)"
)
def update_site(request: HttpRequest, site_id: Id, payload: LabSitePatchIn) -> dict[str, Any]:
    _require_manager(request)
    site = selectors_catalogue.get_managed_site_for_user(request.user, site_id)
    values = payload.dict(exclude_unset=True)
    return _site_out(services_catalogue.save_site(actor=request.user, site=site, values=values))


@router.put("/sites/{site_id}/hours", response=list[LabHoursDayOut], summary="Replace a site's weekly hours")
def set_hours(request: HttpRequest, site_id: Id, payload: LabHoursIn) -> Any:
    _require_manager(request)
    site = selectors_catalogue.get_managed_site_for_user(request.user, site_id)
    weekdays = [day.weekday for day in payload.days]
    if len(set(weekdays)) != len(weekdays):
        raise ValidationError({"days": [_("Give each weekday at most once.")]})
    hours = {day.weekday: (day.opens, day.closes) for day in payload.days}
    rows = services_catalogue.set_opening_hours(actor=request.user, site=site, hours=hours)
    return [{"weekday": row.weekday, "opens": row.opens, "closes": row.closes} for row in rows]


@router.get("/sites/{site_id}/closures", response=list[LabClosureOut], summary="A site's upcoming closures")
def site_closures(request: HttpRequest, site_id: Id) -> Any:
    _require_manager(request)
    site = selectors_catalogue.get_managed_site_for_user(request.user, site_id)
    return [_closure_out(c) for c in selectors_catalogue.upcoming_closures_for_user(request.user, site)[:200]]


@router.post("/zones", response={201: LabZoneOut}, summary="Create a zone at a site")
def create_zone(request: HttpRequest, payload: LabZoneIn) -> Status[dict[str, Any]]:
    _require_manager(request)
    try:
        site = selectors_catalogue.get_managed_site_for_user(request.user, payload.site)
    except Http404:
        raise ValidationError({"site": [_("Unknown site.")]}) from None
    zone = services_catalogue.save_zone(actor=request.user, site=site, values=payload.dict(exclude={"site"}))
    return Status(201, {"id": zone.pk, "site_id": zone.site_id, "kind": zone.kind, "name": zone.name})


@router.patch("/zones/{zone_id}", response=LabZoneOut, summary="Rename a zone or change its kind")
def update_zone(request: HttpRequest, zone_id: Id, payload: LabZonePatchIn) -> dict[str, Any]:
    _require_manager(request)
    zone = selectors_catalogue.get_managed_zone_for_user(request.user, zone_id)
    zone = services_catalogue.save_zone(
        actor=request.user, zone=zone, values=payload.dict(exclude_unset=True)
    )
    return {"id": zone.pk, "site_id": zone.site_id, "kind": zone.kind, "name": zone.name}


@router.post("/resources", response={201: LabResourceOut}, summary="Create a resource with its rules")
def create_resource(request: HttpRequest, payload: LabResourceIn) -> Status[dict[str, Any]]:
    _require_manager(request)
    values = _resource_values(request, payload.dict())
    resource = services_catalogue.save_resource(actor=request.user, values=values)
    return Status(
        201, _resource_out(selectors_catalogue.get_managed_resource_for_user(request.user, resource.pk))
    )


@router.patch(
    "/resources/{resource_id}", response=LabResourceOut, summary="Change a resource or its booking rules"
)
def update_resource(request: HttpRequest, resource_id: Id, payload: LabResourcePatchIn) -> dict[str, Any]:
    _require_manager(request)
    resource = selectors_catalogue.get_managed_resource_for_user(request.user, resource_id)
    values = _resource_values(request, payload.dict(exclude_unset=True))
    services_catalogue.save_resource(actor=request.user, resource=resource, values=values)
    return _resource_out(selectors_catalogue.get_managed_resource_for_user(request.user, resource.pk))


@router.post("/closures", response={201: LabClosureOut}, summary="Close a site or a resource for maintenance")
def create_closure(request: HttpRequest, payload: LabClosureIn) -> Status[dict[str, Any]]:
    _require_manager(request)
    try:
        site = selectors_catalogue.get_managed_site_for_user(request.user, payload.site)
    except Http404:
        raise ValidationError({"site": [_("Unknown site.")]}) from None
    resource = None
    if payload.resource is not None:
        try:
            resource = selectors_catalogue.get_managed_resource_for_user(request.user, payload.resource)
        except Http404:
            raise ValidationError(
                {"resource": [_("Unknown resources: %(ids)s.") % {"ids": [payload.resource]}]}
            ) from None
    closure = services_catalogue.add_closure(
        actor=request.user,
        site=site,
        resource=resource,
        start=payload.start,
        end=payload.end,
        reason=payload.reason,
    )
    return Status(201, _closure_out(closure))


@router.delete("/closures/{closure_id}", response={204: None}, summary="Remove a closure")
def delete_closure(request: HttpRequest, closure_id: Id) -> Status[None]:
    _require_manager(request)
    closure = selectors_catalogue.get_managed_closure_for_user(request.user, closure_id)
    services_catalogue.remove_closure(actor=request.user, closure=closure)
    return Status(204, None)
