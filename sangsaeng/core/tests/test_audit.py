"""The audit chain: recording, hashing, verify_audit, tamper detection and immutability on every path."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from sangsaeng.core import audit
from sangsaeng.core.models import AuditChainHead, AuditEvent, AuditImmutableError
from sangsaeng.core.request_context import RequestInfo, reset_current_request, set_current_request
from sangsaeng.core.tests.conftest import (
    disable_append_only_guard,
    raw_execute,
    raw_update_changes,
)


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue().strip()


def _verify_error() -> str:
    with pytest.raises(CommandError) as error:
        call_command("verify_audit", stdout=io.StringIO())
    return str(error.value)


# --- Recording --------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="test.x", target=audit.AuditTarget("tests.thing", "1"))
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_events_are_numbered_and_each_links_to_the_previous_hash(events):
    first, second, third = events(3)

    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, third.hash)


@pytest.mark.django_db
def test_record_stores_actor_object_request_and_changes(cast):
    token = set_current_request(RequestInfo(request_id="req-12345678", ip_address="10.1.2.3", path="/x/"))
    try:
        with transaction.atomic():
            event = audit.record(
                actor=cast.host_admin,
                action="partners.approve_partner",
                target=cast.partner,
                changes=audit.diff({"status": "pending"}, {"status": "approved"}),
            )
    finally:
        reset_current_request(token)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == cast.host_admin.pk and stored.actor_label == "admin@host.example"
    assert stored.organization_id_at_time == cast.host.pk
    assert (stored.object_type, stored.object_id) == ("partners.partner", str(cast.partner.pk))
    assert stored.changes == {"status": ["pending", "approved"]}
    assert (stored.request_id, stored.ip_address) == ("req-12345678", "10.1.2.3")
    assert stored.compute_hash() == stored.hash


@pytest.mark.django_db
def test_values_longer_than_their_columns_are_cut_before_hashing(events):
    (event,) = events(1, action="test." + "x" * 200, object_repr="y" * 400)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert len(stored.action) == 80 and len(stored.object_repr) == 255
    assert stored.compute_hash() == stored.hash
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_a_missing_chain_head_is_recreated_by_the_first_writer(events):
    AuditChainHead.objects.all().delete()  # a flushed or freshly restored database

    first, second = events(2)

    assert (first.seq, first.prev_hash, second.seq) == (1, audit.GENESIS_HASH, 2)
    assert AuditChainHead.objects.get(pk=1).last_seq == 2


def test_diff_records_that_a_secret_changed_but_never_its_value():
    changes = audit.diff(
        {"password": "old-pw", "api_token": "t1", "name": "A"},
        {"password": "new-pw", "api_token": "t2", "name": "B"},
    )

    assert changes == {"api_token": ["***", "***"], "name": ["A", "B"], "password": ["***", "***"]}
    assert "old-pw" not in json.dumps(changes) and "new-pw" not in json.dumps(changes)


def test_diff_leaves_out_unchanged_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


def test_change_lines_make_pairs_and_plain_values_readable():
    lines = audit.change_lines({"status": ["pending", "approved"], "rows": 12, "note": [None, "x"]})

    assert [(line.field, line.old, line.new, line.is_change) for line in lines] == [
        ("note", "–", "x", True),
        ("rows", "", "12", False),
        ("status", "pending", "approved", True),
    ]
    assert audit.changes_text({"status": ["pending", "approved"]}) == "status: pending → approved"


# --- verify_audit -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_verify_audit_reports_ok_for_an_intact_chain(events):
    events(4)

    assert _verify() == "OK: 4 events verified"


@pytest.mark.django_db
def test_verify_audit_reports_ok_for_an_empty_trail():
    assert _verify() == "OK: 0 events verified"


@pytest.mark.django_db
def test_editing_the_changes_of_an_event_in_the_database_is_detected_at_that_event(events):
    events(4, changes={"status": ["pending", "approved"]})
    disable_append_only_guard()

    raw_update_changes(2, json.dumps({"status": ["pending", "rejected"]}))

    message = _verify_error()
    assert "BROKEN at event #2:" in message
    assert "edited" in message


@pytest.mark.django_db
def test_editing_the_action_of_an_event_in_the_database_is_detected_at_that_event(events):
    events(5)
    disable_append_only_guard()

    raw_execute("UPDATE core_auditevent SET action = %s WHERE seq = %s", ["test.harmless", 3])

    assert "BROKEN at event #3:" in _verify_error()


@pytest.mark.django_db
def test_an_edit_whose_hash_was_recomputed_breaks_the_next_link(events):
    events(4)
    disable_append_only_guard()
    forged = AuditEvent.objects.get(seq=2)
    forged.action = "test.forged"
    raw_execute(
        "UPDATE core_auditevent SET action = %s, hash = %s WHERE seq = %s",
        ["test.forged", forged.compute_hash(), 2],
    )

    message = _verify_error()
    assert "BROKEN at event #3:" in message and "link" in message


@pytest.mark.django_db
def test_deleting_an_event_in_the_middle_is_detected(events):
    events(5)
    disable_append_only_guard()

    raw_execute("DELETE FROM core_auditevent WHERE seq = %s", [3])

    message = _verify_error()
    assert "BROKEN at event #3:" in message and "missing" in message


@pytest.mark.django_db
def test_deleting_the_newest_events_is_detected_by_the_chain_head(events):
    events(5)
    disable_append_only_guard()

    raw_execute("DELETE FROM core_auditevent WHERE seq >= %s", [4])

    message = _verify_error()
    assert "BROKEN at event #4:" in message and "newest" in message


# --- No path edits or deletes events ----------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda e: e.save(), id="instance.save"),
        pytest.param(lambda e: e.save(update_fields=["action"]), id="instance.save(update_fields)"),
        pytest.param(lambda e: e.delete(), id="instance.delete"),
        pytest.param(lambda e: AuditEvent.objects.filter(pk=e.pk).update(action="x"), id="queryset.update"),
        pytest.param(lambda e: AuditEvent.objects.filter(pk=e.pk).delete(), id="queryset.delete"),
        pytest.param(lambda e: AuditEvent.objects.all().delete(), id="all().delete"),
        pytest.param(lambda e: AuditEvent.objects.bulk_update([e], ["action"]), id="bulk_update"),
        pytest.param(
            lambda e: AuditEvent.objects.update_or_create(pk=e.pk, defaults={"action": "x"}),
            id="update_or_create",
        ),
        pytest.param(
            lambda e: AuditEvent(pk=e.pk, seq=e.seq, action="x", created_at=e.created_at).save(),
            id="new instance over an existing pk",
        ),
    ],
)
def test_no_orm_path_edits_or_deletes_an_event(events, attempt):
    event = events(2)[0]
    event.action = "test.tampered"
    before = list(AuditEvent.objects.order_by("seq").values_list("seq", "action", "hash"))

    with pytest.raises(AuditImmutableError):
        with transaction.atomic():
            attempt(event)

    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "action", "hash")) == before
    assert _verify() == "OK: 2 events verified"


@pytest.mark.django_db
def test_a_raw_sql_update_is_refused_by_the_database(events):
    events(2)

    with pytest.raises(DatabaseError):
        with transaction.atomic():
            raw_execute("UPDATE core_auditevent SET action = %s WHERE seq = %s", ["test.tampered", 1])

    assert AuditEvent.objects.get(seq=1).action == "test.change_thing"


@pytest.mark.django_db
def test_a_raw_sql_delete_is_refused_by_postgresql(events):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps no DELETE trigger (Django's test flush deletes rows); the chain detects it")
    events(2)

    with pytest.raises(DatabaseError):
        with transaction.atomic():
            raw_execute("DELETE FROM core_auditevent WHERE seq = %s", [1])

    assert AuditEvent.objects.count() == 2


def test_the_api_offers_no_route_that_changes_audit_events():
    from config.api import api

    schema = api.get_openapi_schema()
    audit_paths = {path: set(ops) for path, ops in schema["paths"].items() if "audit" in path}

    assert audit_paths, "the audit API is mounted"
    assert all(methods == {"get"} for methods in audit_paths.values()), audit_paths
