"""Menu entries of the R&D fund, each shown only to people who can use it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sangsaeng.core.navigation import NavEntry, register, register_group
from sangsaeng.rnd import permissions

register_group("rnd", _("Joint R&D"))
register(
    NavEntry(
        label=_("R&D proposals"),
        url_name="rnd:my_proposals",
        visible=permissions.is_partner_person,
        order=300,
    )
)
register(
    NavEntry(label=_("R&D reviews"), url_name="rnd:my_reviews", visible=permissions.is_reviewer, order=300)
)
register(NavEntry(label=_("R&D fund"), url_name="rnd:manage", visible=permissions.is_fund_reader, order=300))
