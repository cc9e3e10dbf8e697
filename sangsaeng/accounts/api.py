"""Accounts API: me, organisations, members, invitations, personal API tokens."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from pydantic import Field

from sangsaeng.accounts import permissions, selectors, services
from sangsaeng.accounts.models import Invitation, Membership, OrganizationKind
from sangsaeng.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    InvitationIn,
    InvitationOut,
    MemberOut,
    MemberPageOut,
    MeOut,
    OrganizationOut,
)
from sangsaeng.core.models import PersonalDataAccess
from sangsaeng.core.pagination import LimitOffset
from sangsaeng.core.schemas import Id
from sangsaeng.core.services import log_personal_data_access
from sangsaeng.core.text import mask_email, mask_phone

router = Router(tags=["accounts"])

# The most rows one page may ask for: keeps every list call bounded whatever `limit` says.
MAX_PAGE_SIZE = 200


def _member_out(membership: Membership, *, masked: bool) -> dict[str, Any]:
    user = membership.user
    return {
        "id": membership.pk,
        "user_id": user.pk,
        "name": user.name,
        "email": mask_email(user.email) if masked else user.email,
        "phone": mask_phone(user.phone) if masked and user.phone else user.phone,
        "role": membership.role,
        "title": membership.title,
        "is_active": membership.is_active,
        "created_at": membership.created_at,
        "deactivated_at": membership.deactivated_at,
    }


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    """The caller, their organisation and role."""
    user = request.auth  # type: ignore[attr-defined]
    membership = selectors.membership_of(user)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "phone": user.phone,
        "language": user.language,
        "organization": membership.organization if membership else None,
        "role": membership.role if membership else None,
    }


@router.get("/organizations", response=list[OrganizationOut])
@paginate(LimitOffset, max_limit=MAX_PAGE_SIZE)
def list_organizations(request: HttpRequest, kind: OrganizationKind | None = None) -> Any:
    """Host and agency people see every organisation; others only their own."""
    queryset = selectors.organizations_for_user(request.auth).order_by("name", "pk")  # type: ignore[attr-defined]
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    return queryset


@router.get("/organizations/{organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: Id) -> Any:
    return selectors.get_organization_for_user(request.auth, organization_id)  # type: ignore[attr-defined]


class MemberFilters(LimitOffset.Input):
    is_active: bool | None = Field(None, description="Only active (true) or deactivated (false) people")


@router.get("/organizations/{organization_id}/members", response=MemberPageOut)
def list_members(request: HttpRequest, organization_id: Id, filters: Query[MemberFilters]) -> dict[str, Any]:
    """People of an organisation: for its owners/admins, and host admins (masked outside their own).

    A host admin reading a partner company's people is recorded in the personal-data access log.
    """
    user = request.auth  # type: ignore[attr-defined]
    organization = selectors.get_organization_for_user(user, organization_id)
    queryset = selectors.members_for_user(user, organization)
    if not permissions.can_view_members(user, organization):
        raise PermissionDenied(_("You cannot see the members of this organisation."))
    if filters.is_active is not None:
        queryset = queryset.filter(is_active=filters.is_active)
    limit = min(filters.limit, MAX_PAGE_SIZE)
    rows = list(queryset[filters.offset : filters.offset + limit])
    masked = organization.pk != selectors.organization_id_of(user)
    if masked and organization.kind == OrganizationKind.PARTNER:
        log_personal_data_access(
            actor=user,
            purpose=PersonalDataAccess.Purpose.VIEW,
            subject_label=f"members of {organization.name}",
            data_items="name, e-mail (masked), phone (masked), role, job title",
            subject_organization_id=organization.pk,
            subject_count=len(rows),
        )
    return {"items": [_member_out(row, masked=masked) for row in rows], "count": queryset.count()}


@router.post("/members/{membership_id}/deactivate", response=MemberOut)
def deactivate_member(request: HttpRequest, membership_id: Id) -> dict[str, Any]:
    """End a person's membership and every session and API token of theirs at once."""
    user = request.auth  # type: ignore[attr-defined]
    membership = selectors.get_membership_for_user(user, membership_id)
    membership = services.deactivate_member(actor=user, membership=membership)
    return _member_out(membership, masked=membership.organization_id != selectors.organization_id_of(user))


@router.get("/invitations", response=list[InvitationOut])
@paginate(LimitOffset, max_limit=MAX_PAGE_SIZE)
def list_invitations(request: HttpRequest, organization_id: Id | None = None, pending: bool = False) -> Any:
    """Invitations of the organisations whose people the caller manages."""
    user = request.auth  # type: ignore[attr-defined]
    if not permissions.can_view_invitations(user):
        raise PermissionDenied(_("You cannot see invitations."))
    organization = selectors.get_organization_for_user(user, organization_id) if organization_id else None
    return selectors.invitations_for_user(user, organization=organization, pending_only=pending)


@router.post("/invitations", response={201: InvitationOut})
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status[Invitation]:
    """Invite a person by e-mail; the link goes to them by mail (never in this response)."""
    user = request.auth  # type: ignore[attr-defined]
    organization = (
        selectors.get_organization_for_user(user, payload.organization_id)
        if payload.organization_id is not None
        else selectors.organization_of(user)
    )
    if organization is None:
        raise PermissionDenied(_("You do not belong to an organisation."))
    issued = services.invite_member(
        actor=user, organization=organization, email=payload.email, role=payload.role
    )
    return Status(201, issued.invitation)


@router.post("/invitations/{invitation_id}/revoke", response=InvitationOut)
def revoke_invitation(request: HttpRequest, invitation_id: Id) -> Invitation:
    user = request.auth  # type: ignore[attr-defined]
    invitation = selectors.get_invitation_for_user(user, invitation_id)
    return services.revoke_invitation(actor=user, invitation=invitation)


@router.get("/tokens", response=list[ApiTokenOut])
@paginate(LimitOffset, max_limit=MAX_PAGE_SIZE)
def list_tokens(request: HttpRequest, include_revoked: bool = False) -> Any:
    """The caller's own personal API tokens (never their secrets)."""
    return selectors.api_tokens_for_user(request.auth, include_revoked=include_revoked)  # type: ignore[attr-defined]


@router.post("/tokens", response={201: ApiTokenCreatedOut})
def create_token(request: HttpRequest, payload: ApiTokenIn) -> Status[dict[str, Any]]:
    """A new token; its secret is in this response only."""
    issued = services.create_api_token(actor=request.auth, name=payload.name)  # type: ignore[attr-defined]
    token = issued.token
    return Status(
        201,
        {
            "id": token.pk,
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
            "token": issued.raw_token,
        },
    )


@router.post("/tokens/{token_id}/revoke", response=ApiTokenOut)
def revoke_token(request: HttpRequest, token_id: Id) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    token = selectors.get_api_token_for_user(user, token_id)
    return services.revoke_api_token(actor=user, token=token)
