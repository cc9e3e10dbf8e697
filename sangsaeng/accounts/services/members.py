"""Members (구성원): roles, deactivation that ends every session, reactivation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts import permissions
from sangsaeng.accounts.models import MANAGER_ROLE_BY_KIND, ApiToken, Membership, Organization, User
from sangsaeng.accounts.selectors import forget_membership
from sangsaeng.accounts.services.common import membership_fields, partner_id_of
from sangsaeng.core import audit


def _lock_people_of(actor: User, membership: Membership) -> Membership:
    """Serialise changes to one organisation's people, then read the membership afresh.

    The organisation's row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transaction already serialises writers), so two managers acting at once — e.g. two owners
    removing each other — run one after the other. The actor's own membership is read again after
    the lock, so the second one sees that the first has removed them.
    """
    list(
        Organization.objects.select_for_update()
        .filter(pk=membership.organization_id)
        .values_list("pk", flat=True)
    )
    forget_membership(actor)
    return Membership.objects.select_related("user", "organization").get(pk=membership.pk)


def _refuse_losing_last_manager(membership: Membership) -> None:
    """An organisation keeps at least one active manager (partner owner, host admin).

    Runs under `_lock_people_of`, so the count cannot change before the caller commits.
    """
    manager_role = MANAGER_ROLE_BY_KIND.get(membership.organization.kind)
    if manager_role is None or membership.role != manager_role or not membership.is_active:
        return
    others = Membership.objects.filter(
        organization_id=membership.organization_id, role=manager_role, is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _("An organisation needs at least one active %(role)s. Appoint another one first.")
            % {"role": membership.get_role_display().lower()}
        )


def change_member_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Give an active member another role of their organisation's kind.

    Raises PermissionDenied (not a manager of this organisation, or a role outside it),
    ValidationError for an inactive member or when the last owner / admin would be demoted.
    """
    with transaction.atomic():
        membership = _lock_people_of(actor, membership)
        if not permissions.can_change_member_role(actor, membership, role):
            raise PermissionDenied(_("You cannot give this role in this organisation."))
        if not membership.is_active:
            raise ValidationError(_("Reactivate this person before changing their role."))
        if membership.role == role:
            return membership
        _refuse_losing_last_manager(membership)
        before = membership_fields(membership)
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
        audit.record(
            actor=actor,
            action="accounts.change_member_role",
            target=membership,
            changes=audit.diff(before, membership_fields(membership)),
            partner_organization_id=partner_id_of(membership.organization),
        )
    forget_membership(actor)
    return membership


def deactivate_member(*, actor: User, membership: Membership) -> Membership:
    """Remove a person from the organisation and end their access at once.

    The membership becomes inactive and the account too: Django then refuses the person's existing
    sessions on their next request (ModelBackend.get_user ignores inactive users), so every session
    ends together; their API tokens are revoked. Raises PermissionDenied, or ValidationError when
    already inactive or when this is the organisation's last active owner / admin.
    """
    with transaction.atomic():
        membership = _lock_people_of(actor, membership)
        if not permissions.can_deactivate_member(actor, membership):
            raise PermissionDenied(_("You cannot remove people from this organisation."))
        if not membership.is_active:
            raise ValidationError(_("This person is already deactivated."))
        _refuse_losing_last_manager(membership)
        before = membership_fields(membership)
        now = timezone.now()
        membership.is_active = False
        membership.deactivated_at = now
        membership.save(update_fields=["is_active", "deactivated_at"])
        User.objects.filter(pk=membership.user_id).update(is_active=False)
        membership.user.is_active = False
        revoked_tokens = ApiToken.objects.filter(user_id=membership.user_id, revoked_at__isnull=True).update(
            revoked_at=now
        )
        changes = audit.diff(before, membership_fields(membership))
        changes["account_active"] = [True, False]
        if revoked_tokens:
            changes["api_tokens_revoked"] = [0, revoked_tokens]
        audit.record(
            actor=actor,
            action="accounts.deactivate_member",
            target=membership,
            changes=changes,
            partner_organization_id=partner_id_of(membership.organization),
        )
    forget_membership(actor)
    return membership


def reactivate_member(*, actor: User, membership: Membership) -> Membership:
    """Let a deactivated person back in (membership and account active again; tokens stay revoked).

    Raises PermissionDenied, or ValidationError when the membership is active or the person has
    joined another organisation since.
    """
    with transaction.atomic():
        membership = _lock_people_of(actor, membership)
        if not permissions.can_reactivate_member(actor, membership):
            raise PermissionDenied(_("You cannot reactivate people in this organisation."))
        if membership.is_active:
            raise ValidationError(_("This person is already active."))
        if Membership.objects.filter(user_id=membership.user_id, is_active=True).exists():
            raise ValidationError(_("This person now belongs to another organisation."))
        before = membership_fields(membership)
        membership.is_active = True
        membership.deactivated_at = None
        membership.save(update_fields=["is_active", "deactivated_at"])
        User.objects.filter(pk=membership.user_id).update(is_active=True)
        membership.user.is_active = True
        changes = audit.diff(before, membership_fields(membership))
        changes["account_active"] = [False, True]
        audit.record(
            actor=actor,
            action="accounts.reactivate_member",
            target=membership,
            changes=changes,
            partner_organization_id=partner_id_of(membership.organization),
        )
    return membership
