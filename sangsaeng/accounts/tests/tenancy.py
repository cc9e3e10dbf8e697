"""Accounts routes in the tenancy harness: another partner's people, invitations and tokens are 404."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from sangsaeng.accounts.models import ApiToken, Invitation, Membership, Organization, Role, User, hash_token
from sangsaeng.accounts.selectors import organization_of
from sangsaeng.core.tests import tenancy


def _secret() -> str:
    return f"secret-{uuid.uuid4().hex}"


def _member(owner: Any) -> tenancy.Owned:
    """A colleague of the owner whose name only the owner's company may see."""
    secret = _secret()
    user = User.objects.create_user(email=f"{secret}@partner.example", name=secret, phone="010-1234-5678")
    membership = Membership.objects.create(user=user, organization=_own_organization(owner), role=Role.MEMBER)
    return tenancy.Owned({"membership_id": membership.pk}, secret)


def _inactive_member(owner: Any) -> tenancy.Owned:
    owned = _member(owner)
    Membership.objects.filter(pk=owned.kwargs["membership_id"]).update(
        is_active=False, deactivated_at=timezone.now()
    )
    return owned


def _own_organization(owner: Any) -> Organization:
    organization = organization_of(owner)
    assert organization is not None, "the harness passes a partner owner"
    return organization


def _invitation(owner: Any) -> tenancy.Owned:
    secret = _secret()
    invitation = Invitation.objects.create(
        organization=_own_organization(owner),
        email=f"{secret}@invited.example",
        role=Role.MEMBER,
        token_hash=hash_token(secret),
        invited_by=owner,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return tenancy.Owned({"invitation_id": invitation.pk}, secret)


def _token(owner: Any) -> tenancy.Owned:
    secret = _secret()
    token = ApiToken.objects.create(
        user=owner,
        organization=_own_organization(owner),
        name=secret,
        prefix="ss_test0",
        token_hash=hash_token(secret),
    )
    return tenancy.Owned({"token_id": token.pk}, secret)


def _organization(owner: Any) -> tenancy.Owned:
    secret = _secret()
    organization = _own_organization(owner)
    Organization.objects.filter(pk=organization.pk).update(name=secret)
    return tenancy.Owned({"organization_id": organization.pk}, secret)


def _organization_with_member(owner: Any) -> tenancy.Owned:
    owned = _member(owner)
    organization = _own_organization(owner)
    return tenancy.Owned({"organization_id": organization.pk}, owned.secret)


# Web pages.
tenancy.register_object("accounts:member_role", make=_member, method="post", data={"role": Role.OWNER})
tenancy.register_object("accounts:member_deactivate", make=_member, method="post")
tenancy.register_object("accounts:member_reactivate", make=_inactive_member, method="post")
tenancy.register_object("accounts:invitation_revoke", make=_invitation, method="post")
tenancy.register_object("accounts:token_revoke", make=_token, method="post")
tenancy.register_list("accounts:members", make=_member)
tenancy.register_list("accounts:members", make=_member, query={"status": "active"})
tenancy.register_list("accounts:tokens", make=_token)
tenancy.exempt(
    "accounts:invitation_accept",
    reason="The path carries an invitation's secret token, not an object id; an unknown token is a "
    "404 and a known one shows only its own organisation's name and role to whoever holds the link.",
)
tenancy.exempt(
    "accounts:password_reset_confirm",
    reason="Django's signed, expiring reset token for one user; it shows no organisation data.",
)

# API.
tenancy.register_object("GET /api/v1/organizations/{organization_id}", make=_organization)
tenancy.register_object("GET /api/v1/organizations/{organization_id}/members", make=_organization_with_member)
tenancy.register_object("POST /api/v1/members/{membership_id}/deactivate", make=_member)
tenancy.register_object("POST /api/v1/invitations/{invitation_id}/revoke", make=_invitation)
tenancy.register_object("POST /api/v1/tokens/{token_id}/revoke", make=_token)
tenancy.register_list("GET /api/v1/organizations", make=_organization)
tenancy.register_list("GET /api/v1/invitations", make=_invitation)
tenancy.register_list("GET /api/v1/invitations", make=_invitation, query={"pending": "true"})
tenancy.register_list("GET /api/v1/tokens", make=_token, query={"include_revoked": "true"})
tenancy.register_list("GET /api/v1/me", make=_organization)
