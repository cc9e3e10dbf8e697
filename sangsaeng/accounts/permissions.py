"""Who may do what with people, organisations, invitations and API tokens.

Small yes/no functions. Visibility (404 for outsiders) is the selectors' job; these decide whether an
insider who can see an object may also act on it (403 when not).
"""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.access import HostArea, host_may
from sangsaeng.accounts.models import (
    ROLES_BY_KIND,
    ApiToken,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Role,
)
from sangsaeng.accounts.selectors import has_role, is_host, membership_of, organization_id_of

# Host administrators bring in host staff, bank loan officers and agency observers; partner
# companies manage their own people (a host admin never adds people to a partner company).
_KINDS_MANAGED_BY_HOST_ADMIN = (OrganizationKind.HOST, OrganizationKind.BANK, OrganizationKind.AGENCY)


def is_host_admin(user: Any) -> bool:
    return is_host(user) and has_role(user, Role.ADMIN)


def is_partner_owner(user: Any) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.organization.kind == OrganizationKind.PARTNER
        and membership.role == Role.OWNER
    )


def can_manage_members(user: Any, organization: Organization) -> bool:
    """Invite, change roles, deactivate and reactivate people, and revoke invitations.

    A partner owner (협력사 대표) manages their own partner company; a host admin manages the host
    and every bank and agency organisation.
    """
    if is_partner_owner(user):
        return organization_id_of(user) == organization.pk
    if is_host_admin(user):
        return organization.kind in _KINDS_MANAGED_BY_HOST_ADMIN
    return False


def can_view_members(user: Any, organization: Organization) -> bool:
    """See the members list: people who manage it, host admins for any organisation, and the host
    roles that may see partner people (accounts/access.py) for a partner company."""
    if can_manage_members(user, organization) or is_host_admin(user):
        return True
    return organization.kind == OrganizationKind.PARTNER and host_may(user, HostArea.PARTNER_PEOPLE)


def can_open_members_page(user: Any) -> bool:
    return is_partner_owner(user) or is_host_admin(user)


def invitable_roles(user: Any, organization: Organization) -> tuple[str, ...]:
    """The roles this user may invite people into at this organisation (empty when none)."""
    if not can_manage_members(user, organization):
        return ()
    return ROLES_BY_KIND.get(organization.kind, ())


def can_invite_member(user: Any, organization: Organization, role: str) -> bool:
    return role in invitable_roles(user, organization)


def can_revoke_invitation(user: Any, invitation: Invitation) -> bool:
    return can_manage_members(user, invitation.organization)


def can_view_invitations(user: Any) -> bool:
    return can_open_members_page(user)


def can_change_member_role(user: Any, membership: Membership, role: str) -> bool:
    return can_manage_members(user, membership.organization) and role in invitable_roles(
        user, membership.organization
    )


def can_deactivate_member(user: Any, membership: Membership) -> bool:
    return can_manage_members(user, membership.organization)


def can_reactivate_member(user: Any, membership: Membership) -> bool:
    return can_manage_members(user, membership.organization)


def can_create_organization(user: Any, kind: str) -> bool:
    """Host admins create bank and agency organisations; partners come through sign-up."""
    return is_host_admin(user) and kind in (OrganizationKind.BANK, OrganizationKind.AGENCY)


def can_create_api_token(user: Any) -> bool:
    """Anyone with an active membership: the token is scoped to that organisation."""
    return membership_of(user) is not None


def can_revoke_api_token(user: Any, token: ApiToken) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and token.user_id == user.pk
