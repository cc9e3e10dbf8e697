"""Structured logs carry the request id from a request into the task worker that runs what it enqueued,
and /metrics (not public) reports requests, the task queue and the scheduler's lag."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone

from sangsaeng.core.logs import JsonFormatter
from sangsaeng.core.models import ScheduledRun
from sangsaeng.core.request_context import RequestInfo, reset_current_request, set_current_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """Every log line of the sangsaeng loggers, formatted as JSON and parsed back."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep(level=logging.INFO)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("sangsaeng")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in lines]
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_a_request_logs_one_json_line_with_its_request_id(client, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="req-abcdef123")
    assert response["X-Request-ID"] == "req-abcdef123"
    (line,) = [entry for entry in json_lines() if entry.get("event") == "request"]
    assert line["request_id"] == "req-abcdef123"
    assert (line["method"], line["status"], line["path"]) == ("GET", 200, "/healthz")
    assert line["level"] == "INFO" and line["ts"].endswith("+00:00")


@pytest.mark.django_db(transaction=True)
def test_a_task_runs_in_the_worker_under_the_request_id_that_enqueued_it(settings, json_lines):
    from sangsaeng.core.tasks import send_notification_emails

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    token = set_current_request(RequestInfo(request_id="req-from-app-server", path="/api/v1/x"))
    try:
        result = send_notification_emails.enqueue([])
    finally:
        reset_current_request(token)

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    by_event = {entry["event"]: entry for entry in json_lines() if entry.get("task_id") == str(result.id)}
    assert set(by_event) == {"task_enqueued", "task_started", "task_finished"}
    assert {entry["request_id"] for entry in by_event.values()} == {"req-from-app-server"}
    assert by_event["task_finished"]["status"] == "SUCCESSFUL"


def test_metrics_are_not_public(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "s3cret-metrics"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_metrics_report_requests_queue_depth_and_scheduler_lag(client, settings):
    from sangsaeng.core.tasks import send_notification_emails

    settings.METRICS_TOKEN = "s3cret-metrics"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_notification_emails.enqueue([])
    send_notification_emails.enqueue([])
    ScheduledRun.objects.create(
        name="openlab.release_no_shows", next_due=timezone.now() - dt.timedelta(seconds=90)
    )
    ScheduledRun.objects.create(
        name="finance.snapshot_pools", next_due=timezone.now() + dt.timedelta(hours=1)
    )
    client.get("/healthz")

    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics").content.decode()

    values = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in body.splitlines()
        if line and not line.startswith("#")
    }
    assert values['sangsaeng_task_queue_depth{queue="default",status="ready"}'] == 2
    assert values["sangsaeng_task_oldest_ready_seconds"] >= 0
    assert 85 <= values['sangsaeng_scheduler_lag_seconds{job="openlab.release_no_shows"}'] < 600
    assert values['sangsaeng_scheduler_lag_seconds{job="finance.snapshot_pools"}'] == 0
    assert any(key.startswith("django_http_requests_total_by_method_total") for key in values)
