"""Writes of overseas expansion (글로벌), by sub-domain. Each service takes `actor=`, checks a
permission, validates, changes inside one transaction and audits it (core.audit / core.workflow)."""

from sangsaeng.overseas.services.channel import (
    answer_proposal,
    answer_working_days,
    flag_overdue_proposals,
    submit_proposal,
    withdraw_proposal,
)
from sangsaeng.overseas.services.common import add_working_days
from sangsaeng.overseas.services.exhibitions import (
    SelectionResult,
    agreement_text,
    apply_to_exhibition,
    approve_application,
    create_exhibition,
    move_exhibition,
    reject_application,
    score_application,
    select_by_score,
    sign_agreement,
    withdraw_application,
)
from sangsaeng.overseas.services.money import pay_claim, reject_claim, submit_claim
from sangsaeng.overseas.services.opportunities import (
    close_opportunity,
    decline_interest,
    express_interest,
    post_opportunity,
    shortlist_partner,
)
from sangsaeng.overseas.services.outcomes import (
    rate_for,
    record_exchange_rate,
    report_export,
    report_outcome,
)

__all__ = [
    "SelectionResult",
    "add_working_days",
    "agreement_text",
    "answer_proposal",
    "answer_working_days",
    "apply_to_exhibition",
    "approve_application",
    "close_opportunity",
    "create_exhibition",
    "decline_interest",
    "express_interest",
    "flag_overdue_proposals",
    "move_exhibition",
    "pay_claim",
    "post_opportunity",
    "rate_for",
    "record_exchange_rate",
    "reject_application",
    "reject_claim",
    "report_export",
    "report_outcome",
    "score_application",
    "select_by_score",
    "shortlist_partner",
    "sign_agreement",
    "submit_claim",
    "submit_proposal",
    "withdraw_application",
    "withdraw_proposal",
]
