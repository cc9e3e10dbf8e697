"""Writes of the loan fund (상생협력펀드) and benefit sharing (성과공유제). Split by sub-domain."""

from sangsaeng.finance.services.grades import assign_partner_grade
from sangsaeng.finance.services.loans import (
    apply_for_loan,
    bank_approve,
    bank_reject,
    disburse_loan,
    eligibility_problems,
    expire_recommendations,
    notify_overdue_loans,
    recommend_application,
    record_repayment,
    reject_application,
    snapshot_pools,
    upload_application_document,
)
from sangsaeng.finance.services.setup import add_bank, create_fund, update_bank, update_fund
from sangsaeng.finance.services.sharing import (
    answer_amendment,
    change_task_status,
    create_task,
    payout_for,
    propose_amendment,
    record_measurement,
    save_programme,
    settle_payout,
    update_draft,
)

__all__ = [
    "add_bank",
    "answer_amendment",
    "apply_for_loan",
    "assign_partner_grade",
    "bank_approve",
    "bank_reject",
    "change_task_status",
    "create_fund",
    "create_task",
    "disburse_loan",
    "eligibility_problems",
    "expire_recommendations",
    "notify_overdue_loans",
    "payout_for",
    "propose_amendment",
    "recommend_application",
    "record_measurement",
    "record_repayment",
    "reject_application",
    "save_programme",
    "settle_payout",
    "snapshot_pools",
    "update_bank",
    "update_draft",
    "update_fund",
    "upload_application_document",
]
