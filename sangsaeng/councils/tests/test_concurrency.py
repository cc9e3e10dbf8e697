"""Councils under concurrent requests (threads standing in for app servers), on both databases: a
member's ballot is counted once, and concurrent versions of the minutes never share a number."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from sangsaeng.accounts.models import User
from sangsaeng.councils import services
from sangsaeng.councils.models import Ballot, MinutesVersion
from sangsaeng.councils.tests.factories import make_meeting, make_task

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    start = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            results.append(call())
        except BaseException as error:  # reported to the test: a thread's exception would vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_concurrent_ballots_of_one_member_count_once(cast, board):
    task = make_task(board.council, board.chair)
    selection = services.open_round(
        actor=cast.program_manager,
        council=board.council,
        title="선정",
        method="vote",
        task_ids=[task.pk],
        closes_at=timezone.now() + dt.timedelta(days=1),
    )
    voter_id = board.member_b.user_id

    def vote() -> object:
        return services.cast_ballot(
            actor=User.objects.get(pk=voter_id), selection=selection, task=task, approve=True
        )

    results, errors = _race([vote for _ in range(6)])
    assert len(results) == 1 and Ballot.objects.count() == 1
    assert len(errors) == 5 and all(isinstance(e, ValidationError) for e in errors), errors


def test_concurrent_minutes_versions_get_distinct_numbers(cast, board):
    meeting = make_meeting(board.council, created_by=cast.program_manager)
    services.write_minutes(actor=cast.program_manager, meeting=meeting, body="v1")
    pm_id = cast.program_manager.pk

    def write(index: int) -> Callable[[], object]:
        return lambda: services.write_minutes(
            actor=User.objects.get(pk=pm_id), meeting=meeting, body=f"버전 {index}"
        )

    _results, errors = _race([write(index) for index in range(5)])
    assert errors == []
    numbers = sorted(MinutesVersion.objects.filter(minutes__meeting=meeting).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.current_version == 6
