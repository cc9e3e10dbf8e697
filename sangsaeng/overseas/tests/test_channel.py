"""The one-to-one channel: proposals, the answer SLA in working days (Korean holidays) and the overdue job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sangsaeng.core.models import AuditEvent, Notification
from sangsaeng.core.workflow import TransitionError
from sangsaeng.overseas import services
from sangsaeng.overseas.models import OverseasProposal, ProposalStatus
from sangsaeng.overseas.tests.factories import make_proposal

FIELDS = {"country": "Vietnam", "market": "Mobile operators", "product": "5G repeater", "ask": "Meet Viettel"}


def test_working_days_skip_weekends_and_korean_holidays():
    # 2026-09-23 (Wed) + 3 working days: Chuseok 24–26 Sep (Thu–Sat) and the weekend do not count.
    assert services.add_working_days(dt.date(2026, 9, 23), 3) == dt.date(2026, 9, 30)
    # An ordinary week: Monday + 5 working days is the next Monday.
    assert services.add_working_days(dt.date(2026, 11, 2), 5) == dt.date(2026, 11, 9)


@pytest.mark.django_db
def test_partner_submits_and_the_due_date_counts_working_days(cast, settings):
    settings.OVERSEAS_ANSWER_WORKING_DAYS = 3
    proposal = services.submit_proposal(actor=cast.partner_owner, today=dt.date(2026, 9, 23), **FIELDS)
    assert proposal.answer_due_on == dt.date(2026, 9, 30)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="overseas.submit_proposal", object_id=str(proposal.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["program_manager", "observer", "loan_officer"])
def test_only_partner_people_submit(cast, who):
    with pytest.raises(PermissionDenied):
        services.submit_proposal(actor=getattr(cast, who), **FIELDS)
    assert OverseasProposal.objects.count() == 0


@pytest.mark.django_db
def test_missing_field_is_refused_and_nothing_saved(cast):
    with pytest.raises(ValidationError) as error:
        services.submit_proposal(actor=cast.partner_owner, **{**FIELDS, "product": "  "})
    assert "product" in error.value.message_dict
    assert OverseasProposal.objects.count() == 0


@pytest.mark.django_db
def test_global_unit_answers_once_and_partner_is_notified(cast):
    proposal = make_proposal(cast.partner, cast.partner_owner)
    services.answer_proposal(actor=cast.program_manager, proposal=proposal, answer="Let us meet")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer, proposal.answered_by) == (
        "answered",
        "Let us meet",
        cast.program_manager,
    )
    assert Notification.objects.filter(recipient=cast.partner_owner).exists()
    with pytest.raises(TransitionError):
        services.answer_proposal(actor=cast.program_manager, proposal=proposal, answer="again")
    proposal.refresh_from_db()
    assert proposal.answer == "Let us meet"


@pytest.mark.django_db
def test_auditor_and_reviewer_cannot_answer_and_empty_answer_is_refused(cast):
    proposal = make_proposal(cast.partner, cast.partner_owner)
    for user in (cast.auditor, cast.reviewer, cast.partner_owner):
        with pytest.raises(PermissionDenied):
            services.answer_proposal(actor=user, proposal=proposal, answer="x")
    with pytest.raises(ValidationError):
        services.answer_proposal(actor=cast.host_admin, proposal=proposal, answer=" ")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


@pytest.mark.django_db
def test_overdue_job_flags_once_and_reminds_the_global_unit(cast):
    late = make_proposal(cast.partner, cast.partner_owner, due=dt.date(2026, 1, 5))
    on_time = make_proposal(cast.partner, cast.partner_owner, due=dt.date(2026, 1, 20))
    answered = make_proposal(cast.partner, cast.partner_owner, due=dt.date(2026, 1, 5), status="answered")
    assert services.flag_overdue_proposals(today=dt.date(2026, 1, 6)) == 1
    assert services.flag_overdue_proposals(today=dt.date(2026, 1, 6)) == 0
    late.refresh_from_db()
    on_time.refresh_from_db()
    answered.refresh_from_db()
    assert late.overdue_flagged_at is not None
    assert on_time.overdue_flagged_at is None and answered.overdue_flagged_at is None
    assert (
        Notification.objects.filter(recipient=cast.program_manager, url__endswith=f"/{late.pk}/").count() == 1
    )


def test_overdue_job_is_scheduled(settings):
    assert settings.SCHEDULED_JOBS["overseas.flag_overdue_proposals"]["path"].endswith(
        "flag_overdue_proposals"
    )


@pytest.mark.django_db
def test_withdraw_by_own_partner_only(cast):
    proposal = make_proposal(cast.partner, cast.partner_owner)
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(actor=cast.other_partner_owner, proposal=proposal)
    services.withdraw_proposal(actor=cast.partner_member, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


@pytest.mark.django_db
def test_pages_submit_list_and_answer(client, login, cast):
    login(cast.partner_owner)
    response = client.post(reverse("overseas:proposal_new"), {**FIELDS, "product": ""})
    assert response.status_code == 200 and OverseasProposal.objects.count() == 0
    response = client.post(reverse("overseas:proposal_new"), FIELDS)
    proposal = OverseasProposal.objects.get()
    assert response.status_code == 302
    login(cast.program_manager)
    response = client.post(reverse("overseas:proposal_answer", args=[proposal.pk]), {"answer": "OK"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "answered"


@pytest.mark.django_db
def test_proposal_list_query_count_is_constant(client, login, cast, django_assert_max_num_queries):
    for _ in range(30):
        make_proposal(cast.partner, cast.partner_owner)
    login(cast.program_manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("overseas:proposals"))
    assert response.status_code == 200
    login(cast.partner_owner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("overseas:proposals"), {"overdue": "on"}).status_code == 200


@pytest.mark.django_db
def test_api_submit_list_answer(client, login, cast, django_assert_max_num_queries):
    login(cast.partner_owner)
    response = client.post("/api/v1/overseas/proposals", FIELDS, content_type="application/json")
    assert response.status_code == 201, response.content
    proposal_id = response.json()["id"]
    response = client.post(
        "/api/v1/overseas/proposals", {**FIELDS, "ask": ""}, content_type="application/json"
    )
    assert response.status_code == 422 and "ask" in response.json()["error"]["fields"]
    login(cast.host_admin)
    for _ in range(10):
        make_proposal(cast.partner, cast.partner_owner)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/overseas/proposals?limit=5")
    assert response.json()["count"] == 11
    response = client.post(
        f"/api/v1/overseas/proposals/{proposal_id}/answer", {"answer": "Yes"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "answered"
    login(cast.auditor)
    response = client.post(
        f"/api/v1/overseas/proposals/{proposal_id}/withdraw", {}, content_type="application/json"
    )
    assert response.status_code == 403
