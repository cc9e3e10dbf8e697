"""Menu entries of the loan fund, each shown only to people who can use it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sangsaeng.core.navigation import NavEntry, register, register_group
from sangsaeng.finance import permissions
from sangsaeng.finance.services.setup import can_set_up_funds


def _sees_applications(user: object) -> bool:
    return permissions.is_partner_person(user) or permissions.can_view_fund_dashboard(user)


register_group("finance", _("Co-prosperity finance"))
register(
    NavEntry(label=_("Fund loans"), url_name="finance:applications", visible=_sees_applications, order=300)
)
register(
    NavEntry(
        label=_("Loans"),
        url_name="finance:loans",
        visible=lambda user: _sees_applications(user) or permissions.is_loan_officer(user),
        order=305,
    )
)
register(
    NavEntry(
        label=_("Loan review"),
        url_name="finance:review_queue",
        visible=permissions.is_fund_manager,
        order=310,
    )
)
register(
    NavEntry(
        label=_("Bank queue"), url_name="finance:bank_queue", visible=permissions.is_loan_officer, order=300
    )
)
register(
    NavEntry(
        label=_("Fund dashboard"),
        url_name="finance:dashboard",
        visible=permissions.can_view_fund_dashboard,
        order=320,
    )
)
register(
    NavEntry(
        label=_("Partner grades"), url_name="finance:grades", visible=permissions.is_fund_manager, order=325
    )
)
register(
    NavEntry(
        label=_("Benefit sharing"), url_name="finance:sharing_tasks", visible=_sees_applications, order=330
    )
)
register(NavEntry(label=_("Fund set-up"), url_name="finance:fund_setup", visible=can_set_up_funds, order=335))
register(
    NavEntry(
        label=_("Incentive rules"),
        url_name="finance:sharing_rules",
        visible=permissions.can_manage_sharing,
        order=332,
    )
)
