"""Menu entries of the Open Lab, each shown only to people who can use it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sangsaeng.core.navigation import NavEntry, register, register_group
from sangsaeng.openlab import permissions, selectors

register_group("openlab", _("Open Lab"))
register(
    NavEntry(label=_("Open Lab"), url_name="openlab:resources", visible=selectors.can_browse_lab, order=300)
)
register(
    NavEntry(
        label=_("Lab bookings"),
        url_name="openlab:booking_list",
        visible=lambda user: permissions.is_partner_person(user) or permissions.can_view_lab_reports(user),
        order=310,
    )
)
register(
    NavEntry(
        label=_("Booking approvals"),
        url_name="openlab:approvals",
        visible=permissions.can_view_operations,
        order=320,
    )
)
register(
    NavEntry(
        label=_("Today's check-ins"),
        url_name="openlab:checkins",
        visible=permissions.can_view_operations,
        order=330,
    )
)
register(
    NavEntry(
        label=_("Equipment on loan"), url_name="openlab:loans", visible=permissions.is_lab_operator, order=335
    )
)
register(
    NavEntry(
        label=_("Lab utilisation"),
        url_name="openlab:report",
        visible=permissions.can_view_lab_reports,
        order=340,
    )
)
register(
    NavEntry(
        label=_("Maintain the lab"),
        url_name="openlab:manage",
        visible=permissions.can_manage_resources,
        order=345,
    )
)
