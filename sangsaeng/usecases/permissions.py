"""Who may do what with 5G use cases (유스케이스). Small yes/no functions; services and views ask them.

Seeing is decided by the selectors (another partner's use case is a 404); these answer "may this
insider do this?" (a no is a 403).
"""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.selectors import has_role, is_host, kind_of, organization_id_of
from sangsaeng.partners.models import PartnerStatus
from sangsaeng.usecases.models import Stage, UseCase

# Host roles that run the pipeline: assign sponsors, see the board, decide any gate (admin).
MANAGING_ROLES = (Role.ADMIN, Role.PROGRAM_MANAGER)
# Host roles a sponsor (담당 스폰서) may hold.
SPONSOR_ROLES = (Role.ADMIN, Role.PROGRAM_MANAGER, Role.REVIEWER)
# Partner roles that propose and follow their company's use cases.
PROPOSING_ROLES = (Role.OWNER, Role.MEMBER)


def is_pipeline_manager(user: Any) -> bool:
    """Host administrators and programme managers."""
    return is_host(user) and has_role(user, *MANAGING_ROLES)


def is_own_use_case(user: Any, use_case: UseCase) -> bool:
    """The user is one of the proposing partner's people."""
    return (
        kind_of(user) == OrganizationKind.PARTNER
        and organization_id_of(user) == use_case.partner.organization_id
    )


def _approved_partner_person(user: Any) -> bool:
    if kind_of(user) != OrganizationKind.PARTNER or not has_role(user, *PROPOSING_ROLES):
        return False
    from sangsaeng.partners.selectors import own_partner_for_user

    partner = own_partner_for_user(user)
    return partner is not None and partner.status == PartnerStatus.APPROVED


def can_propose_use_case(user: Any) -> bool:
    """Owners and members of an approved partner (a startup signs up as a partner first)."""
    return _approved_partner_person(user)


def can_view_use_case_list(user: Any) -> bool:
    """The host (every role) sees all use cases; partner people see their own company's."""
    return is_host(user) or kind_of(user) == OrganizationKind.PARTNER


def can_view_board(user: Any) -> bool:
    """The kanban board and the report: every host role (auditors read too)."""
    return is_host(user)


def can_view_report(user: Any) -> bool:
    return is_host(user)


def can_view_showcase(user: Any) -> bool:
    """The showcase (설명회) is for the host and approved partners looking for collaborators."""
    return is_host(user) or _approved_partner_person(user)


def can_assign_sponsor(user: Any, use_case: UseCase) -> bool:
    return is_pipeline_manager(user) and use_case.stage != Stage.STOPPED


def can_be_sponsor(user: Any) -> bool:
    """An active host person in a sponsoring role."""
    return bool(getattr(user, "is_active", False)) and is_host(user) and has_role(user, *SPONSOR_ROLES)


def can_decide_gate(user: Any, use_case: UseCase) -> bool:
    """Gate decisions (and hold / resume / stop) are the assigned sponsor's, or a host administrator's."""
    if not is_host(user):
        return False
    if has_role(user, Role.ADMIN):
        return True
    return use_case.sponsor_id is not None and use_case.sponsor_id == getattr(user, "pk", None)


def can_attach_to_use_case(user: Any, use_case: UseCase) -> bool:
    """The proposing partner's people add documents while the use case is alive."""
    return (
        is_own_use_case(user, use_case)
        and has_role(user, *PROPOSING_ROLES)
        and use_case.stage != Stage.STOPPED
    )
