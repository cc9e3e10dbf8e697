"""`manage.py verify_audit`: walk the hash-chained audit trail and report the first broken event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain. Prints 'OK: N events verified', or the first broken "
        "event (its sequence number and what is wrong) and exits with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size", type=int, default=5000, help="Events read per database round trip."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(chunk_size=options["chunk_size"])
        if not report.ok:
            # CommandError prints to stderr and exits non-zero; scripts and monitoring rely on both.
            raise CommandError(
                f"BROKEN at event #{report.broken_seq}: {report.problem} "
                f"({report.checked} events before it verified)"
            )
        self.stdout.write(f"OK: {report.checked} events verified")
