"""Helpers shared by the partner services: field errors, recipients, notifications in each person's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sangsaeng.accounts.models import OrganizationKind, Role, User
from sangsaeng.accounts.selectors import people_with_role
from sangsaeng.core.services import notify
from sangsaeng.partners import permissions
from sangsaeng.partners.models import Partner

ErrorDict = dict[str, list[ValidationError]]


def add_error(errors: ErrorDict, field: str, error: ValidationError | str) -> None:
    errors.setdefault(field, []).append(
        error if isinstance(error, ValidationError) else ValidationError(error)
    )


def merge_errors(errors: ErrorDict, error: ValidationError) -> None:
    """Fold a ValidationError (field dict or plain) into `errors`, so all problems are reported at once."""
    error.update_error_dict(errors)  # type: ignore[arg-type]


def host_deciders() -> list[User]:
    """Active host administrators and programme managers: they hear about sign-ups."""
    return list(people_with_role(*permissions.DECIDING_ROLES, organization_kind=OrganizationKind.HOST))


def partner_owners(partner: Partner) -> list[User]:
    """Active owners of the partner: they hear about decisions on their company."""
    return list(people_with_role(Role.OWNER, organization_id=partner.organization_id))


def notify_in_their_language(
    recipients: Iterable[User], message: Callable[[], tuple[str, str]], url: str
) -> None:
    """One notification per recipient, worded in the recipient's own language (ko/en).

    `message` is called once per language inside translation.override and returns (title, body).
    """
    by_language: dict[str, list[User]] = {}
    for user in recipients:
        by_language.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user)
    for language, users in sorted(by_language.items()):
        with translation.override(language):
            title, body = message()
            notify(recipients=users, title=title, body=body, url=url)


def partner_url(partner: Partner) -> str:
    return reverse("partners:detail", kwargs={"partner_id": partner.pk})
