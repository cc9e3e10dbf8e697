"""Who may do what with partner companies (협력사). Small yes/no functions; services and views ask them.

Seeing is decided by the selectors (another partner's company is a 404); these answer the
question "may this insider do this?" (a no is a 403).
"""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.access import HostArea, host_may
from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.selectors import (
    has_role,
    is_host,
    is_host_staff,
    kind_of,
    membership_of,
    organization_id_of,
)
from sangsaeng.core import workflow
from sangsaeng.partners.models import Partner, PartnerStatus

# Host roles that decide on partners (approve, reject, …) and may edit any partner's profile.
DECIDING_ROLES = (Role.ADMIN, Role.PROGRAM_MANAGER)


def is_partner_decider(user: Any) -> bool:
    """Host administrators and programme managers run onboarding."""
    return is_host(user) and has_role(user, *DECIDING_ROLES)


def is_own_partner(user: Any, partner: Partner) -> bool:
    """The user is one of the partner's people (owner or member)."""
    return kind_of(user) == OrganizationKind.PARTNER and organization_id_of(user) == partner.organization_id


def is_partner_person(user: Any) -> bool:
    return kind_of(user) == OrganizationKind.PARTNER


def can_sign_up_partner(user: Any) -> bool:
    """Anyone without an organisation may register a company; members of one may not register another."""
    return not getattr(user, "is_authenticated", False) or membership_of(user) is None


def can_view_directory(user: Any) -> bool:
    """The host (every role), the agency and banks browse partners; partner people see their own."""
    return membership_of(user) is not None


def can_view_partner_details(user: Any, partner: Partner) -> bool:
    """Full profile (finances, documents, history): host, agency and the partner's own people.

    Banks see list fields only (name, number, size, tier, fields) of approved partners.
    """
    return is_host(user) or kind_of(user) == OrganizationKind.AGENCY or is_own_partner(user, partner)


def can_edit_partner(user: Any, partner: Partner) -> bool:
    """The partner's owner and members edit their own profile; host deciders may edit any."""
    return is_own_partner(user, partner) or is_partner_decider(user)


def can_change_locked_fields(user: Any, partner: Partner) -> bool:
    """After approval the BRN and the registered name are locked; only host deciders change them."""
    was_approved = partner.approved_at is not None or partner.status in (
        PartnerStatus.APPROVED,
        PartnerStatus.SUSPENDED,
    )
    return not was_approved or is_partner_decider(user)


def can_edit_host_fields(user: Any, partner: Partner) -> bool:
    """Fields the host confirms (the fair-trade agreement it signed with the partner)."""
    return is_partner_decider(user)


def can_decide_partner(user: Any, partner: Partner) -> bool:
    """Host deciders, and never for their own company (checked again in the service with a message)."""
    return is_partner_decider(user) and not is_deciding_own_company(user, partner)


def is_deciding_own_company(user: Any, partner: Partner) -> bool:
    """No one approves their own company: same organisation, or the person who registered it."""
    return organization_id_of(user) == partner.organization_id or (
        partner.created_by_id is not None and partner.created_by_id == getattr(user, "pk", None)
    )


def can_resubmit_partner(user: Any, partner: Partner) -> bool:
    """The partner's owner sends the company back for review after changes were requested or a rejection."""
    return is_own_partner(user, partner) and has_role(user, Role.OWNER)


def can_view_contacts(user: Any, partner: Partner) -> bool:
    """Contacts are personal data: own people and the host roles whose work needs them
    (accounts/access.py; logged for the host, PIPA)."""
    return is_own_partner(user, partner) or host_may(user, HostArea.PARTNER_PEOPLE)


def can_export_contacts(user: Any) -> bool:
    """The directory export with contacts: host roles that may see partner people."""
    return host_may(user, HostArea.PARTNER_PEOPLE)


def can_manage_contacts(user: Any, partner: Partner) -> bool:
    return is_own_partner(user, partner) or is_partner_decider(user)


def can_view_documents(user: Any, partner: Partner) -> bool:
    return is_own_partner(user, partner) or host_may(user, HostArea.PARTNER_DOCUMENTS)


def can_manage_documents(user: Any, partner: Partner) -> bool:
    return is_own_partner(user, partner) or is_partner_decider(user)


def can_set_partner_fields(user: Any, partner: Partner) -> bool:
    """Collaboration fields and representative partners are set by the host."""
    return is_partner_decider(user)


def can_view_members(user: Any, partner: Partner) -> bool:
    return is_own_partner(user, partner) or host_may(user, HostArea.PARTNER_PEOPLE)


def can_export_partners(user: Any) -> bool:
    """Host staff and auditors export the directory."""
    return is_host_staff(user) or (is_host(user) and has_role(user, Role.AUDITOR))


def can_import_partners(user: Any) -> bool:
    """Imported partners are approved at once (the host vouches), so only host deciders import."""
    return is_partner_decider(user)


def can_view_review_queue(user: Any) -> bool:
    return is_host(user)


def can_view_statistics(user: Any) -> bool:
    return is_host(user) or kind_of(user) == OrganizationKind.AGENCY


def status_allows_resubmission(partner: Partner) -> bool:
    return workflow.can_transition(partner, PartnerStatus.PENDING)
