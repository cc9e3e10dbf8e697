"""Prometheus metrics at /metrics, not public: requests (django-prometheus's middleware: counts, latency
and statuses per view), the task queue and the scheduler, read from the database at each scrape.

- The endpoint answers only with `Authorization: Bearer <METRICS_TOKEN>`; without METRICS_TOKEN it does not
  exist (404), so a deployment turns it on by setting the token and pointing Prometheus at each app server.
- With several gunicorn workers, each counts in its own process: bin/serve sets PROMETHEUS_MULTIPROC_DIR
  (cleared at start; config/gunicorn.conf.py marks dead workers), and a scrape adds every worker up.
- `sangsaeng_task_queue_depth{queue,status}`: tasks waiting (READY) and running, per queue;
  `sangsaeng_task_oldest_ready_seconds`: how long the oldest waiting task has waited;
  `sangsaeng_scheduler_lag_seconds{job}`: how far past its due time each scheduled job is (0 when on time);
  `sangsaeng_scheduler_last_ok{job}`: 1 when the job's last run succeeded.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


class OperationsCollector(Collector):
    """Task queue depth and scheduler lag, computed from the database when scraped."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count, Min

        from sangsaeng.core.models import ScheduledRun

        now = timezone.now()
        depth = GaugeMetricFamily(
            "sangsaeng_task_queue_depth",
            "Tasks waiting or running in the database queue.",
            labels=["queue", "status"],
        )
        oldest = GaugeMetricFamily(
            "sangsaeng_task_oldest_ready_seconds", "Seconds the oldest waiting task has waited (0 when none)."
        )
        if "django_tasks_db" in settings.INSTALLED_APPS:
            from django_tasks_db.models import DBTaskResult

            rows = (
                DBTaskResult.objects.filter(status__in=("READY", "RUNNING"))
                .values("queue_name", "status")
                .annotate(count=Count("id"))
                .order_by()
            )
            for row in rows:
                depth.add_metric([row["queue_name"], row["status"].lower()], row["count"])
            first = DBTaskResult.objects.filter(status="READY", run_after__lte=now).aggregate(
                first=Min("enqueued_at")
            )
            oldest.add_metric([], (now - first["first"]).total_seconds() if first["first"] else 0.0)
        yield depth
        yield oldest
        lag = GaugeMetricFamily(
            "sangsaeng_scheduler_lag_seconds", "Seconds a scheduled job is past its due time.", labels=["job"]
        )
        last_ok = GaugeMetricFamily(
            "sangsaeng_scheduler_last_ok",
            "1 when the job's last run succeeded, 0 when it failed.",
            labels=["job"],
        )
        for run in ScheduledRun.objects.all():
            lag.add_metric([run.name], max(0.0, (now - run.next_due).total_seconds()))
            if run.last_ok is not None:
                last_ok.add_metric([run.name], 1.0 if run.last_ok else 0.0)
        yield lag
        yield last_ok


_operations = CollectorRegistry(auto_describe=False)
_operations.register(OperationsCollector())


def _authorised(request: HttpRequest) -> bool:
    token = str(getattr(settings, "METRICS_TOKEN", "") or "")
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _request_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry: Any = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return bytes(generate_latest(registry))
    return bytes(generate_latest(REGISTRY))


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not getattr(settings, "METRICS_TOKEN", ""):
        raise Http404
    if not _authorised(request):
        response = HttpResponse("unauthorised\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = _request_metrics() + bytes(generate_latest(_operations))
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
