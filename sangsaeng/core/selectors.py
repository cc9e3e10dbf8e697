"""Reads of the shared kernel, scoped to the acting user.

The audit trail and the personal-data access log are read by a few roles only (core.permissions);
anyone else inside the platform gets 403 on lists, and a partner's user gets 404 on a single event
(an event is not an object of theirs). Notifications and jobs are private to their person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Organization, OrganizationKind
from sangsaeng.accounts.selectors import kind_of
from sangsaeng.core.models import AuditEvent, Job, Notification, PersonalDataAccess
from sangsaeng.core.permissions import can_view_audit_trail, can_view_personal_data_log


# --- Notifications and jobs ------------------------------------------------------------------------
def unread_notification_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for_user(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody reads another person's."""
    queryset = Notification.objects.filter(recipient=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def get_job_for_user(user: Any, job_id: Any) -> Job:
    """A job is visible only to the person who started it; anything else is a 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    job = Job.objects.filter(pk=job_id, owner=user).first()
    if job is None:
        raise Http404
    return job


# --- Shared filter helpers --------------------------------------------------------------------------
def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of a calendar day in the site's time zone (Asia/Seoul), as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _created_between(field: str, date_from: dt.date | None, date_to: dt.date | None) -> Q:
    """Both ends inclusive, in whole Seoul days."""
    condition = Q()
    if date_from is not None:
        condition &= Q(**{f"{field}__gte": _day_start(date_from)})
    if date_to is not None:
        condition &= Q(**{f"{field}__lt": _day_start(date_to + dt.timedelta(days=1))})
    return condition


def _organization_condition(field: str, value: str) -> Q:
    """An organisation given by its id, or by part of its Korean or English name."""
    value = value.strip()
    if not value:
        return Q()
    if value.isdigit():
        return Q(**{field: int(value)})
    matching = Organization.objects.filter(Q(name__icontains=value) | Q(name_en__icontains=value)).values(
        "pk"
    )
    return Q(**{f"{field}__in": matching})


# --- Audit trail ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditEventFilter:
    """What the audit page, its export and the API filter by (all optional, combined with AND).

    `action` is exact, or a prefix when it ends with "*" or "." ("partners.*" → every partner action);
    `actor_email` is exact when it holds "@", else a part of the address; `partner` is the partner
    organisation's id or part of its name.
    """

    action: str = ""
    object_type: str = ""
    object_id: str = ""
    actor_email: str = ""
    partner: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def is_object_timeline(self) -> bool:
        return bool(self.object_type and self.object_id)


def _audit_condition(filters: AuditEventFilter) -> Q:
    condition = Q()
    action = filters.action.strip()
    if action.endswith(("*", ".")):
        condition &= Q(action__startswith=action.rstrip("*"))
    elif action:
        condition &= Q(action=action)
    if filters.object_type.strip():
        condition &= Q(object_type=filters.object_type.strip())
    if filters.object_id.strip():
        condition &= Q(object_id=filters.object_id.strip())
    email = filters.actor_email.strip()
    if "@" in email:
        condition &= Q(actor_label__iexact=email)
    elif email:
        condition &= Q(actor_label__icontains=email)
    condition &= _organization_condition("partner_organization_id", filters.partner)
    condition &= _created_between("created_at", filters.date_from, filters.date_to)
    return condition


def _events_with_partner_name() -> QuerySet[AuditEvent]:
    # The partner's current name, looked up by primary key per row in the same query (no N+1).
    partner_name = Organization.objects.filter(pk=OuterRef("partner_organization_id")).values("name")[:1]
    return AuditEvent.objects.annotate(partner_name=Subquery(partner_name))


def audit_events_for_user(user: Any, filters: AuditEventFilter | None = None) -> QuerySet[AuditEvent]:
    """Audit events matching the filters, newest first.

    Raises PermissionDenied for anyone but host administrators, host auditors and agency observers.
    The events carry everything they show (actor label, object label), so a page is one query.
    """
    if not can_view_audit_trail(user):
        raise PermissionDenied(_("Only auditors, administrators and observers may read the audit trail."))
    queryset = _events_with_partner_name()
    if filters is not None:
        queryset = queryset.filter(_audit_condition(filters))
    return queryset.order_by("-seq")


def get_audit_event_for_user(user: Any, seq: int) -> AuditEvent:
    """One event by its sequence number.

    Raises Http404 for a partner's user (nothing in the trail is theirs to look up) and for a missing
    event; PermissionDenied for other insiders without the right.
    """
    if not can_view_audit_trail(user):
        if kind_of(user) in (OrganizationKind.HOST, OrganizationKind.BANK, OrganizationKind.AGENCY):
            raise PermissionDenied(_("Only auditors, administrators and observers may read the audit trail."))
        raise Http404
    event = _events_with_partner_name().filter(seq=seq).first()
    if event is None:
        raise Http404
    return event


# --- Personal-data access log (PIPA, 개인정보 접근기록) ---------------------------------------------
@dataclass(frozen=True)
class PersonalDataAccessFilter:
    """Filters of the access-log page and export. `actor` is an e-mail or part of one;
    `subject_organization` the organisation's id or part of its name."""

    actor: str = ""
    purpose: str = ""
    subject_organization: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def personal_data_accesses_for_user(
    user: Any, filters: PersonalDataAccessFilter | None = None
) -> QuerySet[PersonalDataAccess]:
    """Access-log entries, newest first. Raises PermissionDenied unless host administrator or auditor."""
    if not can_view_personal_data_log(user):
        raise PermissionDenied(_("Only the host's auditors and administrators may read the access log."))
    queryset = PersonalDataAccess.objects.all()
    if filters is not None:
        actor = filters.actor.strip()
        if "@" in actor:
            queryset = queryset.filter(actor_label__iexact=actor)
        elif actor:
            queryset = queryset.filter(actor_label__icontains=actor)
        if filters.purpose:
            queryset = queryset.filter(purpose=filters.purpose)
        queryset = queryset.filter(
            _organization_condition("subject_organization_id", filters.subject_organization),
            _created_between("created_at", filters.date_from, filters.date_to),
        )
    name = Organization.objects.filter(pk=OuterRef("subject_organization_id")).values("name")[:1]
    return queryset.annotate(subject_organization_name=Subquery(name)).order_by("-created_at", "-id")
