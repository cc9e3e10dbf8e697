"""`manage.py check_invariants`: sum every budget, pool, limit and slot against its rows, and walk the
audit chain; print each difference and exit non-zero when there is one (core.invariants)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.invariants import check_all, discover


class Command(BaseCommand):
    help = (
        "Check the money and capacity invariants of every app (each counter equals the sum of its rows, "
        "nothing over its ceiling) and the audit chain. Prints one line per difference and exits with "
        "status 1 when there is any; 'OK' otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="PREFIX",
            help="Run only checks named PREFIX… (repeatable).",
        )
        parser.add_argument("--list", action="store_true", help="Print the checks and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for check in discover():
                self.stdout.write(f"{check.name}: {check.description}")
            return
        results = check_all(options["only"])
        differences = [difference for result in results for difference in result.differences]
        for result in results:
            state = "OK" if not result.differences else f"{len(result.differences)} DIFFERENCE(S)"
            self.stdout.write(f"{result.name}: {state} ({result.seconds:.2f} s)", ending="\n")
            for difference in result.differences:
                self.stderr.write(f"  {difference}")
        if differences:
            raise CommandError(
                f"{len(differences)} difference(s) in {sum(1 for r in results if r.differences)} check(s)"
            )
        self.stdout.write(f"OK: {len(results)} checks, no difference")
