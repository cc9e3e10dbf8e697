"""`manage.py run_schedule`: run the scheduled jobs (settings.SCHEDULED_JOBS) when they are due."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.schedule import configured_jobs, resolve, run_due


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs that are due: once (--once, for cron every minute) or in a loop. "
        "Safe to run on several servers at once: each due run is claimed by one of them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks.")
        parser.add_argument("--list", action="store_true", help="Print the jobs and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = configured_jobs()
        for job in jobs:
            try:
                resolve(job)
            except ImportError as error:
                raise CommandError(f"scheduled job {job.name}: cannot import {job.path} ({error})") from error
        if options["list"]:
            for job in jobs:
                self.stdout.write(f"{job.name}: {job.path} every {job.every}")
            return
        while True:
            for outcome in run_due():
                state = "ok" if outcome.ok else "FAILED"
                self.stdout.write(f"{outcome.name}: {state} {outcome.result}")
            if options["once"]:
                return
            time.sleep(options["interval"])
