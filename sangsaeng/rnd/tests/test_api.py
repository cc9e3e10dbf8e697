"""R&D API at /api/v1/rnd: permission matrices, the end-to-end flow, idempotent payments, query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sangsaeng.core.models import AuditEvent
from sangsaeng.rnd.models import Agreement, MilestoneStatus, Payment, Proposal, ProposalStatus
from sangsaeng.rnd.tests.factories import make_call, make_fund_year, make_proposal, make_review

pytestmark = pytest.mark.django_db
BASE = "/api/v1/rnd"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _send(client, method, url, data=None, **headers):
    return client.generic(
        method, url, data=json.dumps(data or {}), content_type="application/json", **EN, **headers
    )


def _proposal_payload(call):
    return {
        "call_id": call.pk,
        "theme": "5G",
        "title": "API 과제",
        "budget_lines": [{"category": "personnel", "host_krw": 100, "partner_krw": 50}],
        "milestones": [{"title": "m1", "deliverables": "d", "month": 2, "amount_krw": 100}],
    }


def test_anonymous_callers_get_401(client):
    assert client.get(f"{BASE}/proposals").status_code == 401


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("partner_owner", 201),
        ("partner_member", 201),
        ("program_manager", 403),
        ("reviewer", 403),
        ("loan_officer", 404),
    ],
)
def test_who_may_start_a_proposal(login, cast, call, who, status):
    response = _send(login(getattr(cast, who)), "POST", f"{BASE}/proposals", _proposal_payload(call))

    assert response.status_code == status, response.content
    assert Proposal.objects.count() == (1 if status == 201 else 0)


def test_a_partner_drafts_and_submits_through_the_api(login, cast, call):
    client = login(cast.partner_owner)
    created = _send(client, "POST", f"{BASE}/proposals", _proposal_payload(call)).json()

    response = _send(client, "POST", f"{BASE}/proposals/{created['id']}/submit")

    assert response.status_code == 200 and response.json()["status"] == "submitted"


def test_a_late_submission_is_a_422_naming_the_deadline(login, cast):
    closes = timezone.now() - dt.timedelta(minutes=5)
    call = make_call(opens_at=closes - dt.timedelta(days=1), closes_at=closes)
    proposal = make_proposal(call, cast.partner)

    response = _send(login(cast.partner_owner), "POST", f"{BASE}/proposals/{proposal.pk}/submit")

    assert response.status_code == 422
    assert "deadline" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("program_manager", 200),
        ("auditor", 200),
        ("partner_owner", 200),
        ("other_partner_owner", 404),
        ("reviewer", 404),
    ],
)
def test_who_may_read_a_proposal(login, cast, call, who, status):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED)

    assert login(getattr(cast, who)).get(f"{BASE}/proposals/{proposal.pk}").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("program_manager", 200), ("reviewer", 404), ("partner_owner", 404), ("loan_officer", 404)],
)
def test_only_host_readers_see_the_ranking(login, cast, call, who, status):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW)
    make_review(proposal, cast.reviewer, (5, 5, 5))

    assert login(getattr(cast, who)).get(f"{BASE}/calls/{call.pk}/ranking").status_code == status


def test_an_auditor_reads_but_cannot_run_the_selection(login, cast, call):
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.UNDER_REVIEW)
    make_review(proposal, cast.reviewer, (5, 5, 5))

    response = _send(login(cast.auditor), "POST", f"{BASE}/calls/{call.pk}/selection-runs", {})

    assert response.status_code == 403


def test_the_manager_runs_applies_and_publishes_then_the_partner_reads_the_decision(login, cast, reviewers):
    call = make_call(make_fund_year(150), max_request_krw=10**9)
    good = make_proposal(
        call, cast.partner, status=ProposalStatus.UNDER_REVIEW, requested_krw=100, title="good"
    )
    weak = make_proposal(
        call, cast.other_partner, status=ProposalStatus.UNDER_REVIEW, requested_krw=100, title="weak"
    )
    for reviewer in reviewers[:2]:
        make_review(good, reviewer, (9, 9, 9), comment="좋음")
        make_review(weak, reviewer, (4, 4, 4), comment="부족")
    manager = login(cast.program_manager)

    run = _send(manager, "POST", f"{BASE}/calls/{call.pk}/selection-runs", {"theme_max": {"5G": 1}}).json()
    assert run["optimal"]["ids"] == [good.pk]
    assert (
        _send(manager, "POST", f"{BASE}/calls/{call.pk}/selection-runs/{run['id']}/apply").status_code == 200
    )
    assert _send(manager, "POST", f"{BASE}/calls/{call.pk}/publish").status_code == 200

    other = login(cast.other_partner_owner).get(f"{BASE}/proposals/{weak.pk}/decision").json()
    assert other["status"] == "rejected" and other["reason"] and other["comments"] == ["부족", "부족"]


def _submitted_milestone(cast):
    call = make_call(make_fund_year(10**9))
    proposal = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED)
    type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
    from sangsaeng.rnd import services

    agreement = services.create_agreement(actor=cast.program_manager, proposal=proposal)
    milestone = agreement.milestones.order_by("order").first()
    services.submit_milestone(actor=cast.partner_owner, milestone=milestone, report="done")
    return agreement, milestone


def test_the_payment_endpoint_is_idempotent_with_the_idempotency_key_header(login, cast):
    agreement, milestone = _submitted_milestone(cast)
    client = login(cast.program_manager)
    url = f"{BASE}/agreements/{agreement.pk}/milestones/{milestone.pk}/accept"

    first = _send(client, "POST", url, HTTP_IDEMPOTENCY_KEY="abc-1")
    events = AuditEvent.objects.count()
    again = _send(client, "POST", url, HTTP_IDEMPOTENCY_KEY="abc-1")
    missing = _send(client, "POST", url)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert missing.status_code == 422
    assert Payment.objects.count() == 1 and AuditEvent.objects.count() == events
    assert Agreement.objects.get(pk=agreement.pk).paid_krw == milestone.amount_krw


def test_a_partner_cannot_accept_its_own_milestone(login, cast):
    agreement, milestone = _submitted_milestone(cast)

    response = _send(
        login(cast.partner_owner),
        "POST",
        f"{BASE}/agreements/{agreement.pk}/milestones/{milestone.pk}/accept",
        HTTP_IDEMPOTENCY_KEY="x",
    )

    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.SUBMITTED


@pytest.mark.parametrize("path", ["proposals", "agreements", "payments", "assignments", "calls"])
def test_list_endpoints_use_the_same_number_of_queries_for_5_and_50_rows(login, cast, path):
    def fill(n):
        call = make_call(make_fund_year(10**12), max_per_partner_krw=10**12)
        type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
        from sangsaeng.rnd import services

        for k in range(n):
            proposal = make_proposal(call, cast.partner, status=ProposalStatus.SELECTED, title=f"p{k}")
            agreement = services.create_agreement(actor=cast.program_manager, proposal=proposal)
            milestone = agreement.milestones.first()
            services.submit_milestone(actor=cast.partner_owner, milestone=milestone, report="r")
            services.accept_milestone(
                actor=cast.program_manager, milestone=milestone, idempotency_key=f"{call.pk}-{k}"
            )
            make_review(proposal, cast.reviewer, (5, 5, 5))

    counts = []
    for n in (5, 45):
        fill(n)
        user = cast.reviewer if path == "assignments" else cast.program_manager
        client = login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/{path}", {"limit": 200})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_manager_creates_a_fund_and_reads_its_ledger_lines(login, cast):
    client = login(cast.program_manager)

    fund = _send(
        client,
        "POST",
        f"{BASE}/funds",
        {"name": "5G", "years": [{"year": 2030, "budget_krw": 2_000_000_000}]},
    ).json()
    year_id = fund["years"][0]["id"]
    changed = _send(client, "PUT", f"{BASE}/fund-years/{year_id}/budget", {"budget_krw": 1_000}).json()
    lines = client.get(f"{BASE}/fund-years/{year_id}/ledger").json()

    assert changed["years"][0]["remaining_krw"] == 1_000
    assert [line["amount_krw"] for line in lines] == [2_000_000_000, 1_000 - 2_000_000_000]
    assert login(cast.partner_owner).get(f"{BASE}/fund-years/{year_id}/ledger").status_code == 404


def test_a_selection_run_is_read_back_with_its_explanations(login, cast, reviewers):
    call = make_call(make_fund_year(100), max_request_krw=10**9)
    for title, cost, score in [("a", 100, 9), ("b", 60, 8), ("c", 40, 8)]:
        proposal = make_proposal(
            call, cast.partner, status=ProposalStatus.UNDER_REVIEW, requested_krw=cost, title=title
        )
        make_review(proposal, reviewers[0], (score,) * 3)
    client = login(cast.program_manager)

    run = _send(client, "POST", f"{BASE}/calls/{call.pk}/selection-runs", {}).json()
    again = client.get(f"{BASE}/calls/{call.pk}/selection-runs/{run['id']}").json()

    assert again == run
    assert [e["reason"] for e in run["explanations"]] == ["budget"]


# --- Attachments ------------------------------------------------------------------------------------------
def _pdf(name="계획서.pdf", content=b"%PDF-1.4\n%%EOF\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _upload(client, proposal, upload):
    return client.post(f"{BASE}/proposals/{proposal.pk}/attachments", {"file": upload}, **EN)


def test_a_partner_uploads_lists_downloads_and_deletes_an_attachment_of_a_draft(
    login, cast, call, django_capture_on_commit_callbacks
):
    from sangsaeng.rnd.models import ProposalAttachment

    proposal = make_proposal(call, cast.partner)
    client = login(cast.partner_member)

    created = _upload(client, proposal, _pdf())
    assert created.status_code == 201, created.content
    attachment_id = created.json()["id"]
    listed = client.get(f"{BASE}/proposals/{proposal.pk}/attachments").json()
    download = client.get(f"{BASE}/proposals/{proposal.pk}/attachments/{attachment_id}")
    stored = ProposalAttachment.objects.get()
    path = stored.file.path

    assert [a["original_name"] for a in listed] == ["계획서.pdf"]
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="rnd.add_attachment", object_id=str(proposal.pk)).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.delete(f"{BASE}/proposals/{proposal.pk}/attachments/{attachment_id}")

    import os

    assert deleted.status_code == 204
    assert not ProposalAttachment.objects.exists() and not os.path.exists(path)
    assert AuditEvent.objects.filter(action="rnd.delete_attachment", object_id=str(proposal.pk)).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "file"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "file"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * 64, "file"),
    ],
)
def test_a_bad_upload_is_refused_with_a_field_message_and_nothing_is_stored(
    login, cast, call, settings, name, content, message
):
    from sangsaeng.rnd.models import ProposalAttachment

    settings.MAX_DOCUMENT_BYTES = 32
    proposal = make_proposal(call, cast.partner)
    events = AuditEvent.objects.count()

    response = _upload(login(cast.partner_owner), proposal, _pdf(name, content))

    assert response.status_code == 422 and message in response.json()["error"]["fields"]
    assert not ProposalAttachment.objects.exists() and AuditEvent.objects.count() == events


def test_an_upload_without_a_file_is_refused(login, cast, call):
    proposal = make_proposal(call, cast.partner)

    response = login(cast.partner_owner).post(f"{BASE}/proposals/{proposal.pk}/attachments", {}, **EN)

    assert response.status_code == 422 and "file" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("who", "upload", "read", "delete"),
    [
        ("partner_owner", 201, 200, 204),
        ("other_partner_owner", 404, 404, 404),
        ("program_manager", 403, 200, 403),
        ("auditor", 403, 200, 403),
        ("reviewer", 404, 404, 404),  # not assigned: a reviewer sees only assigned, submitted proposals
        ("loan_officer", 404, 404, 404),
    ],
)
def test_the_attachment_permission_matrix(login, cast, call, who, upload, read, delete):
    from sangsaeng.rnd.models import ProposalAttachment
    from sangsaeng.rnd.services import add_attachment

    proposal = make_proposal(call, cast.partner)
    existing = add_attachment(actor=cast.partner_owner, proposal=proposal, upload=_pdf("있던.pdf"))
    events = AuditEvent.objects.count()
    client = login(getattr(cast, who))
    url = f"{BASE}/proposals/{proposal.pk}/attachments"

    assert _upload(client, proposal, _pdf()).status_code == upload
    assert client.get(url).status_code == read
    assert client.get(f"{url}/{existing.pk}").status_code == read
    assert client.delete(f"{url}/{existing.pk}").status_code == delete
    if upload != 201:
        assert list(ProposalAttachment.objects.values_list("pk", flat=True)) == [existing.pk]
        assert AuditEvent.objects.count() == events


def test_attachments_cannot_change_once_the_proposal_is_submitted(login, cast, call):
    from sangsaeng.rnd.models import ProposalAttachment
    from sangsaeng.rnd.services import add_attachment

    proposal = make_proposal(call, cast.partner)
    existing = add_attachment(actor=cast.partner_owner, proposal=proposal, upload=_pdf())
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SUBMITTED)
    client = login(cast.partner_owner)
    url = f"{BASE}/proposals/{proposal.pk}/attachments"

    assert _upload(client, proposal, _pdf("새.pdf")).status_code == 403
    assert client.delete(f"{url}/{existing.pk}").status_code == 403
    assert client.get(f"{url}/{existing.pk}").status_code == 200
    assert list(ProposalAttachment.objects.values_list("pk", flat=True)) == [existing.pk]


def test_an_assigned_reviewer_reads_the_attachments_of_a_submitted_proposal(login, cast, call):
    from sangsaeng.rnd.services import add_attachment, assign_reviewer

    proposal = make_proposal(call, cast.partner)
    existing = add_attachment(actor=cast.partner_owner, proposal=proposal, upload=_pdf())
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SUBMITTED)
    assign_reviewer(actor=cast.program_manager, proposal=proposal, reviewer=cast.reviewer)

    response = login(cast.reviewer).get(f"{BASE}/proposals/{proposal.pk}/attachments/{existing.pk}")

    assert response.status_code == 200
