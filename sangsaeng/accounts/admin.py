"""Django admin for superusers. Changes made here are audited like any other; secrets never show."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import ApiToken, Invitation, Membership, Organization, OrganizationKind, User
from sangsaeng.core import audit


class AuditedAdminMixin:
    """Write one audit event for each add, change or delete made in the admin (same transaction)."""

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            before = {name: _plain(form.initial.get(name)) for name in form.changed_data}
            after = {name: _plain(form.cleaned_data.get(name)) for name in form.changed_data}
            audit.record(
                actor=request.user,
                action=f"admin.{'change' if change else 'add'}_{obj._meta.model_name}",
                target=obj,
                changes=audit.diff(before, after),
                partner_organization_id=_partner_id_of(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=f"admin.delete_{obj._meta.model_name}",
                target=obj,
                partner_organization_id=_partner_id_of(obj),
            )
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


def _plain(value: Any) -> Any:
    """Many-to-many values as lists of primary keys, so the audit diff can record them."""
    if isinstance(value, models.QuerySet):
        return sorted(value.values_list("pk", flat=True))
    if isinstance(value, list | tuple):
        return [getattr(item, "pk", item) for item in value]
    return value


def _partner_id_of(obj: Any) -> int | None:
    organization = obj if isinstance(obj, Organization) else getattr(obj, "organization", None)
    if isinstance(organization, Organization) and organization.kind == OrganizationKind.PARTNER:
        return organization.pk
    return None


class SangsaengUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class SangsaengUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    """People log in with their e-mail address; there is no username."""

    form = SangsaengUserChangeForm
    add_form = SangsaengUserCreationForm
    ordering = ("email",)
    list_display = ("email", "name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "language")
    search_fields = ("email", "name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("name", "phone", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "name", "usable_password", "password1", "password2")},
        ),
    )


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "name_en")
    list_per_page = 50


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organization", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "organization__kind")
    search_fields = ("user__email", "user__name", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user", "organization")
    readonly_fields = ("created_at", "deactivated_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference only: changes go through the app so that they are checked and audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "organization", "role", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("role", "organization__kind")
    search_fields = ("email", "organization__name")
    list_select_related = ("organization",)
    fields = (
        "organization",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "user", "organization", "created_at", "last_used_at", "revoked_at")
    search_fields = ("name", "prefix", "user__email")
    list_select_related = ("user", "organization")
    fields = ("name", "prefix", "user", "organization", "created_at", "last_used_at", "revoked_at")
