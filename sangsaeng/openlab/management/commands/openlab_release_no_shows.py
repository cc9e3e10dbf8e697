"""Release no-shows now (cron or a scheduler runs this every few minutes; it enqueues the task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sangsaeng.openlab.tasks import release_no_shows


class Command(BaseCommand):
    help = "Release approved Open Lab bookings not checked in within the grace period."

    def handle(self, *args: Any, **options: Any) -> None:
        result = release_no_shows.enqueue()
        self.stdout.write(f"enqueued {result.id}")
