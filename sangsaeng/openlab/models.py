"""The 5G Open Lab (오픈랩): sites, zones, bookable resources with their rules, closures and bookings.

A booking (예약) holds one or more resources for one time range (a "bundle"), all or nothing: each
resource is a BookingItem carrying a copy of the range and an `active` flag. Active items of one
resource never overlap: on PostgreSQL an exclusion constraint (migration 0002) guarantees it, on
SQLite the booking service checks and inserts inside one IMMEDIATE (write-locked) transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangsaeng.partners.models import Partner


class ZoneKind(models.TextChoices):
    INFRA = "infra", _("Infra")
    MEDIA = "media", _("Media")
    SMART_X = "smart_x", _("Smart-X")
    SHOWROOM = "showroom", _("Showroom")


class ResourceKind(models.TextChoices):
    PROJECT_ROOM = "project_room", _("Project room")
    TEST_ROOM = "test_room", _("Test room")
    SHIELDED_ROOM = "shielded_room", _("RF-shielded room")
    TESTBED = "testbed", _("5G testbed / base station")
    MEC_SERVER = "mec_server", _("MEC server")
    LOAN_DEVICE = "loan_device", _("Loan device")
    INSTRUMENT = "instrument", _("Measuring instrument")


class Site(models.Model):
    """A lab location (e.g. 우면 R&D centre, 판교). Times are Asia/Seoul."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """When a site is open on one weekday (0 = Monday). A weekday without a row is closed."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["site", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["site", "weekday"], name="openlab_hours_one_per_weekday"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="openlab_hours_weekday_0_6"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="openlab_hours_order"),
        ]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.site} {self.weekday}: {self.opens:%H:%M}–{self.closes:%H:%M}"


class Zone(models.Model):
    """A part of a site (Infra, Media, Smart-X, showroom)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="zones")
    kind = models.CharField(_("kind"), max_length=16, choices=ZoneKind.choices)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["site", "name", "pk"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self) -> str:
        return f"{self.site} · {self.name}"


class Resource(models.Model):
    """A bookable room, testbed, server, device or instrument, with its booking rules."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), default=1)
    features = models.CharField(_("features"), max_length=500, blank=True, help_text=_("Comma-separated"))
    is_active = models.BooleanField(_("active"), default=True)
    # Booking rules (예약 규칙)
    min_duration_minutes = models.PositiveIntegerField(_("minimum duration (minutes)"), default=60)
    max_duration_minutes = models.PositiveIntegerField(_("maximum duration (minutes)"), default=480)
    slot_minutes = models.PositiveIntegerField(_("slot granularity (minutes)"), default=30)
    advance_notice_hours = models.PositiveIntegerField(_("advance notice (hours)"), default=24)
    horizon_days = models.PositiveIntegerField(_("booking horizon (days)"), default=90)
    needs_approval = models.BooleanField(_("needs approval"), default=True)
    monthly_quota_hours = models.PositiveIntegerField(
        _("monthly quota per partner (hours)"),
        null=True,
        blank=True,
        help_text=_("Empty: no quota"),
    )

    class Meta:
        ordering = ["zone__site__name", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="openlab_resource_slot_min"),
            models.CheckConstraint(
                condition=Q(max_duration_minutes__gte=models.F("min_duration_minutes")),
                name="openlab_resource_duration_order",
            ),
        ]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.name

    @property
    def feature_list(self) -> list[str]:
        return [item.strip() for item in self.features.split(",") if item.strip()]


