"""Menu entries of the councils (협의체): the councils page for everyone signed in with an organisation,
the secretariat's board for the host's council managers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import kind_of
from sangsaeng.core.navigation import NavEntry, register, register_group
from sangsaeng.councils import permissions


def _sees_councils(user: Any) -> bool:
    return kind_of(user) == OrganizationKind.PARTNER or permissions.reads_every_council(user)


register_group("councils", _("Councils"))
register(NavEntry(label=_("Councils"), url_name="councils:list", visible=_sees_councils, order=400))
register(
    NavEntry(
        label=_("Secretariat board"),
        url_name="councils:board",
        visible=permissions.is_council_manager,
        order=410,
    )
)
