"""`make bench`: build the "scale" dataset, serve it with gunicorn on loopback and measure.

1. Datasets (bench/prepare.py, each in its own SQLite file under var/bench, reused when present):
   the full "scale" (5,000 partners, 20,000 users at --scale 1) and a tenth of it for the scale
   check. The server runs on a fresh copy, so logins made by the bench never pile up in the
   reused database.
2. gunicorn (config.wsgi with config/gunicorn.conf.py: 2 × cores + 1 sync workers, DEBUG off) on
   127.0.0.1 at a free port.
3. Open loop (locust headless, bench/locustfile.py): 50 people, 1–3 s think time.
4. Closed loop (bench/httpload.py): 50 connections per endpoint, next to the bare
   /healthz (the ceiling) and the Django admin changelist of Partner (the naive peer).
5. Scale check: the directory and API list latency at 1/10 scale and at scale (both servers up,
   measured in alternating rounds so background load weighs on both alike).
6. Import of 5,000 rows (bench/import_timing.py), timed.
Prints one table (also written to bench/out/results.md). Targets that fail print FAIL; the exit
code stays 0 because this is a report. Pages that are not built yet (404) are reported, not run.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import httpload, programmes  # noqa: E402
from bench.report import Row, render, verdict  # noqa: E402
from bench.server import (  # noqa: E402
    ADMIN,
    API_LIST,
    BARE,
    BIN,
    DETAIL,
    DIRECTORY,
    LIST_PAGES,
    LOGIN,
    OUT,
    PAGE_SIZE,
    Endpoint,
    Session,
    gunicorn,
    log,
    prepare,
    scale_name,
    var_dir,
    working_copy,
)

READ_P95_MS = 150.0
WRITE_P95_MS = 300.0
ADMIN_FACTOR = 4.0
BARE_SHARE = 0.05
SCALE_RATIO = 1.5
IMPORT_SECONDS = 15.0


def warm_up(session: Session, endpoints: dict[str, Endpoint]) -> None:
    """A second of traffic per page before measuring, so first-request costs (template and URL
    caches in each worker, cold database pages) are not counted as latency."""
    for endpoint in endpoints.values():
        if endpoint.available and endpoint.name != LOGIN:
            httpload.closed_loop(
                endpoint.name,
                session.port,
                endpoint.request,
                expected=endpoint.expected,
                connections=8,
                seconds=1.0,
                warmup=0,
            )


# --- Open loop (locust) ---------------------------------------------------------------------------------
def open_loop(session: Session, endpoints: dict[str, Endpoint], args: argparse.Namespace) -> list[Row]:
    enabled = [name for name in (DIRECTORY, DETAIL, API_LIST, LOGIN) if endpoints[name].available]
    config = {
        "enabled": enabled,
        "pm_cookies": session.pm_cookies or {},
        "token": session.dataset["token"],
        "partner_ids": session.dataset["approved_partner_ids"],
        "login_emails": session.dataset["login_emails"],
        "password": session.dataset["password"],
        "partners": session.dataset["partners"],
    }
    config_file = OUT / "locust-config.json"
    config_file.write_text(json.dumps(config))
    for stale in OUT.glob("locust_*.csv"):
        stale.unlink()
    log(f"open loop: {args.users} locust users, 1–3 s think time, {args.duration} s")
    with (OUT / "locust.log").open("w") as locust_log:
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 5)),
                "--run-time",
                f"{args.duration}s",
                "--stop-timeout",
                "5",
                "--host",
                f"http://{httpload.LOOPBACK}:{session.port}",
                "--csv",
                str(OUT / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_CONFIG": str(config_file)},
            stdout=locust_log,
            stderr=subprocess.STDOUT,
            timeout=args.duration + 120,
            check=False,  # locust exits 1 when any request failed; the table reports it
        )
    stats_file = OUT / "locust_stats.csv"
    if not stats_file.exists():
        return [
            Row(
                "open loop",
                "locust",
                verdict="**FAIL**",
                target="locust ran",
                ratio="see bench/out/locust.log",
            )
        ]
    with stats_file.open(newline="") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"}

    def ms(row: dict, key: str) -> float | None:
        value = row.get(key, "N/A")
        return None if value in ("N/A", "", None) else float(value)

    bare_p50 = ms(stats.get(BARE, {}), "50%")
    rows = []
    for name in (DIRECTORY, DETAIL, API_LIST, "login page", LOGIN, BARE):
        row = stats.get(name)
        if row is None:
            continue
        p95 = ms(row, "95%")
        failures = int(row["Failure Count"])
        limit = WRITE_P95_MS if name == LOGIN else READ_P95_MS
        p50 = ms(row, "50%")
        ratio = f"p50 {p50 / bare_p50:.1f}× bare" if p50 and bare_p50 and name != BARE else ""
        rows.append(
            Row(
                "open loop",
                name + (" (POST)" if name == LOGIN else ""),
                float(row["Requests/s"]),
                p50,
                p95,
                ms(row, "99%"),
                failures,
                ratio,
                f"p95 ≤ {limit:.0f} ms, 0 errors",
                verdict(p95 is not None and p95 <= limit and failures == 0),
            )
        )
    return rows


# --- Closed loop ----------------------------------------------------------------------------------------
def closed_loop(session: Session, endpoints: dict[str, Endpoint], args: argparse.Namespace) -> list[Row]:
    results: dict[str, httpload.Measurement] = {}
    for name in (BARE, DIRECTORY, ADMIN, API_LIST, DETAIL, LOGIN):
        endpoint = endpoints[name]
        if not endpoint.available:
            continue
        httpload.settle(session.port)
        log(f"closed loop: {name}, {args.connections} connections, {args.closed_seconds} s")
        results[name] = httpload.closed_loop(
            name,
            session.port,
            endpoint.request,
            expected=endpoint.expected,
            connections=args.connections,
            seconds=args.closed_seconds,
        )
    bare = results.get(BARE)
    admin = results.get(ADMIN)
    rows = []
    for name, measurement in results.items():
        share = measurement.rps / bare.rps if bare and bare.rps else None
        parts = []
        if name in LIST_PAGES and admin and admin.rps:
            parts.append(f"{measurement.rps / admin.rps:.1f}× admin")
        if share is not None and name != BARE:
            parts.append(f"{share * 100:.1f} % of bare")
        if name == BARE:
            target, ok = "ceiling (reference)", measurement.errors == 0
        elif name == ADMIN:
            target, ok = "naive peer (reference)", measurement.errors == 0
        elif name in LIST_PAGES:
            target = f"≥ {ADMIN_FACTOR:.0f}× admin, ≥ {BARE_SHARE * 100:.0f} % of bare, 0 errors"
            ok = (
                measurement.errors == 0
                and share is not None
                and share >= BARE_SHARE
                and (admin is None or not admin.rps or measurement.rps >= ADMIN_FACTOR * admin.rps)
            )
            if admin is None:
                parts.append("admin changelist unavailable")
        else:
            target, ok = "0 errors", measurement.errors == 0
        statuses = ", ".join(
            f"{k}×{v}" for k, v in sorted(measurement.statuses.items()) if k != str(endpoints[name].expected)
        )
        rows.append(
            Row(
                "closed loop",
                name + (" (POST)" if name == LOGIN else ""),
                measurement.rps,
                measurement.percentile(50),
                measurement.percentile(95),
                measurement.percentile(99),
                measurement.errors,
                "; ".join(parts + ([f"errors: {statuses}"] if statuses else [])),
                target,
                verdict(ok),
            )
        )
    return rows


# --- Scale check ----------------------------------------------------------------------------------------
Rounds = dict[str, list[httpload.Measurement]]


def scale_latencies(
    small: tuple[Session, dict[str, Endpoint]],
    large: tuple[Session, dict[str, Endpoint]],
    args: argparse.Namespace,
) -> tuple[Rounds, Rounds]:
    """Latency of the list endpoints at both scales, at low concurrency (one page, not a queue).

    Both servers run at once and the measurements alternate in short rounds, so that whatever else
    the machine does at the time weighs on both scales alike instead of on whichever ran second.
    """
    found: tuple[Rounds, Rounds] = ({}, {})
    rounds = max(1, args.scale_rounds)
    # Warm every worker first (template and URL caches, database pages): the small server
    # has just started, the large one has served for minutes.
    for session, endpoints in (small, large):
        for name in LIST_PAGES:
            if endpoints[name].available:
                httpload.closed_loop(
                    name, session.port, endpoints[name].request, connections=8, seconds=1.0, warmup=0
                )
    for _ in range(rounds):
        for name in LIST_PAGES:
            for (session, endpoints), results in zip((small, large), found, strict=True):
                endpoint = endpoints[name]
                if not endpoint.available:
                    continue
                httpload.settle(session.port)
                measurement = httpload.closed_loop(
                    name,
                    session.port,
                    endpoint.request,
                    expected=endpoint.expected,
                    connections=args.scale_connections,
                    seconds=args.scale_seconds / rounds,
                    warmup=0.3,
                )
                results.setdefault(name, []).append(measurement)
    return found


def _pooled(rounds: list[httpload.Measurement]) -> httpload.Measurement:
    pooled = rounds[0]
    for measurement in rounds[1:]:
        pooled = pooled.merge(measurement)
    return pooled


def scale_rows(small: Rounds, large: Rounds, small_scale: float, large_scale: float) -> list[Row]:
    """Compare the best round's p50 at each scale: the page's own cost, least disturbed by
    anything else running on the machine (a burst of other work slows a round, never speeds one)."""
    rows = []
    for name in LIST_PAGES:
        if name not in small or name not in large:
            rows.append(
                Row("scale check", name, ratio="not measured (page unavailable)", target=f"≤ {SCALE_RATIO}×")
            )
            continue
        before = min(m.percentile(50) for m in small[name])
        after = min(m.percentile(50) for m in large[name])
        pooled_small, pooled = _pooled(small[name]), _pooled(large[name])
        errors = pooled_small.errors + pooled.errors
        ratio = after / before
        rows.append(
            Row(
                "scale check",
                f"{name} {small_scale:g} → {large_scale:g}",
                pooled.rps,
                pooled.percentile(50),
                pooled.percentile(95),
                pooled.percentile(99),
                errors,
                f"best-round p50 {ratio:.2f}× ({before:.1f} → {after:.1f} ms)",
                f"≤ {SCALE_RATIO}× latency",
                verdict(ratio <= SCALE_RATIO and errors == 0),
            )
        )
    return rows


# --- Import ---------------------------------------------------------------------------------------------
def optimiser_row() -> Row:
    """The R&D selection optimiser (HiGHS) on 2,000 proposals, 10 themes, per-partner caps: ≤ 1 s."""
    from bench.generators.rnd import TARGET_SECONDS, time_optimiser

    log("optimiser: 2,000 proposals, 10 themes, per-partner cap, exclusive pairs")
    result = time_optimiser(proposals=2_000, themes=10)
    passed = result["seconds"] <= TARGET_SECONDS and result["feasible"]
    passed = passed and result["optimal_score"] >= result["greedy_score"]
    return Row(
        "optimiser",
        "R&D selection, 2,000 proposals",
        errors=0 if result["feasible"] else 1,
        ratio=(
            f"{result['seconds']:.2f} s to optimality; score {result['optimal_score']:,.0f} "
            f"vs greedy {result['greedy_score']:,.0f}"
        ),
        target=f"≤ {TARGET_SECONDS:.0f} s, feasible, ≥ greedy",
        verdict=verdict(passed),
    )


def import_row(scale: float, rows: int) -> Row:
    log(f"import: {rows:,} rows into a copy of the {scale_name(scale)} database")
    answer = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.import_timing",
            "--source",
            str(var_dir(scale_name(scale))),
            "--rows",
            str(rows),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = [line for line in answer.stdout.splitlines() if line.startswith("{")]
    if answer.returncode != 0 or not lines:
        (OUT / "import.log").write_text(answer.stdout + answer.stderr)
        return Row(
            "import",
            f"{rows:,} rows",
            target=f"≤ {IMPORT_SECONDS:.0f} s",
            verdict="**FAIL**",
            ratio="crashed: see bench/out/import.log",
        )
    result = json.loads(lines[-1])
    if "skipped" in result:
        return Row(
            "import",
            f"{rows:,} rows",
            ratio=result["skipped"],
            target=f"≤ {IMPORT_SECONDS:.0f} s",
            verdict="skipped",
        )
    seconds = result["seconds"]
    ok = result["status"] == "succeeded" and result["imported"] == rows and seconds <= IMPORT_SECONDS
    return Row(
        "import",
        f"xlsx {rows:,} rows (start_import)",
        rows / seconds if seconds else None,
        errors=0 if result["status"] == "succeeded" else rows - result["imported"],
        ratio=f"{seconds:.1f} s wall; {result['message']}",
        target=f"≤ {IMPORT_SECONDS:.0f} s, all rows",
        verdict=verdict(ok),
    )


# --- Main -----------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Sangsaeng bench (DESIGN.md, Performance)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = 5,000 partners, 20,000 users; 0.1 = a tenth"
    )
    parser.add_argument("--duration", type=int, default=60, help="open-loop seconds")
    parser.add_argument("--users", type=int, default=50, help="open-loop locust users")
    parser.add_argument("--connections", type=int, default=50, help="closed-loop connections")
    parser.add_argument("--closed-seconds", type=float, default=10.0, help="closed-loop seconds per endpoint")
    # One connection: the page's own latency, not a queue.
    parser.add_argument("--scale-connections", type=int, default=1)
    parser.add_argument("--scale-seconds", type=float, default=8.0, help="per endpoint and scale")
    parser.add_argument("--scale-rounds", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=5_000)
    parser.add_argument(
        "--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="sync workers (2 × cores + 1)"
    )
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-programmes", action="store_true", help="no programme data or pages")
    parser.add_argument(
        "--programme-connections", type=int, default=4, help="concurrent connections per programme page"
    )
    parser.add_argument("--programme-seconds", type=float, default=8.0, help="seconds per programme page")
    parser.add_argument("--skip-scale-check", action="store_true")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the datasets")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    small_scale = args.scale / 10
    notes: list[str] = []
    rows: list[Row] = []

    log(f"datasets: {scale_name(args.scale)} and {scale_name(small_scale)} (var/bench)")
    dataset = prepare(args.scale, regenerate=args.regenerate)
    small_dataset = None if args.skip_scale_check else prepare(small_scale, regenerate=args.regenerate)
    programme_data = None
    if not args.skip_programmes:
        log("programme data: R&D call and reviews, loan fund and schedules, Open Lab bookings")
        programme_data = programmes.prepare(args.scale, regenerate=args.regenerate)
        rows += programmes.timing_rows(programme_data)

    with contextlib.ExitStack() as servers:
        port = servers.enter_context(
            gunicorn(
                working_copy(
                    args.scale, programmes.programmes_dir(args.scale) if programme_data is not None else None
                ),
                workers=args.workers,
                label="scale",
            )
        )
        session = Session(port, dataset)
        endpoints = session.endpoints()
        notes += session.problems
        notes += [f"{e.name}: {e.note}" for e in endpoints.values() if not e.available]
        page_size = session.admin_page_size()
        if page_size is not None and page_size != PAGE_SIZE:
            notes.append(
                f"the Partner admin changelist shows {page_size} rows per page, not {PAGE_SIZE}: "
                "set list_per_page = 50 on PartnerAdmin for a like-for-like comparison"
            )
        warm_up(session, endpoints)
        rows += open_loop(session, endpoints, args)
        rows += closed_loop(session, endpoints, args)
        if programme_data is not None:
            rows += programmes.page_rows(
                port,
                dataset,
                programme_data,
                connections=args.programme_connections,
                seconds=args.programme_seconds,
            )
        if small_dataset is not None:
            small_port = servers.enter_context(
                gunicorn(working_copy(small_scale), workers=args.workers, label="small")
            )
            small_session = Session(small_port, small_dataset)
            log(
                f"scale check {small_scale:g} vs {args.scale:g}: directory and API list, "
                f"{args.scale_connections} connections, {args.scale_rounds} alternating rounds"
            )
            small, large = scale_latencies(
                (small_session, small_session.endpoints()), (session, endpoints), args
            )
            rows += scale_rows(small, large, small_scale, args.scale)
    if not args.skip_import:
        rows.append(import_row(args.scale, args.import_rows))
    rows.append(optimiser_row())
    elapsed = time.monotonic() - started

    title = [
        "# Sangsaeng bench",
        "",
        f"- run: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}, {elapsed / 60:.1f} min, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- dataset {scale_name(args.scale)}: {dataset['partners']:,} partners, {dataset['users']:,} users, "
        f"{dataset['audit_events']:,} audit events (reused when present; --regenerate rebuilds)",
        f"- server: gunicorn {args.workers} sync workers (config/gunicorn.conf.py), DEBUG off, 127.0.0.1",
        f"- open loop: locust {args.users} users, 1–3 s think time, {args.duration} s; closed loop: "
        f"{args.connections} connections, {args.closed_seconds:g} s per endpoint; the load "
        "generators share the machine with the server",
        f"- admin changelist rows per page: {page_size if page_size is not None else 'n/a'}",
        "",
    ]
    table = render(rows)
    fails = sum(1 for row in rows if "FAIL" in row.verdict)
    footer = [
        "",
        *(f"- note: {note}" for note in notes),
        "",
        f"{fails} target(s) failed." if fails else "All targets met.",
    ]
    report = "\n".join([*title, *table, *footer]) + "\n"
    (OUT / "results.md").write_text(report, encoding="utf-8")
    print()
    print(report)
    log("written to bench/out/results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
