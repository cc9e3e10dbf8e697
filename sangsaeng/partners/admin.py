"""Django admin for superusers. Status, identity and size class change only through the services
(they audit and notify), so the admin shows them read-only; the status history is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sangsaeng.partners.models import (
    CollaborationField,
    Contact,
    Partner,
    PartnerDocument,
    PartnerField,
    PartnerStatusChange,
    SizeStandard,
    SizeStandardBand,
)


class SizeStandardBandInline(admin.TabularInline):
    model = SizeStandardBand
    extra = 0


@admin.register(SizeStandard)
class SizeStandardAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "valid_to", "total_assets_limit_krw")
    inlines = [SizeStandardBandInline]


@admin.register(CollaborationField)
class CollaborationFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ko", "name_en", "kind", "valid_from", "valid_to", "sort_order")
    list_filter = ("kind",)
    search_fields = ("code", "name_ko", "name_en")


class PartnerFieldInline(admin.TabularInline):
    model = PartnerField
    extra = 0
    autocomplete_fields = ("field",)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name_ko", "brn", "status", "size_class", "tier", "is_representative", "created_at")
    list_filter = ("status", "size_class", "tier", "is_representative", "fair_trade_agreement")
    search_fields = ("name_ko", "name_en", "brn", "capabilities", "capability_tags")
    list_per_page = 50
    date_hierarchy = "created_at"
    readonly_fields = (
        "organization",
        "status",
        "status_reason",
        "brn",
        "size_class",
        "size_basis",
        "size_computed_on",
        "size_standard",
        "created_by",
        "approved_at",
    )
    inlines = [PartnerFieldInline, ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "partner", "department", "is_primary")
    search_fields = ("name", "partner__name_ko")
    list_select_related = ("partner",)


@admin.register(PartnerDocument)
class PartnerDocumentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "partner", "kind", "size_bytes", "uploaded_at")
    list_filter = ("kind",)
    list_select_related = ("partner",)
    readonly_fields = ("file", "original_name", "content_type", "size_bytes", "uploaded_by", "uploaded_at")


@admin.register(PartnerStatusChange)
class PartnerStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("partner", "from_status", "to_status", "actor", "created_at")
    list_filter = ("to_status",)
    list_select_related = ("partner", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
