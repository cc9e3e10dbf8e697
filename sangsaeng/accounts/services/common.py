"""Small helpers shared by the accounts services."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, User
from sangsaeng.accounts.selectors import membership_of
from sangsaeng.core import audit


def partner_id_of(organization: Organization) -> int | None:
    """The partner organisation an event belongs to, for scoping the audit trail."""
    return organization.pk if organization.kind == OrganizationKind.PARTNER else None


def membership_fields(membership: Membership) -> dict[str, Any]:
    return audit.snapshot(membership, ("role", "is_active", "deactivated_at"))


def actor_partner_id(actor: User) -> int | None:
    membership = membership_of(actor)
    return partner_id_of(membership.organization) if membership else None
