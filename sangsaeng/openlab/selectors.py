"""Reads of the Open Lab, scoped to what the acting user may see.

Resources, sites and their calendars are open to every signed-in member of an organisation. A
partner's people see their own company's bookings; the host (every role) sees all bookings.
Calendars show other partners' bookings only as "busy" blocks, without partner or purpose.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangsaeng.accounts.access import HostArea, host_may
from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import is_host, kind_of, membership_of, organization_id_of
from sangsaeng.core.dates import rows_with_datetimes
from sangsaeng.core.text import mask_email
from sangsaeng.openlab import rules
from sangsaeng.openlab.availability import Slot, active_items_overlapping, find_slots
from sangsaeng.openlab.models import (
    HOLDING_STATES,
    Booking,
    BookingItem,
    BookingState,
    Closure,
    OpeningHours,
    Resource,
    ResourceKind,
    ResourcePhoto,
    Site,
    WaitlistEntry,
    WaitlistState,
)

PAGE_SIZE = 50


def can_browse_lab(user: Any) -> bool:
    """Every active member of an organisation browses resources and calendars."""
    return membership_of(user) is not None


def resources_for_user(user: Any, *, kind: str = "", site_id: int | None = None) -> QuerySet[Resource]:
    if not can_browse_lab(user):
        return Resource.objects.none()
    queryset = Resource.objects.filter(is_active=True, zone__site__is_active=True).select_related(
        "zone__site"
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if site_id:
        queryset = queryset.filter(zone__site_id=site_id)
    return queryset.order_by("zone__site__name", "kind", "name", "pk")


def resource_choices_for_user(user: Any) -> QuerySet[Resource]:
    """The resources of a picker: id and name only (the availability form lists all of them on every
    search; whole rows with zone and site cost more than the search)."""
    return resources_for_user(user).select_related(None).only("pk", "name")


def get_resource_for_user(user: Any, resource_id: int) -> Resource:
    resource = resources_for_user(user).filter(pk=resource_id).first()
    if resource is None:
        raise Http404
    return resource


def photos_for_user(user: Any, resource: Resource) -> QuerySet[ResourcePhoto]:
    """Photos of a resource the user may see (every member; the resource comes from a selector)."""
    if not can_browse_lab(user):
        return ResourcePhoto.objects.none()
    return ResourcePhoto.objects.filter(resource=resource).order_by("created_at", "pk")


def get_photo_for_user(user: Any, resource: Resource, photo_id: int) -> ResourcePhoto:
    photo = photos_for_user(user, resource).filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    return photo


def sites_for_user(user: Any) -> QuerySet[Site]:
    if not can_browse_lab(user):
        return Site.objects.none()
    return Site.objects.filter(is_active=True).order_by("name", "pk")


def get_site_for_user(user: Any, site_id: int) -> Site:
    site = sites_for_user(user).filter(pk=site_id).first()
    if site is None:
        raise Http404
    return site


def _booking_scope(user: Any) -> Q | None:
    if is_host(user):
        return Q() if host_may(user, HostArea.OPEN_LAB) else None
    own = organization_id_of(user)
    if kind_of(user) == OrganizationKind.PARTNER and own is not None:
        return Q(partner__organization_id=own)
    return None


def bookings_for_user(user: Any, *, state: str = "") -> QuerySet[Booking]:
    """Bookings the user may see, newest start first, with partner, site and items loaded."""
    scope = _booking_scope(user)
    if scope is None:
        return Booking.objects.none()
    queryset = (
        Booking.objects.filter(scope)
        .select_related("partner", "requested_by", "site", "use_case")
        # The items with their resource in one query: a separate resource prefetch builds a tuple
        # lookup that costs milliseconds of SQL compiling per page on SQLite.
        .prefetch_related(Prefetch("items", queryset=BookingItem.objects.select_related("resource")))
    )
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-start", "-pk")


# What the booking tables and the API's booking lists show: a list page builds a hundred and more model
# instances, and whole rows of the partner, the requester, the site and the use case cost more than
# the rest of the page.
LIST_FIELDS = (
    "partner",
    "partner__name_ko",
    "site_id",
    "start",
    "end",
    "state",
    "purpose",
    "use_case_id",
    "decision_reason",
    "condition_notes",
    "created_at",
)


def for_listing(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """A booking queryset narrowed to the columns of the lists (ordering and filters kept)."""
    items = BookingItem.objects.select_related("resource").only(
        "booking_id", "resource_id", "active", "resource__name"
    )
    return (
        bookings.select_related(None)
        .select_related("partner")
        .only(*LIST_FIELDS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("items", queryset=items))
    )


def get_booking_for_user(user: Any, booking_id: int) -> Booking:
    booking = bookings_for_user(user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return booking


ACTION_LABELS = {
    "openlab.book": pgettext_lazy("booking state", "Requested"),
    "openlab.approve_booking": _("Approved"),
    "openlab.reject_booking": _("Rejected"),
    "openlab.cancel_booking": _("Cancelled"),
    "openlab.check_in": _("Checked in"),
    "openlab.complete_booking": _("Completed"),
    "openlab.no_show": _("No-show"),
    "openlab.promote_waitlist": _("Booked from the waitlist"),
}


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    label: str
    actor: str  # who acted, as this viewer may see it (see booking_timeline)


def booking_timeline(user: Any, booking: Booking) -> list[TimelineEntry]:
    """The booking's transitions from the audit trail (rule 4), oldest first; one query.

    The booking must come from get_booking_for_user. Everyone sees their own colleagues' addresses;
    host people see partner people's masked; partner people see "Open Lab staff" for the host.
    """
    from sangsaeng.core.models import AuditEvent

    host = is_host(user)
    own_org = organization_id_of(user)
    events = AuditEvent.objects.filter(
        object_type=Booking._meta.label_lower, object_id=str(booking.pk), action__in=list(ACTION_LABELS)
    ).order_by("seq")
    entries = []
    for event in events.only("created_at", "action", "actor_label", "organization_id_at_time"):
        if event.actor_label == "system":
            actor = str(_("system"))
        elif event.organization_id_at_time == own_org:
            actor = event.actor_label
        elif host:
            actor = mask_email(event.actor_label)  # a partner's person: masked in lists (PIPA)
        else:
            actor = str(_("Open Lab staff"))
        entries.append(TimelineEntry(event.created_at, str(ACTION_LABELS[event.action]), actor))
    return entries


def approval_queue_for_user(user: Any) -> QuerySet[Booking]:
    """Requested bookings, soonest first (lab deciders; empty for anyone else)."""
    from sangsaeng.openlab.permissions import can_view_operations

    if not can_view_operations(user):
        return Booking.objects.none()
    return bookings_for_user(user, state=BookingState.REQUESTED).order_by("start", "pk")


def todays_checkins_for_user(user: Any, day: dt.date | None = None) -> QuerySet[Booking]:
    """Approved and checked-in bookings of one day (today by default), by start."""
    from sangsaeng.openlab.permissions import can_view_operations

    if not can_view_operations(user):
        return Booking.objects.none()
    day = day or timezone.localdate()
    start, end = rules.at(day, dt.time(0)), rules.at(day + dt.timedelta(days=1), dt.time(0))
    return (
        bookings_for_user(user)
        .filter(state__in=(BookingState.APPROVED, BookingState.CHECKED_IN), start__lt=end, end__gt=start)
        .order_by("start", "pk")
    )


LOAN_KINDS = (ResourceKind.LOAN_DEVICE, ResourceKind.INSTRUMENT)


def open_loans_for_user(user: Any) -> QuerySet[Booking]:
    """Checked-in bookings holding loan devices or instruments (equipment out), by end (lab operators)."""
    from sangsaeng.openlab.permissions import is_lab_operator

    if not is_lab_operator(user):
        return Booking.objects.none()
    return (
        bookings_for_user(user, state=BookingState.CHECKED_IN)
        .filter(items__resource__kind__in=LOAN_KINDS)
        .distinct()
        .order_by("end", "pk")
    )


def waitlist_for_user(user: Any) -> QuerySet[WaitlistEntry]:
    scope = _booking_scope(user)
    if scope is None:
        return WaitlistEntry.objects.none()
    return (
        WaitlistEntry.objects.filter(scope, state=WaitlistState.WAITING)
        .select_related("partner")
        .prefetch_related("resources")
        .order_by("start", "pk")
    )


def get_waitlist_entry_for_user(user: Any, entry_id: int) -> WaitlistEntry:
    entry = waitlist_for_user(user).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


# --- Calendars --------------------------------------------------------------------------------------
@cache
def _booking_path_prefix() -> str:
    """The booking page's path up to its id ("/openlab/bookings/"), reversed once per process."""
    from django.urls import reverse

    path = reverse("openlab:booking_detail", args=[0])
    return path[: path.rindex("0/")]