class ResourcePhoto(models.Model):
    """A photo of a resource (PNG or JPEG), served only to signed-in members through a view."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="openlab/resources/%Y/")
    content_type = models.CharField(max_length=40)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("resource photo")
        verbose_name_plural = _("resource photos")

    def __str__(self) -> str:
        return self.caption or f"photo #{self.pk}"


class Closure(models.Model):
    """A maintenance window: the whole site, or one resource when `resource` is set.

    Korean public holidays are not stored: they come from the holidays package.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures")
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.CASCADE, related_name="closures"
    )
    start = models.DateTimeField(pgettext_lazy("time range", "from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="openlab_closure_order")
        ]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"{self.site}: {self.reason}"


class BookingState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("booking state", "Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# States whose items hold their resources (the overlap guard applies to them).
HOLDING_STATES = (
    BookingState.REQUESTED,
    BookingState.APPROVED,
    BookingState.CHECKED_IN,
    BookingState.COMPLETED,
)


class Booking(models.Model):
    """A partner's booking of a bundle of resources for one time range."""

    STATE_FIELD: ClassVar[str] = "state"  # the field core.workflow moves
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        BookingState.REQUESTED: (BookingState.APPROVED, BookingState.REJECTED, BookingState.CANCELLED),
        BookingState.APPROVED: (BookingState.CHECKED_IN, BookingState.CANCELLED, BookingState.NO_SHOW),
        BookingState.CHECKED_IN: (BookingState.COMPLETED,),
        BookingState.REJECTED: (),
        BookingState.COMPLETED: (),
        BookingState.CANCELLED: (),
        BookingState.NO_SHOW: (),
    }
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset({BookingState.REJECTED})

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="lab_bookings")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lab_bookings"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField(pgettext_lazy("time range", "from"))
    end = models.DateTimeField(_("until"))
    state = models.CharField(
        _("state"), max_length=16, choices=BookingState.choices, default=BookingState.REQUESTED
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    use_case = models.ForeignKey(
        "usecases.UseCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lab_bookings",
        verbose_name=_("use case"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    condition_notes = models.TextField(_("condition notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="openlab_booking_order")
        ]
        indexes = [
            models.Index(fields=["partner", "start"], name="openlab_booking_partner"),
            models.Index(fields=["state", "start"], name="openlab_booking_state"),
            # The host's list of every booking, newest first (100,000 rows at bench scale).
            models.Index(fields=["-start", "-id"], name="openlab_booking_newest"),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"#{self.pk} {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def is_holding(self) -> bool:
        return self.state in HOLDING_STATES


class BookingItem(models.Model):
    """One resource of a booking. `active` is False once the booking no longer holds it."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="booking_items")
    start = models.DateTimeField()
    end = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["resource__name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="openlab_item_order"),
            models.UniqueConstraint(fields=["booking", "resource"], name="openlab_item_once_per_booking"),
        ]
        indexes = [
            models.Index(fields=["resource", "start", "end"], name="openlab_item_resource_time"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} in booking #{self.booking_id}"


class QuotaLedger(models.Model):
    """One row per partner and month, locked while a booking counts that partner's monthly hours.

    Two bookings of one partner in one month therefore count one after the other (no lost update).
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "month"], name="openlab_quota_partner_month"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.month:%Y-%m}"


class WaitlistState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PROMOTED = "promoted", _("Promoted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WaitlistEntry(models.Model):
    """A partner waiting for a taken slot; promoted to a booking (first come, first served) when freed."""

    STATE_FIELD: ClassVar[str] = "state"
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        WaitlistState.WAITING: (WaitlistState.PROMOTED, WaitlistState.WITHDRAWN),
        WaitlistState.PROMOTED: (),
        WaitlistState.WITHDRAWN: (),
    }

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="lab_waitlist")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resources = models.ManyToManyField(Resource, related_name="waitlist_entries")
    start = models.DateTimeField(pgettext_lazy("time range", "from"))
    end = models.DateTimeField(_("until"))
    purpose = models.CharField(_("purpose"), max_length=300)
    state = models.CharField(max_length=12, choices=WaitlistState.choices, default=WaitlistState.WAITING)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "start"], name="openlab_waitlist_state")]
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")

    def __str__(self) -> str:
        return f"waitlist #{self.pk}"
