"""Menu entries of the partner registry, each shown only to people who can use it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import is_host, kind_of
from sangsaeng.core.navigation import NavEntry, register, register_group
from sangsaeng.partners import permissions


def _browses_partners(user: object) -> bool:
    return is_host(user) or kind_of(user) == OrganizationKind.AGENCY


register_group("partners", _("Partners"))
register(NavEntry(label=_("Partners"), url_name="partners:directory", visible=_browses_partners, order=100))
register(
    NavEntry(
        label=_("Review queue"),
        url_name="partners:review_queue",
        visible=permissions.is_partner_decider,
        order=110,
    )
)
register(
    NavEntry(
        label=_("My company"), url_name="partners:mine", visible=permissions.is_partner_person, order=100
    )
)
register(
    NavEntry(
        label=_("Import partners"),
        url_name="partners:import",
        visible=permissions.can_import_partners,
        order=120,
    )
)
