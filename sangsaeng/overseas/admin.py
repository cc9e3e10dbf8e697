"""Django admin for superusers: read-only. Every change goes through the services (they check the
role, follow TRANSITIONS, guard the budget and audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sangsaeng.overseas.models import (
    ExchangeRate,
    Exhibition,
    ExhibitionApplication,
    ExpenseClaim,
    ExportRecord,
    GlobalOpportunity,
    OpportunityInterest,
    OverseasProposal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OverseasProposal)
class OverseasProposalAdmin(ReadOnlyAdmin):
    list_display = ("product", "partner", "country", "status", "answer_due_on", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("partner",)


@admin.register(GlobalOpportunity)
class GlobalOpportunityAdmin(ReadOnlyAdmin):
    list_display = ("title", "country", "sector", "deadline", "status")
    list_filter = ("status",)


@admin.register(OpportunityInterest)
class OpportunityInterestAdmin(ReadOnlyAdmin):
    list_display = ("opportunity", "partner", "source", "status", "match_score")
    list_select_related = ("opportunity", "partner")


@admin.register(Exhibition)
class ExhibitionAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "city",
        "starts_on",
        "budget_krw",
        "committed_krw",
        "booths",
        "booths_taken",
        "status",
    )


@admin.register(ExhibitionApplication)
class ExhibitionApplicationAdmin(ReadOnlyAdmin):
    list_display = ("exhibition", "partner", "status", "score", "approved_krw", "paid_krw")
    list_select_related = ("exhibition", "partner")


@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(ReadOnlyAdmin):
    list_display = ("item", "amount_krw", "paid_krw", "status", "created_at")
    list_select_related = ("item",)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyAdmin):
    list_display = ("currency", "rate_date", "krw_per_unit")


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = ("partner", "year", "country", "currency", "amount", "amount_krw")
    list_select_related = ("partner",)
