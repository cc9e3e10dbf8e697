"""API of the shared kernel: the audit trail (read-only), own notifications and own task progress.

There is deliberately no route that changes or removes an audit event (DESIGN.md rule 2).
"""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from sangsaeng.core import privacy, selectors, services
from sangsaeng.core.models import AuditEvent, Job
from sangsaeng.core.pagination import LimitOffset
from sangsaeng.core.schemas import (
    AuditEventFilterIn,
    AuditEventOut,
    Id,
    JobOut,
    NotificationOut,
    NotificationsReadIn,
    NotificationsReadOut,
)

router = Router(tags=["audit and notifications"])

MAX_PAGE = 200


class AuditPagination(LimitOffset):
    """Limit/offset, then personal data masked for the caller (core.privacy) or the view logged."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        events = list(page[self.items_attribute])
        for event in events:
            privacy.mask_event(event, viewer=request.user)
        services.log_unmasked_view(request.user, events, channel="API")
        page[self.items_attribute] = events
        return page


@router.get("/audit-events", response=list[AuditEventOut], tags=["audit"])
@paginate(AuditPagination, max_limit=MAX_PAGE)
def list_audit_events(request: HttpRequest, filters: Query[AuditEventFilterIn]):  # type: ignore[no-untyped-def]
    """Audit events, newest first (host administrators and auditors, agency observers; others 403)."""
    return selectors.audit_events_for_user(request.user, filters.to_filter())


@router.get("/audit-events/{seq}", response=AuditEventOut, tags=["audit"])
def get_audit_event(request: HttpRequest, seq: Id) -> AuditEvent:
    """One event by its sequence number (partner users get 404, other insiders without the right 403)."""
    event = selectors.get_audit_event_for_user(request.user, seq)
    services.log_unmasked_view(request.user, [event], channel="API")
    return privacy.mask_event(event, viewer=request.user)


@router.get("/notifications", response=list[NotificationOut], tags=["notifications"])
@paginate(LimitOffset, max_limit=MAX_PAGE)
def list_notifications(request: HttpRequest, unread: bool = False):  # type: ignore[no-untyped-def]
    """The caller's own notifications, newest first; `unread=true` for unread ones only."""
    return selectors.notifications_for_user(request.user, unread_only=unread)


@router.post("/notifications/read", response=NotificationsReadOut, tags=["notifications"])
def mark_notifications_read(request: HttpRequest, payload: NotificationsReadIn) -> dict[str, int]:
    """Mark some (`ids`) or all (`all: true`) of the caller's notifications read; others' ids are ignored."""
    marked = services.mark_notifications_read(
        actor=request.user,  # type: ignore[arg-type]
        notification_ids=None if payload.all else payload.ids,
    )
    return {"marked": marked, "unread": selectors.unread_notification_count(request.user)}


@router.get("/jobs/{job_id}", response=JobOut, tags=["jobs"])
def get_job(request: HttpRequest, job_id: uuid.UUID) -> Job:
    """Progress of a task the caller started (anyone else's job is a 404)."""
    return selectors.get_job_for_user(request.user, job_id)
