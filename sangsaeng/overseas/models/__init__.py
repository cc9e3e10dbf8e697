"""Overseas expansion (글로벌) models, by sub-domain: the one-to-one channel, global opportunities and
overseas exhibitions with their support money and outcomes."""

from sangsaeng.overseas.models.channel import OverseasProposal, ProposalStatus
from sangsaeng.overseas.models.opportunities import (
    GlobalOpportunity,
    InterestSource,
    InterestStatus,
    Language,
    OpportunityInterest,
    OpportunityStatus,
)

__all__ = [
    "GlobalOpportunity",
    "InterestSource",
    "InterestStatus",
    "Language",
    "OpportunityInterest",
    "OpportunityStatus",
    "OverseasProposal",
    "ProposalStatus",
]
