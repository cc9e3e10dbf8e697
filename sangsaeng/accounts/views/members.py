"""The members page: people of an organisation, their roles, invitations; new bank/agency organisations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts import permissions, selectors, services
from sangsaeng.accounts.forms import InvitationForm, OrganizationForm
from sangsaeng.accounts.models import ROLES_BY_KIND, Membership, Organization, OrganizationKind, Role
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page, wants_partial
from sangsaeng.core.models import PersonalDataAccess
from sangsaeng.core.services import log_personal_data_access

_STATUS_FILTERS = {"active": True, "inactive": False}


def _organization_from(request: AuthenticatedHttpRequest, raw: str | None) -> Organization:
    """The organisation named by ?organization= (404 unless visible), else the user's own."""
    if raw:
        if not raw.isdigit():
            raise Http404
        return selectors.get_organization_for_user(request.user, int(raw))
    organization = selectors.organization_of(request.user)
    if organization is None:
        raise PermissionDenied(_("You do not belong to an organisation."))
    return organization


def _role_choices(organization: Organization) -> list[tuple[str, str]]:
    return [(role, str(Role(role).label)) for role in ROLES_BY_KIND.get(organization.kind, ())]


def _members_url(request: AuthenticatedHttpRequest, organization: Organization) -> str:
    url = reverse("accounts:members")
    if organization.pk != selectors.organization_id_of(request.user):
        url += f"?organization={organization.pk}"
    return url


def _invitations_context(
    request: AuthenticatedHttpRequest, organization: Organization, form: InvitationForm | None = None
) -> dict[str, Any]:
    roles = permissions.invitable_roles(request.user, organization)
    invitations = (
        list(
            selectors.invitations_for_user(request.user, organization=organization, pending_only=True)[
                : settings.PAGE_SIZE
            ]
        )
        if roles
        else []
    )
    return {
        "organization": organization,
        "invite_form": form or InvitationForm(roles=roles),
        "can_invite": bool(roles),
        "invitations": invitations,
    }


def _members_context(
    request: AuthenticatedHttpRequest, organization: Organization, form: InvitationForm | None = None
) -> dict[str, Any]:
    user = request.user
    if not permissions.can_view_members(user, organization):
        raise PermissionDenied(_("You cannot see the members of this organisation."))
    queryset = selectors.members_for_user(user, organization)
    status = request.GET.get("status", "")
    if status in _STATUS_FILTERS:
        queryset = queryset.filter(is_active=_STATUS_FILTERS[status])
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    masked = organization.pk != selectors.organization_id_of(user)
    if masked and organization.kind == OrganizationKind.PARTNER:
        # PIPA: host staff looking at a partner company's people is logged, even masked.
        log_personal_data_access(
            actor=user,
            purpose=PersonalDataAccess.Purpose.VIEW,
            subject_label=f"members of {organization.name}",
            data_items="name, e-mail (masked), phone (masked), role, job title",
            subject_organization_id=organization.pk,
            subject_count=len(page.object_list),
        )
    can_manage = permissions.can_manage_members(user, organization)
    return {
        "page": page,
        "status": status,
        "masked": masked,
        "can_manage": can_manage,
        "roles": _role_choices(organization) if can_manage else [],
        "switchable_organizations": list(selectors.managed_organizations_for_user(user)),
        "can_create_organization": permissions.is_host_admin(user),
        **_invitations_context(request, organization, form),
    }


@login_required
def members(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Own organisation's members; host admins may look at any organisation with ?organization=."""
    organization = _organization_from(request, request.GET.get("organization"))
    context = _members_context(request, organization)
    return render_page(request, "accounts/members.html", "accounts/partials/member_list.html", context)


def _row_response(
    request: AuthenticatedHttpRequest,
    membership: Membership,
    action: Callable[[], Membership],
    success: str,
) -> HttpResponse:
    """Run a member action; answer the htmx row fragment or redirect back to the page."""
    error = ""
    try:
        membership = action()
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if wants_partial(request):
        organization = membership.organization
        can_manage = permissions.can_manage_members(request.user, organization)
        context = {
            "m": membership,
            "masked": organization.pk != selectors.organization_id_of(request.user),
            "can_manage": can_manage,
            "roles": _role_choices(organization) if can_manage else [],
            "row_error": error,
            "row_success": "" if error else success,
        }
        return render(request, "accounts/partials/member_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(_members_url(request, membership.organization))


@login_required
@require_POST
def member_role(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.get_membership_for_user(request.user, membership_id)
    role = request.POST.get("role", "")
    return _row_response(
        request,
        membership,
        lambda: services.change_member_role(actor=request.user, membership=membership, role=role),
        _("The role was changed."),
    )


@login_required
@require_POST
def member_deactivate(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.get_membership_for_user(request.user, membership_id)
    return _row_response(
        request,
        membership,
        lambda: services.deactivate_member(actor=request.user, membership=membership),
        _("%(name)s was deactivated and logged out everywhere.") % {"name": membership.user.name},
    )


@login_required
@require_POST
def member_reactivate(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.get_membership_for_user(request.user, membership_id)
    return _row_response(
        request,
        membership,
        lambda: services.reactivate_member(actor=request.user, membership=membership),
        _("%(name)s can log in again.") % {"name": membership.user.name},
    )


@login_required
@require_POST
def invitation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organization = _organization_from(request, request.POST.get("organization"))
    # Parse against every role of this kind; the service decides what this person may give.
    form = InvitationForm(request.POST, roles=ROLES_BY_KIND.get(organization.kind, ()))
    if form.is_valid():
        try:
            services.invite_member(
                actor=request.user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            if wants_partial(request):
                return render(
                    request,
                    "accounts/partials/invitation_panel.html",
                    _invitations_context(request, organization),
                )
            return redirect(_members_url(request, organization))
    elif not permissions.invitable_roles(request.user, organization):
        raise PermissionDenied(_("You cannot invite people to this organisation."))
    if wants_partial(request):
        return render(
            request,
            "accounts/partials/invitation_panel.html",
            _invitations_context(request, organization, form),
        )
    return render(request, "accounts/members.html", _members_context(request, organization, form), status=422)


@login_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_user(request.user, invitation_id)
    try:
        services.revoke_invitation(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    if wants_partial(request):
        return render(
            request,
            "accounts/partials/invitation_panel.html",
            _invitations_context(request, invitation.organization),
        )
    return redirect(_members_url(request, invitation.organization))


@login_required
def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Host admins add a bank or an agency organisation, then invite its people."""
    if not permissions.is_host_admin(request.user):
        raise PermissionDenied(_("Only host administrators can add organisations."))
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.create_organization(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s was added. Invite its people now.") % {"name": organization.name}
            )
            return redirect(f"{reverse('accounts:members')}?organization={organization.pk}")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/organization_form.html", {"form": form}, status=status)
