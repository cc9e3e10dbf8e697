"""Writes of the shared kernel: notifications, the personal-data access log and task progress.

None of these writes an AuditEvent: reading a notification, logging an access and moving a progress
bar are records about the platform's use, not changes to a programme's objects, and auditing them
would bury the trail. The access log is itself append-only and kept (PIPA).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.core import audit, privacy, selectors
from sangsaeng.core.models import Job, Notification, PersonalDataAccess
from sangsaeng.core.request_context import current_request
from sangsaeng.core.spreadsheets import build_xlsx

if TYPE_CHECKING:
    from sangsaeng.accounts.models import User


def notify(
    *, recipients: Iterable[User], title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    """Create an in-app notification for each active recipient (once per person).

    The e-mail copy is sent by the `send_notification_emails` task after the caller's transaction
    commits, so a rolled-back change never mails anyone. `url` is a site path ("/partners/3/"); the
    e-mail turns it into an absolute link with settings.SITE_URL.
    """
    seen: set[int] = set()
    pending: list[Notification] = []
    for user in recipients:
        if not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        pending.append(Notification(recipient=user, title=title[:200], body=body, url=url[:500]))
    notifications = Notification.objects.bulk_create(pending)
    ids = [n.pk for n in notifications if n.pk is not None]
    if email and ids:
        from sangsaeng.core.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return notifications


def mark_notifications_read(*, actor: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own unread notifications read: the given ids, or all when ids is None.

    Ids of other people's notifications are ignored (never an error that would reveal they exist).
    Returns how many were marked.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to read your notifications."))
    queryset = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())


def log_personal_data_access(
    *,
    actor: User,
    purpose: str,
    subject_label: str,
    data_items: str,
    subject_organization_id: int | None = None,
    subject_count: int = 1,
    reason: str = "",
) -> PersonalDataAccess:
    """Record a view, export or download of partner people's personal data (PIPA access log).

    Who (actor), when, whose (subject organisation and label), what (data items), why (reason,
    required for exports) and from where (request id, IP). The log is append-only and
    kept. Raises ValidationError for an unknown purpose or an export without a reason.
    """
    if purpose not in PersonalDataAccess.Purpose.values:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    if purpose == PersonalDataAccess.Purpose.EXPORT and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this export.")})
    info = current_request()
    return PersonalDataAccess.objects.create(
        actor=actor,
        actor_label=actor.email,
        purpose=purpose,
        subject_organization_id=subject_organization_id,
        subject_label=subject_label[:255],
        subject_count=max(0, subject_count),
        data_items=data_items[:255],
        reason=reason.strip()[:500],
        path=info.path[:500],
        request_id=info.request_id,
        ip_address=info.ip_address,
    )


# --- Long work: a Job row that the page polls (core:job_status) --------------------------------------
def start_job(*, actor: User, kind: str, parameters: dict[str, Any] | None = None, total: int = 0) -> Job:
    """A queued job owned by the actor; only the owner sees its progress."""
    return Job.objects.create(owner=actor, kind=kind[:60], parameters=parameters or {}, progress_total=total)


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    """Move the progress bar: the job is running, `done` of `total` steps.

    Call it between transactions (e.g. while validating rows, before the one atomic write): an update
    inside a long transaction only becomes visible to the polling page when that transaction commits.
    """
    fields: dict[str, Any] = {"progress_done": max(0, done), "status": Job.Status.RUNNING}
    if total is not None:
        fields["progress_total"] = max(0, total)
    if message:
        fields["message"] = message[:500]
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def finish_job(job: Job, *, succeeded: bool, message: str = "", result: dict[str, Any] | None = None) -> None:
    """End the job: succeeded (progress full) or failed, with a message and a result for the page.

    A result file set on `job.result_file` by the caller is saved with it.
    """
    job.status = Job.Status.SUCCEEDED if succeeded else Job.Status.FAILED
    job.message = message[:500]
    job.result = result or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "result", "finished_at", "result_file"])
    if succeeded:
        Job.objects.filter(pk=job.pk).update(progress_done=F("progress_total"))
        job.refresh_from_db(fields=["progress_done", "progress_total"])


# --- Exports of the audit trail and the access log (Excel) -------------------------------------------
DEFAULT_EXPORT_MAX_ROWS = 50_000


def export_max_rows() -> int:
    """Exports are built while the browser waits; past this many rows the newest ones are exported."""
    return int(getattr(settings, "EXPORT_MAX_ROWS", DEFAULT_EXPORT_MAX_ROWS))


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    rows: int
    matching: int

    @property
    def truncated(self) -> bool:
        return self.matching > self.rows


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this export.")})
    return reason.strip()


def export_audit_events(*, actor: User, filters: selectors.AuditEventFilter, reason: str) -> Export:
    """The audit events matching the filters as an Excel sheet (formulas neutralised), newest first.

    The trail holds people's e-mail addresses and IP addresses, so the export is written to the
    personal-data access log with its reason. At most export_max_rows() rows (the newest).
    Raises PermissionDenied (not an auditor, administrator or observer) or ValidationError (no reason).
    """
    events = selectors.audit_events_for_user(actor, filters)
    reason = _require_reason(reason)
    limit = export_max_rows()
    matching = events.count()
    headers = [
        _("Sequence"),
        _("Time"),
        _("Actor"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Partner organisation id"),
        _("Partner company"),
        _("Changes"),
        _("Request id"),
        _("IP address"),
        _("Previous hash"),
        _("Hash"),
    ]

    def rows() -> Iterator[list[Any]]:
        for event in events[:limit].iterator(chunk_size=2000):
            privacy.mask_event(event, viewer=actor)  # as on the page: unmasked for administrators
            yield [
                event.seq,
                _local(event.created_at),
                event.actor_label,
                event.action,
                event.object_type,
                event.object_id,
                event.object_repr,
                event.partner_organization_id,
                getattr(event, "partner_name", None) or "",
                audit.changes_text(event.changes, event.object_type),
                event.request_id,
                event.ip_address or "",
                event.prev_hash,
                event.hash,
            ]

    content = build_xlsx(str(_("Audit trail")), headers, rows())
    exported = min(matching, limit)
    with transaction.atomic():
        log_personal_data_access(
            actor=actor,
            purpose=PersonalDataAccess.Purpose.EXPORT,
            subject_label=str(_("Audit trail export")),
            data_items=str(_("actor e-mail, IP address, recorded changes")),
            subject_organization_id=int(filters.partner) if filters.partner.strip().isdigit() else None,
            subject_count=exported,
            reason=reason,
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return Export(content=content, filename=f"audit-trail-{stamp}.xlsx", rows=exported, matching=matching)


def export_personal_data_accesses(
    *, actor: User, filters: selectors.PersonalDataAccessFilter, reason: str
) -> Export:
    """The access-log entries matching the filters as an Excel sheet, newest first; logged itself.

    Raises PermissionDenied (not a host administrator or auditor) or ValidationError (no reason).
    """
    entries = selectors.personal_data_accesses_for_user(actor, filters)
    reason = _require_reason(reason)
    limit = export_max_rows()
    matching = entries.count()
    purposes = dict(PersonalDataAccess.Purpose.choices)
    headers = [
        _("Time"),
        _("Viewed by"),
        _("Purpose"),
        _("Whose data"),
        _("Company id"),
        _("People"),
        _("Data items"),
        _("Reason"),
        _("Page"),
        _("Request id"),
        _("IP address"),
    ]

    def rows() -> Iterator[list[Any]]:
        for entry in entries[:limit].iterator(chunk_size=2000):
            yield [
                _local(entry.created_at),
                entry.actor_label,
                str(purposes.get(entry.purpose, entry.purpose)),
                entry.subject_label,
                entry.subject_organization_id,
                entry.subject_count,
                entry.data_items,
                entry.reason,
                entry.path,
                entry.request_id,
                entry.ip_address or "",
            ]

    content = build_xlsx(str(_("Personal-data log")), headers, rows())
    exported = min(matching, limit)
    with transaction.atomic():
        log_personal_data_access(
            actor=actor,
            purpose=PersonalDataAccess.Purpose.EXPORT,
            subject_label=str(_("Personal-data access log export")),
            data_items=str(_("access log entries")),
            subject_organization_id=(
                int(filters.subject_organization) if filters.subject_organization.strip().isdigit() else None
            ),
            subject_count=exported,
            reason=reason,
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return Export(
        content=content, filename=f"personal-data-log-{stamp}.xlsx", rows=exported, matching=matching
    )


def log_unmasked_view(viewer: Any, events: Iterable[Any], *, channel: str) -> None:
    """A host administrator saw personal data in the trail: one access-log entry per page or call."""
    if not privacy.sees_unmasked(viewer):
        return
    count = sum(1 for event in events if privacy.event_has_personal_data(event))
    if not count:
        return
    log_personal_data_access(
        actor=viewer,
        purpose=PersonalDataAccess.Purpose.VIEW,
        subject_label=f"audit trail ({channel})",
        data_items="actor e-mail, IP address, recorded changes",
        subject_count=count,
    )
