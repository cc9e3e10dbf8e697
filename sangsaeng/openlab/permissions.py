"""Who may do what in the Open Lab (오픈랩). Small yes/no functions; services and views ask them.

Seeing a booking is decided by the selectors (another partner's booking is a 404); these answer
"may this insider do this?" (a no is a 403).
"""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.access import HostArea, host_may
from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.selectors import has_role, is_host, kind_of, organization_id_of, role_of
from sangsaeng.openlab.models import Booking
from sangsaeng.partners.models import Partner, PartnerStatus

# Host roles that approve or reject booking requests.
DECIDING_ROLES = (Role.LAB_OPERATOR, Role.PROGRAM_MANAGER)


def is_partner_person(user: Any) -> bool:
    return kind_of(user) == OrganizationKind.PARTNER


def can_book(user: Any, partner: Partner | None) -> bool:
    """People (owner or member) of an approved partner book the lab for their company."""
    return (
        partner is not None
        and is_partner_person(user)
        and organization_id_of(user) == partner.organization_id
        and partner.status == PartnerStatus.APPROVED
    )


def is_lab_decider(user: Any) -> bool:
    """Lab operators and programme managers decide on booking requests."""
    return is_host(user) and has_role(user, *DECIDING_ROLES)


def is_lab_operator(user: Any) -> bool:
    """Lab operators run the floor: check-in, completion, no-shows, loans."""
    return is_host(user) and has_role(user, Role.LAB_OPERATOR)


def can_decide_booking(user: Any, booking: Booking) -> bool:
    return is_lab_decider(user)


def can_cancel_booking(user: Any, booking: Booking) -> bool:
    """The person who booked, or the owner of the partner that booked."""
    if not is_partner_person(user) or organization_id_of(user) != booking.partner.organization_id:
        return False
    return booking.requested_by_id == user.pk or role_of(user) == Role.OWNER


def can_operate_booking(user: Any, booking: Booking) -> bool:
    return is_lab_operator(user)


def can_view_lab_reports(user: Any) -> bool:
    """Utilisation reports: host roles that include the Open Lab (accounts/access.py; auditors too)."""
    return host_may(user, HostArea.OPEN_LAB)


def can_view_operations(user: Any) -> bool:
    """The approvals queue and today's check-ins."""
    return is_lab_decider(user)


# Host roles that maintain the catalogue: sites, hours, zones, resources and rules, closures, photos.
MANAGING_ROLES = (Role.ADMIN, Role.LAB_OPERATOR, Role.PROGRAM_MANAGER)


def can_manage_resources(user: Any) -> bool:
    """Host administrators, lab operators and programme managers maintain the lab's catalogue."""
    return is_host(user) and has_role(user, *MANAGING_ROLES)
