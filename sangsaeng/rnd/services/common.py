"""Helpers shared by the R&D services: permission guard, transitions, recipients."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import OrganizationKind, Role, User
from sangsaeng.rnd.models import MILESTONE_TRANSITIONS, PROPOSAL_TRANSITIONS


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def require_manager(actor: Any) -> None:
    from sangsaeng.rnd.permissions import is_fund_manager

    require(is_fund_manager(actor), _("Only programme managers may do this."))


def check_transition(table: dict[str, frozenset[str]], current: str, target: str) -> None:
    """Raise ValidationError unless the status table allows current → target."""
    if target not in table.get(current, frozenset()):
        raise ValidationError(
            _("This cannot be done in status %(status)s.") % {"status": current}, code="status"
        )


def check_proposal_transition(current: str, target: str) -> None:
    check_transition(PROPOSAL_TRANSITIONS, current, target)


def check_milestone_transition(current: str, target: str) -> None:
    check_transition(MILESTONE_TRANSITIONS, current, target)


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
