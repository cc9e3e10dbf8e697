"""Django admin for superusers: read-only. Stages, sponsors and attachments change only through the
services (they check the sponsor, follow TRANSITIONS, audit and notify)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sangsaeng.usecases.models import GateDecision, UseCase, UseCaseAttachment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GateDecisionInline(admin.TabularInline):
    model = GateDecision
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "scores", "reason", "decided_by", "decided_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UseCase)
class UseCaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "partner", "industry", "stage", "sponsor", "screening_due_on", "submitted_at")
    list_filter = ("stage", "industry")
    search_fields = ("title", "partner__name_ko")
    list_select_related = ("partner", "sponsor")
    inlines = [GateDecisionInline]


@admin.register(UseCaseAttachment)
class UseCaseAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "use_case", "content_type", "size_bytes", "uploaded_at")
    list_select_related = ("use_case",)
