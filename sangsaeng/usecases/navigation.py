"""Menu entries of the use-case pipeline, each shown only to people who can use it.

The menu is shared by every programme, so the report is reached from the board (not the menu) and the
showcase is listed for partners only (the host has the full list).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.selectors import is_host
from sangsaeng.core.navigation import NavEntry, register, register_group
from sangsaeng.usecases import permissions


def _partner_showcase(user: Any) -> bool:
    return permissions.can_view_showcase(user) and not is_host(user)


register_group("usecases", _("5G use cases"))
register(
    NavEntry(
        label=_("Use cases"), url_name="usecases:list", visible=permissions.can_view_use_case_list, order=300
    )
)
register(
    NavEntry(
        label=_("Use-case board"), url_name="usecases:board", visible=permissions.can_view_board, order=310
    )
)
register(
    NavEntry(label=_("Use-case showcase"), url_name="usecases:showcase", visible=_partner_showcase, order=320)
)
