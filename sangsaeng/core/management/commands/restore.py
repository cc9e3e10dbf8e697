"""`manage.py restore DIR`: verify a backup, replace the database and the uploaded files, verify again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from sangsaeng.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: verify it (checksums, integrity, invariants, audit "
        "chain), replace the database (or the one --database-url names) and the uploaded files, then verify "
        "the restored database. Stop the app servers, task workers and schedulers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--database-url",
            default="",
            help="Restore into this database instead (same engine), e.g. a drill.",
        )
        parser.add_argument("--no-media", action="store_true", help="Leave the uploaded files as they are.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_true", help="Do not ask for confirmation."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = (
            options["database_url"]
            or f"the configured database ({connections['default'].settings_dict['NAME']})"
        )
        if not options["noinput"]:
            answer = input(f"This replaces {target} with {options['directory']}. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            report = restore(
                options["directory"], database_url=options["database_url"], media=not options["no_media"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name, seconds in report.steps:
            self.stdout.write(f"  {name}: {seconds:.2f} s")
        self.stdout.write(f"OK: restored and verified in {report.seconds:.1f} s from {report.path}")
