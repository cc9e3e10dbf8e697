"""Open Lab pages: resources, availability, booking, my bookings, operations, calendars, reports.

Each view parses, calls one selector or service and renders; htmx requests get the partial.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.access import HostArea, require_area
from sangsaeng.core import workflow
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.core.spreadsheets import XLSX_CONTENT_TYPE, build_xlsx
from sangsaeng.openlab import ical, permissions, qr, rendering, rules, selectors, services
from sangsaeng.openlab.forms import (
    AvailabilityForm,
    BookingForm,
    NotesForm,
    PhotoForm,
    ReasonForm,
    ReportForm,
)
from sangsaeng.openlab.models import Booking, BookingState, ResourceKind
from sangsaeng.partners.selectors import own_partner_for_user

# Resources per page of a site's week (a large site is paged, so each page stays quick to read).
CALENDAR_ROWS = 25


def _page(request: AuthenticatedHttpRequest, queryset: Any) -> Any:
    return page_of(request, queryset, selectors.PAGE_SIZE)


@login_required
def resource_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every bookable resource, filtered by kind and site."""
    if not selectors.can_browse_lab(request.user):
        raise PermissionDenied(_("Only members of an organisation browse the Open Lab."))
    kind = request.GET.get("kind", "")
    site_id = request.GET.get("site", "")
    resources = selectors.resources_for_user(
        request.user,
        kind=kind if kind in ResourceKind.values else "",
        site_id=int(site_id) if site_id.isdigit() else None,
    )
    page = _page(request, resources)
    context = {
        "page": page,
        "rows": rendering.resource_rows(page),
        "kinds": ResourceKind.choices,
        "sites": selectors.sites_for_user(request.user),
        "kind": kind,
        "site_id": site_id,
        "can_book": permissions.can_book(request.user, own_partner_for_user(request.user)),
    }
    return render_page(request, "openlab/resources.html", "openlab/partials/resource_rows.html", context)


