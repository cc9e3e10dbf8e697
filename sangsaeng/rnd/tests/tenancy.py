"""Registers every R&D route that takes an id with the tenancy harness (core/tests/test_tenancy.py).

Each `make` receives the owner of partner A and builds an R&D object of A whose title is a secret;
the harness proves that the owner of partner B gets 404 and never sees it, and that lists never show it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.core.tests import tenancy
from sangsaeng.partners.models import Partner
from sangsaeng.rnd.models import (
    Agreement,
    AgreementMilestone,
    BudgetLine,
    Call,
    Criterion,
    Fund,
    FundYear,
    Proposal,
    ProposalMilestone,
    ProposalStatus,
    ReviewAssignment,
    SelectionRun,
)


def _secret() -> str:
    return f"rnd-secret-{uuid.uuid4().hex[:12]}"


def _call(title: str = "tenancy call") -> Call:
    fund = Fund.objects.create(name=title)
    year = FundYear.objects.create(fund=fund, year=2030, budget_krw=1_000_000_000)
    now = timezone.now()
    call = Call.objects.create(
        fund_year=year,
        title=title,
        themes=["5G"],
        max_request_krw=500_000_000,
        max_per_partner_krw=500_000_000,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
    )
    Criterion.objects.create(call=call, name="merit", weight=1)
    return call


def _proposal_of(owner: Any, status: str = ProposalStatus.DRAFT) -> tuple[Proposal, str]:
    partner = Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )
    secret = _secret()
    proposal = Proposal.objects.create(
        call=_call(),
        partner=partner,
        created_by=owner,
        status=status,
        theme="5G",
        title=secret,
        summary=secret,
        requested_krw=100,
        partner_share_krw=50,
    )
    BudgetLine.objects.create(proposal=proposal, category="personnel", host_krw=100, partner_krw=50)
    ProposalMilestone.objects.create(
        proposal=proposal, title=secret, deliverables=secret, month=1, amount_krw=100
    )
    return proposal, secret


def _proposal(owner: Any) -> tenancy.Owned:
    proposal, secret = _proposal_of(owner)
    return tenancy.Owned({"proposal_id": proposal.pk}, secret)


def _reviewed_call(owner: Any) -> tenancy.Owned:
    """A call with partner A's proposal under review: the ranking and progress would show its title."""
    from sangsaeng.accounts.tests.factories import make_member

    proposal, secret = _proposal_of(owner, ProposalStatus.UNDER_REVIEW)
    reviewer = make_member(OrganizationKind.HOST, Role.REVIEWER)
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=reviewer,
        assigned_by=reviewer,
        comment=secret,
        submitted_at=timezone.now(),
    )
    assignment.scores.create(criterion=proposal.call.criteria.get(), score=5)
    run = SelectionRun.objects.create(
        call=proposal.call,
        created_by=reviewer,
        budget_krw=100,
        result={"optimal": {"ids": [proposal.pk], "feasible": True}, "greedy": {}, "explanations": {}},
    )
    return tenancy.Owned({"call_id": proposal.call_id, "run_id": run.pk}, secret)


def _assignment(owner: Any) -> tenancy.Owned:
    from sangsaeng.accounts.tests.factories import make_member

    proposal, secret = _proposal_of(owner, ProposalStatus.UNDER_REVIEW)
    reviewer = make_member(OrganizationKind.HOST, Role.REVIEWER)
    assignment = ReviewAssignment.objects.create(proposal=proposal, reviewer=reviewer, assigned_by=reviewer)
    return tenancy.Owned({"assignment_id": assignment.pk}, secret)


def _agreement(owner: Any) -> tenancy.Owned:
    proposal, secret = _proposal_of(owner, ProposalStatus.SELECTED)
    year = proposal.call.fund_year
    FundYear.objects.filter(pk=year.pk).update(committed_krw=100)
    agreement = Agreement.objects.create(proposal=proposal, fund_year=year, amount_krw=100, created_by=owner)
    milestone = AgreementMilestone.objects.create(
        agreement=agreement, title=secret, deliverables=secret, month=1, amount_krw=100, status="submitted"
    )
    return tenancy.Owned({"agreement_id": agreement.pk, "milestone_id": milestone.pk}, secret)


def _agreement_with_file(owner: Any) -> tenancy.Owned:
    from django.core.files.base import ContentFile

    owned = _agreement(owner)
    milestone = AgreementMilestone.objects.get(pk=owned.kwargs["milestone_id"])
    milestone.deliverable_name = f"{owned.secret}.pdf"
    milestone.deliverable.save(f"{uuid.uuid4().hex}.pdf", ContentFile(f"%PDF-1.4 {owned.secret}".encode()))
    return owned


def _fund_with_ledger(owner: Any) -> tenancy.Owned:
    from sangsaeng.rnd.models import LedgerEntry

    owned = _fund(owner)
    LedgerEntry.objects.create(
        fund_year_id=owned.kwargs["fund_year_id"], kind="budget", amount_krw=100, note=owned.secret
    )
    return owned


