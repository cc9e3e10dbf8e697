"""Who may do what in overseas expansion (글로벌). Small yes/no functions; services and views ask them.

Seeing is decided by the selectors (another partner's object is a 404); these answer "may this insider
do this?" (a no is a 403). The host's global unit (글로벌 사업 조직) is its administrators and programme
managers; every host role reads (auditors among them); partner people see their own company's records.
"""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.selectors import has_role, is_host, kind_of, organization_id_of
from sangsaeng.partners.models import PartnerStatus

GLOBAL_UNIT_ROLES = (Role.ADMIN, Role.PROGRAM_MANAGER)
PARTNER_ROLES = (Role.OWNER, Role.MEMBER)


def is_global_unit(user: Any) -> bool:
    """Host administrators and programme managers run the overseas programme."""
    return is_host(user) and has_role(user, *GLOBAL_UNIT_ROLES)


def can_view_host_side(user: Any) -> bool:
    """Every host role reads the programme (auditors included)."""
    return is_host(user)


def is_partner_person(user: Any) -> bool:
    return kind_of(user) == OrganizationKind.PARTNER and has_role(user, *PARTNER_ROLES)


def is_own(user: Any, partner_organization_id: int) -> bool:
    return kind_of(user) == OrganizationKind.PARTNER and organization_id_of(user) == partner_organization_id


def approved_partner_person(user: Any) -> bool:
    if not is_partner_person(user):
        return False
    from sangsaeng.partners.selectors import own_partner_for_user

    partner = own_partner_for_user(user)
    return partner is not None and partner.status == PartnerStatus.APPROVED


def can_use_programme(user: Any) -> bool:
    """The overseas pages: the host and partner people."""
    return is_host(user) or is_partner_person(user)


# --- One-to-one channel ----------------------------------------------------------------------------------


def can_submit_proposal(user: Any) -> bool:
    return approved_partner_person(user)


def can_answer_proposal(user: Any) -> bool:
    return is_global_unit(user)


def can_withdraw_proposal(user: Any, partner_organization_id: int) -> bool:
    return is_partner_person(user) and is_own(user, partner_organization_id)


# --- Global opportunities ----------------------------------------------------------------------------------


def can_post_opportunity(user: Any) -> bool:
    return is_global_unit(user)


def can_express_interest(user: Any) -> bool:
    """Approved partners' people (the opening and the deadline are checked by the service)."""
    return approved_partner_person(user)


def can_shortlist(user: Any) -> bool:
    return is_global_unit(user)


# --- Exhibitions, money and outcomes -------------------------------------------------------------------------


def can_manage_exhibitions(user: Any) -> bool:
    """Create exhibitions, score and select applications, pay claims, record exchange rates."""
    return is_global_unit(user)


def can_apply_to_exhibition(user: Any) -> bool:
    return approved_partner_person(user)


def can_sign_agreement(user: Any, partner_organization_id: int) -> bool:
    """The partner's owner signs the support agreement for the company."""
    return is_own(user, partner_organization_id) and has_role(user, Role.OWNER)


def can_claim_expenses(user: Any, partner_organization_id: int) -> bool:
    return is_partner_person(user) and is_own(user, partner_organization_id)


def can_report_outcome(user: Any, partner_organization_id: int) -> bool:
    return is_global_unit(user) or (is_partner_person(user) and is_own(user, partner_organization_id))
