"""Fixtures of the core tests: recording audit events, tampering with the stored chain."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone

from sangsaeng.core import audit
from sangsaeng.core.models import AuditEvent


def record_event(
    *,
    actor=None,
    action: str = "test.change_thing",
    object_type: str = "tests.thing",
    object_id: str = "1",
    object_repr: str = "thing",
    partner_organization_id: int | None = None,
    changes: dict | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """One event recorded the way services record them: inside a transaction."""
    target = audit.AuditTarget(object_type, object_id, object_repr, partner_organization_id)
    with transaction.atomic():
        if at is None:
            return audit.record(actor=actor, action=action, target=target, changes=changes)
        with mock.patch.object(timezone, "now", return_value=at):
            return audit.record(actor=actor, action=action, target=target, changes=changes)


@pytest.fixture
def events(db):
    """A factory: events(n, **fields) records n events and returns them in order."""

    def _make(count: int = 3, **fields) -> list[AuditEvent]:
        return [record_event(**{"object_id": str(index), **fields}) for index in range(1, count + 1)]

    return _make


def disable_append_only_guard(table: str = "core_auditevent") -> None:
    """What only a database administrator can do: switch off the append-only trigger of migration
    core/0002 inside the test's transaction (rolled back with it), so that a row can be tampered with."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {table}_no_update")
        else:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: run their pending checks now,
            # because PostgreSQL will not alter a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_update_delete")


def raw_update_changes(seq: int, changes_json: str) -> None:
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE core_auditevent SET changes = %s{cast} WHERE seq = %s", [changes_json, seq])


def raw_execute(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
