"""Reads about people and organisations, always scoped to what the acting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from sangsaeng.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
)

_CACHE_ATTR = "_sangsaeng_membership"


def membership_of(user: Any) -> Membership | None:
    """The user's active membership (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not hasattr(user, _CACHE_ATTR):
        membership = (
            Membership.objects.select_related("organization")
            .filter(user_id=user.pk, is_active=True, organization__is_active=True)
            .first()
        )
        setattr(user, _CACHE_ATTR, membership)
    cached: Membership | None = getattr(user, _CACHE_ATTR)
    return cached


def forget_membership(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def organization_of(user: Any) -> Organization | None:
    membership = membership_of(user)
    return membership.organization if membership else None


def organization_id_of(user: Any) -> int | None:
    membership = membership_of(user)
    return membership.organization_id if membership else None


def role_of(user: Any) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def kind_of(user: Any) -> str | None:
    organization = organization_of(user)
    return organization.kind if organization else None


def has_role(user: Any, *roles: str) -> bool:
    return role_of(user) in roles


def is_host(user: Any) -> bool:
    return kind_of(user) == OrganizationKind.HOST


def is_host_staff(user: Any) -> bool:
    """Host people who run programmes (not auditors, who only read)."""
    return is_host(user) and has_role(
        user, Role.ADMIN, Role.PROGRAM_MANAGER, Role.REVIEWER, Role.LAB_OPERATOR
    )


def members_for_user(user: User, organization: Organization) -> QuerySet[Membership]:
    """Members of an organisation, if the user may see them: own organisation, or host staff."""
    own = organization_id_of(user) == organization.pk
    if not (own or is_host(user)):
        raise Http404
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-is_active", "user__name")
    )


def get_membership_for_user(user: User, membership_id: int) -> Membership:
    membership = Membership.objects.select_related("user", "organization").filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    if membership.organization_id != organization_id_of(user) and not is_host(user):
        raise Http404
    return membership


def organizations_for_user(user: User) -> QuerySet[Organization]:
    """Host and agency people see every organisation; others see their own."""
    if kind_of(user) in (OrganizationKind.HOST, OrganizationKind.AGENCY):
        return Organization.objects.all()
    own = organization_id_of(user)
    return Organization.objects.filter(pk=own) if own else Organization.objects.none()


def get_organization_for_user(user: User, organization_id: int) -> Organization:
    organization = organizations_for_user(user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    return organization


def invitations_for_user(user: User) -> QuerySet[Invitation]:
    own = organization_id_of(user)
    if own is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(organization_id=own).select_related("invited_by", "organization")


def get_invitation_for_user(user: User, invitation_id: int) -> Invitation:
    invitation = invitations_for_user(user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def api_tokens_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def get_api_token_for_user(user: User, token_id: int) -> ApiToken:
    token = api_tokens_for_user(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token
