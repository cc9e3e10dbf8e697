"""Overseas expansion (글로벌) models, by sub-domain: the one-to-one channel, global opportunities and
overseas exhibitions with their support money and outcomes."""

from sangsaeng.overseas.models.channel import OverseasProposal, ProposalStatus

__all__ = ["OverseasProposal", "ProposalStatus"]
