"""Backups that prove themselves: write, then verify what was written (`manage.py backup` / `restore`).

A backup is a directory:

    database.sqlite3   SQLite: a consistent copy made with SQLite's online backup API (writers go on)
    database.pgdump    PostgreSQL: `pg_dump --format=custom` (one snapshot, restored with pg_restore)
    media.tar          the uploaded files (documents, deliverables, photos) under MEDIA_ROOT
    manifest.json      engine, sizes, SHA-256 of each file, row counts of the audit trail, timings

Verification, after a backup and before and after a restore:
- SQLite: `PRAGMA integrity_check` and `PRAGMA foreign_key_check` on the copy; PostgreSQL: the archive
  restores into a scratch database (created and dropped again) without an error;
- then, against that copy, `manage.py check_invariants` (every budget, pool, limit and slot against its
  rows, and the audit hash chain) in a child process pointed at it with DATABASE_URL.

A restore first verifies the backup (checksums, integrity, invariants), then replaces the database (SQLite:
the backup API copies the file into the live database page by page; PostgreSQL: pg_restore --clean into the
target database) and the media files, and verifies the result the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connections

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup or restore could not be made, or what was written does not verify."""


@dataclass
class Report:
    path: Path
    engine: str
    steps: list[tuple[str, float]] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.steps.append((name, time.monotonic() - started))

    @property
    def seconds(self) -> float:
        return sum(seconds for _name, seconds in self.steps)


# --- The configured database ------------------------------------------------------------------------------


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_params(alias: str = "default") -> dict[str, str]:
    db = settings.DATABASES[alias]
    return {
        "name": str(db["NAME"]),
        "user": str(db.get("USER") or ""),
        "password": str(db.get("PASSWORD") or ""),
        "host": str(db.get("HOST") or ""),
        "port": str(db.get("PORT") or ""),
    }


def pg_url(params: dict[str, str], name: str | None = None) -> str:
    auth = quote(params["user"], safe="")
    if params["password"]:
        auth += ":" + quote(params["password"], safe="")
    host = params["host"] or "localhost"
    port = f":{params['port']}" if params["port"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(name or params['name'], safe='')}"


def _pg_env(params: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("host", "PGHOST"),
        ("port", "PGPORT"),
    ):
        if params[key]:
            env[variable] = params[key]
    return env


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools are needed)") from error
    if done.returncode != 0:
        raise BackupError(f"{' '.join(command[:2])} failed: {(done.stderr or done.stdout).strip()[-2000:]}")
    return done.stdout


# --- Checks ------------------------------------------------------------------------------------------------


def sqlite_integrity(path: Path) -> None:
    """PRAGMA integrity_check and foreign_key_check on a SQLite file, read-only."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [row[0] for row in con.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            raise BackupError(f"{path.name}: integrity check failed: {'; '.join(map(str, rows[:5]))}")
        broken = con.execute("PRAGMA foreign_key_check").fetchmany(5)
        if broken:
            raise BackupError(f"{path.name}: foreign keys point at missing rows: {broken}")
    finally:
        con.close()


def check_database(database_url: str) -> str:
    """`manage.py check_invariants` (money, capacity, the audit chain) against another database."""
    env = dict(os.environ, DATABASE_URL=database_url)
    done = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "check_invariants"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"invariants do not hold:\n{done.stderr.strip()[-4000:]}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "OK"


@contextmanager
def scratch_postgres(params: dict[str, str]) -> Iterator[str]:
    """A new, empty database next to the configured one, dropped afterwards; yields its name."""
    name = f"{params['name'][:30]}_verify_{uuid.uuid4().hex[:10]}"
    env = _pg_env(params)
    _run(["createdb", "--template=template0", name], env)
    try:
        yield name
    finally:
        _run(["dropdb", "--if-exists", "--force", name], env)


def media_directory() -> Path:
    """Where the uploaded files are: the default storage's directory (MEDIA_ROOT unless configured)."""
    from django.core.files.storage import storages

    location = getattr(storages["default"], "location", None)
    return Path(location or settings.MEDIA_ROOT)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- Backup ------------------------------------------------------------------------------------------------


