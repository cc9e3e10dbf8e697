"""The demo's programme data: written once through the services (audited), idempotent, and every demo
login sees a living platform in each programme."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sangsaeng.accounts.models import User
from sangsaeng.core.audit import verify_chain
from sangsaeng.core.models import AuditEvent
from sangsaeng.core.navigation import entries_for
from sangsaeng.councils.models import ActionItem, Council, Meeting, MinutesStatus, SelectionRound
from sangsaeng.demo.programmes import councils as demo_councils
from sangsaeng.demo.programmes import finance as demo_finance
from sangsaeng.demo.programmes import openlab as demo_openlab
from sangsaeng.demo.programmes import rnd as demo_rnd
from sangsaeng.demo.programmes import usecases as demo_usecases
from sangsaeng.finance.models import (
    ApplicationStatus,
    FundBank,
    IncentivePoint,
    Loan,
    LoanApplication,
    LoanFund,
    Repayment,
    SharingTask,
    TaskStatus,
)
from sangsaeng.openlab.models import Booking, BookingState
from sangsaeng.rnd.models import (
    Agreement,
    Call,
    Fund,
    FundYear,
    MilestoneStatus,
    Payment,
    Proposal,
    ProposalStatus,
    ReviewAssignment,
)
from sangsaeng.usecases.models import GateDecision, Stage, UseCase

pytestmark = pytest.mark.django_db

DEMO_OWNER = "owner@daol-ict.example.com"
PROGRAMME_NAMESPACES = ("rnd", "finance", "usecases", "openlab")
LOGINS = (
    "admin@sangsaeng-telecom.example.com",
    "pm@sangsaeng-telecom.example.com",
    "reviewer@sangsaeng-telecom.example.com",
    "lab@sangsaeng-telecom.example.com",
    "auditor@sangsaeng-telecom.example.com",
    DEMO_OWNER,
    "member@daol-ict.example.com",
    "officer@sangsaeng-bank.example.com",
    "officer@mirae-bank.example.com",
    "observer@winwin.example.com",
)
MODELS = (
    Fund,
    FundYear,
    Call,
    Proposal,
    ReviewAssignment,
    Agreement,
    Payment,
    LoanFund,
    FundBank,
    LoanApplication,
    Loan,
    Repayment,
    SharingTask,
    IncentivePoint,
    UseCase,
    GateDecision,
    Booking,
    Council,
    Meeting,
    ActionItem,
)


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*MODELS, AuditEvent)}


def _audited(model: type[models.Model], action_prefix: str) -> None:
    """Every row of the model has at least one audit event of its app (written by a service)."""
    label = model._meta.label_lower
    ids = {str(pk) for pk in model._default_manager.values_list("pk", flat=True)}
    audited = set(
        AuditEvent.objects.filter(object_type=label, action__startswith=action_prefix).values_list(
            "object_id", flat=True
        )
    )
    assert ids and ids <= audited, f"{label}: rows without an audit event of {action_prefix}"


def test_programmes_are_loaded_once_through_the_services_and_a_second_run_changes_nothing():
    # given the demo loaded once
    first = _load()
    after_first = _counts()

    # when it is loaded again
    second = _load()

    # then nothing is added (no row, no audit event) and the chain verifies
    assert "rnd_proposals" in first and "openlab_bookings" in first
    assert "created: nothing" in second and "updated: nothing" in second
    assert _counts() == after_first
    assert verify_chain().ok

    # and each programme object exists once, under its natural key
    fund = Fund.objects.get(name=demo_rnd.FUND_NAME)
    this_year = timezone.localdate().year
    assert list(fund.years.values_list("year", "budget_krw")) == [
        (y, 20 * demo_rnd.EOK) for y in range(this_year - 4, this_year + 1)
    ]
    closed = Call.objects.get(title=demo_rnd.CLOSED_TITLE)
    assert closed.decisions_published_at is not None and closed.closes_at < timezone.now()
    assert closed.proposals.count() == len(demo_rnd.CLOSED_PROPOSALS)
    assert closed.criteria.count() == len(demo_rnd.CRITERIA) and closed.themes == demo_rnd.THEMES
    assert set(closed.proposals.values_list("status", flat=True)) == {
        ProposalStatus.SELECTED,
        ProposalStatus.REJECTED,
    }
    assert not ReviewAssignment.objects.filter(proposal__call=closed, submitted_at__isnull=True).exists()
    assert ReviewAssignment.objects.filter(proposal__call=closed).count() == 3 * len(
        demo_rnd.CLOSED_PROPOSALS
    )
    assert closed.selection_runs.filter(applied=True).count() == 1
    assert Agreement.objects.filter(proposal__call=closed).count() == 3
    paid = Payment.objects.get()
    assert paid.milestone.status == MilestoneStatus.ACCEPTED
    assert paid.agreement.proposal.partner.name_ko == "다올정보통신"
    opened = Call.objects.get(title=demo_rnd.OPEN_TITLE)
    assert opened.closes_at > timezone.now() > opened.opens_at
    draft = Proposal.objects.get(call=opened, title=demo_rnd.OPEN_DRAFT_TITLE)
    assert draft.status == ProposalStatus.DRAFT and draft.created_by.email == DEMO_OWNER

    loan_fund = LoanFund.objects.get(name=demo_finance.FUND_NAME)
    assert loan_fund.total_krw == 1_000 * demo_finance.EOK
    assert loan_fund.banks.count() == 2
    statuses = set(LoanApplication.objects.filter(fund=loan_fund).values_list("status", flat=True))
    assert {
        ApplicationStatus.APPLIED,
        ApplicationStatus.RECOMMENDED,
        ApplicationStatus.BANK_APPROVED,
        ApplicationStatus.DISBURSED,
        ApplicationStatus.REPAID,
        ApplicationStatus.REJECTED,
        ApplicationStatus.BANK_REJECTED,
    } <= statuses
    assert LoanApplication.objects.filter(fund=loan_fund).count() == len(demo_finance.STORIES)
    assert Loan.objects.filter(instalments__isnull=False).distinct().count() == Loan.objects.count() == 4
    assert Repayment.objects.exists()
    tasks = SharingTask.objects.filter(title__in=[t.title for t in demo_finance.TASKS])
    assert tasks.count() == len(demo_finance.TASKS)
    assert {TaskStatus.DRAFT, TaskStatus.REGISTERED, TaskStatus.IN_PROGRESS, TaskStatus.CONFIRMED} <= set(
        tasks.values_list("status", flat=True)
    )
    confirmed = tasks.get(status=TaskStatus.CONFIRMED)
    assert IncentivePoint.objects.get(task=confirmed).points > 0

    use_cases = UseCase.objects.filter(title__in=[s.title for s in demo_usecases.STORIES])
    assert use_cases.count() == len(demo_usecases.STORIES)
    assert {s.stage for s in demo_usecases.STORIES} == set(use_cases.values_list("stage", flat=True))
    assert GateDecision.objects.filter(use_case__in=use_cases).count() >= 15
    linked = use_cases.get(sharing_task__isnull=False)
    assert linked.sharing_task.title == demo_usecases.SHARING_TASK_TITLE
    assert linked.sharing_task.partner_id == linked.partner_id and linked.stage == Stage.MONITORING

    bookings = Booking.objects.filter(purpose__in=[s.purpose for s in demo_openlab.STORIES])
    assert bookings.count() == len(demo_openlab.STORIES)
    assert {
        BookingState.REQUESTED,
        BookingState.APPROVED,
        BookingState.CHECKED_IN,
        BookingState.COMPLETED,
    } == set(bookings.values_list("state", flat=True))
    assert {"umyeon", "pangyo"} == set(bookings.values_list("site__code", flat=True))
    poc = bookings.get(use_case__isnull=False)
    assert poc.use_case.title == demo_usecases.POC_TITLE and poc.use_case.partner_id == poc.partner_id

    council = Council.objects.get(name=demo_councils.FUTURE_NETWORK)
    held = council.meetings.get(status="held")
    assert held.minutes.status == MinutesStatus.LOCKED and held.minutes.versions.count() == 2
    assert ActionItem.objects.filter(
        owner_organization__name="다올정보통신", due_on__lt=timezone.localdate()
    ).exists()
    assert SelectionRound.objects.get(council=council).status == "open"
    assert Council.objects.count() == 3

    # and every row was written by its app's service, with its audit event
    for model, prefix in (
        (Fund, "rnd."),
        (Call, "rnd."),
        (Proposal, "rnd."),
        (Agreement, "rnd."),
        (LoanFund, "finance."),
        (FundBank, "finance."),
        (LoanApplication, "finance."),
        (SharingTask, "finance."),
        (UseCase, "usecases."),
        (Booking, "openlab."),
    ):
        _audited(model, prefix)


def _programme_paths(user: User) -> list[str]:
    """The programme pages this person reaches: their menu entries plus their objects' detail pages."""
    paths = [e["url"] for e in entries_for(user) if e["url_name"].split(":")[0] in PROGRAMME_NAMESPACES]
    return paths


