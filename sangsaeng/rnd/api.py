"""Joint R&D fund API, mounted at /api/v1/rnd. The same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from sangsaeng.accounts.selectors import find_user
from sangsaeng.core.idempotency import idempotent
from sangsaeng.core.schemas import Id
from sangsaeng.rnd import permissions, selectors, services
from sangsaeng.rnd.models import (
    Agreement,
    Call,
    Fund,
    FundYear,
    Payment,
    Proposal,
    ReviewAssignment,
    SelectionRun,
)
from sangsaeng.rnd.schemas import (
    AgreementOut,
    AgreementPageOut,
    AssignIn,
    AssignmentOut,
    AutoAssignIn,
    CallIn,
    CallOut,
    CallPageOut,
    CallUpdateIn,
    CountOut,
    DecisionOut,
    LedgerEntryOut,
    MilestoneReportIn,
    OverrideIn,
    PaymentOut,
    PaymentPageOut,
    ProgressOut,
    ProposalIn,
    ProposalOut,
    ProposalPageOut,
    ProposalUpdateIn,
    RankOut,
    ResultIn,
    ResultOut,
    ReviewIn,
    RndAttachmentOut,
    RndCallRulesIn,
    RndExclusivePairIn,
    RndExclusivePairOut,
    RndFundIn,
    RndFundOut,
    RndPageIn,
    RndReasonIn,
    SelectionIn,
    SelectionOut,
    YearBudgetIn,
)

router = Router(tags=["rnd"])
# Optional so that a proposal the caller may not see answers 404 before a missing file answers 422.
_OPTIONAL_FILE = File(None)


# --- Serialisers ------------------------------------------------------------------------------------------
def _fund_out(fund: Fund) -> dict[str, Any]:
    return {
        "id": fund.pk,
        "name": fund.name,
        "description": fund.description,
        "carry_over": fund.carry_over,
        "years": [_year_out(y) for y in fund.years.all()],
    }


def _year_out(year: FundYear) -> dict[str, Any]:
    return {
        "id": year.pk,
        "year": year.year,
        "budget_krw": year.budget_krw,
        "carried_over_krw": year.carried_over_krw,
        "carried_out_krw": year.carried_out_krw,
        "committed_krw": year.committed_krw,
        "paid_krw": year.paid_krw,
        "remaining_krw": year.remaining_krw,
    }


def _call_out(call: Call) -> dict[str, Any]:
    return {
        **{
            name: getattr(call, name)
            for name in (
                "fund_year_id",
                "title",
                "themes",
                "eligible_size_classes",
                "eligible_tiers",
                "fair_trade_required",
                "min_partner_share_pct",
                "max_request_krw",
                "max_per_partner_krw",
                "opens_at",
                "closes_at",
                "reviewers_per_proposal",
                "decisions_published_at",
            )
        },
        "id": call.pk,
        "criteria": [
            {"id": c.pk, "name": c.name, "weight": c.weight, "max_score": c.max_score}
            for c in call.criteria.all()
        ],
    }


def _proposal_item(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "call_id": proposal.call_id,
        "call_title": proposal.call.title,
        "partner_name": proposal.partner.name_ko,
        "status": proposal.status,
        "theme": proposal.theme,
        "title": proposal.title,
        "requested_krw": proposal.requested_krw,
        "partner_share_krw": proposal.partner_share_krw,
        "submitted_at": proposal.submitted_at,
    }


def _proposal_out(proposal: Proposal) -> dict[str, Any]:
    return {
        **_proposal_item(proposal),
        "summary": proposal.summary,
        "objectives": proposal.objectives,
        "team": proposal.team,
        "budget_lines": list(proposal.budget_lines.all()),
        "milestones": list(proposal.milestones.all()),
    }


def _attachment_out(attachment: Any) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "proposal_id": attachment.proposal_id,
        "original_name": attachment.original_name,
        "size_bytes": attachment.size_bytes,
        "uploaded_at": attachment.uploaded_at,
    }


def _assignment_out(assignment: ReviewAssignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "proposal_id": assignment.proposal_id,
        "proposal_title": assignment.proposal.title,
        "conflict_declared": assignment.conflict_declared,
        "submitted_at": assignment.submitted_at,
        "comment": assignment.comment,
        "scores": {str(s.criterion_id): s.score for s in assignment.scores.all()},
    }


def _agreement_out(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "proposal_id": agreement.proposal_id,
        "title": agreement.proposal.title,
        "partner_name": agreement.proposal.partner.name_ko,
        "fund_year_id": agreement.fund_year_id,
        "amount_krw": agreement.amount_krw,
        "paid_krw": agreement.paid_krw,
        "status": agreement.status,
        "milestones": list(agreement.milestones.all()),
        "results": list(agreement.results.all()),
    }


def _payment_out(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "agreement_id": payment.agreement_id,
        "milestone_id": payment.milestone_id,
        "amount_krw": payment.amount_krw,
        "idempotency_key": payment.idempotency_key,
        "created_at": payment.created_at,
    }


def _selection_out(run: SelectionRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "budget_krw": run.budget_krw,
        "applied": run.applied,
        "optimal": run.result["optimal"],
        "greedy": run.result["greedy"],
        "explanations": [
            {
                "proposal_id": int(pid),
                "reason": e["reason"],
                "detail": e["detail"],
                "needed_score": e["needed_score"],
            }
            for pid, e in run.result.get("explanations", {}).items()
        ],
    }


def _managed_call(request: HttpRequest, call_id: Id) -> Call:
    """A call for host-only work (ranking, progress, selection): Http404 for everyone else."""
    if not permissions.is_fund_reader(request.user):
        raise Http404
    return selectors.get_call_for_user(request.user, call_id)


def _proposal_lines(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("budget_lines") is not None:
        data["budget_lines"] = [services.BudgetLineSpec(**line) for line in data["budget_lines"]]
    if data.get("milestones") is not None:
        data["milestones"] = [services.MilestoneSpec(**m) for m in data["milestones"]]
    return data


# --- Funds ------------------------------------------------------------------------------------------------
@router.get("/funds", response=list[RndFundOut], summary="Funds with yearly budgets (host)")
def list_funds(request: HttpRequest) -> Any:
    return [_fund_out(f) for f in selectors.funds_for_user(request.user)[:100]]


@router.post("/funds", response={201: RndFundOut}, summary="Create a fund")
def create_fund(request: HttpRequest, payload: RndFundIn) -> Status[Any]:
    fund = services.create_fund(
        actor=request.user,
        name=payload.name,
        description=payload.description,
        carry_over=payload.carry_over,
        years=[(y.year, y.budget_krw) for y in payload.years],
    )
    return Status(201, _fund_out(selectors.get_fund_for_user(request.user, fund.pk)))


@router.get("/funds/{fund_id}", response=RndFundOut, summary="One fund with its ledger per year")
def get_fund(request: HttpRequest, fund_id: Id) -> Any:
    return _fund_out(selectors.get_fund_for_user(request.user, fund_id))


@router.put("/fund-years/{fund_year_id}/budget", response=RndFundOut, summary="Change a year's budget")
def set_year_budget(request: HttpRequest, fund_year_id: Id, payload: YearBudgetIn) -> Any:
    year = selectors.get_fund_year_for_user(request.user, fund_year_id)
    services.set_year_budget(actor=request.user, fund_year=year, budget_krw=payload.budget_krw)
    return _fund_out(selectors.get_fund_for_user(request.user, year.fund_id))


@router.post("/fund-years/{fund_year_id}/carry-over", response=RndFundOut, summary="Carry unspent money over")
def carry_over(request: HttpRequest, fund_year_id: Id) -> Any:
    year = selectors.get_fund_year_for_user(request.user, fund_year_id)
    services.carry_over(actor=request.user, fund_year=year)
    return _fund_out(selectors.get_fund_for_user(request.user, year.fund_id))


@router.get(
    "/fund-years/{fund_year_id}/ledger", response=list[LedgerEntryOut], summary="Ledger lines of a fund year"
)
def ledger(request: HttpRequest, fund_year_id: Id, page: Query[RndPageIn]) -> Any:
    year = selectors.get_fund_year_for_user(request.user, fund_year_id)
    return list(selectors.ledger_entries_for_user(request.user, year)[page.offset : page.offset + page.limit])


# --- Calls ------------------------------------------------------------------------------------------------
@router.get("/calls", response=CallPageOut, summary="Calls for proposals")
def list_calls(request: HttpRequest, page: Query[RndPageIn]) -> Any:
    queryset = selectors.calls_for_user(request.user)
    return {
        "count": queryset.count(),
        "items": [_call_out(c) for c in queryset[page.offset : page.offset + page.limit]],
    }


@router.post("/calls", response={201: CallOut}, summary="Open a call")
def create_call(request: HttpRequest, payload: CallIn) -> Status[Any]:
    data = payload.dict()
    criteria = [services.CriterionSpec(**c) for c in data.pop("criteria")]
    year = selectors.get_fund_year_for_user(request.user, data.pop("fund_year_id"))
    call = services.create_call(actor=request.user, fund_year=year, criteria=criteria, **data)
    return Status(201, _call_out(selectors.get_call_for_user(request.user, call.pk)))


@router.get("/calls/{call_id}", response=CallOut, summary="One call")
def get_call(request: HttpRequest, call_id: Id) -> Any:
    return _call_out(selectors.get_call_for_user(request.user, call_id))


@router.patch("/calls/{call_id}", response=CallOut, summary="Edit a call (e.g. its themes)")
def update_call(request: HttpRequest, call_id: Id, payload: CallUpdateIn) -> Any:
    call = _managed_call(request, call_id)
    services.update_call(actor=request.user, call=call, **payload.dict(exclude_unset=True))
    return _call_out(selectors.get_call_for_user(request.user, call_id))


@router.put(
    "/calls/{call_id}/rules",
    response=CallOut,
    summary="Change the rubric and eligibility (until the call opens or a proposal is submitted)",
)
def update_call_rules(request: HttpRequest, call_id: Id, payload: RndCallRulesIn) -> Any:
    call = _managed_call(request, call_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    criteria = data.pop("criteria", None)
    services.update_call_rules(
        actor=request.user,
        call=call,
        criteria=[services.CriterionSpec(**c) for c in criteria] if criteria is not None else None,
        **data,
    )
    return _call_out(selectors.get_call_for_user(request.user, call_id))


def _pair_out(pair: Any) -> dict[str, Any]:
    return {
        "id": pair.pk,
        "first_id": pair.first_id,
        "first_title": pair.first.title,
        "second_id": pair.second_id,
        "second_title": pair.second.title,
        "created_at": pair.created_at,
    }


@router.get(
    "/calls/{call_id}/exclusive-pairs",
    response=list[RndExclusivePairOut],
    summary="Mutually exclusive proposal pairs stored on a call",
)
def list_exclusive_pairs(request: HttpRequest, call_id: Id) -> Any:
    call = _managed_call(request, call_id)
    return [_pair_out(p) for p in selectors.exclusive_pairs_for_user(request.user, call)]


@router.post(
    "/calls/{call_id}/exclusive-pairs",
    response={201: RndExclusivePairOut},
    summary="Store a mutually exclusive pair (every later optimiser run honours it)",
)
def add_exclusive_pair(request: HttpRequest, call_id: Id, payload: RndExclusivePairIn) -> Status[Any]:
    call = _managed_call(request, call_id)
    pair = services.add_exclusive_pair(
        actor=request.user, call=call, first_id=payload.first_id, second_id=payload.second_id
    )
    return Status(201, _pair_out(selectors.get_exclusive_pair_for_user(request.user, call, pair.pk)))


@router.delete(
    "/calls/{call_id}/exclusive-pairs/{pair_id}", response={204: None}, summary="Remove a stored pair"
)
def remove_exclusive_pair(request: HttpRequest, call_id: Id, pair_id: Id) -> Status[None]:
    call = _managed_call(request, call_id)
    pair = selectors.get_exclusive_pair_for_user(request.user, call, pair_id)
    services.remove_exclusive_pair(actor=request.user, pair=pair)
    return Status(204, None)


@router.post("/calls/{call_id}/auto-assign", response=CountOut, summary="Assign reviewers automatically")
def auto_assign(request: HttpRequest, call_id: Id, payload: AutoAssignIn) -> Any:
    call = _managed_call(request, call_id)
    return {"count": services.auto_assign(actor=request.user, call=call, per_proposal=payload.per_proposal)}


@router.get("/calls/{call_id}/ranking", response=list[RankOut], summary="Ranking: raw and calibrated scores")
def ranking(request: HttpRequest, call_id: Id) -> Any:
    call = _managed_call(request, call_id)
    return [
        {
            "position": row.position,
            "proposal_id": row.proposal.pk,
            "title": row.proposal.title,
            "partner_name": row.proposal.partner.name_ko,
            "theme": row.proposal.theme,
            "requested_krw": row.proposal.requested_krw,
            "status": row.proposal.status,
            "raw": row.rank.raw,
            "calibrated": row.rank.calibrated,
            "reviews": row.rank.reviews,
            "outliers": row.rank.outliers,
            "incentive_points": row.incentive_points,
        }
        for row in selectors.ranking_rows_for_user(request.user, call)
    ]


@router.get("/calls/{call_id}/progress", response=list[ProgressOut], summary="Review progress per proposal")
def progress(request: HttpRequest, call_id: Id, page: Query[RndPageIn]) -> Any:
    call = _managed_call(request, call_id)
    rows = selectors.review_progress_for_user(request.user, call)[page.offset : page.offset + page.limit]
    return [
        {
            "proposal_id": r.pk,
            "title": r.title,
            "done": r.done,
            "pending": r.pending,
            "conflicted": r.conflicted,
        }
        for r in rows
    ]


@router.post("/calls/{call_id}/selection-runs", response={201: SelectionOut}, summary="Run the optimiser")
def run_selection(request: HttpRequest, call_id: Id, payload: SelectionIn) -> Status[Any]:
    call = _managed_call(request, call_id)
    run = services.run_selection(
        actor=request.user,
        call=call,
        theme_min=payload.theme_min,
        theme_max=payload.theme_max,
        exclusive=payload.exclusive,
        budget_krw=payload.budget_krw,
    )
    return Status(201, _selection_out(run))


@router.get("/calls/{call_id}/selection-runs/{run_id}", response=SelectionOut, summary="One optimiser run")
def get_selection(request: HttpRequest, call_id: Id, run_id: Id) -> Any:
    call = _managed_call(request, call_id)
    return _selection_out(selectors.get_selection_run(call, run_id))


@router.post(
    "/calls/{call_id}/selection-runs/{run_id}/apply", response=CountOut, summary="Apply an optimiser run"
)
def apply_selection(request: HttpRequest, call_id: Id, run_id: Id) -> Any:
    call = _managed_call(request, call_id)
    run = selectors.get_selection_run(call, run_id)
    return {"count": services.apply_selection(actor=request.user, run=run)}


@router.post("/calls/{call_id}/publish", response=CountOut, summary="Publish the decisions")
def publish(request: HttpRequest, call_id: Id) -> Any:
    call = _managed_call(request, call_id)
    return {"count": services.publish_decisions(actor=request.user, call=call)}


# --- Proposals --------------------------------------------------------------------------------------------
@router.get("/proposals", response=ProposalPageOut, summary="Proposals the caller may see")
def list_proposals(request: HttpRequest, page: Query[RndPageIn], call_id: Id | None = None) -> Any:
    queryset = selectors.proposals_for_user(request.user, call_id=call_id)
    return {
        "count": queryset.count(),
        "items": [_proposal_item(p) for p in queryset[page.offset : page.offset + page.limit]],
    }


@router.post("/proposals", response={201: ProposalOut}, summary="Start a draft proposal")
def create_proposal(request: HttpRequest, payload: ProposalIn) -> Status[Any]:
    data = _proposal_lines(payload.dict())
    call = selectors.get_call_for_user(request.user, data.pop("call_id"))
    proposal = services.create_proposal(actor=request.user, call=call, **data)
    return Status(201, _proposal_out(selectors.get_proposal_for_user(request.user, proposal.pk)))


@router.get("/proposals/{proposal_id}", response=ProposalOut, summary="One proposal")
def get_proposal(request: HttpRequest, proposal_id: Id) -> Any:
    return _proposal_out(selectors.get_proposal_for_user(request.user, proposal_id))


@router.patch("/proposals/{proposal_id}", response=ProposalOut, summary="Edit a draft")
def update_proposal(request: HttpRequest, proposal_id: Id, payload: ProposalUpdateIn) -> Any:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    data = _proposal_lines({k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None})
    services.update_proposal(actor=request.user, proposal=proposal, **data)
    return _proposal_out(selectors.get_proposal_for_user(request.user, proposal_id))


@router.post("/proposals/{proposal_id}/submit", response=ProposalOut, summary="Submit before the deadline")
def submit_proposal(request: HttpRequest, proposal_id: Id) -> Any:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    services.submit_proposal(actor=request.user, proposal=proposal)
    return _proposal_out(selectors.get_proposal_for_user(request.user, proposal_id))


@router.post("/proposals/{proposal_id}/withdraw", response=ProposalOut, summary="Withdraw a submission")
def withdraw_proposal(request: HttpRequest, proposal_id: Id) -> Any:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    services.withdraw_proposal(actor=request.user, proposal=proposal)
    return _proposal_out(selectors.get_proposal_for_user(request.user, proposal_id))


@router.get(
    "/proposals/{proposal_id}/attachments",
    response=list[RndAttachmentOut],
    summary="Attachments of a proposal",
)
def list_attachments(request: HttpRequest, proposal_id: Id) -> Any:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    return [_attachment_out(a) for a in proposal.attachments.all()]


@router.post(
    "/proposals/{proposal_id}/attachments",
    response={201: RndAttachmentOut},
    summary="Attach a PDF to a draft (multipart, field `file`; type, size and content checked)",
)
def add_attachment(
    request: HttpRequest, proposal_id: Id, file: UploadedFile | None = _OPTIONAL_FILE
) -> Status[Any]:
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    if file is None:
        raise ValidationError({"file": [_("Choose a PDF file.")]})
    attachment = services.add_attachment(actor=request.user, proposal=proposal, upload=file)
    return Status(201, _attachment_out(attachment))


@router.get(
    "/proposals/{proposal_id}/attachments/{attachment_id}",
    summary="Download an attachment (application/pdf)",
    response={200: None},
)
def download_attachment(request: HttpRequest, proposal_id: Id, attachment_id: Id) -> FileResponse:
    attachment = selectors.get_attachment_for_user(request.user, proposal_id, attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/pdf",
    )


@router.delete(
    "/proposals/{proposal_id}/attachments/{attachment_id}",
    response={204: None},
    summary="Remove an attachment from a draft",
)
def delete_attachment(request: HttpRequest, proposal_id: Id, attachment_id: Id) -> Status[None]:
    attachment = selectors.get_attachment_for_user(request.user, proposal_id, attachment_id)
    services.delete_attachment(actor=request.user, attachment=attachment)
    return Status(204, None)


@router.post(
    "/proposals/{proposal_id}/assignments", response={201: AssignmentOut}, summary="Assign a reviewer"
)
def assign_reviewer(request: HttpRequest, proposal_id: Id, payload: AssignIn) -> Status[Any]:
    if not permissions.is_fund_reader(request.user):
        raise Http404
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    reviewer = find_user(payload.reviewer_id, active_only=True)
    if reviewer is None:
        raise ValidationError({"reviewer_id": [_("Unknown reviewer.")]})
    assignment = services.assign_reviewer(actor=request.user, proposal=proposal, reviewer=reviewer)
    return Status(201, _assignment_out(assignment))


@router.post("/proposals/{proposal_id}/override", response=ProposalOut, summary="Override a decision")
def override(request: HttpRequest, proposal_id: Id, payload: OverrideIn) -> Any:
    if not permissions.is_fund_reader(request.user):
        raise Http404
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    services.override_decision(
        actor=request.user, proposal=proposal, status=payload.status, reason=payload.reason
    )
    return _proposal_out(selectors.get_proposal_for_user(request.user, proposal_id))


@router.get("/proposals/{proposal_id}/decision", response=DecisionOut, summary="Published decision")
def decision(request: HttpRequest, proposal_id: Id) -> Any:
    found = selectors.decision_for_user(request.user, proposal_id)
    return {
        "proposal_id": found.proposal.pk,
        "status": found.proposal.status,
        "reason": found.proposal.decision_reason,
        "raw": found.rank.raw if found.rank else None,
        "calibrated": found.rank.calibrated if found.rank else None,
        "per_criterion": found.rank.per_criterion if found.rank else {},
        "comments": found.comments,
    }


@router.post(
    "/proposals/{proposal_id}/agreement", response={201: AgreementOut}, summary="Create the agreement"
)
def create_agreement(request: HttpRequest, proposal_id: Id) -> Status[Any]:
    if not permissions.is_fund_reader(request.user):
        raise Http404
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    agreement = services.create_agreement(actor=request.user, proposal=proposal)
    return Status(201, _agreement_out(selectors.get_agreement_for_user(request.user, agreement.pk)))


# --- Reviews ----------------------------------------------------------------------------------------------
@router.get("/assignments", response=list[AssignmentOut], summary="My review assignments")
def list_assignments(request: HttpRequest, page: Query[RndPageIn]) -> Any:
    queryset = selectors.assignments_for_user(request.user).prefetch_related("scores")
    return [_assignment_out(a) for a in queryset[page.offset : page.offset + page.limit]]


@router.get("/assignments/{assignment_id}", response=AssignmentOut, summary="One of my assignments")
def get_assignment(request: HttpRequest, assignment_id: Id) -> Any:
    return _assignment_out(selectors.get_assignment_for_user(request.user, assignment_id))


@router.post("/assignments/{assignment_id}/conflict", response=AssignmentOut, summary="Declare a conflict")
def declare_conflict(request: HttpRequest, assignment_id: Id, payload: RndReasonIn) -> Any:
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    services.declare_conflict(actor=request.user, assignment=assignment, reason=payload.reason)
    return _assignment_out(selectors.get_assignment_for_user(request.user, assignment_id))


@router.post("/assignments/{assignment_id}/review", response=AssignmentOut, summary="Score a proposal")
def submit_review(request: HttpRequest, assignment_id: Id, payload: ReviewIn) -> Any:
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    services.submit_review(
        actor=request.user,
        assignment=assignment,
        scores={s.criterion_id: s.score for s in payload.scores},
        comment=payload.comment,
    )
    return _assignment_out(selectors.get_assignment_for_user(request.user, assignment_id))


# --- Agreements and money ---------------------------------------------------------------------------------
@router.get("/agreements", response=AgreementPageOut, summary="Agreements the caller may see")
def list_agreements(request: HttpRequest, page: Query[RndPageIn]) -> Any:
    queryset = selectors.agreements_for_user(request.user)
    return {
        "count": queryset.count(),
        "items": [_agreement_out(a) for a in queryset[page.offset : page.offset + page.limit]],
    }


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="One agreement")
def get_agreement(request: HttpRequest, agreement_id: Id) -> Any:
    return _agreement_out(selectors.get_agreement_for_user(request.user, agreement_id))


@router.post(
    "/agreements/{agreement_id}/milestones/{milestone_id}/submit",
    response=AgreementOut,
    summary="Submit a milestone's deliverables",
)
def submit_milestone(
    request: HttpRequest, agreement_id: Id, milestone_id: Id, payload: MilestoneReportIn
) -> Any:
    milestone = selectors.get_milestone_for_user(request.user, agreement_id, milestone_id)
    services.submit_milestone(actor=request.user, milestone=milestone, report=payload.report)
    return _agreement_out(selectors.get_agreement_for_user(request.user, agreement_id))


@router.post(
    "/agreements/{agreement_id}/milestones/{milestone_id}/return",
    response=AgreementOut,
    summary="Return a milestone with a reason",
)
def return_milestone(request: HttpRequest, agreement_id: Id, milestone_id: Id, payload: RndReasonIn) -> Any:
    milestone = selectors.get_milestone_for_user(request.user, agreement_id, milestone_id)
    services.return_milestone(actor=request.user, milestone=milestone, reason=payload.reason)
    return _agreement_out(selectors.get_agreement_for_user(request.user, agreement_id))


@router.post(
    "/agreements/{agreement_id}/milestones/{milestone_id}/accept",
    response={201: PaymentOut},
    summary="Accept a milestone and pay it (Idempotency-Key header)",
)
@idempotent("rnd.accept_milestone")
def accept_milestone(request: HttpRequest, agreement_id: Id, milestone_id: Id) -> Status[Any]:
    """Takes an Idempotency-Key (core.idempotency): a retry with the same key answers the first answer,
    byte for byte, and changes nothing."""
    milestone = selectors.get_milestone_for_user(request.user, agreement_id, milestone_id)
    # The payment's own key names the API request that made it.
    key = f"api-{request.idempotent_request_id}"  # type: ignore[attr-defined]
    payment = services.accept_milestone(actor=request.user, milestone=milestone, idempotency_key=key)
    return Status(201, _payment_out(payment))


@router.post("/agreements/{agreement_id}/results", response={201: ResultOut}, summary="Record a result")
def record_result(request: HttpRequest, agreement_id: Id, payload: ResultIn) -> Status[Any]:
    agreement = selectors.get_agreement_for_user(request.user, agreement_id)
    return Status(201, services.record_result(actor=request.user, agreement=agreement, **payload.dict()))


@router.get("/payments", response=PaymentPageOut, summary="Payments the caller may see")
def list_payments(request: HttpRequest, page: Query[RndPageIn]) -> Any:
    queryset = selectors.payments_for_user(request.user)
    return {
        "count": queryset.count(),
        "items": [_payment_out(p) for p in queryset[page.offset : page.offset + page.limit]],
    }