def backup(destination: Path, *, verify: bool = True, media: bool = True) -> Report:
    """Write a backup directory at `destination` (must not exist yet) and verify it."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose a new directory")
    engine = _engine()
    report = Report(destination, engine)
    work = destination.with_name(destination.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        files: dict[str, dict[str, Any]] = {}
        if engine == "sqlite":
            with report.step("copy database (SQLite backup API)"):
                target = work / SQLITE_FILE
                connection = connections["default"]
                connection.ensure_connection()
                dest = sqlite3.connect(target)
                try:
                    connection.connection.backup(dest, pages=4096)
                    # One self-contained file: no -wal/-shm beside it, readable read-only anywhere.
                    dest.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dest.close()
            database_file = target
        else:
            params = _pg_params()
            with report.step("pg_dump"):
                database_file = work / PG_FILE
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--file={database_file}",
                        params["name"],
                    ],
                    _pg_env(params),
                )
        files[database_file.name] = {"bytes": database_file.stat().st_size}
        if media:
            with report.step("archive media files"):
                media_root = media_directory()
                with tarfile.open(work / MEDIA_FILE, "w") as archive:
                    if media_root.exists():
                        archive.add(media_root, arcname="media")
                files[MEDIA_FILE] = {"bytes": (work / MEDIA_FILE).stat().st_size}
        with report.step("checksums"):
            for name in files:
                files[name]["sha256"] = _sha256(work / name)
        report.manifest = {
            "format": 1,
            "engine": engine,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(report.manifest, indent=2))
        if verify:
            verify_backup(work, report)
    except BaseException:
        # Nothing half-written stays behind under a name that looks like a backup.
        shutil.rmtree(work, ignore_errors=True)
        raise
    work.rename(destination)
    report.path = destination
    return report


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = Path(path) / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{path} is not a backup (no {MANIFEST})")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    return manifest


def verify_backup(path: Path, report: Report | None = None) -> Report:
    """Checksums, database integrity and the invariants of a backup directory, against a copy."""
    path = Path(path)
    manifest = read_manifest(path)
    report = report or Report(path, manifest["engine"], manifest=manifest)
    with report.step("verify checksums"):
        for name, facts in manifest["files"].items():
            if _sha256(path / name) != facts["sha256"]:
                raise BackupError(
                    f"{name}: checksum differs from the manifest (the file changed or is damaged)"
                )
    if manifest["engine"] == "sqlite":
        with report.step("verify integrity (PRAGMA integrity_check)"):
            sqlite_integrity(path / SQLITE_FILE)
        with report.step("verify invariants and audit chain"):
            # On a copy: a check must not write into the backup (e.g. SQLite's WAL files beside it).
            scratch = path.parent / f".{path.name}.verify-{uuid.uuid4().hex[:8]}.sqlite3"
            shutil.copyfile(path / SQLITE_FILE, scratch)
            try:
                check_database(f"sqlite:///{scratch}")
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    else:
        params = _pg_params()
        with scratch_postgres(params) as name:
            with report.step("verify integrity (pg_restore into a scratch database)"):
                _run(
                    [
                        "pg_restore",
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        f"--dbname={name}",
                        str(path / PG_FILE),
                    ],
                    _pg_env(params),
                )
            with report.step("verify invariants and audit chain"):
                check_database(pg_url(params, name))
    return report


# --- Restore -----------------------------------------------------------------------------------------------


def restore(source: Path, *, database_url: str = "", media: bool = True) -> Report:
    """Verify the backup at `source`, replace the database (the configured one, or `database_url` of the
    same engine) and the media files with it, and verify the result."""
    source = Path(source)
    manifest = read_manifest(source)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of {manifest['engine']}, the configured database is {engine}")
    report = verify_backup(source, Report(source, engine, manifest=manifest))
    if engine == "sqlite":
        target = Path(database_url.removeprefix("sqlite:///")) if database_url else None
        with report.step("restore database (SQLite backup API)"):
            backup_db = sqlite3.connect(f"file:{source / SQLITE_FILE}?mode=ro", uri=True)
            try:
                if target is None:
                    connection = connections["default"]
                    connection.ensure_connection()
                    backup_db.backup(connection.connection, pages=4096)
                    target = Path(connection.settings_dict["NAME"])
                else:
                    live = sqlite3.connect(target)
                    try:
                        backup_db.backup(live, pages=4096)
                    finally:
                        live.close()
            finally:
                backup_db.close()
            connections["default"].close()
        with report.step("verify integrity (PRAGMA integrity_check)"):
            sqlite_integrity(target)
        with report.step("verify invariants and audit chain"):
            check_database(f"sqlite:///{target}")
    else:
        params = _pg_params()
        if database_url:
            import dj_database_url

            other = dj_database_url.parse(database_url)
            params = {
                "name": str(other["NAME"]),
                "user": str(other.get("USER") or ""),
                "password": str(other.get("PASSWORD") or ""),
                "host": str(other.get("HOST") or ""),
                "port": str(other.get("PORT") or ""),
            }
        connections.close_all()
        with report.step("restore database (pg_restore --clean)"):
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={params['name']}",
                    str(source / PG_FILE),
                ],
                _pg_env(params),
            )
        with report.step("verify invariants and audit chain"):
            check_database(pg_url(params))
    if media and MEDIA_FILE in manifest["files"]:
        with report.step("restore media files"):
            _restore_media(source / MEDIA_FILE, media_directory())
    return report


def _restore_media(archive_path: Path, media_root: Path) -> None:
    """Unpack into a new directory beside MEDIA_ROOT, then swap it in (the old one is removed)."""
    staging = media_root.with_name(media_root.name + f".restoring-{uuid.uuid4().hex[:8]}")
    with tarfile.open(archive_path) as archive:
        archive.extractall(staging, filter="data")
    unpacked = staging / "media"
    unpacked.mkdir(parents=True, exist_ok=True)
    old = media_root.with_name(media_root.name + f".old-{uuid.uuid4().hex[:8]}")
    if media_root.exists():
        media_root.rename(old)
    unpacked.rename(media_root)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
