"""Personal API tokens for machine clients: shown once, stored hashed, revocable."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts import permissions
from sangsaeng.accounts.models import ApiToken, User, hash_token
from sangsaeng.accounts.selectors import membership_of
from sangsaeng.accounts.services.common import partner_id_of
from sangsaeng.core import audit
from sangsaeng.core.text import normalize_text

API_TOKEN_PREFIX = "ss_"
# The first characters of a token are kept in clear so people can tell their tokens apart.
API_TOKEN_VISIBLE_CHARS = 8


@dataclass(frozen=True)
class IssuedApiToken:
    token: ApiToken
    raw_token: str  # shown to its owner once; never stored


def create_api_token(*, actor: User, name: str) -> IssuedApiToken:
    """A personal API token for machine clients, scoped to the actor's organisation.

    The raw token ("ss_" + 43 random characters) is returned once; only its SHA-256 and its first
    8 characters are stored. Raises PermissionDenied without an active membership, ValidationError
    for a missing name.
    """
    with transaction.atomic():
        if not permissions.can_create_api_token(actor):
            raise PermissionDenied(_("Only members of an organisation can create API tokens."))
        membership = membership_of(actor)
        assert membership is not None  # guaranteed by the permission above
        raw_token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(
            user=actor,
            organization_id=membership.organization_id,
            name=normalize_text(name),
            prefix=raw_token[:API_TOKEN_VISIBLE_CHARS],
            token_hash=hash_token(raw_token),
        )
        token.full_clean(exclude=["user", "organization", "token_hash"])
        token.save()
        audit.record(
            actor=actor,
            action="accounts.create_api_token",
            target=token,
            changes={"name": [None, token.name], "prefix": [None, token.prefix]},
            partner_organization_id=partner_id_of(membership.organization),
        )
    return IssuedApiToken(token=token, raw_token=raw_token)


def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; it stops working at once.

    Raises PermissionDenied for someone else's token, ValidationError when already revoked.
    """
    with transaction.atomic():
        if not permissions.can_revoke_api_token(actor, token):
            raise PermissionDenied(_("You can revoke only your own API tokens."))
        now = timezone.now()
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
        if updated != 1:
            raise ValidationError(_("This API token is already revoked."))
        token.revoked_at = now
        organization = membership_of(actor)
        audit.record(
            actor=actor,
            action="accounts.revoke_api_token",
            target=token,
            changes={"revoked_at": [None, now]},
            partner_organization_id=partner_id_of(organization.organization) if organization else None,
        )
    return token
