"""R&D pages: who sees what, the submit/score/selection/ledger pages, exports, constant query counts."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from sangsaeng.rnd import services
from sangsaeng.rnd.models import Proposal, ProposalStatus, ReviewAssignment
from sangsaeng.rnd.tests.factories import make_call, make_fund_year, make_proposal, make_review

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client):
    response = client.get(reverse("rnd:my_proposals"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_partner_sees_only_its_own_proposals(login, cast, call):
    make_proposal(call, cast.partner, title="우리과제")
    make_proposal(call, cast.other_partner, title="남의과제")

    body = login(cast.partner_owner).get(reverse("rnd:my_proposals")).content.decode()

    assert "우리과제" in body and "남의과제" not in body


def test_a_partner_submits_from_the_proposal_page(login, cast, call):
    proposal = make_proposal(call, cast.partner)
    client = login(cast.partner_owner)

    assert client.get(reverse("rnd:proposal_detail", args=[proposal.pk])).status_code == 200
    response = client.post(reverse("rnd:proposal_submit", args=[proposal.pk]))

    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_a_reviewer_scores_on_the_review_page(login, cast, call):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)
    assignment = services.assign_reviewer(
        actor=cast.program_manager, proposal=proposal, reviewer=cast.reviewer
    )
    client = login(cast.reviewer)
    data = {f"c{c.pk}": 7 for c in call.criteria.all()} | {"comment": "충실함"}

    assert client.get(reverse("rnd:my_reviews")).status_code == 200
    response = client.post(reverse("rnd:review", args=[assignment.pk]), data)

    assert response.status_code == 302
    assert ReviewAssignment.objects.get(pk=assignment.pk).scores.count() == 3


@pytest.mark.parametrize(
    ("who", "status"), [("program_manager", 200), ("auditor", 200), ("partner_owner", 404), ("reviewer", 404)]
)
def test_manager_pages_are_for_host_readers(login, cast, call, who, status):
    client = login(getattr(cast, who))

    assert client.get(reverse("rnd:manage")).status_code == status
    assert client.get(reverse("rnd:call_detail", args=[call.pk])).status_code == status
    assert client.get(reverse("rnd:call_selection", args=[call.pk])).status_code == status


def test_the_selection_page_shows_optimal_and_greedy_with_reasons(english, login, cast, reviewers):
    call = make_call(make_fund_year(300), max_per_partner_krw=10**9, max_request_krw=10**9)
    for title, cost, score in [("big", 300, 9), ("left", 150, 8), ("right", 150, 8)]:
        proposal = make_proposal(
            call, cast.partner, status=ProposalStatus.UNDER_REVIEW, requested_krw=cost, title=title
        )
        make_review(proposal, reviewers[0], (score,) * 3)
    client = login(cast.program_manager)

    response = client.post(
        reverse("rnd:call_selection", args=[call.pk]), {"theme_min": "", "theme_max": "", "exclusive": ""}
    )
    page = client.get(response["Location"]).content.decode()

    assert "Greedy by score" in page and "Optimal (HiGHS)" in page
    assert "a calibrated score of" in page


def test_the_ledger_dashboard_shows_budget_committed_paid_and_remaining(login, cast):
    fund = services.create_fund(actor=cast.program_manager, name="5G 공동 R&D", years=[(2030, 2_000_000_000)])

    response = login(cast.program_manager).get(reverse("rnd:manage"))

    assert response.status_code == 200
    rows, total = response.context["funds"][0]["rows"], response.context["funds"][0]["total"]
    assert rows[0].budget == 2_000_000_000 and total.remaining == 2_000_000_000
    assert response.context["funds"][0]["fund"] == fund


@pytest.mark.parametrize("kind", ["proposals", "scores", "payments"])
def test_exports_are_excel_files(login, cast, call, kind):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW, title="=HYPERLINK(1)")
    make_review(proposal, cast.reviewer, (5, 5, 5))

    response = login(cast.program_manager).get(reverse("rnd:export"), {"kind": kind})

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.active.max_row >= 1
    if kind != "payments":
        assert workbook.active.cell(2, 2 if kind == "scores" else 5).value == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("rnd:my_proposals", "partner_owner"),
        ("rnd:agreements", "partner_owner"),
        ("rnd:my_reviews", "reviewer"),
    ],
)
def test_list_pages_use_the_same_number_of_queries_for_5_and_50_rows(
    login, cast, django_assert_max_num_queries, name, who
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 25):
        call = make_call(make_fund_year(10**12), max_per_partner_krw=10**12)
        type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
        for k in range(n):
            proposal = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED, title=f"p{k}")
            services.create_agreement(actor=cast.program_manager, proposal=proposal)
            ReviewAssignment.objects.create(
                proposal=proposal, reviewer=cast.reviewer, assigned_by=cast.program_manager
            )
        client = login(getattr(cast, who))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _formset(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for k, row in enumerate(rows):
        data |= {f"{prefix}-{k}-{name}": value for name, value in row.items()}
    return data


def test_a_partner_writes_a_draft_with_budget_lines_and_milestones_on_the_page(login, cast, call):
    client = login(cast.partner_member)
    assert (
        "Write a proposal"
        in client.get(reverse("rnd:my_proposals"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    data = (
        {"theme": "AI", "title": "AI 비서", "summary": "s", "objectives": "o", "team": "t"}
        | _formset(
            "lines", [{"category": "personnel", "description": "", "host_krw": 100, "partner_krw": 40}]
        )
        | _formset("plan", [{"title": "m", "deliverables": "d", "month": 3, "amount_krw": 100}])
    )

    response = client.post(reverse("rnd:proposal_new", args=[call.pk]), data)

    proposal = Proposal.objects.get()
    assert response.status_code == 302 and (proposal.requested_krw, proposal.partner_share_krw) == (100, 40)
    edit = client.post(reverse("rnd:proposal_edit", args=[proposal.pk]), data | {"title": "AI 비서 2"})
    assert edit.status_code == 302 and Proposal.objects.get().title == "AI 비서 2"


def test_another_partner_cannot_open_the_edit_page(login, cast, call):
    proposal = make_proposal(call, cast.partner)

    assert (
        login(cast.other_partner_owner).get(reverse("rnd:proposal_edit", args=[proposal.pk])).status_code
        == 404
    )


def test_the_ranking_page_uses_the_same_number_of_queries_for_5_and_40_proposals(login, cast, reviewers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 40):
        call = make_call()
        for k in range(n):
            proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW, title=f"p{k}")
            for reviewer in reviewers[:3]:
                make_review(proposal, reviewer, (k % 10, 5, 5))
        client = login(cast.program_manager)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("rnd:call_detail", args=[call.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_manager_opens_a_call_on_the_page_with_seoul_times(login, cast):
    from sangsaeng.rnd.models import Call
    from sangsaeng.rnd.tests.factories import make_fund_year as _year

    year = _year(year=2031)
    data = {
        "fund_year": year.pk,
        "title": "2031 공모",
        "themes": "5G, AI",
        "eligible_tiers": ["1", "2"],
        "min_partner_share_pct": 20,
        "max_request_krw": 500,
        "max_per_partner_krw": 800,
        "opens_at": "2031-03-01T09:00",
        "closes_at": "2031-03-31T18:00",
        "reviewers_per_proposal": 3,
        "criteria": "기술성: 60\n사업성: 40",
    }
    client = login(cast.program_manager)

    response = client.post(reverse("rnd:call_new"), data)

    call = Call.objects.get(title="2031 공모")
    assert response.status_code == 302
    assert call.themes == ["5G", "AI"] and call.eligible_tiers == [1, 2]
    assert timezone.localtime(call.closes_at).strftime("%H:%M") == "18:00"
    assert str(timezone.localtime(call.closes_at).tzinfo) == "Asia/Seoul"
    assert login(cast.partner_owner).get(reverse("rnd:call_new")).status_code == 404


def test_a_manager_assigns_a_reviewer_by_hand_on_the_call_page(login, cast, call):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)
    client = login(cast.program_manager)
    assert client.get(reverse("rnd:call_detail", args=[call.pk])).status_code == 200

    response = client.post(
        reverse("rnd:call_assign", args=[call.pk]), {"proposal": proposal.pk, "reviewer": cast.reviewer.pk}
    )

    assert response.status_code == 302
    assert ReviewAssignment.objects.filter(proposal=proposal, reviewer=cast.reviewer).exists()


def test_reviewers_never_see_the_decision_block_with_other_comments(login, cast, reviewers):
    call = make_call(make_fund_year(10**9))
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW)
    make_review(proposal, reviewers[0], (5, 5, 5), comment="다른 심사위원 의견")
    mine = make_review(proposal, reviewers[1], (6, 6, 6), comment="내 의견")
    services.apply_selection(
        actor=cast.program_manager, run=services.run_selection(actor=cast.program_manager, call=call)
    )
    services.publish_decisions(actor=cast.program_manager, call=call)

    body = login(reviewers[1]).get(reverse("rnd:proposal_detail", args=[proposal.pk])).content.decode()

    assert mine.pk and "다른 심사위원 의견" not in body
    assert (
        "다른 심사위원 의견"
        in login(cast.partner_owner).get(reverse("rnd:proposal_detail", args=[proposal.pk])).content.decode()
    )


def test_a_partner_records_a_result_on_the_agreements_page(login, cast):
    call = make_call(make_fund_year(10**9))
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED)
    type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
    agreement = services.create_agreement(actor=cast.program_manager, proposal=proposal)
    data = {
        "kind": "patent",
        "title": "특허 10-1234",
        "amount_krw": 0,
        "occurred_on": timezone.localdate().isoformat(),
    }

    response = login(cast.partner_owner).post(reverse("rnd:result_add", args=[agreement.pk]), data)

    assert response.status_code == 302 and agreement.results.get().title == "특허 10-1234"
    assert (
        login(cast.other_partner_owner).post(reverse("rnd:result_add", args=[agreement.pk]), data).status_code
        == 404
    )


def test_a_manager_creates_a_fund_and_edits_a_years_budget_on_the_pages(login, cast):
    from sangsaeng.rnd.models import Fund

    client = login(cast.program_manager)
    response = client.post(
        reverse("rnd:fund_new"),
        {
            "name": "5G 공동 R&D 2019–2023",
            "carry_over": "on",
            "years": "2019: 2,000,000,000\n2020: 2000000000",
        },
    )
    fund = Fund.objects.get()
    first = fund.years.order_by("year").first()

    client.post(reverse("rnd:year_budget", args=[first.pk]), {"budget_krw": 1_500_000_000})
    client.post(reverse("rnd:year_carry_over", args=[first.pk]))

    first.refresh_from_db()
    assert response.status_code == 302 and fund.carry_over
    assert (first.budget_krw, first.carried_out_krw) == (1_500_000_000, 1_500_000_000)
    assert fund.years.get(year=2020).available_krw == 3_500_000_000
    assert (
        login(cast.auditor).post(reverse("rnd:year_budget", args=[first.pk]), {"budget_krw": 1}).status_code
        == 404
    )


def test_a_manager_edits_a_calls_themes_and_the_change_is_audited(login, cast, call):
    from sangsaeng.core.models import AuditEvent

    response = login(cast.program_manager).post(
        reverse("rnd:call_edit", args=[call.pk]),
        {"title": call.title, "themes": "5G, AI, 6G", "closes_at": "2031-12-31T18:00"},
    )

    call.refresh_from_db()
    assert response.status_code == 302 and call.themes == ["5G", "AI", "6G"]
    assert AuditEvent.objects.filter(action="rnd.update_call", object_id=str(call.pk)).count() == 1
    assert login(cast.auditor).get(reverse("rnd:call_edit", args=[call.pk])).status_code == 404


def test_every_form_page_renders_for_its_user(login, cast, call):
    proposal = make_proposal(call, cast.partner)
    selected_call = make_call(make_fund_year(10**9))
    selected = make_proposal(selected_call, cast.partner, status=ProposalStatus.SELECTED, title="선정")
    type(selected_call).objects.filter(pk=selected_call.pk).update(decisions_published_at=timezone.now())
    agreement = services.create_agreement(actor=cast.program_manager, proposal=selected)
    services.submit_milestone(actor=cast.partner_owner, milestone=agreement.milestones.first(), report="보고")
    manager = login(cast.program_manager)

    for name, args in [
        ("rnd:fund_new", []),
        ("rnd:call_new", []),
        ("rnd:agreements", []),
        ("rnd:manage", []),
    ]:
        assert manager.get(reverse(name, args=args)).status_code == 200, name
    assert (
        "Accept and pay" in manager.get(reverse("rnd:agreements"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    partner = login(cast.partner_owner)
    for name, args in [
        ("rnd:proposal_new", [call.pk]),
        ("rnd:proposal_edit", [proposal.pk]),
        ("rnd:agreements", []),
        ("rnd:my_proposals", []),
    ]:
        assert partner.get(reverse(name, args=args)).status_code == 200, name


def test_the_proposal_page_shows_the_status_timeline(english, login, cast, call):
    from sangsaeng.rnd.services import BudgetLineSpec, MilestoneSpec

    proposal = services.create_proposal(
        actor=cast.partner_owner,
        call=call,
        theme="5G",
        title="타임라인",
        budget_lines=[BudgetLineSpec("personnel", 100, 50)],
        milestones=[MilestoneSpec("m", "d", 1, 100)],
    )
    services.submit_proposal(actor=cast.partner_owner, proposal=proposal)

    body = login(cast.partner_owner).get(reverse("rnd:proposal_detail", args=[proposal.pk])).content.decode()

    assert "Draft started" in body and "Submitted:" in body


def test_the_proposal_list_answers_htmx_with_the_partial(login, cast, call):
    make_proposal(call, cast.partner, title="부분화면")

    response = login(cast.partner_owner).get(reverse("rnd:my_proposals"), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "부분화면" in body and "<html" not in body


def test_a_partner_uploads_a_deliverable_pdf_that_only_its_people_and_the_host_download(login, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    call = make_call(make_fund_year(10**9))
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED)
    type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
    agreement = services.create_agreement(actor=cast.program_manager, proposal=proposal)
    milestone = agreement.milestones.order_by("order").first()
    pdf = SimpleUploadedFile("설계서.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    args = [agreement.pk, milestone.pk]

    response = login(cast.partner_owner).post(
        reverse("rnd:milestone_submit", args=args), {"report": "설계 완료", "file": pdf}
    )

    milestone.refresh_from_db()
    assert (
        response.status_code == 302
        and milestone.status == "submitted"
        and milestone.deliverable_name == "설계서.pdf"
    )
    assert login(cast.program_manager).get(reverse("rnd:milestone_file", args=args)).status_code == 200
    assert login(cast.other_partner_owner).get(reverse("rnd:milestone_file", args=args)).status_code == 404


def test_a_fake_pdf_deliverable_is_refused_and_nothing_changes(login, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    call = make_call(make_fund_year(10**9))
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED)
    type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
    agreement = services.create_agreement(actor=cast.program_manager, proposal=proposal)
    milestone = agreement.milestones.order_by("order").first()
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    login(cast.partner_owner).post(
        reverse("rnd:milestone_submit", args=[agreement.pk, milestone.pk]), {"report": "r", "file": fake}
    )

    milestone.refresh_from_db()
    assert milestone.status == "pending" and not milestone.deliverable


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("rnd:my_proposals", "program_manager"),
        ("rnd:agreements", "program_manager"),
        ("rnd:manage", "program_manager"),
        ("rnd:call_progress", "program_manager"),
        ("rnd:call_detail", "program_manager"),
    ],
)
def test_manager_list_pages_use_the_same_number_of_queries_for_few_and_many_rows(
    login, cast, reviewers, name, who
):
    counts = []
    for n in (3, 30):
        call = make_call(make_fund_year(10**12), max_per_partner_krw=10**12)
        services.create_fund(actor=cast.program_manager, name=f"기금 {n}", years=[(2040 + n, 10**9)])
        for k in range(n):
            proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW, title=f"p{k}")
            for reviewer in reviewers[:3]:
                make_review(proposal, reviewer, (k % 10, 5, 5))
        selected = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED, title=f"s{n}")
        type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
        services.create_agreement(actor=cast.program_manager, proposal=selected)
        args = [call.pk] if name in ("rnd:call_progress", "rnd:call_detail") else []
        counts.append(_count_queries(login(getattr(cast, who)), reverse(name, args=args)))
    assert counts[0] == counts[1]


def test_the_ranking_pages_50_rows_sorts_and_keeps_the_calibrated_position(login, cast, reviewers):
    call = make_call(max_per_partner_krw=10**12)
    for k in range(60):
        proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW, title=f"p{k:02d}")
        make_review(proposal, reviewers[0], (k % 11, (k * 7) % 11, 5))
    client = login(cast.program_manager)
    url = reverse("rnd:call_detail", args=[call.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2, "sort": "raw"}, HTTP_HX_REQUEST="true")

    assert len(first.context["ranking"]) == 50 and first.context["summary"].proposals == 60
    assert [r.position for r in first.context["ranking"]] == list(range(1, 51))
    assert len(second.context["ranking"]) == 10 and "<html" not in second.content.decode()
    raws = [r.rank.raw for r in second.context["ranking"]]
    assert raws == sorted(raws, reverse=True)
    full = {r.proposal.pk: r.position for r in selectors_rows(cast, call)}
    assert all(full[r.proposal.pk] == r.position for r in second.context["ranking"])


def selectors_rows(cast, call):
    from sangsaeng.rnd import selectors

    return selectors.ranking_rows_for_user(cast.program_manager, call)


def test_the_ranking_shows_a_new_review_at_once(login, cast, reviewers):
    call = make_call()
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW)
    make_review(proposal, reviewers[0], (2, 2, 2))
    client = login(cast.program_manager)
    url = reverse("rnd:call_detail", args=[call.pk])
    assert client.get(url).context["ranking"][0].rank.reviews == 1

    make_review(proposal, reviewers[1], (9, 9, 9))

    row = client.get(url).context["ranking"][0]
    assert row.rank.reviews == 2 and row.rank.raw == 55.0


def test_the_fast_ranking_equals_the_pure_ranking(cast, reviewers):
    from sangsaeng.rnd import ranking, selectors
    from sangsaeng.rnd.models import ReviewScore

    call = make_call()
    for k in range(12):
        proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW, title=f"p{k}")
        for j, reviewer in enumerate(reviewers[:3]):
            make_review(proposal, reviewer, ((k + j) % 11, (k * 3 + j) % 11, (k * j) % 11))
    scores: dict[int, dict[int, int]] = {}
    for assignment_id, criterion_id, score in ReviewScore.objects.values_list(
        "assignment_id", "criterion_id", "score"
    ):
        scores.setdefault(assignment_id, {})[criterion_id] = score
    reviews = [
        ranking.ReviewInput(a.pk, a.proposal_id, a.reviewer_id, scores[a.pk])
        for a in ReviewAssignment.objects.filter(proposal__call=call)
    ]

    pure = ranking.rank(selectors.call_criteria(call), reviews)
    fast = selectors.criterion_means(call, selectors.call_ranking(call))

    assert fast == pure


def test_a_manager_assigns_by_proposal_number_only_within_the_call(login, cast, call):
    other = make_proposal(make_call(), cast.partner, status=ProposalStatus.SUBMITTED)
    client = login(cast.program_manager)

    response = client.post(
        reverse("rnd:call_assign", args=[call.pk]), {"proposal": other.pk, "reviewer": cast.reviewer.pk}
    )

    assert response.status_code == 302 and not ReviewAssignment.objects.exists()
