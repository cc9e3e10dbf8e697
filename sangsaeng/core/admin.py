"""Django admin for the shared kernel. Audit events and access-log entries are read-only here:
no add, change or delete permission for anyone, superusers included (DESIGN.md rules 2 and 6)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sangsaeng.core.models import (
    AuditChainHead,
    AuditEvent,
    Job,
    Notification,
    PersonalDataAccess,
    ScheduledRun,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records; offers no way to add, edit or delete them (nor the bulk delete action)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "actor_label", "action", "object_type", "object_id", "object_repr")
    list_filter = ("object_type",)
    search_fields = ("=action", "=object_id", "actor_label")
    date_hierarchy = "created_at"
    ordering = ("-seq",)
    show_full_result_count = False


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ("id", "last_seq", "last_hash")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "purpose", "subject_label", "subject_count", "data_items")
    list_filter = ("purpose",)
    search_fields = ("actor_label", "subject_label")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "created_at", "read_at", "emailed_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    search_fields = ("title", "recipient__email")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "owner", "status", "progress_done", "progress_total", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at", "finished_at")


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "next_due", "last_started", "last_finished", "last_ok", "last_result")