def _span(local_start: dt.datetime, local_end: dt.datetime) -> str:
    """ "09:00–11:00" of two local times (a week of a site holds a thousand blocks and more)."""
    return f"{local_start.hour:02d}:{local_start.minute:02d}–{local_end.hour:02d}:{local_end.minute:02d}"


@dataclass(slots=True)
class Block:
    """One entry on a calendar: the viewer's own booking (with details), a busy block or a closure.
    `span` is its time in Seoul, written when the block is made."""

    resource_id: int
    start: dt.datetime
    end: dt.datetime
    kind: str  # "own", "busy" or "closed"
    label: str
    booking_id: int | None = None
    span: str = ""

    @property
    def url(self) -> str:
        return f"{_booking_path_prefix()}{self.booking_id}/" if self.booking_id else ""


@dataclass(frozen=True)
class DayColumn:
    day: dt.date
    hours: rules.Hours | None
    holiday: str


@dataclass(frozen=True)
class CalendarRow:
    resource: Resource
    cells: list[list[Block]]  # one list of blocks per day column


@dataclass(frozen=True)
class CalendarWeek:
    columns: list[DayColumn]
    rows: list[CalendarRow]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def calendar_for_user(
    user: Any, resources: Sequence[Resource], first_day: dt.date, days: int = 7
) -> CalendarWeek:
    """A week of blocks per resource: the viewer's own (or, for the host, every) booking with its
    label, everyone else's as anonymous busy blocks, and closures. Three queries whatever the size."""
    resource_ids = [resource.pk for resource in resources]
    site_ids = {resource.zone.site_id for resource in resources}
    start = rules.at(first_day, dt.time(0))
    end = rules.at(first_day + dt.timedelta(days=days), dt.time(0))
    scope = _booking_scope(user)
    host = is_host(user)
    own_org = organization_id_of(user)
    items = (
        active_items_overlapping(resource_ids, start, end)
        .order_by("start", "pk")
        .values_list(
            "resource_id",
            "start",
            "end",
            "booking_id",
            "booking__partner__organization_id",
            "booking__partner__name_ko",
            "booking__purpose",
        )
    )
    zone = timezone.get_current_timezone()
    visible = scope is not None
    blocks: dict[dt.date, dict[int, list[Block]]] = defaultdict(lambda: defaultdict(list))
    for (
        resource_id,
        item_start,
        item_end,
        booking_id,
        organization_id,
        partner_name,
        purpose,
    ) in rows_with_datetimes(items, (1, 2)):
        local_start = item_start.astimezone(zone)
        span = _span(local_start, item_end.astimezone(zone))
        if visible and (host or organization_id == own_org):
            block = Block(
                resource_id, item_start, item_end, "own", f"{partner_name} · {purpose}", booking_id, span
            )
        else:
            block = Block(resource_id, item_start, item_end, "busy", "", None, span)
        blocks[local_start.date()][resource_id].append(block)
    wanted = set(resource_ids)
    for closure in Closure.objects.filter(site_id__in=site_ids, start__lt=end, end__gt=start):
        local_start, local_end = closure.start.astimezone(zone), closure.end.astimezone(zone)
        span = _span(local_start, local_end)
        day = max(local_start.date(), first_day)
        last = min(local_end.date(), first_day + dt.timedelta(days=days - 1))
        while day <= last:
            for resource_id in resource_ids if closure.resource_id is None else [closure.resource_id]:
                if resource_id in wanted:
                    blocks[day][resource_id].append(
                        Block(resource_id, closure.start, closure.end, "closed", closure.reason, None, span)
                    )
            day += dt.timedelta(days=1)
    hours: dict[int, rules.Hours] = {}
    if len(site_ids) == 1:
        hours = rules.hours_by_weekday(OpeningHours.objects.filter(site_id__in=site_ids))
    day_list = [first_day + dt.timedelta(days=offset) for offset in range(days)]
    columns = [DayColumn(day, hours.get(day.weekday()), rules.holiday_name(day)) for day in day_list]
    rows = [
        CalendarRow(
            resource,
            [
                sorted(blocks[day][resource.pk], key=lambda b: b.start) if day in blocks else []
                for day in day_list
            ],
        )
        for resource in resources
    ]
    return CalendarWeek(columns, rows)


