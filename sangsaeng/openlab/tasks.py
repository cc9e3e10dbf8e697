"""Background work of the Open Lab (django-tasks: immediate by default, db_worker when configured)."""

from __future__ import annotations

from django_tasks import task

from sangsaeng.openlab import services


@task()
def release_no_shows() -> int:
    """Release approved bookings not checked in within the grace period; run every few minutes."""
    return services.release_no_shows()
