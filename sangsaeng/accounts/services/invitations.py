"""Invitations (초대): sent by e-mail link, expiring, single use, revocable."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sangsaeng.accounts import permissions
from sangsaeng.accounts.models import Invitation, Membership, Organization, User, hash_token
from sangsaeng.accounts.selectors import forget_membership, invitation_for_token, invitation_problem
from sangsaeng.accounts.services.common import membership_fields, partner_id_of
from sangsaeng.core import audit
from sangsaeng.core.services import notify
from sangsaeng.core.text import normalize_text


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    raw_token: str  # goes into the e-mail link only; never stored


def invite_member(*, actor: User, organization: Organization, email: str, role: str) -> IssuedInvitation:
    """Invite a person by e-mail to join an organisation in a role (expiring, single-use link).

    Partner owners invite owners and members of their own company; host admins invite host staff,
    bank loan officers and agency observers. A still-pending invitation to the same address for the
    same organisation is withdrawn by the new one (a resend). The link goes out after commit: as a
    notification for someone who already has an active account, else as a plain e-mail.
    Raises PermissionDenied, or ValidationError when the role does not fit the organisation, the
    organisation is inactive or the person is already a member of it.
    """
    email = (email or "").strip().lower()
    with transaction.atomic():
        if not permissions.can_invite_member(actor, organization, role):
            raise PermissionDenied(_("You cannot invite people to this organisation in this role."))
        if not organization.is_active:
            raise ValidationError(_("This organisation is no longer active."))
        if Membership.objects.filter(organization=organization, user__email=email, is_active=True).exists():
            raise ValidationError({"email": _("This person is already a member of this organisation.")})
        raw_token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = Invitation(
            organization=organization,
            email=email,
            role=role,
            token_hash=hash_token(raw_token),
            invited_by=actor,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitation.full_clean(exclude=["token_hash"])
        superseded = list(
            Invitation.objects.select_for_update()
            .filter(
                organization=organization,
                email=email,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=now,
            )
            .values_list("pk", flat=True)
        )
        if superseded:
            Invitation.objects.filter(pk__in=superseded).update(revoked_at=now)
        invitation.save()
        changes = audit.diff({}, audit.snapshot(invitation, ("email", "role", "expires_at")))
        if superseded:
            changes["superseded_invitations"] = [None, superseded]
        audit.record(
            actor=actor,
            action="accounts.invite_member",
            target=invitation,
            changes=changes,
            partner_organization_id=partner_id_of(organization),
        )
        _send_invitation_after_commit(invitation, raw_token)
    return IssuedInvitation(invitation=invitation, raw_token=raw_token)


def _send_invitation_after_commit(invitation: Invitation, raw_token: str) -> None:
    """Existing active people get an in-app notification with its e-mail copy; others a plain e-mail.

    The notification keeps the link in the database; that is safe because an existing account can
    accept only while logged in with the invited address. For people without an active account the
    link alone creates or reopens the account, so it travels only in the task and the e-mail.
    """
    existing = User.objects.filter(email=invitation.email, is_active=True).first()
    if existing is not None:
        with translation.override(existing.language or settings.LANGUAGE_CODE):
            title = _("Invitation to join %(organization)s") % {"organization": invitation.organization.name}
            body = _("%(inviter)s invited you to join %(organization)s as %(role)s.") % {
                "inviter": invitation.invited_by.name or invitation.invited_by.email,
                "organization": invitation.organization.name,
                "role": invitation.get_role_display(),
            }
        notify(
            recipients=[existing],
            title=title,
            body=body,
            url=reverse("accounts:invitation_accept", args=[raw_token]),
        )
        return
    from sangsaeng.accounts.tasks import send_invitation_email

    invitation_id = invitation.pk
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation_id, raw_token, language))


def revoke_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation so its link stops working.

    Raises PermissionDenied, or ValidationError when it was already used, withdrawn or expired.
    """
    with transaction.atomic():
        if not permissions.can_revoke_invitation(actor, invitation):
            raise PermissionDenied(_("You cannot withdraw invitations of this organisation."))
        now = timezone.now()
        # Conditional update: a concurrent acceptance and a withdrawal cannot both win.
        updated = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(revoked_at=now)
        if updated != 1:
            raise ValidationError(_("Only a pending invitation can be withdrawn."))
        invitation.revoked_at = now
        audit.record(
            actor=actor,
            action="accounts.revoke_invitation",
            target=invitation,
            changes={"revoked_at": [None, now]},
            partner_organization_id=partner_id_of(invitation.organization),
        )
    return invitation


