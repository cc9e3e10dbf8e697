"""Overseas expansion (글로벌) models, by sub-domain: the one-to-one channel, global opportunities and
overseas exhibitions with their support money and outcomes."""

from sangsaeng.overseas.models.channel import OverseasProposal, ProposalStatus
from sangsaeng.overseas.models.exhibitions import (
    ApplicationItem,
    ApplicationStatus,
    ClaimStatus,
    Exhibition,
    ExhibitionApplication,
    ExhibitionStatus,
    ExpenseClaim,
    SupportItem,
    SupportKind,
)
from sangsaeng.overseas.models.opportunities import (
    GlobalOpportunity,
    InterestSource,
    InterestStatus,
    Language,
    OpportunityInterest,
    OpportunityStatus,
)
from sangsaeng.overseas.models.outcomes import ExchangeRate, ExhibitionOutcome, ExportRecord

__all__ = [
    "ApplicationItem",
    "ApplicationStatus",
    "ClaimStatus",
    "ExchangeRate",
    "Exhibition",
    "ExhibitionApplication",
    "ExhibitionOutcome",
    "ExhibitionStatus",
    "ExpenseClaim",
    "ExportRecord",
    "GlobalOpportunity",
    "InterestSource",
    "InterestStatus",
    "Language",
    "OpportunityInterest",
    "OpportunityStatus",
    "OverseasProposal",
    "ProposalStatus",
    "SupportItem",
    "SupportKind",
]
