"""Writes of the shared kernel: notifications, the personal-data access log and task progress."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sangsaeng.core.models import Job, Notification, PersonalDataAccess
from sangsaeng.core.request_context import current_request


def notify(
    *, recipients: Iterable[Any], title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    """In-app notification for each recipient; the e-mail copy is sent by a task after commit."""
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient=user, title=title[:200], body=body, url=url)
            for user in recipients
            if user.is_active
        ]
    )
    if email and notifications:
        ids = [n.pk for n in notifications if n.pk is not None]
        if not ids:  # backends without RETURNING (none we support, but stay correct)
            return notifications
        from sangsaeng.core.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return notifications


def mark_notifications_read(*, actor: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when no ids are given)."""
    queryset = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())


def log_personal_data_access(
    *,
    actor: Any,
    purpose: str,
    subject_label: str,
    data_items: str,
    subject_organization_id: int | None = None,
    subject_count: int = 1,
    reason: str = "",
) -> PersonalDataAccess:
    """Record a view or export of partner people's personal data (PIPA). The log is kept."""
    info = current_request()
    return PersonalDataAccess.objects.create(
        actor=actor,
        actor_label=actor.email,
        purpose=purpose,
        subject_organization_id=subject_organization_id,
        subject_label=subject_label[:255],
        subject_count=subject_count,
        data_items=data_items[:255],
        reason=reason[:500],
        path=info.path[:500],
        request_id=info.request_id,
        ip_address=info.ip_address,
    )


def start_job(*, actor: Any, kind: str, parameters: dict[str, Any] | None = None, total: int = 0) -> Job:
    return Job.objects.create(owner=actor, kind=kind, parameters=parameters or {}, progress_total=total)


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    """Progress is written outside the work's transaction so that the polling page sees it move."""
    fields: dict[str, Any] = {"progress_done": done, "status": Job.Status.RUNNING}
    if total is not None:
        fields["progress_total"] = total
    if message:
        fields["message"] = message[:500]
    Job.objects.filter(pk=job.pk).update(**fields)


def finish_job(job: Job, *, succeeded: bool, message: str = "", result: dict[str, Any] | None = None) -> None:
    job.status = Job.Status.SUCCEEDED if succeeded else Job.Status.FAILED
    job.message = message[:500]
    job.result = result or {}
    job.finished_at = timezone.now()
    if succeeded:
        Job.objects.filter(pk=job.pk).update(progress_done=F("progress_total"))
    job.save(update_fields=["status", "message", "result", "finished_at", "result_file"])
