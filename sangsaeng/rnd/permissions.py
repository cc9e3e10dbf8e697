"""Who may do what in the R&D fund. Each helper answers for one user (and one object)."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.selectors import has_role, is_host, kind_of, organization_id_of
from sangsaeng.rnd.models import Agreement, Proposal, ProposalStatus, ReviewAssignment


def is_fund_manager(user: Any) -> bool:
    """Host programme managers and administrators run the fund."""
    return is_host(user) and has_role(user, Role.ADMIN, Role.PROGRAM_MANAGER)


def is_fund_reader(user: Any) -> bool:
    """Managers and host auditors may read every proposal, score and ledger line."""
    return is_fund_manager(user) or (is_host(user) and has_role(user, Role.AUDITOR))


def is_reviewer(user: Any) -> bool:
    """Reviewers: host reviewers and external experts (any organisation with the reviewer role)."""
    return has_role(user, Role.REVIEWER)


def is_partner_person(user: Any) -> bool:
    return kind_of(user) == OrganizationKind.PARTNER and has_role(user, Role.OWNER, Role.MEMBER)


def is_own_proposal(user: Any, proposal: Proposal) -> bool:
    return is_partner_person(user) and organization_id_of(user) == proposal.partner.organization_id


def can_manage_fund(user: Any) -> bool:
    return is_fund_manager(user)


def can_edit_proposal(user: Any, proposal: Proposal) -> bool:
    return is_own_proposal(user, proposal) and proposal.status == ProposalStatus.DRAFT


def can_submit_proposal(user: Any, proposal: Proposal) -> bool:
    return is_own_proposal(user, proposal)


def can_withdraw_proposal(user: Any, proposal: Proposal) -> bool:
    return is_own_proposal(user, proposal)


def can_score(user: Any, assignment: ReviewAssignment) -> bool:
    return assignment.reviewer_id == user.pk and not assignment.conflict_declared


def can_submit_milestone(user: Any, agreement: Agreement) -> bool:
    return is_own_proposal(user, agreement.proposal)


def can_record_result(user: Any, agreement: Agreement) -> bool:
    return is_own_proposal(user, agreement.proposal) or is_fund_manager(user)
