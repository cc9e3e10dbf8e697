"""State changes of the Open Lab (오픈랩): bookings, decisions, check-in/out, no-shows and the waitlist.

Each function checks its permission (PermissionDenied), validates (ValidationError), changes and
records one audit event in the same transaction; notifications are in-app rows (e-mails after commit).

The overlap guard: a booking's items are inserted in the same write transaction that checked
for overlaps. On SQLite the transaction is IMMEDIATE (the write lock is taken at BEGIN), so writers
run one after the other and the check holds. On PostgreSQL the exclusion constraint
`openlab_item_no_overlap` refuses the second of two concurrent inserts; its IntegrityError becomes a
ValidationError naming the taken resource and offering the next free slots. Audit events are
recorded after the inserts, so a transaction never waits for a booking while holding the audit chain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Membership, OrganizationKind, User
from sangsaeng.core import audit, workflow
from sangsaeng.core.services import notify
from sangsaeng.core.uploads import JPEG, PNG, validate_upload
from sangsaeng.openlab import availability, permissions, rules
from sangsaeng.openlab.models import (
    Booking,
    BookingItem,
    BookingState,
    Closure,
    OpeningHours,
    QuotaLedger,
    Resource,
    ResourcePhoto,
    WaitlistEntry,
    WaitlistState,
)
from sangsaeng.partners.models import Partner
from sangsaeng.partners.selectors import own_partner_for_user

# The name of the PostgreSQL exclusion constraint created by migration 0002.
OVERLAP_CONSTRAINT = "openlab_item_no_overlap"
DEFAULT_NO_SHOW_GRACE_MINUTES = 30


def no_show_grace() -> dt.timedelta:
    """How long after its start an approved booking without check-in is released (settings override)."""
    minutes = getattr(settings, "OPENLAB_NO_SHOW_GRACE_MINUTES", DEFAULT_NO_SHOW_GRACE_MINUTES)
    return dt.timedelta(minutes=int(minutes))


def _booking_url(booking: Booking) -> str:
    return reverse("openlab:booking_detail", args=[booking.pk])


def _lab_deciders() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__kind=OrganizationKind.HOST,
            memberships__role__in=permissions.DECIDING_ROLES,
        ).distinct()
    )


def _partner_people_ids(partner: Partner) -> list[int]:
    return list(
        Membership.objects.filter(organization_id=partner.organization_id, is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _unique(resources: Sequence[Resource]) -> list[Resource]:
    seen: dict[int, Resource] = {}
    for resource in resources:
        seen.setdefault(resource.pk, resource)
    return list(seen.values())


def validate_request(
    *,
    partner: Partner,
    resources: Sequence[Resource],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
) -> None:
    """The rules that need no lock: one site, active resources, hours, holidays, closures and each
    resource's duration, granularity, notice and horizon. Raises ValidationError."""
    if not resources:
        raise ValidationError({"resources": [_("Choose at least one resource.")]})
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError({"start": [_("Give the time with its time zone.")]})
    if end <= start:
        raise ValidationError({"end": [_("The end must be after the start.")]})
    site_ids = {resource.zone.site_id for resource in resources}
    if len(site_ids) != 1:
        raise ValidationError({"resources": [_("All resources of a booking must be at one site.")]})
    inactive = [resource.name for resource in resources if not resource.is_active]
    if inactive:
        raise ValidationError({"resources": [_("Not bookable: %(names)s.") % {"names": ", ".join(inactive)}]})
    site_id = site_ids.pop()
    hours = rules.hours_by_weekday(OpeningHours.objects.filter(site_id=site_id))
    resource_ids = [resource.pk for resource in resources]
    closures = Closure.objects.filter(site_id=site_id, start__lt=end, end__gt=start)
    relevant = [c for c in closures if c.resource_id is None or c.resource_id in resource_ids]
    problems = rules.calendar_problems(start=start, end=end, hours=hours, closures=relevant)
    for resource in resources:
        problems += rules.resource_problems(resource=resource, start=start, end=end, now=now)
    if problems:
        raise ValidationError({"start": problems})


