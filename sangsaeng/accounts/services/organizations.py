"""Organisations (조직): host admins add banks and agencies."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sangsaeng.accounts import permissions
from sangsaeng.accounts.models import Organization, User
from sangsaeng.core import audit
from sangsaeng.core.text import normalize_text


def create_organization(*, actor: User, kind: str, name: str, name_en: str = "") -> Organization:
    """Create a bank or agency organisation (host admins only; partners come through sign-up).

    Raises PermissionDenied for anyone else or another kind, ValidationError for bad fields.
    """
    with transaction.atomic():
        if not permissions.can_create_organization(actor, kind):
            raise PermissionDenied(_("Only host administrators can add bank and agency organisations."))
        organization = Organization(kind=kind, name=normalize_text(name), name_en=normalize_text(name_en))
        organization.full_clean()
        organization.save()
        audit.record(
            actor=actor,
            action="accounts.create_organization",
            target=organization,
            changes=audit.diff({}, audit.snapshot(organization, ("kind", "name", "name_en"))),
        )
    return organization