def test_each_demo_login_opens_its_programme_pages(client):
    # given the loaded demo
    _load()
    owner = User.objects.get(email=DEMO_OWNER)
    proposal = Proposal.objects.get(title=demo_rnd.CLOSED_PROPOSALS[0][1])
    application = LoanApplication.objects.get(partner=proposal.partner)
    task = SharingTask.objects.get(partner=proposal.partner)
    use_case = UseCase.objects.get(title=demo_usecases.POC_TITLE)
    booking = Booking.objects.get(use_case=use_case)
    details = {
        DEMO_OWNER: [
            reverse("rnd:proposal_detail", args=[proposal.pk]),
            reverse("rnd:agreements"),
            reverse("finance:application", kwargs={"application_id": application.pk}),
            reverse("finance:loan", kwargs={"loan_id": application.loan.pk}),
            reverse("finance:sharing_task", kwargs={"task_id": task.pk}),
            reverse("usecases:detail", kwargs={"use_case_id": use_case.pk}),
            reverse("openlab:booking_detail", args=[booking.pk]),
        ],
        "pm@sangsaeng-telecom.example.com": [
            reverse("rnd:call_detail", args=[proposal.call_id]),
            reverse("rnd:proposal_detail", args=[proposal.pk]),
            reverse("finance:application", kwargs={"application_id": application.pk}),
            reverse("usecases:detail", kwargs={"use_case_id": use_case.pk}),
            reverse("openlab:booking_detail", args=[booking.pk]),
        ],
        "officer@sangsaeng-bank.example.com": [
            reverse("finance:application", kwargs={"application_id": application.pk}),
            reverse("finance:loan", kwargs={"loan_id": application.loan.pk}),
        ],
        "lab@sangsaeng-telecom.example.com": [reverse("openlab:booking_detail", args=[booking.pk])],
    }
    assert owner.memberships.get(is_active=True).organization_id == proposal.partner.organization_id

    for email in LOGINS:
        user = User.objects.get(email=email)
        paths = _programme_paths(user) + details.get(email, [])
        # every login except the agency's observer reaches at least one programme page
        assert paths or email == "observer@winwin.example.com", email
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (email, path, response.status_code)
        client.logout()

    # and the pages show the programme data, each to the person it concerns
    shows = (
        (DEMO_OWNER, "/rnd/", [demo_rnd.CLOSED_PROPOSALS[0][1], demo_rnd.OPEN_DRAFT_TITLE]),
        (DEMO_OWNER, "/finance/sharing/", [demo_finance.TASKS[0].title]),
        (DEMO_OWNER, "/usecases/", [demo_usecases.POC_TITLE]),
        (
            DEMO_OWNER,
            "/openlab/bookings/",
            [str(r) for r in booking.items.values_list("resource__name", flat=True)],
        ),
        ("officer@sangsaeng-bank.example.com", "/finance/loans/", ["다올정보통신"]),
        ("lab@sangsaeng-telecom.example.com", "/openlab/approvals/", [demo_openlab.STORIES[2].purpose]),
        ("reviewer@sangsaeng-telecom.example.com", "/rnd/reviews/", [demo_rnd.CLOSED_PROPOSALS[1][1]]),
        ("pm@sangsaeng-telecom.example.com", "/usecases/board/", [s.title for s in demo_usecases.STORIES]),
    )
    for email, path, needles in shows:
        client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
        html = client.get(path).content.decode()
        for needle in needles:
            assert escape(needle) in html, (email, path, needle)
        client.logout()

    # and the reviewer sees the reviews they wrote
    reviewer = User.objects.get(email="reviewer@sangsaeng-telecom.example.com")
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    assignment = ReviewAssignment.objects.filter(reviewer=reviewer).first()
    assert assignment is not None
    assert client.get(reverse("rnd:review", args=[assignment.pk])).status_code == 200