# --- Reports ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UtilisationRow:
    resource: Resource
    booked_hours: float
    used_hours: float
    bookings: int
    no_shows: int

    @property
    def no_show_rate(self) -> float:
        return self.no_shows / self.bookings if self.bookings else 0.0


def utilisation_for_user(user: Any, date_from: dt.date, date_to: dt.date) -> list[UtilisationRow]:
    """Per resource: hours booked (held), hours used (checked in/completed), bookings, no-shows."""
    from sangsaeng.openlab.permissions import can_view_lab_reports

    if not can_view_lab_reports(user):
        return []
    start = rules.at(date_from, dt.time(0))
    end = rules.at(date_to + dt.timedelta(days=1), dt.time(0))
    resources = list(Resource.objects.select_related("zone__site").order_by("zone__site__name", "name", "pk"))
    booked: dict[int, float] = defaultdict(float)
    used: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    no_shows: dict[int, int] = defaultdict(int)
    rows = BookingItem.objects.filter(start__gte=start, start__lt=end).values_list(
        "resource_id", "start", "end", "booking__state"
    )
    for resource_id, item_start, item_end, state in rows.iterator(chunk_size=5000):
        hours = (item_end - item_start).total_seconds() / 3600
        if state in HOLDING_STATES:
            booked[resource_id] += hours
        if state in (BookingState.CHECKED_IN, BookingState.COMPLETED):
            used[resource_id] += hours
        if state in (*HOLDING_STATES, BookingState.NO_SHOW):
            counts[resource_id] += 1
        if state == BookingState.NO_SHOW:
            no_shows[resource_id] += 1
    return [
        UtilisationRow(r, round(booked[r.pk], 1), round(used[r.pk], 1), counts[r.pk], no_shows[r.pk])
        for r in resources
    ]


