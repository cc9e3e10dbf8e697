"""Reads of overseas expansion (글로벌): every read takes the acting user and returns only what that
user may see; a detail lookup of someone else's object is a 404."""

from sangsaeng.overseas.selectors.channel import (
    ProposalFilters,
    get_proposal_for_user,
    overdue_proposals,
    proposals_for_user,
)

__all__ = ["ProposalFilters", "get_proposal_for_user", "overdue_proposals", "proposals_for_user"]