def test_the_demo_story_has_dates_that_follow_each_other_and_a_renamed_record_is_not_duplicated():
    from sangsaeng.finance.models import Recommendation

    # given the demo loaded once
    _load()
    now = timezone.now()
    today = timezone.localdate()

    # then every loan was applied for, recommended, disbursed and repaid in that order
    for loan in Loan.objects.select_related("application"):
        applied_on = timezone.localdate(loan.application.created_at)
        letter = Recommendation.objects.get(application=loan.application)
        assert applied_on <= letter.issued_on <= loan.disbursed_on <= today, loan.application.pk
        assert all(
            loan.disbursed_on <= paid_on <= today
            for paid_on in loan.repayments.values_list("paid_on", flat=True)
        )
    # and no application waiting for a decision is dated after its letter
    for letter in Recommendation.objects.select_related("application"):
        assert timezone.localdate(letter.application.created_at) <= letter.issued_on <= today
    # and every submitted proposal was submitted while its call was open, on a call of its fund year
    for proposal in Proposal.objects.filter(submitted_at__isnull=False).select_related("call__fund_year"):
        assert proposal.call.opens_at <= proposal.submitted_at <= proposal.call.closes_at, proposal.title
    for call in Call.objects.select_related("fund_year"):
        assert call.fund_year.year - 1 <= timezone.localtime(call.opens_at).year <= call.fund_year.year
    # and each use case was submitted before its gate decisions, which came one after another
    for use_case in UseCase.objects.filter(title__in=[s.title for s in demo_usecases.STORIES]):
        moments = [use_case.submitted_at, *use_case.decisions.values_list("decided_at", flat=True)]
        assert moments == sorted(moments) and moments[-1] <= now, use_case.title
        assert use_case.stage_entered_at == moments[-1] or use_case.stage == Stage.SUBMITTED
        assert use_case.screening_due_on > timezone.localdate(use_case.submitted_at)
        if use_case.stage != Stage.SUBMITTED:
            assert use_case.submitted_at.date() < today

    # and an approved partner, whose history says its documents were checked, has them
    from sangsaeng.partners.models import Partner, PartnerStatus
    from sangsaeng.partners.selectors import next_steps_for_partner

    owner = User.objects.get(email=DEMO_OWNER)
    demo_partner = Partner.objects.get(organization__memberships__user=owner)
    assert demo_partner.status == PartnerStatus.APPROVED
    assert demo_partner.documents.filter(kind="business_registration").exists()
    assert not [step for step in next_steps_for_partner(owner, demo_partner) if "#documents" in step.url]
    for partner in Partner.objects.filter(status=PartnerStatus.APPROVED):
        assert partner.documents.exists(), partner.name_ko

    # when people using the demo rename the draft, a benefit-sharing task and a use case
    Proposal.objects.filter(title=demo_rnd.OPEN_DRAFT_TITLE).update(title="이름을 바꾼 초안")
    SharingTask.objects.filter(title=demo_finance.TASKS[3].title).update(title="이름을 바꾼 과제")
    UseCase.objects.filter(title=demo_usecases.STORIES[0].title).update(title="이름을 바꾼 유스케이스")
    before = _counts()

    # and load the demo again
    second = _load()

    # then nothing is written twice
    assert "created: nothing" in second
    assert _counts() == before
