"""The multi-server topology (bin/topology): PostgreSQL + Redis + two app servers + two task workers +
two schedulers. Writes go through both app servers at once; afterwards the money and capacity invariants
and the audit chain hold, every scheduled job ran once per period (never twice, by either scheduler),
no task ran twice, and a request's id follows its tasks into the workers' JSON logs. /metrics answers
with the token only.

Slow (a few minutes: seven processes start on PostgreSQL), so not part of `make test`: `make topology-test`
(RUN_TOPOLOGY=1) runs it."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEOUL = ZoneInfo("Asia/Seoul")
HEARTBEAT_SECONDS = 3

pytestmark = [
    pytest.mark.topology,
    pytest.mark.skipif(os.environ.get("RUN_TOPOLOGY") != "1", reason="slow: make topology-test runs it"),
]


def _request(
    url: str, method: str = "GET", body: Any = None, token: str = ""
) -> tuple[int, dict[str, str], Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - http://127.0.0.1 only
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            raw = response.read()
            status, headers = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, headers = error.read(), error.code, dict(error.headers)
    try:
        return status, headers, json.loads(raw)
    except ValueError:
        return status, headers, raw.decode(errors="replace")


def _json_lines(path: str) -> list[dict[str, Any]]:
    lines = []
    for line in Path(path).read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def _manage(state: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **state["env"]}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    directory = tmp_path_factory.mktemp("topology")
    name = f"sangsaeng_topology_{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [
            str(ROOT / "bin" / "topology"),
            "--dir",
            str(directory),
            "--database-url",
            f"postgres://postgres@127.0.0.1:5432/{name}",
            "--heartbeat-seconds",
            str(HEARTBEAT_SECONDS),
            "--seed",
            "tests.topology_seed",
        ],
        cwd=ROOT,
        stdout=(directory / "topology.out").open("wb"),
        stderr=subprocess.STDOUT,
    )
    state_file = directory / "topology.json"
    deadline = time.monotonic() + 600
    while not state_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("bin/topology did not come up:\n" + (directory / "topology.out").read_text()[-3000:])
        time.sleep(1)
    state = json.loads(state_file.read_text())
    try:
        yield state
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=180)


def test_writes_through_both_app_servers_keep_every_invariant(topology):
    seed = topology["seed"]
    apps = topology["app_urls"]
    tokens = seed["tokens"]
    day = dt.date.fromisoformat(seed["day"])

    def attempt(slot: int, person: int) -> tuple[int, int, Any, str]:
        start = dt.datetime.combine(day, dt.time(9), tzinfo=SEOUL) + dt.timedelta(hours=slot)
        body = {
            "resources": seed["resources"][:2],
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=1)).isoformat(),
            "purpose": f"토폴로지 {slot}",
        }
        status, headers, answer = _request(
            f"{apps[person]}/api/v1/openlab/bookings", "POST", body, tokens[person]
        )
        return slot, status, answer, headers.get("X-Request-ID", "")

    # Both people try every slot at the same time, each through a different app server.
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda args: attempt(*args), [(slot, p) for slot in range(8) for p in (0, 1)])
        )
    by_slot: dict[int, list[int]] = defaultdict(list)
    for slot, status, answer, _request_id in results:
        assert status in (201, 409, 422), (status, answer)
        by_slot[slot].append(status)
    assert all(statuses.count(201) == 1 for statuses in by_slot.values()), by_slot

    # The workers drain the e-mail tasks; the heartbeat keeps running meanwhile.
    time.sleep(max(0.0, topology["started_at"] + 8 * HEARTBEAT_SECONDS - time.time()) + 5)

    invariants = _manage(topology, "check_invariants")
    assert invariants.returncode == 0, invariants.stdout + invariants.stderr
    audit = _manage(topology, "verify_audit")
    assert audit.returncode == 0 and audit.stdout.startswith("OK"), audit.stdout + audit.stderr

    # Every task ran exactly once, on one worker, and succeeded.
    tasks = _manage(
        topology,
        "shell",
        "-c",
        "import json; from django_tasks_db.models import DBTaskResult; "
        "print(json.dumps([[str(t.id), t.task_path, t.status, t.worker_ids] for t in DBTaskResult.objects.all()]))",
    )
    rows = json.loads(tasks.stdout.strip().splitlines()[-1])
    assert rows, tasks.stderr
    assert all(status == "SUCCESSFUL" and len(workers) == 1 for _id, _path, status, workers in rows), rows
    logs = topology["logs"]
    worker_lines = _json_lines(logs["worker-1"]) + _json_lines(logs["worker-2"])
    started = defaultdict(list)
    for line in worker_lines:
        if line.get("event") == "task_started":
            started[line["task_id"]].append(line)
    assert all(len(lines) == 1 for lines in started.values()), {
        k: v for k, v in started.items() if len(v) > 1
    }
    assert {row[0] for row in rows if row[2] == "SUCCESSFUL"} <= set(started)
    assert {line["process"] for lines in started.values() for line in lines}, "no worker ran anything"

    # A booking's request id reaches the worker that sent its e-mail.
    app_lines = _json_lines(logs["app-1"]) + _json_lines(logs["app-2"])
    enqueued = {
        line["task_id"]: line["request_id"] for line in app_lines if line.get("event") == "task_enqueued"
    }
    booking_request_ids = {request_id for _slot, status, _answer, request_id in results if status == 201}
    emailed = [task_id for task_id, request_id in enqueued.items() if request_id in booking_request_ids]
    assert emailed, "no booking enqueued its notification e-mail"
    for task_id in emailed:
        assert started[task_id][0]["request_id"] == enqueued[task_id]

    # Each scheduled job ran once per period, whichever scheduler claimed it, never twice.
    runs: dict[str, list[dt.datetime]] = defaultdict(list)
    for name in ("scheduler-1", "scheduler-2"):
        for line in _json_lines(logs[name]):
            if line.get("event") == "scheduled_run":
                runs[line["job"]].append(dt.datetime.fromisoformat(line["claimed_at"]))
    assert set(runs) >= {"core.heartbeat", "openlab.release_no_shows", "finance.expire_recommendations"}
    periods = {"core.heartbeat": HEARTBEAT_SECONDS}
    for job, times in runs.items():
        times.sort()
        period = periods.get(job, 300)
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
        assert all(gap >= period - 0.5 for gap in gaps), (job, gaps)
    assert len(runs["core.heartbeat"]) >= 4
    heartbeats = [line for line in worker_lines if line.get("event") == "heartbeat"]
    assert len(heartbeats) == len([r for r in rows if r[1].endswith("heartbeat")])

    # Metrics: not without the token; with it, requests, queue depth and scheduler lag.
    status, _headers, _body = _request(f"{apps[0]}/metrics")
    assert status == 401
    status, _headers, body = _request(f"{apps[0]}/metrics", token=topology["metrics_token"])
    assert status == 200
    assert "django_http_requests_total_by_method_total" in body
    assert 'sangsaeng_scheduler_lag_seconds{job="core.heartbeat"}' in body
    assert "sangsaeng_task_queue_depth" in body