def _week(request: AuthenticatedHttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return selectors.week_start(day)


def _calendar(
    request: AuthenticatedHttpRequest, *, title: str, resources: list[Any], extra: dict[str, Any]
) -> HttpResponse:
    first = _week(request)
    calendar = selectors.calendar_for_user(request.user, resources, first)
    context = {
        "title": title,
        "calendar": calendar,
        "calendar_rows": rendering.calendar_rows(calendar.rows, busy_label=_("Busy")),
        "week": first,
        "previous_week": first - dt.timedelta(days=7),
        "next_week": first + dt.timedelta(days=7),
        **extra,
    }
    return render_page(request, "openlab/calendar.html", "openlab/partials/calendar_week.html", context)


@login_required
def resource_calendar(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    """A week of one resource: own bookings with details, others' as busy blocks."""
    resource = selectors.get_resource_for_user(request.user, resource_id)
    extra = {
        "resource": resource,
        "photos": list(selectors.photos_for_user(request.user, resource)),
        "photo_form": PhotoForm() if permissions.can_manage_resources(request.user) else None,
    }
    return _calendar(request, title=resource.name, resources=[resource], extra=extra)


@login_required
def resource_photo(request: AuthenticatedHttpRequest, resource_id: int, photo_id: int) -> FileResponse:
    """A resource photo, for signed-in members only (media files are never served directly)."""
    resource = selectors.get_resource_for_user(request.user, resource_id)
    photo = selectors.get_photo_for_user(request.user, resource, photo_id)
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


@login_required
@require_POST
def resource_photo_add(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.get_resource_for_user(request.user, resource_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_resource_photo(
                actor=request.user,
                resource=resource,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Photo added."))
    elif not permissions.can_manage_resources(request.user):
        raise PermissionDenied(_("Only host administrators and lab operators maintain resources."))
    else:
        messages.error(request, _("Choose a PNG or JPEG file."))
    return redirect("openlab:resource_calendar", resource_id=resource.pk)


@login_required
def site_calendar(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    """A week of every resource of one site."""
    site = selectors.get_site_for_user(request.user, site_id)
    page = page_of(request, selectors.resources_for_user(request.user, site_id=site.pk), CALENDAR_ROWS)
    return _calendar(request, title=site.name, resources=list(page), extra={"site": site, "page": page})


@login_required
def availability(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Free slots for a bundle of resource kinds or resources in a date range."""
    if not selectors.can_browse_lab(request.user):
        raise PermissionDenied(_("Only members of an organisation browse the Open Lab."))
    form = AvailabilityForm(
        request.GET or None,
        resources=selectors.resource_choices_for_user(request.user),
        sites=selectors.sites_for_user(request.user),
    )
    slots: list[Any] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        slots = selectors.availability_for_user(
            request.user,
            kinds=data["kinds"],
            resource_ids=[r.pk for r in data["resources"]],
            minutes=data["minutes"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            site_id=data["site"].pk if data["site"] else None,
        )
    searched = form.is_bound and form.is_valid()
    can_book = permissions.can_book(request.user, own_partner_for_user(request.user))
    context = {
        "form": form,
        "slots": slots,
        "searched": searched,
        "can_book": can_book,
        "slot_rows": rendering.slot_rows(slots, can_book=can_book, minutes=form.cleaned_data["minutes"])
        if searched
        else "",
    }
    return render_page(request, "openlab/availability.html", "openlab/partials/slots.html", context)


def _use_case_for(request: AuthenticatedHttpRequest, raw: Any) -> Any:
    """The use case named in the form, if the user may see it and it is their partner's (else None)."""
    from sangsaeng.usecases.selectors import get_use_case_for_user

    partner = own_partner_for_user(request.user)
    if partner is None or not str(raw or "").isdigit():
        return None
    try:
        use_case = get_use_case_for_user(request.user, int(raw))
    except Http404:
        return None
    return use_case if use_case.partner_id == partner.pk else None


def _booking_initial(request: AuthenticatedHttpRequest, use_case: Any) -> dict[str, Any]:
    """Prefill from ?resources=…&start=…&minutes=… (an availability slot) or ?use_case=<id> (a PoC)."""
    initial: dict[str, Any] = {}
    ids = [int(value) for value in request.GET.getlist("resources") if value.isdigit()]
    if ids:
        initial["resources"] = ids
    start = request.GET.get("start", "")
    try:
        moment = dt.datetime.fromisoformat(start) if start else None
    except ValueError:
        moment = None
    if moment is not None:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        local = rules.local(moment)
        initial["day"] = local.date()
        initial["start_time"] = f"{local:%H:%M}"
    if request.GET.get("minutes", "").isdigit():
        initial["minutes"] = int(request.GET["minutes"])
    if use_case is not None:
        initial["use_case"] = use_case.pk
        initial["purpose"] = _("PoC: %(title)s") % {"title": use_case.title}
    return initial


@login_required
def booking_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Book a bundle; on a taken slot the page offers the next free slots and the waitlist."""
    partner = own_partner_for_user(request.user)
    if not permissions.can_book(request.user, partner):
        raise PermissionDenied(_("Only people of an approved partner book the Open Lab."))
    resources = selectors.resources_for_user(request.user)
    use_case = _use_case_for(request, request.POST.get("use_case") or request.GET.get("use_case"))
    form = BookingForm(request.POST or None, resources=resources, initial=_booking_initial(request, use_case))
    offer_waitlist = False
    if request.method == "POST" and form.is_valid():
        start, end = form.range()
        try:
            if "waitlist" in request.POST:
                services.join_waitlist(
                    actor=request.user,
                    resources=list(form.cleaned_data["resources"]),
                    start=start,
                    end=end,
                    purpose=form.cleaned_data["purpose"],
                )
                messages.success(
                    request, _("You are on the waitlist. We will book the slot for you if it frees up.")
                )
                return redirect("openlab:booking_list")
            booking = services.book(
                actor=request.user,
                resources=list(form.cleaned_data["resources"]),
                start=start,
                end=end,
                purpose=form.cleaned_data["purpose"],
                use_case=use_case,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            offer_waitlist = services.is_overlap_error(error)
        else:
            messages.success(request, _("Booking #%(id)s saved.") % {"id": booking.pk})
            return redirect("openlab:booking_detail", booking_id=booking.pk)
    return render(
        request,
        "openlab/booking_form.html",
        {
            "form": form,
            "offer_waitlist": offer_waitlist,
            "use_case": use_case,
            "quota_use": selectors.quota_use_for_user(request.user),
        },
    )


@login_required
def booking_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My company's bookings (the host sees every booking), newest first, and its waitlist."""
    require_area(request.user, HostArea.OPEN_LAB)
    state = request.GET.get("state", "")
    bookings = selectors.bookings_for_user(request.user, state=state if state in BookingState.values else "")
    page = _page(request, selectors.for_listing(bookings))
    context = {
        "page": page,
        "rows": rendering.booking_rows(page),
        "states": BookingState.choices,
        "state": state,
        "waitlist": selectors.waitlist_for_user(request.user)[:50],
    }
    return render_page(request, "openlab/bookings.html", "openlab/partials/booking_rows.html", context)


def _actions(user: Any, booking: Booking) -> dict[str, bool]:
    transitions = workflow.allowed_targets(booking)
    return {
        "approve": BookingState.APPROVED in transitions and permissions.can_decide_booking(user, booking),
        "reject": BookingState.REJECTED in transitions and permissions.can_decide_booking(user, booking),
        "cancel": BookingState.CANCELLED in transitions and permissions.can_cancel_booking(user, booking),
        "check_in": BookingState.CHECKED_IN in transitions and permissions.can_operate_booking(user, booking),
        "complete": BookingState.COMPLETED in transitions and permissions.can_operate_booking(user, booking),
        "no_show": BookingState.NO_SHOW in transitions and permissions.can_operate_booking(user, booking),
    }


@login_required
def booking_detail(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    context = {
        "booking": booking,
        "actions": _actions(request.user, booking),
        "timeline": selectors.booking_timeline(request.user, booking),
        "reason_form": ReasonForm(),
        "notes_form": NotesForm(),
        # Shown while the booking waits for its check-in: scanned at the door by the operator.
        "check_in_qr": qr.booking_qr_svg(booking) if booking.state == BookingState.APPROVED else "",
    }
    return render_page(request, "openlab/booking_detail.html", "openlab/partials/booking_card.html", context)


@login_required
def booking_ics(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    """The booking as an iCalendar (.ics) file for the user's own calendar."""
    booking = selectors.get_booking_for_user(request.user, booking_id)
    response = HttpResponse(ical.booking_ics(booking, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="openlab-booking-{booking.pk}.ics"'
    return response


def _act(request: AuthenticatedHttpRequest, booking_id: int, action: str) -> HttpResponse:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    try:
        if action == "approve":
            services.approve_booking(actor=request.user, booking=booking)
        elif action == "reject":
            services.reject_booking(
                actor=request.user, booking=booking, reason=request.POST.get("reason", "")
            )
        elif action == "cancel":
            services.cancel_booking(
                actor=request.user, booking=booking, reason=request.POST.get("reason", "")
            )
        elif action == "check_in":
            services.check_in(actor=request.user, booking=booking, notes=request.POST.get("notes", ""))
        elif action == "complete":
            services.complete_booking(
                actor=request.user, booking=booking, notes=request.POST.get("notes", "")
            )
        else:
            services.mark_no_show(actor=request.user, booking=booking)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Booking #%(id)s updated.") % {"id": booking.pk})
    next_url = request.POST.get("next", "")
    if next_url in ("approvals", "checkins"):
        return redirect(f"openlab:{next_url}")
    return redirect("openlab:booking_detail", booking_id=booking.pk)


@login_required
@require_POST
def booking_approve(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    return _act(request, booking_id, "approve")


@login_required
@require_POST
def booking_reject(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    return _act(request, booking_id, "reject")


@login_required
@require_POST
def booking_cancel(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    return _act(request, booking_id, "cancel")


@login_required
@require_POST
def booking_check_in(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    return _act(request, booking_id, "check_in")


@login_required
@require_POST
def booking_complete(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    return _act(request, booking_id, "complete")


@login_required
@require_POST
def booking_no_show(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    return _act(request, booking_id, "no_show")


@login_required
@require_POST
def waitlist_leave(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.get_waitlist_entry_for_user(request.user, entry_id)
    try:
        services.leave_waitlist(actor=request.user, entry=entry)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("openlab:booking_list")


def _operations(request: AuthenticatedHttpRequest, queryset: Any, mode: str) -> HttpResponse:
    page = _page(request, selectors.for_listing(queryset))
    rows = rendering.operation_rows(page, mode=mode, csrf_token=get_token(request))
    return render(request, "openlab/operations.html", {"page": page, "mode": mode, "rows": rows})


@login_required
def approvals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Requested bookings waiting for a decision, soonest first."""
    if not permissions.can_view_operations(request.user):
        raise PermissionDenied(_("Only lab operators and programme managers decide on bookings."))
    return _operations(request, selectors.approval_queue_for_user(request.user), "approvals")


@login_required
def checkins(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Today's approved and checked-in bookings."""
    if not permissions.can_view_operations(request.user):
        raise PermissionDenied(_("Only lab operators and programme managers decide on bookings."))
    return _operations(request, selectors.todays_checkins_for_user(request.user), "checkins")


@login_required
def loans(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Equipment out on loan (checked in, not yet returned), due first."""
    if not permissions.is_lab_operator(request.user):
        raise PermissionDenied(_("Only lab operators check people in."))
    return _operations(request, selectors.open_loans_for_user(request.user), "loans")


def _report_range(request: AuthenticatedHttpRequest) -> tuple[ReportForm, dt.date, dt.date]:
    today = timezone.localdate()
    default_from = today.replace(day=1)
    form = ReportForm(request.GET or {"date_from": default_from, "date_to": today})
    if form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, default_from, today


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Utilisation per resource and per partner, with the no-show rate (host people)."""
    if not permissions.can_view_lab_reports(request.user):
        raise PermissionDenied(_("Only host people see lab reports."))
    form, date_from, date_to = _report_range(request)
    context = {
        "form": form,
        "rows": selectors.utilisation_for_user(request.user, date_from, date_to),
        "partners": selectors.utilisation_by_partner_for_user(request.user, date_from, date_to),
    }
    return render(request, "openlab/report.html", context)


@login_required
def report_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_view_lab_reports(request.user):
        raise PermissionDenied(_("Only host people see lab reports."))
    _form, date_from, date_to = _report_range(request)
    if request.GET.get("by") == "partner":
        partner_rows = selectors.utilisation_by_partner_for_user(request.user, date_from, date_to)
        content = build_xlsx(
            _("Partners"),
            [_("Partner"), _("Bookings"), _("No-shows")],
            ([row["partner__name_ko"], row["bookings"], row["no_shows"]] for row in partner_rows),
        )
        name = f"openlab-partners-{date_from}-{date_to}.xlsx"
    else:
        headers = [
            _("Site"),
            _("Resource"),
            _("Kind"),
            _("Hours booked"),
            _("Hours used"),
            _("Bookings"),
            _("No-shows"),
            _("No-show rate (%)"),
        ]
        rows = selectors.utilisation_rows(selectors.utilisation_for_user(request.user, date_from, date_to))
        content = build_xlsx(_("Utilisation"), headers, rows)
        name = f"openlab-utilisation-{date_from}-{date_to}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
