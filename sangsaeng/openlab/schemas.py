"""API shapes of the Open Lab: separate input (…In) and output (…Out) schemas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import BaseModel

from sangsaeng.core import workflow
from sangsaeng.core.schemas import Count, Date, DateTime, Id, PatchIn
from sangsaeng.openlab.models import Booking, WaitlistEntry


class LabSiteOut(Schema):
    id: int
    code: str
    name: str
    address: str


class LabResourceOut(Schema):
    id: int
    name: str
    kind: str
    site_id: int
    site_name: str
    zone: str
    capacity: int
    features: list[str]
    min_duration_minutes: int
    max_duration_minutes: int
    slot_minutes: int
    advance_notice_hours: int
    horizon_days: int
    needs_approval: bool
    monthly_quota_hours: int | None
    zone_id: int
    description: str
    is_active: bool


class LabResourceFilterIn(Schema):
    kind: str = ""
    site: Id | None = None
    limit: Annotated[Count, Field(ge=1, le=200)] = 50
    offset: Count = 0


class LabResourcePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[LabResourceOut]


class LabAvailabilityIn(Schema):
    kinds: list[str] = Field(default_factory=list, max_length=10)
    resources: list[Id] = Field(default_factory=list, max_length=10)
    minutes: Annotated[Count, Field(ge=5, le=24 * 60)]
    date_from: Date
    date_to: Date
    site: Id | None = None
    limit: Annotated[Count, Field(ge=1, le=100)] = 20


class LabSlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    site_id: int
    site_name: str
    resource_ids: list[int]


class BookingIn(Schema):
    resources: list[Id] = Field(..., min_length=1, max_length=20)
    start: DateTime
    end: DateTime
    purpose: str = Field(..., max_length=300)
    use_case: Id | None = None


class LabWaitlistIn(Schema):
    resources: list[Id] = Field(..., min_length=1, max_length=20)
    start: DateTime
    end: DateTime
    purpose: str = Field(..., max_length=300)


class BookingReasonIn(Schema):
    reason: str = Field("", max_length=1000)


class BookingNotesIn(Schema):
    notes: str = Field("", max_length=1000)


class BookingItemOut(Schema):
    resource_id: int
    resource_name: str
    active: bool


class BookingOut(Schema):
    id: int
    partner_id: int
    partner_name: str
    site_id: int
    start: dt.datetime
    end: dt.datetime
    state: str = Field(..., description=workflow.transitions_description(Booking))
    purpose: str
    use_case_id: int | None
    decision_reason: str
    condition_notes: str
    items: list[BookingItemOut]
    created_at: dt.datetime


class BookingFilterIn(Schema):
    state: str = ""
    limit: Annotated[Count, Field(ge=1, le=200)] = 50
    offset: Count = 0


class BookingPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[BookingOut]


class LabWaitlistOut(Schema):
    id: int
    start: dt.datetime
    end: dt.datetime
    state: str = Field(..., description=workflow.transitions_description(WaitlistEntry))
    purpose: str
    resource_ids: list[int]


# A plain pydantic model, not a Ninja Schema: the week endpoints validate and write a site's hundreds
# of blocks in pydantic's core (api._blocks_response).
class LabBlockOut(BaseModel):
    """One entry of a week calendar: an own booking (label and id), another partner's busy time
    (kind "busy", no label) or a closure (kind "closed", with its reason)."""

    resource_id: int
    start: dt.datetime
    end: dt.datetime
    kind: str
    label: str
    booking_id: int | None


class LabCalendarIn(Schema):
    week: Date | None = None


class LabReportIn(Schema):
    date_from: Date
    date_to: Date


class LabUtilisationOut(Schema):
    resource_id: int
    resource_name: str
    site_name: str
    booked_hours: float
    used_hours: float
    bookings: int
    no_shows: int
    no_show_rate: float


class LabPartnerUtilisationOut(Schema):
    partner_id: int
    partner_name: str
    bookings: int
    no_shows: int


# --- Maintaining the catalogue ----------------------------------------------------------------------
class LabSiteIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=100)
    address: str = Field("", max_length=300)
    is_active: bool = True


class LabSitePatchIn(PatchIn):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=300)
    is_active: bool | None = None


class LabManagedSiteOut(Schema):
    id: int
    code: str
    name: str
    address: str
    is_active: bool


class LabHoursDayIn(Schema):
    weekday: Annotated[Count, Field(ge=0, le=6)]
    opens: dt.time
    closes: dt.time


class LabHoursIn(Schema):
    """The whole week: a weekday not listed is closed."""

    days: list[LabHoursDayIn] = Field(default_factory=list, max_length=7)


class LabHoursDayOut(Schema):
    weekday: int
    opens: dt.time
    closes: dt.time


class LabZoneIn(Schema):
    site: Id
    kind: str
    name: str = Field(..., max_length=100)


class LabZonePatchIn(PatchIn):
    kind: str | None = None
    name: str | None = Field(None, max_length=100)


class LabZoneOut(Schema):
    id: int
    site_id: int
    kind: str
    name: str


class LabResourceIn(Schema):
    zone: Id
    kind: str
    name: str = Field(..., max_length=100)
    description: str = ""
    capacity: Count = 1
    features: list[str] = Field(default_factory=list)
    is_active: bool = True
    min_duration_minutes: Count = 60
    max_duration_minutes: Count = 480
    slot_minutes: Count = 30
    advance_notice_hours: Count = 24
    horizon_days: Count = 90
    needs_approval: bool = True
    monthly_quota_hours: Count | None = None


class LabResourcePatchIn(PatchIn):
    """Only the fields sent change (monthly_quota_hours: send null to remove the quota)."""

    nullable = frozenset({"monthly_quota_hours"})

    zone: Id | None = None
    kind: str | None = None
    name: str | None = Field(None, max_length=100)
    description: str | None = None
    capacity: Count | None = None
    features: list[str] | None = None
    is_active: bool | None = None
    min_duration_minutes: Count | None = None
    max_duration_minutes: Count | None = None
    slot_minutes: Count | None = None
    advance_notice_hours: Count | None = None
    horizon_days: Count | None = None
    needs_approval: bool | None = None
    monthly_quota_hours: Count | None = None


class LabClosureIn(Schema):
    site: Id
    resource: Id | None = None
    start: DateTime
    end: DateTime
    reason: str = Field(..., max_length=200)


class LabClosureOut(Schema):
    id: int
    site_id: int
    resource_id: int | None
    start: dt.datetime
    end: dt.datetime
    reason: str
