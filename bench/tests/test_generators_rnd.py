"""The R&D fund's bench data at a tiny size: consistent counters and reviews, and every bench endpoint
answering 200 as its bench person (so `make bench` cannot silently break)."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.test import Client

from bench.generate import BENCH_TOKEN, generate
from bench.generators.rnd import BENCH_DATA_VERSION, bench_endpoints, generate_bench_data
from sangsaeng.accounts.models import User
from sangsaeng.rnd import selectors
from sangsaeng.rnd.models import Agreement, Call, FundYear, Payment, Proposal, ReviewAssignment, ReviewScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_info():
    generate(partners=40, users=100, audit_events=20)
    return generate_bench_data(seed=3, log=lambda message: None, proposals=30, reviewers=6, agreements=4)


def _client_for(endpoint: dict) -> Client:
    client = Client()
    if endpoint["bearer"]:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {BENCH_TOKEN}"
    elif endpoint["login"]:
        user = User.objects.get(email=endpoint["login"])
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_bench_data_is_what_the_services_could_have_written(bench_info):
    assert BENCH_DATA_VERSION >= 1
    call = Call.objects.get(pk=bench_info["call_id"])
    proposals = Proposal.objects.filter(call=call)
    assert proposals.count() == bench_info["proposals"] == 30
    assert ReviewAssignment.objects.filter(proposal__call=call).count() == bench_info["reviews"] == 150
    assert ReviewScore.objects.filter(assignment__proposal__call=call).count() == 150 * call.criteria.count()
    assert call.criteria.count() == 5 and len(call.themes) == 10
    for proposal in proposals.prefetch_related("budget_lines", "milestones"):
        lines, plan = list(proposal.budget_lines.all()), list(proposal.milestones.all())
        assert sum(line.host_krw for line in lines) == proposal.requested_krw
        assert sum(m.amount_krw for m in plan) == proposal.requested_krw
        total = proposal.requested_krw + proposal.partner_share_krw
        assert proposal.partner_share_krw * 100 >= call.min_partner_share_pct * total
    per_partner = proposals.values("partner").annotate(total=Sum("requested_krw"))
    assert all(row["total"] <= call.max_per_partner_krw for row in per_partner)
    for year in FundYear.objects.filter(fund_id=bench_info["fund_id"]):
        agreements = Agreement.objects.filter(fund_year=year)
        assert year.committed_krw == (agreements.aggregate(s=Sum("amount_krw"))["s"] or 0)
        assert year.paid_krw == (
            Payment.objects.filter(agreement__in=agreements).aggregate(s=Sum("amount_krw"))["s"] or 0
        )
        assert year.committed_krw <= year.available_krw
    assert len(selectors.call_ranking(call)) == 30


def test_every_bench_endpoint_answers_200_as_its_bench_person(bench_info):
    endpoints = bench_endpoints(bench_info)
    assert any("ranking" in e["name"] and e["target_p95_ms"] == 300 for e in endpoints)
    for endpoint in endpoints:
        response = _client_for(endpoint).get(endpoint["path"])
        assert response.status_code == 200, endpoint["name"]
