"""Writes of the joint R&D fund (공동 R&D 출연). Every function: permission first (PermissionDenied),
then validation (ValidationError with field errors), then the change and exactly one audit event in the
same transaction; notifications are e-mailed after commit. Split by sub-domain; import from here.
"""

from sangsaeng.rnd.services.funds import (
    ELIGIBILITY_FIELDS,
    CriterionSpec,
    carry_over,
    create_call,
    create_fund,
    rules_locked_reason,
    set_year_budget,
    update_call,
    update_call_rules,
)
from sangsaeng.rnd.services.money import (
    accept_milestone,
    create_agreement,
    record_result,
    return_milestone,
    submit_milestone,
)
from sangsaeng.rnd.services.proposals import (
    BudgetLineSpec,
    MilestoneSpec,
    add_attachment,
    create_proposal,
    delete_attachment,
    eligibility_problems,
    submission_problems,
    submit_proposal,
    update_proposal,
    withdraw_proposal,
)
from sangsaeng.rnd.services.review import (
    assign_reviewer,
    auto_assign,
    declare_conflict,
    reviewer_pool,
    submit_review,
)
from sangsaeng.rnd.services.selection import (
    add_exclusive_pair,
    apply_selection,
    override_decision,
    publish_decisions,
    remove_exclusive_pair,
    run_selection,
)

__all__ = [
    "ELIGIBILITY_FIELDS",
    "BudgetLineSpec",
    "CriterionSpec",
    "MilestoneSpec",
    "accept_milestone",
    "add_attachment",
    "add_exclusive_pair",
    "apply_selection",
    "assign_reviewer",
    "auto_assign",
    "carry_over",
    "create_agreement",
    "create_call",
    "create_fund",
    "create_proposal",
    "declare_conflict",
    "delete_attachment",
    "eligibility_problems",
    "override_decision",
    "publish_decisions",
    "record_result",
    "remove_exclusive_pair",
    "return_milestone",
    "reviewer_pool",
    "rules_locked_reason",
    "run_selection",
    "set_year_budget",
    "submission_problems",
    "submit_milestone",
    "submit_proposal",
    "submit_review",
    "update_call",
    "update_call_rules",
    "update_proposal",
    "withdraw_proposal",
]
