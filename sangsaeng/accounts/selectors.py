"""Reads about people and organisations, always scoped to what the acting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import (
    ApiToken,
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
    hash_token,
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
    """Drop the cached membership (after a change to it within the same request)."""
    for attribute in (_CACHE_ATTR, "_sangsaeng_own_partner"):  # the partner: partners.selectors
        if hasattr(user, attribute):
            delattr(user, attribute)


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


def host_name() -> str:
    """The host company's own name (its organisation), for wording such as "sent to SS Telecom";
    "the host company" (위탁기업) when none is set up. Cached for a minute."""
    from django.core.cache import cache

    name = cache.get("sangsaeng:host_name")
    if name is None:
        host = (
            Organization.objects.filter(kind=OrganizationKind.HOST, is_active=True)
            .order_by("pk")
            .values_list("name", flat=True)
            .first()
        )
        name = host or ""
        cache.set("sangsaeng:host_name", name, 60)
    return name or _("the host company")


def is_host_staff(user: Any) -> bool:
    """Host people who run programmes (not auditors, who only read)."""
    return is_host(user) and has_role(
        user, Role.ADMIN, Role.PROGRAM_MANAGER, Role.REVIEWER, Role.LAB_OPERATOR
    )


def members_for_user(user: Any, organization: Organization) -> QuerySet[Membership]:
    """Members of an organisation, if the user may see them: own organisation, or host people.

    Anyone else gets Http404. Whether an insider may open the list is `can_view_members`.
    """
    own = organization_id_of(user) == organization.pk
    if not (own or is_host(user)):
        raise Http404
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user", "organization")
        .order_by("-is_active", "user__name", "pk")
    )


def get_membership_for_user(user: Any, membership_id: int) -> Membership:
    """One membership of the user's own organisation (any, for host people); else Http404."""
    membership = Membership.objects.select_related("user", "organization").filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    if membership.organization_id != organization_id_of(user) and not is_host(user):
        raise Http404
    return membership


def organizations_for_user(user: Any) -> QuerySet[Organization]:
    """Host and agency people see every organisation; others see their own."""
    if kind_of(user) in (OrganizationKind.HOST, OrganizationKind.AGENCY):
        return Organization.objects.all()
    own = organization_id_of(user)
    return Organization.objects.filter(pk=own) if own else Organization.objects.none()


def get_organization_for_user(user: Any, organization_id: int) -> Organization:
    organization = organizations_for_user(user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    return organization


def managed_organizations_for_user(user: Any) -> QuerySet[Organization]:
    """Organisations whose people this user manages (see permissions.can_manage_members).

    A partner owner: their company. A host admin: the host, every bank and agency. Others: none.
    """
    membership = membership_of(user)
    if membership is None:
        return Organization.objects.none()
    kind = membership.organization.kind
    if kind == OrganizationKind.PARTNER and membership.role == Role.OWNER:
        return Organization.objects.filter(pk=membership.organization_id)
    if kind == OrganizationKind.HOST and membership.role == Role.ADMIN:
        return Organization.objects.filter(
            kind__in=(OrganizationKind.HOST, OrganizationKind.BANK, OrganizationKind.AGENCY)
        ).order_by("kind", "name")
    return Organization.objects.none()


def _visible_invitation_filter(user: Any) -> Q | None:
    """Invitations of the user's own organisation, plus those of organisations they manage."""
    own = organization_id_of(user)
    if own is None:
        return None
    condition = Q(organization_id=own)
    if is_host(user) and has_role(user, Role.ADMIN):
        condition |= Q(organization__kind__in=(OrganizationKind.BANK, OrganizationKind.AGENCY))
    return condition


def invitations_for_user(
    user: Any, *, organization: Organization | None = None, pending_only: bool = False
) -> QuerySet[Invitation]:
    """Invitations the user may see, newest first, optionally of one organisation / still pending."""
    condition = _visible_invitation_filter(user)
    if condition is None:
        return Invitation.objects.none()
    queryset = Invitation.objects.filter(condition).select_related("invited_by", "organization")
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    if pending_only:
        queryset = queryset.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
    return queryset.order_by("-created_at", "-pk")


def get_invitation_for_user(user: Any, invitation_id: int) -> Invitation:
    invitation = invitations_for_user(user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_for_token(raw_token: str) -> Invitation | None:
    """The invitation a link carries (looked up by the token's SHA-256; the token itself is not stored)."""
    if not raw_token or len(raw_token) > 200:
        return None
    return (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def invitation_problem(invitation: Invitation | None, user: Any = None) -> str | None:
    """Why this invitation cannot be accepted (by this logged-in user), or None when it can.

    The order matters: a used, revoked or expired link says so before anything about the person.
    """
    if invitation is None:
        return _("This invitation link is not valid. Ask for a new invitation.")
    status = invitation.status
    if status == InvitationStatus.ACCEPTED:
        return _("This invitation has already been used.")
    if status == InvitationStatus.REVOKED:
        return _("This invitation was withdrawn. Ask for a new invitation.")
    if status == InvitationStatus.EXPIRED:
        return _("This invitation has expired. Ask for a new invitation.")
    if not invitation.organization.is_active:
        return _("This organisation is no longer active.")
    if user is not None and getattr(user, "is_authenticated", False):
        if user.email.lower() != invitation.email.lower():
            return _("This invitation was sent to another e-mail address. Log out and open the link again.")
        if membership_of(user) is not None:
            return _("You already belong to an organisation. A person can belong to only one.")
    return None


def api_tokens_for_user(user: Any, *, include_revoked: bool = False) -> QuerySet[ApiToken]:
    """The user's own personal API tokens, newest first (active ones only unless asked)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    queryset = ApiToken.objects.filter(user_id=user.pk)
    if not include_revoked:
        queryset = queryset.filter(revoked_at__isnull=True)
    return queryset.order_by("-created_at", "-pk")


def get_api_token_for_user(user: Any, token_id: int) -> ApiToken:
    token = api_tokens_for_user(user, include_revoked=True).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def find_user(user_id: int, *, active_only: bool = False) -> User | None:
    """The person with this id (an id a form or API call names, e.g. a reviewer or sponsor), or None.

    The service that receives them checks their role; this only finds them.
    """
    people = User.objects.filter(is_active=True) if active_only else User.objects.all()
    return people.filter(pk=user_id).first()


def existing_user_for_email(email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower()).first()