def accept_invitation(
    *, actor: User | None, raw_token: str, name: str = "", password: str = "", language: str = ""
) -> Membership:
    """Join the organisation of an invitation; returns the new membership.

    A logged-in person (`actor`) with the invited e-mail address and no active membership joins as
    they are. Without `actor`, a new person gets an account with `name` and `password` (Django's
    password validators) in `language` (their page language); a former member whose account was
    closed reopens it the same way, since the link proves they hold the mailbox. A person who still has an active account must log in.
    Raises ValidationError when the link is unknown, used, withdrawn or expired, for another
    address, or when name or password are not valid.
    """
    invitation = invitation_for_token(raw_token)
    with transaction.atomic():
        if invitation is not None:
            # Lock the row (PostgreSQL; SQLite's IMMEDIATE transaction serialises) so two people
            # opening the same link at once cannot both join.
            invitation = (
                Invitation.objects.select_for_update()
                .select_related("organization", "invited_by")
                .get(pk=invitation.pk)
            )
        problem = invitation_problem(invitation, actor)
        if problem is not None or invitation is None:
            raise ValidationError(problem or _("This invitation link is not valid."))
        reopened = False
        if actor is not None and actor.is_authenticated:
            user = actor
        else:
            user, reopened = _user_for_new_member(invitation.email, name, password, language)
        now = timezone.now()
        membership = Membership(user=user, organization=invitation.organization, role=invitation.role)
        membership.full_clean()
        membership.save()
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_at=now, accepted_by=user)
        if claimed != 1:
            raise ValidationError(_("This invitation has already been used."))
        invitation.accepted_at, invitation.accepted_by = now, user
        forget_membership(user)
        changes = audit.diff({}, membership_fields(membership))
        changes["invitation"] = [None, invitation.pk]
        if reopened:
            changes["account_reopened"] = [False, True]
        audit.record(
            actor=user,
            action="accounts.accept_invitation",
            target=membership,
            changes=changes,
            partner_organization_id=partner_id_of(invitation.organization),
        )
        with translation.override(invitation.invited_by.language or settings.LANGUAGE_CODE):
            title = _("%(person)s joined %(organization)s") % {
                "person": user.name or user.email,
                "organization": invitation.organization.name,
            }
        notify(recipients=[invitation.invited_by], title=title, url=reverse("accounts:members"))
    return membership


def _user_for_new_member(email: str, name: str, password: str, language: str) -> tuple[User, bool]:
    """A new account, or a closed account reopened; (user, reopened)."""
    user = User.objects.select_for_update().filter(email=email).first()
    if user is not None and user.is_active:
        raise ValidationError(
            _("An account with this e-mail address exists. Log in, then open the invitation link again.")
        )
    if user is not None and Membership.objects.filter(user=user, is_active=True).exists():
        raise ValidationError(_("You already belong to an organisation. A person can belong to only one."))
    reopened = user is not None
    if user is None:
        user = User(email=email)
    user.name = normalize_text(name)
    user.is_active = True
    if language in dict(settings.LANGUAGES):
        user.language = language
    errors: dict[str, list[str]] = {}
    if not user.name:
        errors["name"] = [_("Enter your name.")]
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user, reopened
