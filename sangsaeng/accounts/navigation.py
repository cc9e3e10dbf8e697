"""Accounts entries in the role-aware navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.permissions import can_open_members_page
from sangsaeng.core.navigation import NavEntry, register, register_group

register_group("accounts", _("My organisation"))
register(NavEntry(label=_("Members"), url_name="accounts:members", visible=can_open_members_page, order=900))
register(NavEntry(label=_("API tokens"), url_name="accounts:tokens", visible=lambda user: True, order=910))
