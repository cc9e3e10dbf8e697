"""Restore drill on both databases: back up real data, change it, restore into a separate database (a
file on SQLite, a scratch database on PostgreSQL) and into the live one (SQLite), and find exactly the
backed-up state, verified (integrity, invariants, audit chain). Damaged or inconsistent backups are
refused and leave nothing behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from sangsaeng.core.backup import (
    MANIFEST,
    PG_FILE,
    SQLITE_FILE,
    BackupError,
    _pg_params,
    backup,
    pg_url,
    read_manifest,
    restore,
    scratch_postgres,
)
from sangsaeng.core.models import AuditEvent
from sangsaeng.core.tests.operations_data import make_operations_data
from sangsaeng.finance.models import FundBank
from sangsaeng.openlab import services as openlab
from sangsaeng.openlab.models import Booking
from sangsaeng.openlab.tests.factories import at, next_weekday

pytestmark = pytest.mark.django_db(transaction=True)


def _count(database_url: str, table: str) -> int:
    if database_url.startswith("sqlite:///"):
        con = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            con.close()
    with psycopg.connect(database_url) as con:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert row is not None
        return int(row[0])


def _book_again(cast, data) -> None:
    day = next_weekday(weeks_ahead=2)
    openlab.book(
        actor=cast.partner_owner,
        resources=[data.booking.items.get().resource],
        start=at(day, 14),
        end=at(day, 15),
        purpose="백업 이후",
    )


def test_restore_drill_into_a_separate_database(cast, tmp_path, settings):
    data = make_operations_data(cast)
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    (media / "rnd").mkdir(parents=True)
    (media / "rnd" / "deliverable.pdf").write_bytes(b"%PDF-1.4 drill")
    events = AuditEvent.objects.count()

    report = backup(tmp_path / "backup")
    names = [name for name, _seconds in report.steps]
    assert "verify invariants and audit chain" in names
    manifest = read_manifest(tmp_path / "backup")
    assert set(manifest["files"]) == {SQLITE_FILE if connection.vendor == "sqlite" else PG_FILE, "media.tar"}

    _book_again(cast, data)  # after the backup: must not come back with the restore
    (media / "rnd" / "deliverable.pdf").unlink()

    def check_restored(url: str) -> None:
        report = restore(tmp_path / "backup", database_url=url)
        assert [name for name, _ in report.steps].count("verify invariants and audit chain") == 2
        assert _count(url, "core_auditevent") == events
        assert _count(url, "openlab_booking") == 1
        assert (media / "rnd" / "deliverable.pdf").read_bytes() == b"%PDF-1.4 drill"

    if connection.vendor == "sqlite":
        check_restored(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    else:
        params = _pg_params()
        with scratch_postgres(params) as name:
            check_restored(pg_url(params, name))
    # The live database was not touched by a restore elsewhere.
    assert Booking.objects.count() == 2


def test_restore_in_place_brings_back_the_backed_up_state(cast, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL restores are drilled into a scratch database (above)")
    data = make_operations_data(cast)
    call_command("backup", str(tmp_path / "backup"))
    _book_again(cast, data)
    assert Booking.objects.count() == 2
    call_command("restore", str(tmp_path / "backup"), "--noinput")
    assert Booking.objects.count() == 1
    call_command("check_invariants")


def test_a_damaged_backup_is_refused_before_anything_is_replaced(cast, tmp_path):
    make_operations_data(cast)
    backup(tmp_path / "backup", media=False)
    database_file = next(p for p in (tmp_path / "backup").iterdir() if p.name != MANIFEST)
    content = bytearray(database_file.read_bytes())
    content[len(content) // 2] ^= 0xFF
    database_file.write_bytes(bytes(content))
    bookings = Booking.objects.count()
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "backup"), "--noinput")
    assert Booking.objects.count() == bookings


def test_a_backup_of_broken_invariants_fails_and_leaves_nothing(cast, tmp_path):
    make_operations_data(cast)
    FundBank.objects.update(reserved_krw=F("reserved_krw") - 1)
    with pytest.raises(BackupError, match=r"finance\.pool_counters"):
        backup(tmp_path / "backup")
    assert list(tmp_path.iterdir()) == []
