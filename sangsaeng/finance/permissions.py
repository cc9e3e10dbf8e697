"""Who may do what with the loan fund. Seeing is the selectors' job (another party's loan is a 404);
these answer "may this insider do this?" (a no is a 403)."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.access import HostArea, host_may
from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.selectors import has_role, is_host, kind_of, organization_id_of
from sangsaeng.finance.models import LoanApplication

# Host roles that review and recommend applications.
REVIEWING_ROLES = (Role.ADMIN, Role.PROGRAM_MANAGER)


def is_fund_manager(user: Any) -> bool:
    """Host administrators and programme managers run the fund (review, recommend, reject)."""
    return is_host(user) and has_role(user, *REVIEWING_ROLES)


def can_grade_partners(user: Any) -> bool:
    """Host fund managers grade partners for the preferential rates."""
    return is_fund_manager(user)


def is_partner_person(user: Any) -> bool:
    return kind_of(user) == OrganizationKind.PARTNER


def is_loan_officer(user: Any) -> bool:
    return kind_of(user) == OrganizationKind.BANK and has_role(user, Role.LOAN_OFFICER)


def can_apply_for_loan(user: Any) -> bool:
    """A partner's owner or member applies for their own company (approval is checked at review)."""
    return is_partner_person(user) and has_role(user, Role.OWNER, Role.MEMBER)


def can_review_application(user: Any, application: LoanApplication) -> bool:
    return is_fund_manager(user)


def is_officer_of_bank(user: Any, application: LoanApplication) -> bool:
    """A loan officer of the bank the application was sent to (bank A never acts on bank B's)."""
    return is_loan_officer(user) and organization_id_of(user) == application.pool.bank_id


def can_decide_as_bank(user: Any, application: LoanApplication) -> bool:
    return is_officer_of_bank(user, application)


def can_view_fund_dashboard(user: Any) -> bool:
    """Host people whose role includes the fund (accounts/access.py: managers and auditors)."""
    return host_may(user, HostArea.FUND_DASHBOARD)


def can_simulate(user: Any) -> bool:
    """Any signed-in member of an organisation may try the simulator."""
    return kind_of(user) is not None


def can_manage_sharing(user: Any) -> bool:
    """Host administrators and programme managers run benefit-sharing tasks."""
    return is_fund_manager(user)


def is_task_partner(user: Any, task: Any) -> bool:
    """The 1차 partner's own people (owner or member)."""
    return is_partner_person(user) and organization_id_of(user) == task.partner.organization_id


def can_propose_amendment(user: Any, task: Any) -> bool:
    return can_manage_sharing(user) or is_task_partner(user, task)


def can_answer_amendment(user: Any, amendment: Any) -> bool:
    """Only the other party answers: the partner's owner a host proposal, a host manager a partner's."""
    if amendment.by_host:
        return is_task_partner(user, amendment.task) and has_role(user, Role.OWNER)
    return can_manage_sharing(user)
