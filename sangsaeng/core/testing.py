"""Helpers shared by the apps' tests (no test runs from here)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(*calls: Callable[[], object]) -> tuple[int, list[BaseException]]:
    """Run the calls at the same moment, each in its own thread with its own database connection
    (as app servers would); return how many succeeded and the errors the others raised.

    Use with pytest.mark.django_db(transaction=True): the threads must see committed data.
    """
    start = threading.Barrier(len(calls))
    successes: list[object] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            successes.append(call())
        except BaseException as error:  # noqa: BLE001 (reported to the test: a thread's exception would vanish)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return len(successes), errors
