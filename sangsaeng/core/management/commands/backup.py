"""`manage.py backup DIR`: a verified backup of the database and the uploaded files (core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.backup import BackupError, backup, verify_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump) and the uploaded files into "
        "a new directory, then verify what was written: checksums, database integrity, the money and "
        "capacity invariants and the audit chain, on a copy. Exits non-zero when anything fails. "
        "With --verify-only DIR, verifies an existing backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="A directory that does not exist yet.")
        parser.add_argument("--no-media", action="store_true", help="Leave the uploaded files out.")
        parser.add_argument("--no-verify", action="store_true", help="Skip the verification (not advised).")
        parser.add_argument("--verify-only", action="store_true", help="Verify the existing backup DIR.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify_only"]:
                report = verify_backup(options["directory"])
            else:
                report = backup(
                    options["directory"], verify=not options["no_verify"], media=not options["no_media"]
                )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name, seconds in report.steps:
            self.stdout.write(f"  {name}: {seconds:.2f} s")
        sizes = ", ".join(
            f"{name} {facts['bytes']:,} bytes" for name, facts in report.manifest["files"].items()
        )
        verb = (
            "verified"
            if options["verify_only"]
            else ("written" if options["no_verify"] else "written and verified")
        )
        self.stdout.write(
            f"OK: {report.engine} backup {verb} in {report.seconds:.1f} s: {report.path} ({sizes})"
        )
