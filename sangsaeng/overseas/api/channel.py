"""One-to-one channel API: overseas proposals and their answers."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sangsaeng.core.pagination import LimitOffset
from sangsaeng.core.schemas import Id
from sangsaeng.overseas import selectors, services
from sangsaeng.overseas.models import OverseasProposal
from sangsaeng.overseas.schemas import (
    OverseasProposalFilterIn,
    OverseasProposalIn,
    OverseasProposalOut,
    ProposalAnswerIn,
)

router = Router(tags=["overseas"])


@router.get("/proposals", response=list[OverseasProposalOut], summary="List overseas proposals")
@paginate(LimitOffset)
def list_proposals(request: HttpRequest, filters: Query[OverseasProposalFilterIn]) -> Any:
    """Own company's proposals (partner people) or all (host); `overdue=true` for the late ones."""
    return selectors.proposals_for_user(
        request.user,
        selectors.ProposalFilters(q=filters.q, status=filters.status or "", overdue=filters.overdue),
    )


@router.post("/proposals", response={201: OverseasProposalOut}, summary="Submit an overseas proposal")
def submit_proposal(request: HttpRequest, payload: OverseasProposalIn) -> Status[OverseasProposal]:
    """An approved partner's people; the answer is due after the set number of working days."""
    proposal = services.submit_proposal(actor=request.user, **payload.dict())
    return Status(201, selectors.get_proposal_for_user(request.user, proposal.pk))


@router.get("/proposals/{proposal_id}", response=OverseasProposalOut, summary="One overseas proposal")
def get_proposal(request: HttpRequest, proposal_id: Id) -> OverseasProposal:
    return selectors.get_proposal_for_user(request.user, proposal_id)


@router.post("/proposals/{proposal_id}/answer", response=OverseasProposalOut, summary="Answer a proposal")
def answer_proposal(request: HttpRequest, proposal_id: Id, payload: ProposalAnswerIn) -> OverseasProposal:
    """The global unit (host administrators and programme managers) answers once."""
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    return services.answer_proposal(actor=request.user, proposal=proposal, answer=payload.answer)


@router.post("/proposals/{proposal_id}/withdraw", response=OverseasProposalOut, summary="Withdraw a proposal")
def withdraw_proposal(request: HttpRequest, proposal_id: Id) -> OverseasProposal:
    """The proposing partner, while the proposal awaits its answer."""
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    return services.withdraw_proposal(actor=request.user, proposal=proposal)
