"""Builders for R&D fund tests: fund years, calls with a rubric, proposals in any status, reviews."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import make_member
from sangsaeng.rnd.models import (
    BudgetLine,
    Call,
    Criterion,
    Fund,
    FundYear,
    Proposal,
    ProposalMilestone,
    ProposalStatus,
    ReviewAssignment,
    ReviewScore,
)


def make_fund_year(
    budget_krw: int = 2_000_000_000, *, carry_over: bool = False, year: int | None = None
) -> FundYear:
    fund = Fund.objects.create(name="5G 공동 R&D", carry_over=carry_over)
    # The current year by default: a call opened today spends this year's budget.
    return FundYear.objects.create(fund=fund, year=year or timezone.localdate().year, budget_krw=budget_krw)


def make_call(fund_year: FundYear | None = None, **fields) -> Call:
    now = timezone.now()
    values = {
        "title": "2030 5G 공동 R&D 공모",
        "themes": ["5G", "AI", "IoT"],
        "min_partner_share_pct": 20,
        "max_request_krw": 500_000_000,
        "max_per_partner_krw": 800_000_000,
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=10),
        "reviewers_per_proposal": 3,
    }
    values.update(fields)
    call = Call.objects.create(fund_year=fund_year or make_fund_year(), **values)
    for k, (name, weight) in enumerate([("Technical merit", 40), ("Impact", 30), ("Feasibility", 30)]):
        Criterion.objects.create(call=call, name=name, weight=weight, max_score=10, order=k)
    return call


def make_proposal(
    call: Call,
    partner,
    *,
    creator=None,
    status: str = ProposalStatus.DRAFT,
    requested_krw: int = 100_000_000,
    partner_krw: int | None = None,
    theme: str = "5G",
    title: str = "5G 스몰셀 공동개발",
) -> Proposal:
    """A proposal whose budget and milestones obey the call's rules (25 % own share, sums match)."""
    from sangsaeng.accounts.models import User

    creator = creator or User.objects.filter(memberships__organization_id=partner.organization_id).first()
    own = requested_krw // 3 if partner_krw is None else partner_krw
    proposal = Proposal.objects.create(
        call=call,
        partner=partner,
        created_by=creator,
        status=status,
        theme=theme,
        title=title,
        summary="요약",
        requested_krw=requested_krw,
        partner_share_krw=own,
        submitted_at=timezone.now() if status != ProposalStatus.DRAFT else None,
    )
    BudgetLine.objects.create(
        proposal=proposal, category="personnel", host_krw=requested_krw, partner_krw=own
    )
    half = requested_krw // 2
    ProposalMilestone.objects.create(
        proposal=proposal, order=0, title="설계", deliverables="설계서", month=3, amount_krw=half
    )
    ProposalMilestone.objects.create(
        proposal=proposal,
        order=1,
        title="시제품",
        deliverables="시제품",
        month=9,
        amount_krw=requested_krw - half,
    )
    return proposal


def make_reviewer(**user_fields):
    from sangsaeng.accounts.models import Organization

    host = Organization.objects.filter(kind=OrganizationKind.HOST).first()
    return make_member(OrganizationKind.HOST, Role.REVIEWER, host, **user_fields)


def make_review(
    proposal: Proposal, reviewer, scores: tuple[int, ...], comment: str = "좋음"
) -> ReviewAssignment:
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=reviewer,
        assigned_by=reviewer,
        comment=comment,
        submitted_at=timezone.now(),
    )
    for criterion, score in zip(proposal.call.criteria.all(), scores, strict=True):
        ReviewScore.objects.create(assignment=assignment, criterion=criterion, score=score)
    return assignment
