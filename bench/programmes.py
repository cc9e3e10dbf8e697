"""The programme section of `make bench`: each programme's pages on its own bench data.

bench/prepare_programmes.py writes the programmes' data (rnd, finance, openlab) into a copy of the
scale dataset and stores, per app, the endpoints its `benchmark.bench_endpoints()` names: a path,
who asks (a bench login, or the programme manager's API token) and the p95 target. Here each
endpoint is probed once, warmed on every worker, and then loaded by a few connections (a handful of people using
the page at once, not the 50-connection throughput test of the list pages), and its p95 compared
with the target. Timings the generators took (e.g. schedules for 20,000 loans) become rows too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

from bench import httpload
from bench.report import Row, verdict
from bench.server import ROOT, log, scale_name, var_dir


def programmes_dir(scale: float) -> Path:
    return var_dir(f"{scale_name(scale)}-programmes")


def prepare(scale: float, *, regenerate: bool) -> dict:
    """Build or reuse the programme dataset over the scale dataset (own process, like prepare)."""
    target = programmes_dir(scale)
    command = [
        sys.executable,
        "-m",
        "bench.prepare_programmes",
        "--source",
        str(var_dir(scale_name(scale))),
        "--var-dir",
        str(target),
    ]
    if regenerate:
        command.append("--regenerate")
    subprocess.run(command, cwd=ROOT, check=True, timeout=3600)
    return json.loads((target / "programmes.json").read_text(encoding="utf-8"))


def timing_rows(programmes: dict) -> list[Row]:
    rows = []
    for info in programmes.get("info", {}).values():
        for timing in info.get("timings", []):
            seconds, limit = float(timing["seconds"]), float(timing["target_seconds"])
            rows.append(
                Row(
                    "programmes",
                    timing["name"],
                    ratio=f"{seconds:.1f} s" + (f"; {timing['detail']}" if timing.get("detail") else ""),
                    target=f"≤ {limit:g} s",
                    verdict=verdict(seconds <= limit),
                )
            )
    return rows


class _Logins:
    """One session per bench person, made on first use through the login form."""

    def __init__(self, port: int, password: str) -> None:
        self.port, self.password = port, password
        self.cookies: dict[str, dict[str, str] | None] = {}
        self.problems: dict[str, str] = {}

    def get(self, email: str) -> dict[str, str] | None:
        if email not in self.cookies:
            try:
                self.cookies[email] = httpload.log_in(self.port, email, self.password)
            except (RuntimeError, OSError) as error:
                self.cookies[email] = None
                self.problems[email] = str(error)
        return self.cookies[email]


def page_rows(port: int, dataset: dict, programmes: dict, *, connections: int, seconds: float) -> list[Row]:
    logins = _Logins(port, dataset["password"])
    rows = []
    for endpoints in programmes.get("endpoints", {}).values():
        for endpoint in endpoints:
            name = endpoint["name"]
            limit = float(endpoint["target_p95_ms"])
            target = f"p95 ≤ {limit:.0f} ms, 0 errors"
            headers: dict[str, str] = {}
            if endpoint.get("bearer"):
                headers["Authorization"] = f"Bearer {dataset['token']}"
            elif endpoint.get("login"):
                cookies = logins.get(endpoint["login"])
                if cookies is None:
                    problem = logins.problems[endpoint["login"]]
                    rows.append(Row("programmes", name, target=target, verdict="**FAIL**", ratio=problem))
                    continue
                headers["Cookie"] = httpload.cookie_header(cookies)
            path = urllib.parse.quote(endpoint["path"], safe="/?&=%:+,;@")
            request = httpload.build_request("GET", path, port=port, headers=headers)
            try:
                status = httpload.send(port, request).status
            except OSError as error:
                status = type(error).__name__
            if status != 200:
                rows.append(
                    Row("programmes", name, target=target, verdict="**FAIL**", ratio=f"answered {status}")
                )
                continue
            httpload.settle(port)
            log(f"programmes: {name} ({endpoint['path']}), {connections} connections, {seconds:g} s")
            # Every worker serves the page once before it counts (templates, per-process caches).
            httpload.closed_loop(name, port, request, connections=8, seconds=1.0, warmup=0)
            measurement = httpload.closed_loop(
                name, port, request, connections=connections, seconds=seconds, warmup=0.5
            )
            # The page's own latency (one person at a time), for the record beside the loaded figure.
            alone = httpload.closed_loop(name, port, request, connections=1, seconds=seconds / 2, warmup=0.3)
            p95 = measurement.percentile(95)
            rows.append(
                Row(
                    "programmes",
                    name,
                    measurement.rps,
                    measurement.percentile(50),
                    p95,
                    measurement.percentile(99),
                    measurement.errors,
                    f"{connections} connections; alone p95 {alone.percentile(95):.0f} ms",
                    target,
                    verdict(measurement.errors == 0 and p95 <= limit),
                )
            )
    return rows