def utilisation_by_partner_for_user(user: Any, date_from: dt.date, date_to: dt.date) -> list[dict[str, Any]]:
    """Per partner: bookings held, no-shows and hours booked in the range (host only)."""
    from sangsaeng.openlab.permissions import can_view_lab_reports

    if not can_view_lab_reports(user):
        return []
    start = rules.at(date_from, dt.time(0))
    end = rules.at(date_to + dt.timedelta(days=1), dt.time(0))
    queryset = (
        Booking.objects.filter(start__gte=start, start__lt=end)
        .values("partner_id", "partner__name_ko")
        .annotate(
            bookings=Count("pk", filter=Q(state__in=(*HOLDING_STATES, BookingState.NO_SHOW))),
            no_shows=Count("pk", filter=Q(state=BookingState.NO_SHOW)),
        )
        .order_by("partner__name_ko")
    )
    return list(queryset)


def utilisation_rows(rows: Sequence[UtilisationRow]) -> Iterator[list[Any]]:
    for row in rows:
        yield [
            row.resource.zone.site.name,
            row.resource.name,
            row.resource.get_kind_display(),
            row.booked_hours,
            row.used_hours,
            row.bookings,
            row.no_shows,
            round(row.no_show_rate * 100, 1),
        ]


# --- Availability search ----------------------------------------------------------------------------
# What the search reads of a resource: its rules, its name and kind, and its site (slots are per site).
SEARCH_FIELDS = (
    "name",
    "kind",
    "min_duration_minutes",
    "max_duration_minutes",
    "slot_minutes",
    "advance_notice_hours",
    "horizon_days",
    "monthly_quota_hours",
    "zone__site__name",
)


def availability_for_user(
    user: Any,
    *,
    kinds: Sequence[str] = (),
    resource_ids: Sequence[int] = (),
    minutes: int,
    date_from: dt.date,
    date_to: dt.date,
    site_id: int | None = None,
    limit: int = 30,
) -> list[Slot]:
    """Free slots for a bundle: one resource of each kind (any site, one site per slot) plus the
    named resources; the quotas are the user's partner's (none for host people)."""
    from sangsaeng.partners.selectors import own_partner_for_user

    candidates = list(
        resources_for_user(user, site_id=site_id)
        .filter(Q(kind__in=kinds) | Q(pk__in=resource_ids))
        .only(*SEARCH_FIELDS)
    )
    # A kind named twice asks for two resources of that kind ("two loan devices").
    groups: list[list[Resource]] = [[r for r in candidates if r.kind == kind] for kind in kinds]
    groups += [[r for r in candidates if r.pk == pk] for pk in dict.fromkeys(resource_ids)]
    if not groups:
        return []
    return find_slots(
        groups=groups,
        duration=dt.timedelta(minutes=minutes),
        date_from=date_from,
        date_to=date_to,
        partner=own_partner_for_user(user),
        limit=limit,
    )


@dataclass(frozen=True)
class QuotaUse:
    resource: Resource
    used_hours: float
    quota_hours: int


def quota_use_for_user(user: Any, month: dt.date | None = None) -> list[QuotaUse]:
    """The user's partner's use of each resource with a monthly quota (fair share), this month by default."""
    from sangsaeng.openlab.availability import quota_use_minutes
    from sangsaeng.partners.selectors import own_partner_for_user

    partner = own_partner_for_user(user)
    if partner is None:
        return []
    month = (month or timezone.localdate()).replace(day=1)
    resources = list(resources_for_user(user).filter(monthly_quota_hours__isnull=False))
    if not resources:
        return []
    month_start, month_end = rules.month_bounds(month)
    used = quota_use_minutes(partner, [r.pk for r in resources], month_start, month_end)
    return [
        QuotaUse(r, round(used.get((r.pk, month), 0) / 60, 1), r.monthly_quota_hours or 0) for r in resources
    ]
