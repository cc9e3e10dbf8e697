"""Shared kernel models: the audit chain, notifications, the personal-data access log, task jobs."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Raised by every path that would edit or delete an audit record."""


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset for append-only tables: no bulk update or delete through the ORM."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(f"{self.model.__name__} rows are append-only.")

    def delete(self) -> NoReturn:
        raise AuditImmutableError(f"{self.model.__name__} rows are append-only.")

    # Django names these with a leading underscore; they back QuerySet.update/delete internals
    # (bulk_update, update_or_create and the deletion collector go through them).
    def _update(self, values: Any) -> NoReturn:
        raise AuditImmutableError(f"{self.model.__name__} rows are append-only.")

    def _raw_delete(self, using: Any) -> NoReturn:
        raise AuditImmutableError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyModel(models.Model):
    """Rows are inserted once and never changed (audit events, access logs, ledgers)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An existing row, or a forced/partial update of any row, would be an edit.
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise AuditImmutableError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def _do_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Model.save() tries an UPDATE first when a new instance carries an explicit primary key;
        # that path must not be able to overwrite an existing row either.
        raise AuditImmutableError(f"{type(self).__name__} rows are append-only.")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(f"{type(self).__name__} rows are append-only.")


class AuditChainHead(models.Model):
    """The single row that serialises appends to the audit chain and remembers its tail.

    Locking this row (SELECT ... FOR UPDATE on PostgreSQL, the IMMEDIATE write lock on SQLite) makes
    concurrent writers from several app servers append one after another, so the chain never forks.
    Keeping the tail here also detects deletion of the newest events.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"audit chain at #{self.last_seq}"


class AuditEvent(AppendOnlyModel):
    """One state change: who did what to which object, from where, hash-chained to the previous event."""

    seq = models.BigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    organization_id_at_time = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=255, blank=True)
    # The partner organisation the object belongs to, if any: lets a partner's own auditors and the
    # tenancy rules scope events without joining every object table.
    partner_organization_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_seq")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def canonical_content(self) -> str:
        """The exact text that is hashed: every recorded field, keys sorted, no whitespace."""
        payload = {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organization_id_at_time": self.organization_id_at_time,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "partner_organization_id": self.partner_organization_id,
            "changes": self.changes,
            "request_id": self.request_id,
            "ip_address": self.ip_address,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_content().encode("utf-8")).hexdigest()


class Notification(models.Model):
    """An in-app message to one person; e-mail copies are sent after commit by a task."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class PersonalDataAccess(AppendOnlyModel):
    """PIPA access log: who viewed or exported whose personal data, what, when and why. Kept."""

    class Purpose(models.TextChoices):
        VIEW = "view", _("View")
        EXPORT = "export", _("Export")
        DOWNLOAD = "download", _("Download")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=254)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # Whose data: the partner organisation and a description of the people (e.g. "contacts of ...").
    subject_organization_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject_label = models.CharField(max_length=255)
    subject_count = models.PositiveIntegerField(default=1)
    data_items = models.CharField(max_length=255, help_text="Which fields, e.g. name, e-mail, phone")
    reason = models.CharField(max_length=500, blank=True)
    path = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.actor_label} {self.purpose} {self.subject_label}"


class Job(models.Model):
    """Progress of a long piece of work (import, export, report build) that a page polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(upload_to="jobs/input/%Y/%m/", blank=True)
    result_file = models.FileField(upload_to="jobs/result/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class ScheduledRun(models.Model):
    """When a scheduled job (settings.SCHEDULED_JOBS) last ran and is next due.

    `manage.py run_schedule` claims a due job with one guarded UPDATE (next_due ≤ now → next_due
    moved on), so several schedulers on several servers never start the same run twice.
    """

    name = models.CharField(_("job"), max_length=100, unique=True)
    next_due = models.DateTimeField(_("next due"))
    last_started = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=500, blank=True)
    last_ok = models.BooleanField(_("last run succeeded"), null=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IdempotentRequest(models.Model):
    """One Idempotency-Key of one caller (core.idempotency): what was asked and, once answered, the
    answer, replayed byte for byte when the same key comes again.

    `answered_at` is empty while the first request runs; `attempt` changes when a stale claim (its
    process died) is taken over, so the old attempt can no longer commit its effect.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    operation = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    attempt = models.UUIDField(default=uuid.uuid4)
    claimed_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="one_idempotent_request_per_key")
        ]
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