def _agreement_only(owner: Any) -> tenancy.Owned:
    owned = _agreement(owner)
    return tenancy.Owned({"agreement_id": owned.kwargs["agreement_id"]}, owned.secret)


def _fund_year(owner: Any) -> tenancy.Owned:
    owned = _fund(owner)
    return tenancy.Owned({"fund_year_id": owned.kwargs["fund_year_id"]}, owned.secret)


def _fund(owner: Any) -> tenancy.Owned:
    secret = _secret()
    fund = Fund.objects.create(name=secret, description=secret)
    year = FundYear.objects.create(fund=fund, year=2031, budget_krw=100)
    return tenancy.Owned({"fund_id": fund.pk, "fund_year_id": year.pk}, secret)


API = "/api/v1/rnd"
R = tenancy.register_object

# Funds are host-only: partner B gets 404.
R(f"GET {API}/funds/{{fund_id}}", make=_fund)
R(f"PUT {API}/fund-years/{{fund_year_id}}/budget", make=_fund, data={"budget_krw": 1})
R(f"POST {API}/fund-years/{{fund_year_id}}/carry-over", make=_fund)
R(f"GET {API}/fund-years/{{fund_year_id}}/ledger", make=_fund_with_ledger)
tenancy.exempt(
    f"GET {API}/calls/{{call_id}}",
    reason="a call is a public announcement to every partner; it holds no partner's data",
)
R(f"PATCH {API}/calls/{{call_id}}", make=_reviewed_call, data={"title": "changed"})
R(f"POST {API}/calls/{{call_id}}/auto-assign", make=_reviewed_call, data={})
R(f"GET {API}/calls/{{call_id}}/ranking", make=_reviewed_call)
R(f"GET {API}/calls/{{call_id}}/progress", make=_reviewed_call)
R(f"POST {API}/calls/{{call_id}}/selection-runs", make=_reviewed_call, data={})
R(f"POST {API}/calls/{{call_id}}/selection-runs/{{run_id}}/apply", make=_reviewed_call)
R(f"GET {API}/calls/{{call_id}}/selection-runs/{{run_id}}", make=_reviewed_call)
R(f"POST {API}/calls/{{call_id}}/publish", make=_reviewed_call)

R(f"GET {API}/proposals/{{proposal_id}}", make=_proposal)
R(f"PATCH {API}/proposals/{{proposal_id}}", make=_proposal, data={"title": "changed"})
R(f"POST {API}/proposals/{{proposal_id}}/submit", make=_proposal)
R(f"POST {API}/proposals/{{proposal_id}}/withdraw", make=_proposal)
R(f"POST {API}/proposals/{{proposal_id}}/assignments", make=_proposal, data={"reviewer_id": 1})
R(
    f"POST {API}/proposals/{{proposal_id}}/override",
    make=_proposal,
    data={"status": "selected", "reason": "x"},
)
R(f"GET {API}/proposals/{{proposal_id}}/decision", make=_proposal)
R(f"POST {API}/proposals/{{proposal_id}}/agreement", make=_proposal)

R(f"GET {API}/assignments/{{assignment_id}}", make=_assignment)
R(f"POST {API}/assignments/{{assignment_id}}/conflict", make=_assignment, data={"reason": "x"})
R(
    f"POST {API}/assignments/{{assignment_id}}/review",
    make=_assignment,
    data={"scores": [{"criterion_id": 1, "score": 1}], "comment": "x"},
)

R(f"GET {API}/agreements/{{agreement_id}}", make=_agreement)
R(
    f"POST {API}/agreements/{{agreement_id}}/milestones/{{milestone_id}}/submit",
    make=_agreement,
    data={"report": "x"},
)
R(
    f"POST {API}/agreements/{{agreement_id}}/milestones/{{milestone_id}}/return",
    make=_agreement,
    data={"reason": "x"},
)
R(f"POST {API}/agreements/{{agreement_id}}/milestones/{{milestone_id}}/accept", make=_agreement)
R(
    f"POST {API}/agreements/{{agreement_id}}/results",
    make=_agreement,
    data={"kind": "patent", "title": "x", "amount_krw": 0, "occurred_on": "2030-01-01"},
)

tenancy.register_list(f"GET {API}/proposals", make=_proposal)
tenancy.register_list(f"GET {API}/agreements", make=_agreement)
tenancy.register_list(f"GET {API}/payments", make=_agreement)
tenancy.register_list(f"GET {API}/assignments", make=_assignment)
tenancy.register_list(f"GET {API}/funds", make=_fund)


def _attachment(owner: Any) -> tenancy.Owned:
    from django.core.files.base import ContentFile

    from sangsaeng.rnd.models import ProposalAttachment

    proposal, secret = _proposal_of(owner)
    attachment = ProposalAttachment(
        proposal=proposal, original_name=f"{secret}.pdf", size_bytes=20, uploaded_by=owner
    )
    attachment.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(f"%PDF-1.4 {secret}".encode()), save=False)
    attachment.save()
    return tenancy.Owned({"proposal_id": proposal.pk, "attachment_id": attachment.pk}, secret)


