"""Structured logs: one JSON object per line, carrying the request id from the app server into the task
worker (LOG_FORMAT=json; text stays the default for a terminal).

Every line has `ts`, `level`, `logger`, `message`, `process` and, inside a request or a task, its
`request_id` (the X-Request-ID echoed to the client, core.middleware). A task enqueued during a request
remembers that request's id in the cache (shared through Redis when REDIS_URL is set), and the worker
that runs it logs — and audits — under the same id: `task_enqueued`, `task_started`, `task_finished`
lines name the task id as well, so one grep follows a request across the app server and the workers.
`RequestLogMiddleware` writes one `request` line per response (method, path, status, milliseconds) at
INFO on the "sangsaeng.request" logger.

`logging_config(format, level)` builds settings.LOGGING (no Django import at module level: settings use it).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable
from typing import Any

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        from sangsaeng.core.request_context import current_request

        info = current_request()
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if info.request_id:
            entry["request_id"] = info.request_id
        if info.path:
            entry["path"] = info.path
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    formatter = (
        {"()": "sangsaeng.core.logs.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(message)s"}  # as before: the message alone
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        # gunicorn's own error log goes through its handlers; its lines stay plain.
    }


request_logger = logging.getLogger("sangsaeng.request")


class RequestLogMiddleware:
    """One line per request (INFO): method, path, status and duration, under the request id."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        started = time.monotonic()
        response = self.get_response(request)
        if request_logger.isEnabledFor(logging.INFO):
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        return response


# --- Request ids into the task workers -------------------------------------------------------------------

task_logger = logging.getLogger("sangsaeng.tasks")
_TASK_KEY = "sangsaeng:task-request:{}"
_TASK_KEY_SECONDS = 7 * 24 * 3600
_tokens: dict[str, Any] = {}


def _cache_call(method: str, *args: Any) -> Any:
    from django.core.cache import cache

    try:
        return getattr(cache, method)(*args)
    except Exception as error:  # noqa: BLE001 - a missing correlation must never fail a task or a request
        task_logger.warning("task request id not %s: %s", "kept" if method == "set" else "found", error)
        return None


def on_task_enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from sangsaeng.core.request_context import current_request

    request_id = current_request().request_id
    if request_id:
        _cache_call("set", _TASK_KEY.format(task_result.id), request_id, _TASK_KEY_SECONDS)
    task_logger.info(
        "task enqueued",
        extra={
            "event": "task_enqueued",
            "task_id": str(task_result.id),
            "task": task_result.task.module_path,
        },
    )


def on_task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from sangsaeng.core.request_context import RequestInfo, current_request, set_current_request

    task_id = str(task_result.id)
    request_id = (
        current_request().request_id or _cache_call("get", _TASK_KEY.format(task_id)) or f"task-{task_id}"
    )
    _tokens[task_id] = set_current_request(
        RequestInfo(request_id=request_id, path=f"task:{task_result.task.module_path}")
    )
    task_logger.info(
        "task started",
        extra={
            "event": "task_started",
            "task_id": task_id,
            "task": task_result.task.module_path,
            "attempt": len(getattr(task_result, "worker_ids", []) or []) or 1,
            "worker_pid": os.getpid(),
        },
    )


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from sangsaeng.core.request_context import reset_current_request

    task_id = str(task_result.id)
    task_logger.info(
        "task finished",
        extra={
            "event": "task_finished",
            "task_id": task_id,
            "task": task_result.task.module_path,
            "status": str(getattr(task_result.status, "value", task_result.status)),
        },
    )
    token = _tokens.pop(task_id, None)
    if token is not None:
        try:
            reset_current_request(token)
        except ValueError:  # finished in another context than it started (immediate backend inside a request)
            pass


def connect_task_signals() -> None:
    from django_tasks.signals import task_enqueued, task_finished, task_started

    task_enqueued.connect(on_task_enqueued, dispatch_uid="sangsaeng.logs.enqueued")
    task_started.connect(on_task_started, dispatch_uid="sangsaeng.logs.started")
    task_finished.connect(on_task_finished, dispatch_uid="sangsaeng.logs.finished")
