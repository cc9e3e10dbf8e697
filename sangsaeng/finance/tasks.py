"""Background work of the loan fund (django-tasks; run daily by the scheduler)."""

from __future__ import annotations

from django_tasks import task

from sangsaeng.finance import services


@task()
def expire_recommendations() -> int:
    """Release reservations of recommendations that expired unused."""
    return services.expire_recommendations()


@task()
def notify_overdue_loans() -> int:
    """Daily overdue detection: remind partners and banks of overdue repayments."""
    return services.notify_overdue_loans()


@task()
def snapshot_pools() -> int:
    """Daily: each bank pool's counters, for utilisation over time."""
    return services.snapshot_pools()
