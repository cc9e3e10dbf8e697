"""The overseas bench data at a tiny size: rows the services could have written, every endpoint answers."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from bench.generate import BENCH_TOKEN, generate
from bench.generators import overseas as benchmark
from sangsaeng.accounts.models import User
from sangsaeng.overseas.models import ApplicationItem, Exhibition, ExhibitionApplication, OverseasProposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def info():
    generate(partners=30, users=60, audit_events=0)
    return benchmark.generate_bench_data(
        seed=7,
        log=lambda message: None,
        proposals=50,
        opportunities=5,
        exhibitions=3,
        per_exhibition=8,
        partners=20,
    )


def test_bench_money_stays_within_budgets_and_caps(info):
    assert OverseasProposal.objects.count() == 50
    assert info["applications"] == ExhibitionApplication.objects.count() == 24
    for exhibition in Exhibition.objects.all():
        approved = exhibition.applications.aggregate(total=Sum("approved_krw"))["total"] or 0
        assert exhibition.committed_krw == approved <= exhibition.budget_krw
        assert exhibition.booths_taken <= exhibition.booths
    for item in ApplicationItem.objects.all():
        assert item.paid_krw <= item.approved_krw <= item.requested_krw


def test_every_bench_endpoint_answers_200(client, info):
    for endpoint in benchmark.bench_endpoints(info):
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
