"""Helpers the overseas services share: clean text, notifications in each person's language, the
global unit's people, working days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import OrganizationKind, User
from sangsaeng.core import dates
from sangsaeng.core.services import notify
from sangsaeng.overseas.permissions import GLOBAL_UNIT_ROLES


def clean(value: str) -> str:
    return (value or "").strip()


def refuse() -> PermissionDenied:
    return PermissionDenied(_("You may not do this."))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (weekends and Korean public holidays, lunar and
    substitute days included, do not count)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if dates.is_business_day(day):
            counted += 1
    return day


def global_unit_people() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__kind=OrganizationKind.HOST,
            memberships__role__in=GLOBAL_UNIT_ROLES,
        ).distinct()
    )


def partner_people(organization_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__organization_id=organization_id
        ).distinct()
    )


def send(recipients: Iterable[User], message: Callable[[], tuple[str, str]], url: str) -> None:
    """One notification per recipient, worded in the recipient's language."""
    by_language: dict[str, list[User]] = {}
    for user in recipients:
        by_language.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user)
    for language, users in sorted(by_language.items()):
        with translation.override(language):
            title, body = message()
            notify(recipients=users, title=title, body=body, url=url)
