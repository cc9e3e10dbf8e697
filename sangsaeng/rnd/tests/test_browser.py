"""End to end in Chromium: a partner submits, reviewers score, the manager selects with the optimiser
and publishes, and the partner sees the decision with its explanation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.partners.tests.factories import make_partner_owner
from sangsaeng.rnd import services
from sangsaeng.rnd.models import Proposal, ProposalStatus
from sangsaeng.rnd.tests.factories import make_call, make_fund_year, make_proposal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_submit_review_select_publish_and_see_the_explanation(new_page, log_in_page):
    host = OrganizationFactory(kind=OrganizationKind.HOST, name="호스트텔레콤")
    manager = make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host, email="pm@host.example")
    reviewers = [
        make_member(OrganizationKind.HOST, Role.REVIEWER, host, email=f"r{k}@host.example") for k in range(2)
    ]
    partner, owner = make_partner_owner(name_ko="가나다테크")
    other, _other_owner = make_partner_owner(name_ko="라마바솔루션")
    call = make_call(make_fund_year(300), max_request_krw=10**9, max_per_partner_krw=10**9)
    mine = make_proposal(call, partner, creator=owner, requested_krw=300, title="큰 과제")
    others = [
        make_proposal(call, other, status=ProposalStatus.SUBMITTED, requested_krw=150, title=title)
        for title in ("왼쪽", "오른쪽")
    ]

    # The partner submits its draft.
    partner_page = new_page("en")
    log_in_page(partner_page, owner.email)
    partner_page.goto(f"/rnd/proposals/{mine.pk}/")
    partner_page.get_by_role("button", name="Submit").click()
    partner_page.wait_for_load_state()
    assert Proposal.objects.get(pk=mine.pk).status == ProposalStatus.SUBMITTED

    # The manager assigns two reviewers each; the first reviewer scores on the page.
    services.auto_assign(actor=manager, call=call, per_proposal=2)
    criteria = list(call.criteria.all())
    review_page = new_page("en")
    log_in_page(review_page, reviewers[0].email)
    assignment = reviewers[0].rnd_assignments.get(proposal=mine)
    review_page.goto(f"/rnd/reviews/{assignment.pk}/")
    for criterion in criteria:
        review_page.fill(f"#id_c{criterion.pk}", "9")
    review_page.fill("#id_comment", "strong technology")
    review_page.locator("main form button[type=submit]").first.click()
    review_page.wait_for_url(re.compile(r".*/rnd/reviews/$"))
    for reviewer in reviewers:
        for a in reviewer.rnd_assignments.filter(submitted_at__isnull=True):
            score = 9 if a.proposal_id == mine.pk else 8
            services.submit_review(
                actor=reviewer, assignment=a, scores={c.pk: score for c in criteria}, comment="ok"
            )

    # The manager runs the optimiser: two 150 proposals beat one 300 one; apply and publish.
    manager_page = new_page("en")
    log_in_page(manager_page, manager.email)
    manager_page.goto(f"/rnd/calls/{call.pk}/selection/")
    manager_page.get_by_role("button", name="Run the optimiser").click()
    expect(manager_page.locator("main")).to_contain_text("Greedy by score")
    manager_page.get_by_role("button", name="Apply the optimal set").click()
    manager_page.get_by_role("button", name="Publish decisions").click()
    manager_page.wait_for_load_state()
    assert Proposal.objects.get(pk=mine.pk).status == ProposalStatus.REJECTED
    assert {p.status for p in Proposal.objects.filter(pk__in=[p.pk for p in others])} == {
        ProposalStatus.SELECTED
    }

    # The partner sees the decision, why, and the reviewers' comments.
    partner_page.goto(f"/rnd/proposals/{mine.pk}/")
    main = partner_page.locator("main")
    expect(main).to_contain_text("Decision")
    expect(main).to_contain_text("a calibrated score of")
    expect(main).to_contain_text("strong technology")
