"""The bench data at a tiny size: rows the services could have written, and every bench endpoint answers."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest

from bench.generate import BENCH_TOKEN, generate
from bench.generators import openlab as benchmark
from sangsaeng.accounts.models import User
from sangsaeng.openlab import rules
from sangsaeng.openlab.models import HOLDING_STATES, Booking, BookingItem, Closure, OpeningHours
from sangsaeng.usecases.models import UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def info():
    generate(partners=30, users=60, audit_events=0)
    return benchmark.generate_bench_data(
        seed=7, log=lambda message: None, resources=12, bookings=400, use_cases=40, partners=10
    )


def test_bench_bookings_hold_no_overlapping_time_and_keep_the_rules(info):
    assert info["bookings"] == Booking.objects.count() == 400
    assert UseCase.objects.count() == 40
    items = BookingItem.objects.select_related("booking", "resource")
    by_resource = defaultdict(list)
    for item in items:
        # an item is active exactly when its booking holds time
        assert item.active == (item.booking.state in HOLDING_STATES)
        assert (item.start, item.end) == (item.booking.start, item.booking.end)
        assert item.resource.zone.site_id == item.booking.site_id
        if item.active:
            by_resource[item.resource_id].append((item.start, item.end))
    for ranges in by_resource.values():
        ranges.sort()
        assert all(end <= next_start for (_s, end), (next_start, _e) in itertools.pairwise(ranges))
    hours = {(row.site_id, row.weekday): row for row in OpeningHours.objects.all()}
    closures = list(Closure.objects.all())
    for booking in Booking.objects.prefetch_related("items"):
        start, end = rules.local(booking.start), rules.local(booking.end)
        opening = hours[(booking.site_id, start.weekday())]
        assert start.date() == end.date() and opening.opens <= start.time() and end.time() <= opening.closes
        assert not rules.is_public_holiday(start.date())
        resource_ids = {item.resource_id for item in booking.items.all()}
        assert not [
            c
            for c in closures
            if c.site_id == booking.site_id
            and (c.resource_id is None or c.resource_id in resource_ids)
            and rules.overlaps(booking.start, booking.end, c.start, c.end)
            and booking.is_holding
        ]


def test_every_bench_endpoint_answers_200(client, info):
    endpoints = benchmark.bench_endpoints(info)
    assert {e["name"] for e in endpoints} >= {
        "openlab availability 3-resource bundle, 4 h, 90 days",
        "openlab site week (lab operator)",
        "usecases board",
    }
    for endpoint in endpoints:
        client.logout()
        headers = {}
        if endpoint["login"]:
            client.force_login(
                User.objects.get(email=endpoint["login"]), backend="django.contrib.auth.backends.ModelBackend"
            )
        if endpoint["bearer"]:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {BENCH_TOKEN}"
        response = client.get(endpoint["path"], **headers)
        assert response.status_code == 200, (endpoint["name"], response.content[:500])
        assert endpoint["target_p95_ms"] > 0
