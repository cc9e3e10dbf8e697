"""The core API: audit events (read-only), own notifications, own job progress."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangsaeng.core import services
from sangsaeng.core.models import Notification
from sangsaeng.core.tests.conftest import record_event

API = "/api/v1"


# --- GET /audit-events ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_anonymous_gets_401_from_the_audit_api(client):
    record_event(object_repr="hidden")

    response = client.get(f"{API}/audit-events")

    assert response.status_code == 401
    assert b"hidden" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["partner_owner", "partner_member", "loan_officer", "reviewer"])
def test_insiders_without_the_right_get_403_from_the_audit_api(cast, login, role):
    record_event(object_repr="hidden")

    response = login(getattr(cast, role)).get(f"{API}/audit-events")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert b"hidden" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["host_admin", "auditor", "observer"])
def test_auditors_administrators_and_observers_list_events(cast, login, role):
    event = record_event(
        object_repr="shown",
        partner_organization_id=cast.partner.organization_id,
        changes={"status": ["pending", "approved"]},
    )

    response = login(getattr(cast, role)).get(f"{API}/audit-events")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["seq"] == event.seq and item["hash"] == event.hash and item["prev_hash"] == event.prev_hash
    assert item["changes"] == {"status": ["pending", "approved"]}
    assert item["partner_name"] == "가나다테크"


@pytest.mark.django_db
def test_the_audit_api_filters_like_the_page(cast, login):
    record_event(action="partners.approve_partner", object_type="partners.partner", object_id="1")
    record_event(action="partners.reject_partner", object_type="partners.partner", object_id="2")
    record_event(action="accounts.invite_member", object_type="accounts.invitation", object_id="1")
    client = login(cast.auditor)

    def seqs(**query):
        return [item["object_id"] for item in client.get(f"{API}/audit-events", query).json()["items"]]

    assert seqs(action="partners.*") == ["2", "1"]
    assert seqs(object_type="partners.partner", object_id="1") == ["1"]
    assert seqs(actor_email="system") == ["1", "2", "1"]


@pytest.mark.django_db
def test_the_audit_api_refuses_a_reversed_date_range_with_a_field_error(cast, login):
    response = login(cast.auditor).get(
        f"{API}/audit-events", {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_the_audit_api_pages_with_limit_and_offset(cast, login):
    for index in range(5):
        record_event(object_id=str(index))

    body = login(cast.auditor).get(f"{API}/audit-events", {"limit": 2, "offset": 1}).json()

    assert body["count"] == 5
    assert [item["seq"] for item in body["items"]] == [4, 3]


@pytest.mark.django_db
def test_the_audit_api_costs_the_same_queries_for_5_and_50_events(cast, login):
    client = login(cast.auditor)
    for index in range(5):
        record_event(object_id=str(index), partner_organization_id=cast.partner.organization_id)
    client.get(f"{API}/audit-events")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/audit-events", {"limit": 50})
    for index in range(45):
        record_event(object_id=str(100 + index), partner_organization_id=cast.other_partner.organization_id)

    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{API}/audit-events", {"limit": 50})

    assert len(response.json()["items"]) == 50
    assert len(many) == len(few)


# --- GET /audit-events/{seq} ------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_auditor_reads_one_event(cast, login):
    event = record_event(object_repr="one")

    response = login(cast.auditor).get(f"{API}/audit-events/{event.seq}")

    assert response.status_code == 200
    assert response.json()["hash"] == event.hash


@pytest.mark.django_db
def test_a_missing_event_is_404(cast, login):
    assert login(cast.auditor).get(f"{API}/audit-events/999").status_code == 404


@pytest.mark.django_db
def test_a_partner_user_gets_404_for_an_event_and_a_host_user_without_the_right_403(cast, login, client):
    event = record_event(object_repr="not-yours", partner_organization_id=cast.partner.organization_id)

    partner_response = login(cast.partner_owner).get(f"{API}/audit-events/{event.seq}")
    host_response = login(cast.reviewer).get(f"{API}/audit-events/{event.seq}")

    assert partner_response.status_code == 404 and b"not-yours" not in partner_response.content
    assert host_response.status_code == 403 and b"not-yours" not in host_response.content


# --- Notifications ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_notifications_api_lists_only_the_callers_own(cast, login):
    services.notify(recipients=[cast.partner_owner], title="mine", email=False)
    services.notify(recipients=[cast.other_partner_owner], title="someone-elses", email=False)

    response = login(cast.partner_owner).get(f"{API}/notifications")

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["mine"]


@pytest.mark.django_db
def test_notifications_api_filters_unread(cast, login):
    read, unread = services.notify(recipients=[cast.auditor], title="x", email=False) + services.notify(
        recipients=[cast.auditor], title="y", email=False
    )
    services.mark_notifications_read(actor=cast.auditor, notification_ids=[read.pk])

    items = login(cast.auditor).get(f"{API}/notifications", {"unread": "true"}).json()["items"]

    assert [item["id"] for item in items] == [unread.pk]


@pytest.mark.django_db
def test_notifications_api_marks_the_given_ids_read_and_ignores_other_peoples(cast, login):
    (mine,) = services.notify(recipients=[cast.partner_owner], title="mine", email=False)
    (theirs,) = services.notify(recipients=[cast.other_partner_owner], title="theirs", email=False)

    response = login(cast.partner_owner).post(
        f"{API}/notifications/read", {"ids": [mine.pk, theirs.pk]}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json() == {"marked": 1, "unread": 0}
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.django_db
def test_notifications_api_marks_all_read(cast, login):
    services.notify(recipients=[cast.partner_owner], title="a", email=False)
    services.notify(recipients=[cast.partner_owner], title="b", email=False)
    (theirs,) = services.notify(recipients=[cast.other_partner_owner], title="theirs", email=False)

    response = login(cast.partner_owner).post(
        f"{API}/notifications/read", {"all": True}, content_type="application/json"
    )

    assert response.json() == {"marked": 2, "unread": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [{}, {"ids": []}, {"ids": [1], "all": True}])
def test_notifications_api_wants_either_ids_or_all(cast, login, payload):
    (note,) = services.notify(recipients=[cast.partner_owner], title="a", email=False)

    response = login(cast.partner_owner).post(
        f"{API}/notifications/read", payload, content_type="application/json"
    )

    assert response.status_code == 422
    assert Notification.objects.get(pk=note.pk).read_at is None


@pytest.mark.django_db
def test_anonymous_gets_401_from_the_notifications_api(client):
    assert client.get(f"{API}/notifications").status_code == 401
    assert (
        client.post(f"{API}/notifications/read", {"all": True}, content_type="application/json").status_code
        == 401
    )


# --- Jobs -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_owner_reads_the_progress_of_a_job(cast, login):
    job = services.start_job(actor=cast.program_manager, kind="partners.import", total=4)
    services.job_progress(job, done=1, message="validating")

    response = login(cast.program_manager).get(f"{API}/jobs/{job.pk}")

    assert response.status_code == 200
    assert response.json() | {"created_at": None} == {
        "id": str(job.pk),
        "kind": "partners.import",
        "status": "running",
        "percent": 25,
        "progress_done": 1,
        "progress_total": 4,
        "message": "validating",
        "result": {},
        "is_finished": False,
        "created_at": None,
        "finished_at": None,
    }


@pytest.mark.django_db
def test_another_users_job_is_404(cast, login):
    job = services.start_job(actor=cast.program_manager, kind="partners.import")

    response = login(cast.host_admin).get(f"{API}/jobs/{job.pk}")

    assert response.status_code == 404
