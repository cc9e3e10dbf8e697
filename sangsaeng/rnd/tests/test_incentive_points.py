"""The applicant's benefit-sharing incentive points (성과공유 인센티브 점수) shown, read-only, to R&D
reviewers and managers on the review and proposal pages and in the ranking — never part of a score."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from sangsaeng.rnd import selectors, services
from sangsaeng.rnd.models import ProposalStatus
from sangsaeng.rnd.tests.factories import make_call, make_proposal, make_review

pytestmark = pytest.mark.django_db


def _points(cast, partner, *amounts):
    """Confirmed benefit-sharing tasks of the partner, each with the given points."""
    from sangsaeng.finance.models import IncentivePoint, SharingTask

    for k, points in enumerate(amounts):
        task = SharingTask.objects.create(
            partner=partner,
            title=f"원가절감 {k}",
            task_type="cost_reduction",
            goal="단가 10% 절감",
            kpi_name="단가",
            kpi_baseline=Decimal("100"),
            kpi_target=Decimal("90"),
            status="confirmed",
            created_by=cast.program_manager,
        )
        IncentivePoint.objects.create(partner=partner, task=task, points=points, reason="확인")


def test_the_reviewer_sees_the_applicants_points_on_the_review_page(english, login, cast, call):
    _points(cast, cast.partner, 7, 5)
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)
    assignment = services.assign_reviewer(
        actor=cast.program_manager, proposal=proposal, reviewer=cast.reviewer
    )

    response = login(cast.reviewer).get(reverse("rnd:review", args=[assignment.pk]))

    assert response.context["incentive_points"] == 12
    assert "Benefit-sharing incentive points: 12" in response.content.decode()
    assert "not part of the score" in response.content.decode()


def test_the_manager_sees_the_points_on_the_proposal_page_but_the_partner_does_not(
    english, login, cast, call
):
    _points(cast, cast.partner, 9)
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)
    url = reverse("rnd:proposal_detail", args=[proposal.pk])

    manager = login(cast.program_manager).get(url)
    partner = login(cast.partner_owner).get(url)

    assert manager.context["incentive_points"] == 9 and "incentive points: 9" in manager.content.decode()
    assert partner.context["incentive_points"] is None


def test_the_ranking_shows_each_applicants_points_and_the_score_ignores_them(login, cast, reviewers):
    call = make_call(max_per_partner_krw=10**12)
    ours = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW, title="우리")
    theirs = make_proposal(call, cast.other_partner, status=ProposalStatus.UNDER_REVIEW, title="남")
    for proposal in (ours, theirs):
        make_review(proposal, reviewers[0], (6, 6, 6))
    before = {r.proposal.pk: r.rank for r in selectors.ranking_rows_for_user(cast.program_manager, call)}
    _points(cast, cast.partner, 20, 3)

    rows = {
        r.proposal.pk: r
        for r in login(cast.program_manager)
        .get(reverse("rnd:call_detail", args=[call.pk]))
        .context["ranking"]
    }

    assert (rows[ours.pk].incentive_points, rows[theirs.pk].incentive_points) == (23, 0)
    assert {pid: row.rank for pid, row in rows.items()} == before


def test_the_api_ranking_carries_the_points(login, cast, reviewers):
    call = make_call()
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW)
    make_review(proposal, reviewers[0], (6, 6, 6))
    _points(cast, cast.partner, 4)

    body = login(cast.program_manager).get(f"/api/v1/rnd/calls/{call.pk}/ranking").json()

    assert body[0]["incentive_points"] == 4


def test_the_ranking_loads_the_points_in_one_query_whatever_the_number_of_partners(login, cast, reviewers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sangsaeng.partners.tests.factories import make_partner_owner

    counts = []
    for n in (2, 12):
        call = make_call(max_per_partner_krw=10**12)
        for k in range(n):
            partner, _owner = make_partner_owner(name_ko=f"협력사{n}-{k}")
            _points(cast, partner, k + 1)
            proposal = make_proposal(call, partner, status=ProposalStatus.UNDER_REVIEW, title=f"p{k}")
            make_review(proposal, reviewers[0], (k % 10, 5, 5))
        client = login(cast.program_manager)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("rnd:call_detail", args=[call.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
