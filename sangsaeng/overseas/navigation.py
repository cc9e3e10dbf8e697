"""Menu entries of overseas expansion (글로벌), each shown only to people who can use it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sangsaeng.core.navigation import NavEntry, register, register_group
from sangsaeng.overseas import permissions

register_group("overseas", _("Overseas expansion"))
register(
    NavEntry(
        label=_("Overseas proposals"),
        url_name="overseas:proposals",
        visible=permissions.can_use_programme,
        order=600,
    )
)
register(
    NavEntry(
        label=_("Global opportunities"),
        url_name="overseas:opportunities",
        visible=permissions.can_use_programme,
        order=610,
    )
)
register(
    NavEntry(
        label=_("Overseas exhibitions"),
        url_name="overseas:exhibitions",
        visible=permissions.can_use_programme,
        order=620,
    )
)
register(
    NavEntry(
        label=_("Overseas report"),
        url_name="overseas:year_report",
        visible=permissions.can_view_host_side,
        order=630,
    )
)
