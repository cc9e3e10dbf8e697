"""Booking rules, the state machine, permissions, audit, waitlist promotion and no-show release."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sangsaeng.core.models import AuditEvent, Notification
from sangsaeng.openlab import services
from sangsaeng.openlab.models import Booking, BookingItem, BookingState, Closure, WaitlistEntry, WaitlistState
from sangsaeng.openlab.tests.factories import at, make_resource, next_weekday
from sangsaeng.partners.models import PartnerStatus

pytestmark = pytest.mark.django_db


def _book(user, resources, start, hours=2, **kwargs):
    return services.book(
        actor=user,
        resources=resources,
        start=start,
        end=start + dt.timedelta(hours=hours),
        purpose="PoC",
        **kwargs,
    )


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_bundle_is_booked_all_together_and_audited(cast, lab):
    day = next_weekday()
    events = AuditEvent.objects.count()

    booking = _book(cast.partner_owner, [lab.room, lab.station, lab.device], at(day, 10))

    assert booking.state == BookingState.REQUESTED  # the room needs approval
    assert sorted(booking.items.values_list("resource_id", flat=True)) == sorted(
        [lab.room.pk, lab.station.pk, lab.device.pk]
    )
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("seq").action == "openlab.book"
    assert Notification.objects.filter(recipient=cast.lab_operator).exists()


def test_resources_without_approval_are_approved_at_once(cast, lab):
    booking = _book(cast.partner_owner, [lab.station], at(next_weekday(), 10))
    assert booking.state == BookingState.APPROVED


def test_an_overlapping_booking_is_refused_with_the_resource_and_next_free_slots(cast, lab):
    day = next_weekday()
    _book(cast.partner_owner, [lab.room, lab.station], at(day, 10))
    bookings = Booking.objects.count()

    with pytest.raises(ValidationError) as caught:
        _book(cast.other_partner_owner, [lab.station, lab.device], at(day, 11))

    text = _messages(caught.value)
    assert lab.station.name in text and lab.device.name not in text.split("Next free")[0]
    assert f"{day:%Y-%m-%d} 12:00" in text  # the first slot after the taken one
    assert services.is_overlap_error(caught.value)
    assert Booking.objects.count() == bookings


def test_back_to_back_bookings_do_not_overlap(cast, lab):
    day = next_weekday()
    _book(cast.partner_owner, [lab.room], at(day, 10))
    assert _book(cast.other_partner_owner, [lab.room], at(day, 12)).pk


@pytest.mark.parametrize(
    ("start_hour", "hours", "fragment"),
    [(8, 2, "open from 09:00 to 18:00"), (17, 2, "open from 09:00 to 18:00")],
)
def test_bookings_outside_opening_hours_are_refused(cast, lab, start_hour, hours, fragment):
    with pytest.raises(ValidationError) as caught:
        _book(cast.partner_owner, [lab.room], at(next_weekday(), start_hour), hours=hours)
    assert fragment in _messages(caught.value)
    assert not Booking.objects.exists()


def test_weekends_without_hours_are_closed(cast, lab):
    with pytest.raises(ValidationError) as caught:
        _book(cast.partner_owner, [lab.room], at(next_weekday(5), 10))
    assert "closed on this weekday" in _messages(caught.value)


def test_korean_public_holidays_are_closed(cast, lab):
    # 2027-03-01 (삼일절) is a Monday; book it within the horizon by stretching the horizon.
    lab.room.horizon_days = 3650
    lab.room.save()
    with pytest.raises(ValidationError) as caught:
        _book(cast.partner_owner, [lab.room], at(dt.date(2027, 3, 1), 10))
    assert "public holidays" in _messages(caught.value)


def test_maintenance_closures_are_closed(cast, lab):
    day = next_weekday()
    Closure.objects.create(
        site=lab.site, resource=lab.room, start=at(day, 9), end=at(day, 13), reason="Calibration"
    )
    with pytest.raises(ValidationError) as caught:
        _book(cast.partner_owner, [lab.room], at(day, 12))
    assert "Calibration" in _messages(caught.value)
    assert _book(cast.partner_owner, [lab.station], at(day, 12)).pk  # only the room is closed


def test_advance_notice_horizon_duration_and_granularity_are_enforced(cast, lab):
    soon = timezone.localtime() + dt.timedelta(hours=2)
    cases = [
        (soon.replace(minute=0, second=0, microsecond=0), 1, "in advance"),
        (at(next_weekday(weeks_ahead=20), 10), 1, "days ahead"),
        (at(next_weekday(), 10), 9, "minutes at a time"),
        (at(next_weekday(), 10, 15), 1, "steps of 30 minutes"),
    ]
    for start, hours, fragment in cases:
        with pytest.raises(ValidationError) as caught:
            _book(cast.partner_owner, [lab.room], start, hours=hours)
        assert fragment in _messages(caught.value), (start, fragment)
    assert not Booking.objects.exists()


def test_the_monthly_quota_counts_the_partners_hours(cast, lab):
    lab.room.monthly_quota_hours = 5
    lab.room.save()
    first = next_weekday()
    second = first + dt.timedelta(days=1) if first.day < 27 else first
    _book(cast.partner_owner, [lab.room], at(first, 9), hours=4)

    with pytest.raises(ValidationError) as caught:
        _book(cast.partner_member, [lab.room], at(second, 14), hours=2)
    assert "Monthly quota" in _messages(caught.value)
    # Another partner has its own share.
    assert _book(cast.other_partner_owner, [lab.room], at(second, 14), hours=2).pk


def test_a_bundle_spans_one_site(cast, lab):
    elsewhere = make_resource(kind="testbed")
    with pytest.raises(ValidationError):
        _book(cast.partner_owner, [lab.room, elsewhere], at(next_weekday(), 10))


@pytest.mark.parametrize("who", ["lab_operator", "host_admin", "auditor", "loan_officer", "observer"])
def test_only_approved_partner_people_book(cast, lab, who):
    with pytest.raises(PermissionDenied):
        _book(getattr(cast, who), [lab.room], at(next_weekday(), 10))
    assert not Booking.objects.exists()


def test_a_partner_under_review_cannot_book(cast, lab):
    cast.partner.status = PartnerStatus.SUSPENDED
    cast.partner.save()
    with pytest.raises(PermissionDenied):
        _book(cast.partner_owner, [lab.room], at(next_weekday(), 10))


def test_a_use_case_of_another_partner_is_refused(cast, lab):
    from sangsaeng.usecases.tests.factories import make_use_case

    foreign = make_use_case(cast.other_partner, cast.other_partner_owner)
    with pytest.raises(ValidationError) as caught:
        _book(cast.partner_owner, [lab.room], at(next_weekday(), 10), use_case=foreign)
    assert "use_case" in caught.value.error_dict
    assert not Booking.objects.exists()


def test_a_poc_booking_links_the_partners_own_use_case(cast, lab):
    from sangsaeng.usecases.tests.factories import make_use_case

    own = make_use_case(cast.partner, cast.partner_owner)
    booking = _book(cast.partner_member, [lab.room], at(next_weekday(), 10), use_case=own)
    assert booking.use_case == own
    assert own.lab_bookings.get() == booking


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lab_operator", True),
        ("program_manager", True),
        ("host_admin", False),
        ("auditor", False),
        ("partner_owner", False),
    ],
)
def test_approval_permission_matrix(cast, lab, who, allowed):
    booking = _book(cast.partner_member, [lab.room], at(next_weekday(), 10))
    events = AuditEvent.objects.count()
    if allowed:
        services.approve_booking(actor=getattr(cast, who), booking=booking)
        assert Booking.objects.get(pk=booking.pk).state == BookingState.APPROVED
        assert AuditEvent.objects.count() == events + 1
    else:
        with pytest.raises(PermissionDenied):
            services.approve_booking(actor=getattr(cast, who), booking=booking)
        assert Booking.objects.get(pk=booking.pk).state == BookingState.REQUESTED
        assert AuditEvent.objects.count() == events


def test_a_decided_booking_cannot_be_decided_again_and_nothing_changes(cast, lab):
    booking = _book(cast.partner_member, [lab.room], at(next_weekday(), 10))
    services.approve_booking(actor=cast.lab_operator, booking=booking)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.reject_booking(actor=cast.lab_operator, booking=booking, reason="중복")

    assert caught.value.code == "invalid_transition"
    assert Booking.objects.get(pk=booking.pk).state == BookingState.APPROVED
    assert AuditEvent.objects.count() == events


def test_rejecting_needs_a_reason_and_frees_the_resources(cast, lab):
    day = next_weekday()
    booking = _book(cast.partner_owner, [lab.room], at(day, 10))
    with pytest.raises(ValidationError):
        services.reject_booking(actor=cast.lab_operator, booking=booking, reason=" ")
    services.reject_booking(actor=cast.lab_operator, booking=booking, reason="Maintenance planned")
    assert not BookingItem.objects.filter(booking=booking, active=True).exists()
    assert _book(cast.other_partner_owner, [lab.room], at(day, 10)).pk


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("partner_owner", True),
        ("partner_member", True),
        ("other_partner_owner", False),
        ("lab_operator", False),
    ],
)
def test_cancel_permission_matrix(cast, lab, who, allowed):
    booking = _book(cast.partner_member, [lab.room], at(next_weekday(), 10))
    if allowed:
        services.cancel_booking(actor=getattr(cast, who), booking=booking)
        assert Booking.objects.get(pk=booking.pk).state == BookingState.CANCELLED
    else:
        events = AuditEvent.objects.count()
        with pytest.raises(PermissionDenied):
            services.cancel_booking(actor=getattr(cast, who), booking=booking)
        assert Booking.objects.get(pk=booking.pk).state == BookingState.REQUESTED
        assert AuditEvent.objects.count() == events


def test_a_member_cannot_cancel_a_colleagues_booking_but_the_owner_can(cast, lab):
    booking = _book(cast.partner_owner, [lab.room], at(next_weekday(), 10))
    with pytest.raises(PermissionDenied):
        services.cancel_booking(actor=cast.partner_member, booking=booking)


def test_check_in_and_out_with_condition_notes(cast, lab):
    booking = _book(cast.partner_owner, [lab.device], at(next_weekday(), 10))
    with pytest.raises(ValidationError):  # too early
        services.check_in(actor=cast.lab_operator, booking=booking)
    services.check_in(
        actor=cast.lab_operator, booking=booking, notes="Scratch on the back", now=booking.start
    )
    services.complete_booking(actor=cast.lab_operator, booking=booking, notes="Returned fine")
    booking.refresh_from_db()
    assert booking.state == BookingState.COMPLETED
    assert (
        "out: Scratch on the back" in booking.condition_notes
        and "return: Returned fine" in booking.condition_notes
    )
    with pytest.raises(PermissionDenied):
        services.check_in(actor=cast.program_manager, booking=booking, now=booking.start)


def test_an_illegal_transition_is_refused(cast, lab):
    booking = _book(cast.partner_owner, [lab.room], at(next_weekday(), 10))
    with pytest.raises(ValidationError):
        services.complete_booking(actor=cast.lab_operator, booking=booking)
    assert Booking.objects.get(pk=booking.pk).state == BookingState.REQUESTED


def test_waitlist_is_promoted_when_the_slot_is_cancelled(cast, lab):
    day = next_weekday()
    taken = _book(cast.partner_owner, [lab.room], at(day, 10))
    with pytest.raises(ValidationError):  # a free slot is booked, not waited for
        services.join_waitlist(
            actor=cast.other_partner_owner,
            resources=[lab.room],
            start=at(day, 14),
            end=at(day, 15),
            purpose="x",
        )
    entry = services.join_waitlist(
        actor=cast.other_partner_owner,
        resources=[lab.room],
        start=at(day, 10),
        end=at(day, 12),
        purpose="Wait",
    )

    services.cancel_booking(actor=cast.partner_owner, booking=taken)

    entry.refresh_from_db()
    assert entry.state == WaitlistState.PROMOTED
    assert entry.booking is not None and entry.booking.partner == cast.other_partner
    assert entry.booking.items.get().active
    assert Notification.objects.filter(
        recipient=cast.other_partner_owner, url__contains=str(entry.booking.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="openlab.promote_waitlist").count() == 1


def test_a_waitlisted_request_that_still_does_not_fit_keeps_waiting(cast, lab):
    day = next_weekday()
    first = _book(cast.partner_owner, [lab.room], at(day, 10))
    _book(cast.partner_member, [lab.room], at(day, 12))
    entry = services.join_waitlist(
        actor=cast.other_partner_owner,
        resources=[lab.room],
        start=at(day, 11),
        end=at(day, 13),
        purpose="Wait",
    )
    services.cancel_booking(actor=cast.partner_owner, booking=first)
    entry.refresh_from_db()
    assert entry.state == WaitlistState.WAITING
    assert WaitlistEntry.objects.count() == 1


def test_no_shows_are_released_after_the_grace_period(cast, lab, settings):
    settings.OPENLAB_NO_SHOW_GRACE_MINUTES = 15
    booking = _book(cast.partner_owner, [lab.station], at(next_weekday(), 10))
    assert services.release_no_shows(now=booking.start + dt.timedelta(minutes=10)) == 0
    assert services.release_no_shows(now=booking.start + dt.timedelta(minutes=16)) == 1
    booking.refresh_from_db()
    assert booking.state == BookingState.NO_SHOW
    assert not booking.items.filter(active=True).exists()
    assert AuditEvent.objects.filter(action="openlab.no_show", actor__isnull=True).count() == 1


def test_the_no_show_task_runs_the_release(cast, lab):
    from sangsaeng.openlab.tasks import release_no_shows

    result = release_no_shows.enqueue()
    assert result.return_value == 0


def test_a_booking_cannot_run_past_midnight(cast, lab):
    with pytest.raises(ValidationError) as caught:
        _book(cast.partner_owner, [lab.room], at(next_weekday(), 17), hours=8)
    assert "same day" in _messages(caught.value)


def test_a_partner_waits_for_one_slot_once(cast, lab):
    day = next_weekday()
    _book(cast.partner_owner, [lab.room], at(day, 10))
    services.join_waitlist(
        actor=cast.other_partner_owner, resources=[lab.room], start=at(day, 10), end=at(day, 12), purpose="w"
    )
    with pytest.raises(ValidationError):
        services.join_waitlist(
            actor=cast.other_partner_owner,
            resources=[lab.room],
            start=at(day, 10),
            end=at(day, 12),
            purpose="w",
        )
    assert WaitlistEntry.objects.count() == 1
