"""Scheduled jobs: due runs happen once, failures are recorded, overlapping schedulers don't double up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sangsaeng.core import schedule
from sangsaeng.core.models import ScheduledRun

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def counting_job() -> int:
    CALLS.append("ran")
    return len(CALLS)


def failing_job() -> None:
    raise RuntimeError("bank file missing")


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()


def job(name: str, function: str, minutes: int = 60) -> schedule.Job:
    return schedule.Job(name, f"{__name__}.{function}", dt.timedelta(minutes=minutes))


def test_a_due_job_runs_once_until_its_next_due_time() -> None:
    now = timezone.now()
    jobs = [job("count", "counting_job", minutes=60)]

    first = schedule.run_due(now, jobs)
    again = schedule.run_due(now + dt.timedelta(minutes=59), jobs)
    later = schedule.run_due(now + dt.timedelta(minutes=60), jobs)

    assert [o.name for o in first] == ["count"] and first[0].ok and first[0].result == "1"
    assert again == []
    assert [o.ok for o in later] == [True]
    assert CALLS == ["ran", "ran"]
    run = ScheduledRun.objects.get(name="count")
    assert run.next_due == now + dt.timedelta(minutes=120)
    assert run.last_ok is True and run.last_result == "2"


def test_a_second_scheduler_at_the_same_time_does_not_run_it_again() -> None:
    now = timezone.now()
    jobs = [job("count", "counting_job")]
    schedule.run_due(now, jobs)
    # Another server's scheduler, with a clock a second behind, finds nothing due.
    assert schedule.run_due(now - dt.timedelta(seconds=1), jobs) == []
    assert CALLS == ["ran"]


def test_a_failing_job_is_recorded_and_the_others_still_run() -> None:
    now = timezone.now()
    outcomes = schedule.run_due(now, [job("broken", "failing_job"), job("count", "counting_job")])

    assert [(o.name, o.ok) for o in outcomes] == [("broken", False), ("count", True)]
    broken = ScheduledRun.objects.get(name="broken")
    assert broken.last_ok is False and "bank file missing" in broken.last_result
    assert broken.next_due == now + dt.timedelta(minutes=60)  # tried again at its next time
    assert CALLS == ["ran"]


def test_a_task_is_enqueued_and_every_configured_job_imports(settings) -> None:
    jobs = schedule.configured_jobs()
    assert {j.name for j in jobs} >= {"finance.notify_overdue_loans", "openlab.release_no_shows"}
    for configured in jobs:
        assert callable(schedule.resolve(configured))
    # django-tasks tasks are enqueued (immediate backend in tests: they run and return a result).
    release = next(j for j in jobs if j.name == "openlab.release_no_shows")
    outcome = schedule.run_due(timezone.now(), [release])
    assert outcome[0].ok
    assert ScheduledRun.objects.get(name="openlab.release_no_shows").last_ok is True


def test_command_once_runs_due_jobs_and_refuses_a_bad_path(settings, capsys) -> None:
    settings.SCHEDULED_JOBS = {"count": {"path": f"{__name__}.counting_job", "every_minutes": 5}}
    call_command("run_schedule", "--once")
    assert "count: ok 1" in capsys.readouterr().out
    call_command("run_schedule", "--once")
    assert CALLS == ["ran"]

    settings.SCHEDULED_JOBS = {"bad": {"path": "sangsaeng.nowhere.job", "every_minutes": 5}}
    with pytest.raises(CommandError, match="bad"):
        call_command("run_schedule", "--once")
    assert not ScheduledRun.objects.filter(name="bad").exists()
