"""Helpers shared by the R&D services: permission guard, recipients (status changes: core.workflow)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import OrganizationKind, Role, User


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def require_manager(actor: Any) -> None:
    from sangsaeng.rnd.permissions import is_fund_manager

    require(is_fund_manager(actor), _("Only programme managers may do this."))


def organization_people(organization_id: int) -> list[User]:
    """Active people of an organisation (partner owners and members hear about their proposals)."""
    return list(
        User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__organization_id=organization_id
        ).distinct()
    )


def fund_managers() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__kind=OrganizationKind.HOST,
            memberships__role__in=(Role.ADMIN, Role.PROGRAM_MANAGER),
        ).distinct()
    )
