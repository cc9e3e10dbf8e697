"""A task that only says it ran: the topology's heartbeat job (config/settings/topology.py) enqueues it
every few seconds, so the test can count that each period ran once, on one worker."""

from __future__ import annotations

import logging
import os

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("sangsaeng.tasks")


@task()
def heartbeat() -> str:
    now = timezone.now().isoformat()
    logger.info("heartbeat", extra={"event": "heartbeat", "at": now, "worker_pid": os.getpid()})
    return now
