"""Django admin for superusers: read-only. Councils change only through the services (they check the
secretariat, follow TRANSITIONS, audit and notify; locked minutes are guarded in the database)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sangsaeng.councils.models import (
    ActionItem,
    Council,
    CouncilMember,
    Meeting,
    SelectionRound,
    TaskProposal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Council)
class CouncilAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "term_start", "term_end")


@admin.register(CouncilMember)
class CouncilMemberAdmin(ReadOnlyAdmin):
    list_display = ("council", "user", "organization", "role", "joined_on", "left_on")
    list_select_related = ("council", "user", "organization")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "council", "starts_at", "status")
    list_select_related = ("council",)


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "council", "due_on", "status")
    list_select_related = ("council",)


@admin.register(TaskProposal)
class TaskProposalAdmin(ReadOnlyAdmin):
    list_display = ("title", "council", "status")
    list_select_related = ("council",)


@admin.register(SelectionRound)
class SelectionRoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "council", "method", "status", "closes_at")
    list_select_related = ("council",)
