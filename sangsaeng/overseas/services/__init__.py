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
from sangsaeng.overseas.services.opportunities import (
    close_opportunity,
    decline_interest,
    express_interest,
    post_opportunity,
    shortlist_partner,
)

__all__ = [
    "add_working_days",
    "answer_proposal",
    "answer_working_days",
    "close_opportunity",
    "decline_interest",
    "express_interest",
    "flag_overdue_proposals",
    "post_opportunity",
    "shortlist_partner",
    "submit_proposal",
    "withdraw_proposal",
]
