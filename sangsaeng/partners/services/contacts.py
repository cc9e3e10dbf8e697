"""Contact people of a partner. Personal data: the audit trail keeps masked values only (PIPA)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit
from sangsaeng.core.text import digits_only, mask_email, mask_name, mask_phone, normalize_text
from sangsaeng.partners import permissions
from sangsaeng.partners.models import Contact, Partner
from sangsaeng.partners.services.common import ErrorDict, add_error, merge_errors

CONTACT_FIELDS: tuple[str, ...] = ("name", "department", "email", "phone", "is_primary")


def _contact_trace(contact: Contact) -> dict[str, Any]:
    return {
        "name": mask_name(contact.name),
        "department": contact.department,
        "email": mask_email(contact.email),
        "phone": mask_phone(contact.phone) if contact.phone else "",
        "is_primary": contact.is_primary,
    }


def _save_contact(contact: Contact, values: Mapping[str, Any]) -> None:
    errors: ErrorDict = {}
    for name, value in values.items():
        if name not in CONTACT_FIELDS:
            add_error(errors, name, _("You cannot change this field here."))
        elif name == "is_primary":
            contact.is_primary = bool(value)
        elif name == "email":
            contact.email = normalize_text(str(value or "")).lower()
        elif name == "phone":
            phone = normalize_text(str(value or ""))
            if phone and not 7 <= len(digits_only(phone)) <= 15:
                add_error(errors, "phone", _("Enter a phone number of 7 to 15 digits."))
            contact.phone = phone
        else:
            setattr(contact, name, normalize_text(str(value or "")))
    try:
        contact.full_clean(exclude=["partner"])
    except ValidationError as error:
        merge_errors(errors, error)
    if errors:
        raise ValidationError(errors)
    if contact.is_primary:  # one primary contact per partner; the partner row is locked by the caller
        Contact.objects.filter(partner_id=contact.partner_id, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False
        )
    contact.save()


def add_contact(*, actor: User, partner: Partner, values: Mapping[str, Any]) -> Contact:
    """Add a contact person. Own people and host deciders. Raises PermissionDenied or ValidationError."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if not permissions.can_manage_contacts(actor, partner):
            raise PermissionDenied(_("You may not change this company's contacts."))
        contact = Contact(partner=partner)
        _save_contact(contact, values)
        audit.record(
            actor=actor,
            action="partners.add_contact",
            target=contact,
            changes=audit.diff({}, _contact_trace(contact)),
            partner_organization_id=partner.organization_id,
        )
    return contact


def update_contact(*, actor: User, contact: Contact, values: Mapping[str, Any]) -> Contact:
    """Change a contact person. Own people and host deciders. Raises PermissionDenied or ValidationError."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=contact.partner_id)
        if not permissions.can_manage_contacts(actor, partner):
            raise PermissionDenied(_("You may not change this company's contacts."))
        contact = Contact.objects.get(pk=contact.pk, partner=partner)
        before = _contact_trace(contact)
        _save_contact(contact, values)
        changed = audit.diff(before, _contact_trace(contact))
        if changed:
            audit.record(
                actor=actor,
                action="partners.update_contact",
                target=contact,
                changes=changed,
                partner_organization_id=partner.organization_id,
            )
    return contact


def remove_contact(*, actor: User, contact: Contact) -> None:
    """Remove a contact person (their data is deleted). Raises PermissionDenied."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=contact.partner_id)
        if not permissions.can_manage_contacts(actor, partner):
            raise PermissionDenied(_("You may not change this company's contacts."))
        audit.record(
            actor=actor,
            action="partners.remove_contact",
            target=contact,
            changes=audit.diff(_contact_trace(contact), {}),
            partner_organization_id=partner.organization_id,
        )
        contact.delete()
