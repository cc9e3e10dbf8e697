"""The programme section of the bench: rows for timings and pages, against a live test server."""

from __future__ import annotations

from urllib.parse import urlsplit

from bench import programmes
from bench.prepare_programmes import PROGRAMME_APPS, benchmark_module
from sangsaeng.accounts.tests.factories import TEST_PASSWORD, UserFactory


def test_every_programme_app_offers_the_bench_interface():
    # A module without it would be skipped silently by the bench; this makes it loud.
    for app in PROGRAMME_APPS:
        assert benchmark_module(app) is not None, f"bench/generators/{app}.py lacks the bench interface"


def test_timing_rows_compare_with_their_targets():
    info = {
        "finance": {
            "timings": [
                {"name": "schedules", "seconds": 4.2, "target_seconds": 20, "detail": "20,000 loans"},
                {"name": "slow", "seconds": 21.0, "target_seconds": 20},
            ]
        }
    }
    rows = programmes.timing_rows({"info": info})
    assert [(r.endpoint, r.verdict) for r in rows] == [
        ("schedules", "PASS"),
        ("slow", "**FAIL**"),
    ]
    assert rows[0].ratio == "4.2 s; 20,000 loans"


def test_page_rows_measure_pages_and_report_what_cannot_be_measured(live_server, transactional_db):
    port = urlsplit(live_server.url).port
    user = UserFactory(email="bench-programmes@example.com")
    dataset = {"password": TEST_PASSWORD, "token": "not-a-token"}
    endpoints = {
        "core": [
            {"name": "profile", "path": "/accounts/profile/", "login": user.email, "target_p95_ms": 10_000},
            {"name": "missing", "path": "/no-such-page/", "login": user.email, "target_p95_ms": 10_000},
            {"name": "bad token", "path": "/api/v1/partners", "bearer": True, "target_p95_ms": 10_000},
            {
                "name": "nobody",
                "path": "/accounts/profile/",
                "login": "nobody@example.com",
                "target_p95_ms": 1,
            },
        ]
    }
    rows = programmes.page_rows(port, dataset, {"endpoints": endpoints}, connections=1, seconds=3.0)
    by_name = {row.endpoint: row for row in rows}

    profile = by_name["profile"]
    assert profile.verdict == "PASS" and profile.errors == 0 and profile.p95 is not None
    assert "alone p95" in profile.ratio
    assert by_name["missing"].verdict == "**FAIL**" and "404" in by_name["missing"].ratio
    assert by_name["bad token"].verdict == "**FAIL**" and "401" in by_name["bad token"].ratio
    assert by_name["nobody"].verdict == "**FAIL**"
