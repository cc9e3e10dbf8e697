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

__all__ = [
    "add_working_days",
    "answer_proposal",
    "answer_working_days",
    "flag_overdue_proposals",
    "submit_proposal",
    "withdraw_proposal",
]
