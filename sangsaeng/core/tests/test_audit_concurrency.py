"""Concurrent writers (threads standing in for several app servers) append to one unbroken chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from sangsaeng.core import audit
from sangsaeng.core.models import AuditEvent

WRITERS = 6
EVENTS_EACH = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_produce_one_contiguous_unbroken_chain():
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait(timeout=30)
            for index in range(EVENTS_EACH):
                with transaction.atomic():
                    audit.record(
                        actor=None,
                        action="test.concurrent_write",
                        target=audit.AuditTarget("tests.writer", f"{number}-{index}"),
                        changes={"index": [None, index]},
                    )
        except BaseException as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EVENTS_EACH + 1))
    assert len(set(AuditEvent.objects.values_list("object_id", flat=True))) == WRITERS * EVENTS_EACH
    report = audit.verify_chain()
    assert report.ok, report
    assert report.checked == WRITERS * EVENTS_EACH