def _lock_quota(partner: Partner, month: dt.date) -> None:
    """Lock the partner's row for the month until the transaction ends (created on first use).

    Two first writers may race to create it: the loser's INSERT fails in its savepoint and it then
    waits for the winner's lock like any later writer.
    """
    if QuotaLedger.objects.select_for_update().filter(partner=partner, month=month).first() is not None:
        return
    try:
        with transaction.atomic():
            QuotaLedger.objects.create(partner=partner, month=month)
    except IntegrityError:
        pass  # created by a concurrent writer; the locking read below waits for it
    QuotaLedger.objects.select_for_update().get(partner=partner, month=month)


def _check_quota(
    partner: Partner, resources: Sequence[Resource], start: dt.datetime, end: dt.datetime
) -> None:
    month = rules.month_of(start)
    minutes = int((end - start).total_seconds() // 60)
    for resource in resources:
        if resource.monthly_quota_hours is None:
            continue
        used = availability.month_minutes_used(partner, resource, month)
        if used + minutes > resource.monthly_quota_hours * 60:
            left = max(resource.monthly_quota_hours * 60 - used, 0)
            raise ValidationError(
                {
                    "start": [
                        _(
                            "Monthly quota reached for %(name)s: %(quota)s hours per partner, "
                            "%(left)s minutes left this month."
                        )
                        % {"name": resource.name, "quota": resource.monthly_quota_hours, "left": left}
                    ]
                }
            )


def _next_slots_text(
    partner: Partner, resources: Sequence[Resource], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> str:
    day = rules.local(start).date()
    slots = availability.find_slots(
        groups=[[resource] for resource in resources],
        duration=end - start,
        date_from=day,
        date_to=day + dt.timedelta(days=14),
        partner=partner,
        now=now,
        not_before=start,
        limit=3,
    )
    return ", ".join(
        f"{rules.local(slot.start):%Y-%m-%d %H:%M}–{rules.local(slot.end):%H:%M}" for slot in slots
    )


def conflict_error(
    partner: Partner,
    resources: Sequence[Resource],
    taken: Sequence[Resource],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
) -> ValidationError:
    """The message for a taken slot: which resource, and the next free slots for the same bundle."""
    names = ", ".join(resource.name for resource in taken) or ", ".join(r.name for r in resources)
    message = _("Already booked at this time: %(names)s.") % {"names": names}
    suggestions = _next_slots_text(partner, resources, start, end, now)
    if suggestions:
        message += " " + _("Next free slots: %(slots)s.") % {"slots": suggestions}
    return ValidationError({"start": [ValidationError(message, code="overlap")]})


def is_overlap_error(error: ValidationError) -> bool:
    """The slot was taken (the page then offers the waitlist)."""
    errors = error.error_dict.get("start", []) if hasattr(error, "error_dict") else error.error_list
    return any(item.code == "overlap" for item in errors)


def _taken(resources: Sequence[Resource], start: dt.datetime, end: dt.datetime) -> list[Resource]:
    taken_ids = set(
        BookingItem.objects.filter(
            resource__in=resources, active=True, start__lt=end, end__gt=start
        ).values_list("resource_id", flat=True)
    )
    return [resource for resource in resources if resource.pk in taken_ids]


def _insert_booking(
    *,
    partner: Partner,
    requested_by: User,
    resources: Sequence[Resource],
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    use_case: Any,
    now: dt.datetime,
) -> Booking:
    """Lock the quota row, check quota and overlaps, insert the booking and its items.

    Runs inside the caller's transaction; records no audit event (the caller does, last).
    """
    _lock_quota(partner, rules.month_of(start))
    _check_quota(partner, resources, start, end)
    taken = _taken(resources, start, end)
    if taken:
        raise conflict_error(partner, resources, taken, start, end, now)
    auto = not any(resource.needs_approval for resource in resources)
    booking = Booking(
        partner=partner,
        requested_by=requested_by,
        site_id=resources[0].zone.site_id,
        start=start,
        end=end,
        purpose=purpose,
        use_case=use_case,
        state=BookingState.APPROVED if auto else BookingState.REQUESTED,
        decided_at=now if auto else None,
    )
    booking.full_clean(exclude=["use_case", "partner", "requested_by", "site"])
    try:
        with transaction.atomic():
            booking.save(force_insert=True)
            BookingItem.objects.bulk_create(
                [BookingItem(booking=booking, resource=r, start=start, end=end) for r in resources]
            )
    except IntegrityError as error:
        if OVERLAP_CONSTRAINT not in str(error):
            raise
        booking.pk = None
        raise conflict_error(partner, resources, _taken(resources, start, end), start, end, now) from error
    return booking


def book(
    *,
    actor: User,
    resources: Sequence[Resource],
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    use_case: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a bundle of resources for the actor's partner, all or nothing.

    Approved partners' people only (PermissionDenied). ValidationError for the rules (see
    validate_request), a use case of another partner, the monthly quota, or a taken resource (with
    the next free slots). Auto-approved when no resource needs approval; otherwise the lab deciders
    are notified.
    """
    now = now or timezone.now()
    partner = own_partner_for_user(actor)
    if partner is None or not permissions.can_book(actor, partner):
        raise PermissionDenied(_("Only people of an approved partner book the Open Lab."))
    bundle = _unique(resources)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": [_("Say what the booking is for.")]})
    if use_case is not None and use_case.partner_id != partner.pk:
        raise ValidationError({"use_case": [_("This use case belongs to another partner.")]})
    with transaction.atomic():
        validate_request(partner=partner, resources=bundle, start=start, end=end, now=now)
        booking = _insert_booking(
            partner=partner,
            requested_by=actor,
            resources=bundle,
            start=start,
            end=end,
            purpose=purpose,
            use_case=use_case,
            now=now,
        )
        audit.record(
            actor=actor,
            action="openlab.book",
            target=booking,
            changes={
                "state": [None, booking.state],
                "start": [None, start],
                "end": [None, end],
                "resources": [None, [r.pk for r in bundle]],
                "use_case": [None, use_case.pk if use_case is not None else None],
            },
            partner_organization_id=partner.organization_id,
        )
        if booking.state == BookingState.REQUESTED:
            notify(
                recipients=_lab_deciders(),
                title=_("Open Lab booking request from %(partner)s") % {"partner": partner.name_ko},
                body=f"{rules.local(start):%Y-%m-%d %H:%M}–{rules.local(end):%H:%M} · "
                + ", ".join(r.name for r in bundle),
                url=_booking_url(booking),
            )
    return booking


def _locked(booking: Booking) -> Booking:
    """Re-read the booking under a row lock, so two decisions on it run one after the other."""
    return Booking.objects.select_for_update().select_related("partner").get(pk=booking.pk)


def _change_state(
    *,
    actor: User | None,
    booking: Booking,
    to_state: str,
    action: str,
    changes: dict[str, Any],
    release: bool = False,
    reason: str = "",
) -> Booking:
    """Apply a transition (core.workflow: guarded write and audit), release the items if asked and
    promote waitlisted requests."""
    workflow.transition(
        booking,
        to_state,
        actor=actor,
        reason=reason,
        action=action,
        updates=changes,
        partner_organization_id=booking.partner.organization_id,
    )
    promoted: list[WaitlistEntry] = []
    if release:
        booking.items.update(active=False)
        promoted = _promote_waitlist(booking)
    for entry in promoted:
        _audit_promotion(entry)
    return booking


def approve_booking(*, actor: User, booking: Booking) -> Booking:
    """A lab operator or programme manager approves a requested booking (PermissionDenied otherwise)."""
    if not permissions.can_decide_booking(actor, booking):
        raise PermissionDenied(_("Only lab operators and programme managers decide on bookings."))
    with transaction.atomic():
        booking = _locked(booking)
        workflow.check_transition(booking, BookingState.APPROVED)
        _change_state(
            actor=actor,
            booking=booking,
            to_state=BookingState.APPROVED,
            action="openlab.approve_booking",
            changes={"decided_by": actor, "decided_at": timezone.now()},
        )
        notify(
            recipients=[booking.requested_by],
            title=_("Your Open Lab booking #%(id)s is approved") % {"id": booking.pk},
            url=_booking_url(booking),
        )
    return booking


def reject_booking(*, actor: User, booking: Booking, reason: str) -> Booking:
    """Reject a requested booking with a reason the partner sees; frees the resources."""
    if not permissions.can_decide_booking(actor, booking):
        raise PermissionDenied(_("Only lab operators and programme managers decide on bookings."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the partner a reason.")]})
    with transaction.atomic():
        booking = _locked(booking)
        workflow.check_transition(booking, BookingState.REJECTED)
        _change_state(
            actor=actor,
            booking=booking,
            to_state=BookingState.REJECTED,
            action="openlab.reject_booking",
            changes={"decided_by": actor, "decided_at": timezone.now(), "decision_reason": reason},
            release=True,
            reason=reason,
        )
        notify(
            recipients=[booking.requested_by],
            title=_("Your Open Lab booking #%(id)s was not approved") % {"id": booking.pk},
            body=reason,
            url=_booking_url(booking),
        )
    return booking


def cancel_booking(*, actor: User, booking: Booking, reason: str = "") -> Booking:
    """The booker (or the partner's owner) cancels before the start; the waitlist moves up."""
    if not permissions.can_cancel_booking(actor, booking):
        raise PermissionDenied(_("Only the person who booked or the partner's owner cancels a booking."))
    with transaction.atomic():
        booking = _locked(booking)
        workflow.check_transition(booking, BookingState.CANCELLED)
        if booking.start <= timezone.now():
            raise ValidationError({"state": [_("A booking that has started cannot be cancelled.")]})
        _change_state(
            actor=actor,
            booking=booking,
            to_state=BookingState.CANCELLED,
            action="openlab.cancel_booking",
            changes={"cancelled_at": timezone.now(), "decision_reason": reason.strip()},
            release=True,
        )
    return booking


def _append_notes(booking: Booking, label: str, notes: str) -> str:
    notes = (notes or "").strip()
    if not notes:
        return booking.condition_notes
    line = f"{label}: {notes}"
    return f"{booking.condition_notes}\n{line}".strip()


def check_in(*, actor: User, booking: Booking, notes: str = "", now: dt.datetime | None = None) -> Booking:
    """The lab operator checks the partner in (equipment is handed out: condition notes).

    Allowed from one hour before the start until the end of an approved booking.
    """
    if not permissions.can_operate_booking(actor, booking):
        raise PermissionDenied(_("Only lab operators check people in."))
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        workflow.check_transition(booking, BookingState.CHECKED_IN)
        if not (booking.start - dt.timedelta(hours=1) <= now < booking.end):
            raise ValidationError({"state": [_("Check-in opens one hour before the start.")]})
        _change_state(
            actor=actor,
            booking=booking,
            to_state=BookingState.CHECKED_IN,
            action="openlab.check_in",
            changes={"checked_in_at": now, "condition_notes": _append_notes(booking, "out", notes)},
        )
    return booking


def complete_booking(
    *, actor: User, booking: Booking, notes: str = "", now: dt.datetime | None = None
) -> Booking:
    """The lab operator checks the partner out (equipment returned: condition notes)."""
    if not permissions.can_operate_booking(actor, booking):
        raise PermissionDenied(_("Only lab operators check people out."))
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        workflow.check_transition(booking, BookingState.COMPLETED)
        _change_state(
            actor=actor,
            booking=booking,
            to_state=BookingState.COMPLETED,
            action="openlab.complete_booking",
            changes={"completed_at": now, "condition_notes": _append_notes(booking, "return", notes)},
        )
    return booking


def _mark_no_show(actor: User | None, booking: Booking, now: dt.datetime) -> Booking:
    workflow.check_transition(booking, BookingState.NO_SHOW)
    if now < booking.start + no_show_grace():
        raise ValidationError({"state": [_("A no-show can be recorded only after the grace period.")]})
    _change_state(
        actor=actor,
        booking=booking,
        to_state=BookingState.NO_SHOW,
        action="openlab.no_show",
        changes={},
        release=True,
    )
    notify(
        recipients=[booking.requested_by],
        title=_("Open Lab booking #%(id)s was released as a no-show") % {"id": booking.pk},
        url=_booking_url(booking),
    )
    return booking


def mark_no_show(*, actor: User, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """The lab operator records a no-show after the grace period; the resources are released."""
    if not permissions.can_operate_booking(actor, booking):
        raise PermissionDenied(_("Only lab operators record no-shows."))
    with transaction.atomic():
        return _mark_no_show(actor, _locked(booking), now or timezone.now())


def release_no_shows(*, now: dt.datetime | None = None) -> int:
    """Release approved bookings nobody checked in to within the grace period (system action).

    Each booking in its own transaction, so one failure does not hold back the others.
    """
    now = now or timezone.now()
    due = Booking.objects.filter(
        state=BookingState.APPROVED, start__lte=now - no_show_grace(), end__gt=now - dt.timedelta(days=7)
    ).values_list("pk", flat=True)
    released = 0
    for pk in list(due):
        with transaction.atomic():
            booking = Booking.objects.select_for_update().select_related("partner", "requested_by").get(pk=pk)
            if booking.state != BookingState.APPROVED:
                continue
            _mark_no_show(None, booking, now)
            released += 1
    return released


# --- Resource photos ---------------------------------------------------------------------------------
def add_resource_photo(
    *, actor: User, resource: Resource, upload: UploadedFile, caption: str = ""
) -> ResourcePhoto:
    """Host administrators and lab operators add a PNG or JPEG photo (checked by type, size, content)."""
    if not permissions.can_manage_resources(actor):
        raise PermissionDenied(_("Only host administrators and lab operators maintain resources."))
    try:
        kind = validate_upload(upload, allowed=(PNG, JPEG), max_bytes=settings.MAX_DOCUMENT_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    with transaction.atomic():
        photo = ResourcePhoto(
            resource=resource,
            content_type=kind.content_type,
            caption=caption.strip()[:200],
            uploaded_by=actor,
        )
        photo.file.save(f"{uuid.uuid4().hex}{kind.extensions[0]}", upload, save=False)
        photo.save()
        audit.record(
            actor=actor,
            action="openlab.add_resource_photo",
            target=photo,
            changes={"resource": [None, resource.pk], "caption": [None, photo.caption]},
        )
    return photo


# --- Waitlist (대기자) --------------------------------------------------------------------------------
def join_waitlist(
    *,
    actor: User,
    resources: Sequence[Resource],
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    now: dt.datetime | None = None,
) -> WaitlistEntry:
    """Wait for a taken slot; when it frees up, the first waiting request that fits is booked.

    The same rules as a booking apply (ValidationError); a slot that is free is booked directly instead.
    """
    now = now or timezone.now()
    partner = own_partner_for_user(actor)
    if partner is None or not permissions.can_book(actor, partner):
        raise PermissionDenied(_("Only people of an approved partner book the Open Lab."))
    bundle = _unique(resources)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": [_("Say what the booking is for.")]})
    with transaction.atomic():
        validate_request(partner=partner, resources=bundle, start=start, end=end, now=now)
        if not _taken(bundle, start, end):
            raise ValidationError({"start": [_("This slot is free: book it instead of waiting.")]})
        if WaitlistEntry.objects.filter(
            partner=partner, state=WaitlistState.WAITING, start=start, end=end, resources__in=bundle
        ).exists():
            raise ValidationError({"start": [_("Your company is already waiting for this slot.")]})
        entry = WaitlistEntry.objects.create(
            partner=partner, requested_by=actor, start=start, end=end, purpose=purpose
        )
        entry.resources.set(bundle)
        audit.record(
            actor=actor,
            action="openlab.join_waitlist",
            target=entry,
            changes={"start": [None, start], "end": [None, end], "resources": [None, [r.pk for r in bundle]]},
            partner_organization_id=partner.organization_id,
        )
    return entry


def leave_waitlist(*, actor: User, entry: WaitlistEntry) -> WaitlistEntry:
    """The partner's people withdraw a waiting request."""
    if not (permissions.is_partner_person(actor) and entry.partner.organization_id == _org_id(actor)):
        raise PermissionDenied(_("Only the partner's people withdraw its waitlist requests."))
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().select_related("partner").get(pk=entry.pk)
        workflow.transition(
            entry,
            WaitlistState.WITHDRAWN,
            actor=actor,
            action="openlab.leave_waitlist",
            partner_organization_id=entry.partner.organization_id,
        )
    return entry


def _org_id(user: User) -> int | None:
    from sangsaeng.accounts.selectors import organization_id_of

    return organization_id_of(user)


def _promote_waitlist(freed: Booking) -> list[WaitlistEntry]:
    """Book the waiting requests that overlap the freed range, oldest first, where they now fit.

    Each attempt runs in a savepoint: one that still does not fit (taken, quota, rules) stays waiting.
    """
    now = timezone.now()
    resource_ids = list(freed.items.values_list("resource_id", flat=True))
    waiting = (
        WaitlistEntry.objects.filter(
            state=WaitlistState.WAITING,
            resources__in=resource_ids,
            start__lt=freed.end,
            end__gt=freed.start,
        )
        .select_related("partner", "requested_by")
        .prefetch_related("resources__zone")
        .distinct()
        .order_by("created_at", "pk")
    )
    promoted: list[WaitlistEntry] = []
    for entry in waiting:
        bundle = list(entry.resources.all())
        try:
            with transaction.atomic():
                validate_request(
                    partner=entry.partner, resources=bundle, start=entry.start, end=entry.end, now=now
                )
                booking = _insert_booking(
                    partner=entry.partner,
                    requested_by=entry.requested_by,
                    resources=bundle,
                    start=entry.start,
                    end=entry.end,
                    purpose=entry.purpose,
                    use_case=None,
                    now=now,
                )
        except ValidationError:
            continue
        workflow.transition(
            entry,
            WaitlistState.PROMOTED,
            actor=None,
            action="openlab.waitlist_promoted",
            updates={"booking": booking},
            partner_organization_id=entry.partner.organization_id,
        )
        promoted.append(entry)
    return promoted


def _audit_promotion(entry: WaitlistEntry) -> None:
    booking = entry.booking
    assert booking is not None  # set by _promote_waitlist
    audit.record(
        actor=None,
        action="openlab.promote_waitlist",
        target=booking,
        changes={"state": [None, booking.state], "waitlist_entry": [None, entry.pk]},
        partner_organization_id=entry.partner.organization_id,
    )
    notify(
        recipients=[entry.requested_by],
        title=_("A slot you waited for is now booked for you (#%(id)s)") % {"id": booking.pk},
        body=f"{rules.local(booking.start):%Y-%m-%d %H:%M}–{rules.local(booking.end):%H:%M}",
        url=_booking_url(booking),
    )
