"""What each host role may open: the one permission matrix for host people (issue 11 §5).

Every host person belongs to the host company with one role; each role gets what its work needs and
no more. Programme managers and administrators see every programme area; reviewers score the R&D
proposals assigned to them; lab operators run the Open Lab; auditors read (never write) the records
they audit. The apps' `permissions.py` and selectors ask `host_may(user, area)` instead of "is this a
host person?", so pages and the API follow the same table (README "Who sees what at the host").

    from sangsaeng.accounts.access import HostArea, host_may

    if is_own_partner(user, partner) or host_may(user, HostArea.PARTNER_PEOPLE):
        ...

Writes stay with each app's own rules (a programme manager recommends a loan, an auditor never
does); this table only decides which records a host role may open at all.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import Role
from sangsaeng.accounts.selectors import is_host, role_of


class HostArea(StrEnum):
    PARTNER_PROFILES = "partner_profiles"
    PARTNER_PEOPLE = "partner_people"
    PARTNER_DOCUMENTS = "partner_documents"
    LOANS = "loans"
    FUND_DASHBOARD = "fund_dashboard"
    SHARING = "sharing"
    RND_FUND = "rnd_fund"
    USE_CASES = "use_cases"
    OPEN_LAB = "open_lab"
    AUDIT_TRAIL = "audit_trail"
    PERSONAL_DATA_LOG = "personal_data_log"


AREA_LABELS: dict[HostArea, Any] = {
    HostArea.PARTNER_PROFILES: _("Partner directory and company pages"),
    HostArea.PARTNER_PEOPLE: _("Partner contacts and members (personal data)"),
    HostArea.PARTNER_DOCUMENTS: _("Partner documents"),
    HostArea.LOANS: _("Loan applications, recommendation letters and loans"),
    HostArea.FUND_DASHBOARD: _("Loan fund dashboard and partner grades"),
    HostArea.SHARING: _("Benefit-sharing tasks and incentive points"),
    HostArea.RND_FUND: _("R&D calls, every proposal and the fund ledger"),
    HostArea.USE_CASES: _("5G use cases"),
    HostArea.OPEN_LAB: _("Open Lab bookings and reports"),
    HostArea.AUDIT_TRAIL: _("Audit trail"),
    HostArea.PERSONAL_DATA_LOG: _("Personal-data access log"),
}

_ADMIN, _PM, _REVIEWER, _LAB, _AUDITOR = (
    Role.ADMIN,
    Role.PROGRAM_MANAGER,
    Role.REVIEWER,
    Role.LAB_OPERATOR,
    Role.AUDITOR,
)

# area -> host roles that may open it. Reviewers see the R&D proposals assigned to them through the
# R&D app's own rule (an assignment), and a use case's sponsor the benefit-sharing tasks of its
# partner (finance.selectors.sharing), not through this table.
HOST_MATRIX: dict[HostArea, frozenset[str]] = {
    HostArea.PARTNER_PROFILES: frozenset({_ADMIN, _PM, _REVIEWER, _LAB, _AUDITOR}),
    HostArea.PARTNER_PEOPLE: frozenset({_ADMIN, _PM}),
    HostArea.PARTNER_DOCUMENTS: frozenset({_ADMIN, _PM, _AUDITOR}),
    HostArea.LOANS: frozenset({_ADMIN, _PM, _AUDITOR}),
    HostArea.FUND_DASHBOARD: frozenset({_ADMIN, _PM, _AUDITOR}),
    HostArea.SHARING: frozenset({_ADMIN, _PM, _AUDITOR}),
    HostArea.RND_FUND: frozenset({_ADMIN, _PM, _AUDITOR}),
    HostArea.USE_CASES: frozenset({_ADMIN, _PM, _REVIEWER, _LAB, _AUDITOR}),
    HostArea.OPEN_LAB: frozenset({_ADMIN, _PM, _LAB, _AUDITOR}),
    HostArea.AUDIT_TRAIL: frozenset({_ADMIN, _AUDITOR}),
    HostArea.PERSONAL_DATA_LOG: frozenset({_ADMIN, _AUDITOR}),
}


def host_may(user: Any, area: HostArea) -> bool:
    """Whether this user is a host person whose role may open `area` (False for everyone else)."""
    return is_host(user) and role_of(user) in HOST_MATRIX[area]


def host_lacks(user: Any, area: HostArea) -> bool:
    """A host person whose role does not include `area` (partners, banks and the agency are scoped
    by each app's selectors instead, so this is False for them)."""
    return is_host(user) and not host_may(user, area)


def require_area(user: Any, area: HostArea) -> None:
    """403 for a host person whose role does not include `area` (lists, exports, dashboards)."""
    if host_lacks(user, area):
        raise PermissionDenied(
            gettext("Your role does not include this: %(area)s.") % {"area": AREA_LABELS[area]}
        )