def _call_only(owner: Any) -> tenancy.Owned:
    owned = _reviewed_call(owner)
    return tenancy.Owned({"call_id": owned.kwargs["call_id"]}, owned.secret)


# Web pages.
R("rnd:proposal_detail", make=_proposal)
R("rnd:proposal_edit", make=_proposal)
tenancy.exempt(
    "rnd:proposal_new", reason="takes a call id; a call is a public announcement with no partner data"
)
R("rnd:proposal_submit", make=_proposal, method="post")
R("rnd:proposal_withdraw", make=_proposal, method="post")
R("rnd:proposal_attach", make=_proposal, method="post")
R("rnd:attachment_download", make=_attachment)
R("rnd:proposal_override", make=_proposal, method="post", data={"status": "selected", "reason": "x"})
R("rnd:proposal_agreement", make=_proposal, method="post")
R("rnd:milestone_submit", make=_agreement, method="post", data={"report": "x"})
R(
    "rnd:result_add",
    make=_agreement_only,
    method="post",
    data={"kind": "patent", "title": "x", "amount_krw": 0, "occurred_on": "2031-01-01"},
)
R("rnd:milestone_accept", make=_agreement, method="post")
R("rnd:milestone_file", make=_agreement_with_file)
R("rnd:milestone_return", make=_agreement, method="post", data={"reason": "x"})
R("rnd:review", make=_assignment)
R("rnd:year_budget", make=_fund_year, method="post", data={"budget_krw": "1"})
R("rnd:year_carry_over", make=_fund_year, method="post")
R("rnd:call_detail", make=_call_only)
R("rnd:call_edit", make=_call_only)
R("rnd:call_progress", make=_call_only)
R("rnd:call_rules", make=_call_only)
R("rnd:call_auto_assign", make=_call_only, method="post")
R("rnd:call_assign", make=_call_only, method="post", data={"proposal": "1", "reviewer": "1"})
R("rnd:call_selection", make=_call_only)
R("rnd:call_apply", make=_reviewed_call, method="post")
R("rnd:call_publish", make=_call_only, method="post")

tenancy.register_list("rnd:my_proposals", make=_proposal)
tenancy.register_list("rnd:agreements", make=_agreement)
tenancy.register_list("rnd:my_reviews", make=_assignment)
tenancy.register_list("rnd:manage", make=_fund)
for _kind in ("proposals", "scores", "payments"):
    tenancy.register_list("rnd:export", make=_reviewed_call, query={"kind": _kind})

# Proposal attachments through the API.
R(f"GET {API}/proposals/{{proposal_id}}/attachments", make=_proposal)
R(f"POST {API}/proposals/{{proposal_id}}/attachments", make=_proposal)
R(f"GET {API}/proposals/{{proposal_id}}/attachments/{{attachment_id}}", make=_attachment)
R(f"DELETE {API}/proposals/{{proposal_id}}/attachments/{{attachment_id}}", make=_attachment)
R(
    f"PUT {API}/calls/{{call_id}}/rules",
    make=_reviewed_call,
    data={"criteria": [{"name": "x", "weight": 1}]},
)


def _call_with_pair(owner: Any) -> tenancy.Owned:
    """Partner A's two reviewed proposals stored as a mutually exclusive pair on their call."""
    from sangsaeng.rnd.models import ExclusivePair

    owned = _reviewed_call(owner)
    first = Proposal.objects.filter(call_id=owned.kwargs["call_id"]).get()
    second = Proposal.objects.create(
        call_id=first.call_id,
        partner=first.partner,
        created_by=owner,
        status=ProposalStatus.UNDER_REVIEW,
        theme="5G",
        title=owned.secret,
        requested_krw=100,
        partner_share_krw=50,
    )
    pair = ExclusivePair.objects.create(
        call_id=first.call_id, first_id=first.pk, second_id=second.pk, created_by=owner
    )
    return tenancy.Owned({"call_id": first.call_id, "pair_id": pair.pk}, owned.secret)


def _call_with_pair_only(owner: Any) -> tenancy.Owned:
    owned = _call_with_pair(owner)
    return tenancy.Owned({"call_id": owned.kwargs["call_id"]}, owned.secret)


R(f"GET {API}/calls/{{call_id}}/exclusive-pairs", make=_call_with_pair_only)
R(
    f"POST {API}/calls/{{call_id}}/exclusive-pairs",
    make=_call_with_pair_only,
    data={"first_id": 1, "second_id": 2},
)
R(f"DELETE {API}/calls/{{call_id}}/exclusive-pairs/{{pair_id}}", make=_call_with_pair)
R("rnd:pair_add", make=_call_with_pair_only, method="post", data={"first_id": "1", "second_id": "2"})
R("rnd:pair_remove", make=_call_with_pair, method="post")
