"""One's own account: profile, password change and reset."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.accounts.services.common import actor_partner_id
from sangsaeng.core import audit
from sangsaeng.core.text import digits_only, mask_phone, normalize_text


def update_profile(*, actor: User, name: str, phone: str = "", language: str = "") -> User:
    """Change one's own name, phone and preferred language.

    Raises ValidationError for an empty name, a phone number that is not 8–15 digits, or an unknown
    language. The audit event records the phone number masked (personal data).
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        before = audit.snapshot(user, ("name", "phone", "language"))
        user.name = normalize_text(name)
        user.phone = normalize_text(phone)
        user.language = language or user.language
        errors: dict[str, list[str]] = {}
        if not user.name:
            errors["name"] = [_("Enter your name.")]
        if user.phone and not 8 <= len(digits_only(user.phone)) <= 15:
            errors["phone"] = [_("Enter a phone number of 8 to 15 digits, e.g. 010-1234-5678.")]
        if errors:
            raise ValidationError(errors)
        user.full_clean(exclude=["password"])
        user.save(update_fields=["name", "phone", "language"])
        after = audit.snapshot(user, ("name", "phone", "language"))
        changes = audit.diff(before, after)
        if "phone" in changes:
            changes["phone"] = [mask_phone(before["phone"]) or "", mask_phone(after["phone"]) or ""]
        if changes:
            audit.record(
                actor=user,
                action="accounts.update_profile",
                target=user,
                changes=changes,
                partner_organization_id=actor_partner_id(user),
            )
    actor.name, actor.phone, actor.language = user.name, user.phone, user.language
    return actor


def change_password(*, actor: User, new_password: str) -> User:
    """Set a new password for oneself (the caller has checked the old one).

    Raises ValidationError when Django's password validators refuse it. The audit event says only
    that the password changed.
    """
    with transaction.atomic():
        validate_password(new_password, actor)
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit.record(
            actor=actor,
            action="accounts.change_password",
            target=actor,
            changes={"password": ["***", "***"]},
            partner_organization_id=actor_partner_id(actor),
        )
    return actor


def reset_password(*, actor: User, new_password: str) -> User:
    """Set a new password from an e-mailed reset link (the link identifies the actor).

    Also lifts a login lockout of this account: holding the mailbox proves who they are.
    Raises ValidationError when Django's password validators refuse it.
    """
    from axes.utils import reset as reset_login_failures

    with transaction.atomic():
        validate_password(new_password, actor)
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit.record(
            actor=actor,
            action="accounts.reset_password",
            target=actor,
            changes={"password": ["***", "***"]},
            partner_organization_id=actor_partner_id(actor),
        )
        reset_login_failures(username=actor.email)
    return actor
