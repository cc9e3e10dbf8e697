"""Scheduled work: which jobs run how often (settings.SCHEDULED_JOBS) and running the due ones.

A job is a dotted path to a django-tasks task (enqueued: it runs in a db_worker when
TASKS_BACKEND=database, inline otherwise) or to a plain function (called inline). `run_due()` claims
each due job with one guarded UPDATE on its ScheduledRun row, so two schedulers (two servers, or a
cron line that overlaps the previous run) never start the same run twice. `manage.py run_schedule`
calls it once (`--once`, for cron) or in a loop.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from sangsaeng.core.models import ScheduledRun
from sangsaeng.core.request_context import RequestInfo, reset_current_request, set_current_request

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    path: str
    every: dt.timedelta


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    result: str


def configured_jobs() -> list[Job]:
    """The jobs of settings.SCHEDULED_JOBS: {name: {"path": dotted path, "every_minutes": n}} (or
    "every_seconds": n, for short periods such as the topology test's heartbeat)."""
    return [
        Job(
            name,
            spec["path"],
            dt.timedelta(seconds=int(spec["every_seconds"]))
            if "every_seconds" in spec
            else dt.timedelta(minutes=int(spec["every_minutes"])),
        )
        for name, spec in getattr(settings, "SCHEDULED_JOBS", {}).items()
    ]


def resolve(job: Job) -> Callable[[], Any]:
    """A callable that runs the job: enqueue for a django-tasks task, the function otherwise."""
    target = import_string(job.path)
    enqueue = getattr(target, "enqueue", None)
    return enqueue if callable(enqueue) else target


def _claim(job: Job, now: dt.datetime) -> bool:
    """Take the job's due run: True for exactly one caller per due time."""
    ScheduledRun.objects.get_or_create(name=job.name, defaults={"next_due": now})
    claimed = ScheduledRun.objects.filter(name=job.name, next_due__lte=now).update(
        next_due=now + job.every, last_started=now
    )
    return claimed == 1


def run_due(now: dt.datetime | None = None, jobs: list[Job] | None = None) -> list[Outcome]:
    """Run every job whose time has come; return what each did. A failing job is recorded and
    logged, and the others still run; it is tried again at its next due time."""
    now = now or timezone.now()
    outcomes = []
    for job in configured_jobs() if jobs is None else jobs:
        if not _claim(job, now):
            continue
        # Logs, audit events and the tasks it enqueues carry one id per run (core.logs).
        context = set_current_request(
            RequestInfo(request_id=f"schedule-{uuid.uuid4().hex}", path=f"schedule:{job.name}")
        )
        try:
            value = resolve(job)()
            outcome = Outcome(job.name, True, str(getattr(value, "id", value))[:500])
        except Exception as error:  # one job's failure must not stop the others
            logger.exception("scheduled job %s failed", job.name)
            outcome = Outcome(job.name, False, f"{type(error).__name__}: {error}"[:500])
        finally:
            reset_current_request(context)
        ScheduledRun.objects.filter(name=job.name).update(
            last_finished=timezone.now(), last_result=outcome.result, last_ok=outcome.ok
        )
        logger.info(
            "scheduled job %s ran",
            job.name,
            extra={
                "event": "scheduled_run",
                "job": job.name,
                "claimed_at": now.isoformat(),
                "ok": outcome.ok,
            },
        )
        outcomes.append(outcome)
    return outcomes
