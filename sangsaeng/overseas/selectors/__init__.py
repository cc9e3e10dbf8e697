"""Reads of overseas expansion (글로벌): every read takes the acting user and returns only what that
user may see; a detail lookup of someone else's object is a 404."""

from sangsaeng.overseas.selectors.channel import (
    ProposalFilters,
    get_proposal_for_user,
    overdue_proposals,
    proposals_for_user,
)
from sangsaeng.overseas.selectors.exhibitions import (
    applications_for_user,
    claims_for_user,
    exchange_rates,
    exhibitions_for_user,
    get_application_for_user,
    get_claim_for_user,
    get_exhibition_for_user,
)
from sangsaeng.overseas.selectors.matching import Suggestion, match_score, suggest_partners
from sangsaeng.overseas.selectors.opportunities import (
    OpportunityFilters,
    collaboration_fields,
    get_interest_for_user,
    get_opportunity_for_user,
    interests_for_user,
    opportunities_for_user,
    own_interest,
)
from sangsaeng.overseas.selectors.reports import (
    ExhibitionReport,
    PartnerRecord,
    YearReport,
    exhibition_report,
    get_record_partner_for_user,
    outcome_of,
    partner_record,
    report_years,
    year_report,
)

__all__ = [
    "ExhibitionReport",
    "OpportunityFilters",
    "PartnerRecord",
    "ProposalFilters",
    "Suggestion",
    "YearReport",
    "applications_for_user",
    "claims_for_user",
    "collaboration_fields",
    "exchange_rates",
    "exhibition_report",
    "exhibitions_for_user",
    "get_application_for_user",
    "get_claim_for_user",
    "get_exhibition_for_user",
    "get_interest_for_user",
    "get_opportunity_for_user",
    "get_proposal_for_user",
    "get_record_partner_for_user",
    "interests_for_user",
    "match_score",
    "opportunities_for_user",
    "outcome_of",
    "overdue_proposals",
    "own_interest",
    "partner_record",
    "proposals_for_user",
    "report_years",
    "suggest_partners",
    "year_report",
]
