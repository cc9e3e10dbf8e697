"""The loan fund's bench data at a tiny size: consistent counters, schedules and repayments, every
bench endpoint answering 200 as its bench person, and list pages whose query count does not grow
when the data doubles."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.generate import BENCH_TOKEN, generate
from bench.generators.finance import BENCH_DATA_VERSION, PM_EMAIL, bench_endpoints, generate_bench_data
from sangsaeng.accounts.models import User
from sangsaeng.core import dates
from sangsaeng.finance import selectors
from sangsaeng.finance.models import (
    CompanyExposure,
    FundBank,
    Loan,
    LoanApplication,
    LoanFund,
    LoanStatus,
    Repayment,
)
from sangsaeng.finance.schedule import build_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_info():
    generate(partners=40, users=100, audit_events=20)
    return generate_bench_data(seed=3, log=lambda message: None, loans=150, open_applications=40)


def _client_for(endpoint: dict) -> Client:
    client = Client()
    if endpoint["bearer"]:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {BENCH_TOKEN}"
    elif endpoint["login"]:
        user = User.objects.get(email=endpoint["login"])
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_bench_data_keeps_every_capacity_invariant_and_ledger(bench_info):
    assert BENCH_DATA_VERSION >= 1
    fund = LoanFund.objects.get(pk=bench_info["fund_id"])
    loans = list(Loan.objects.filter(pool__fund=fund).prefetch_related("instalments", "repayments"))
    assert len(loans) == bench_info["loans"] == 150
    assert bench_info["timings"][0]["target_seconds"] == 20
    outstanding: dict[tuple[str, int], int] = defaultdict(int)
    for loan in loans:
        instalments = sorted(loan.instalments.all(), key=lambda row: row.number)
        # the stored schedule is the schedule code's own
        rows = build_schedule(
            principal_krw=loan.principal_krw,
            annual_rate=loan.annual_rate,
            start=loan.disbursed_on,
            term_months=loan.term_months,
            method=loan.method,
            grace_months=loan.grace_months,
        )
        assert [(i.due_on, i.principal_krw, i.interest_krw) for i in instalments] == [
            (r.due_on, r.principal_krw, r.interest_krw) for r in rows
        ]
        repaid = sum(r.principal_krw for r in loan.repayments.all())
        assert loan.balance_krw == loan.principal_krw - repaid
        assert (loan.status == LoanStatus.REPAID) == (loan.balance_krw == 0)
        paid_days = [r.paid_on for r in sorted(loan.repayments.all(), key=lambda r: r.pk)]
        assert paid_days == sorted(paid_days)
        if loan.balance_krw:
            assert loan.next_due_on is not None
            outstanding[("pool", loan.pool_id)] += loan.balance_krw
            outstanding[("company", loan.partner_id)] += loan.balance_krw
    reserved: dict[tuple[str, int], int] = defaultdict(int)
    for application in LoanApplication.objects.filter(fund=fund, reserved_krw__gt=0):
        reserved[("pool", application.pool_id)] += application.reserved_krw
        reserved[("company", application.partner_id)] += application.reserved_krw
    for pool in FundBank.objects.filter(fund=fund):
        assert pool.outstanding_krw == outstanding[("pool", pool.pk)]
        assert pool.reserved_krw == reserved[("pool", pool.pk)]
        assert pool.outstanding_krw + pool.reserved_krw <= pool.pool_krw
    for exposure in CompanyExposure.objects.filter(fund=fund):
        assert exposure.outstanding_krw == outstanding[("company", exposure.partner_id)]
        assert exposure.reserved_krw == reserved[("company", exposure.partner_id)]
        assert exposure.outstanding_krw + exposure.reserved_krw <= exposure.limit_krw
    fund.refresh_from_db()
    assert fund.outstanding_krw == sum(v for (kind, _k), v in outstanding.items() if kind == "pool")
    assert fund.outstanding_krw + fund.reserved_krw <= fund.total_krw
    assert Repayment.objects.filter(loan__pool__fund=fund).exists()
    assert any(loan.status == LoanStatus.REPAID for loan in loans)
    assert any(loan.status == LoanStatus.ACTIVE for loan in loans)


def test_dashboard_saving_aggregated_in_sql_equals_the_per_loan_saving(bench_info):
    fund = LoanFund.objects.get(pk=bench_info["fund_id"])
    pm = User.objects.get(email=PM_EMAIL)
    dashboard = selectors.fund_dashboard(pm, fund)
    loans = Loan.objects.filter(pool__fund=fund)
    assert dashboard["interest_saved_krw"] == sum(selectors.saving_to_date(loan) for loan in loans)
    assert dashboard["interest_saved_krw"] > 0
    overdue = selectors.overdue_loans(fund, dates.today())
    assert dashboard["overdue_loans"] == overdue.count()


def test_every_bench_endpoint_answers_200_as_its_bench_person(bench_info):
    endpoints = bench_endpoints(bench_info)
    assert any(e["bearer"] for e in endpoints)
    assert any(e["login"] == bench_info["partner_owner_email"] for e in endpoints)
    for endpoint in endpoints:
        response = _client_for(endpoint).get(endpoint["path"])
        assert response.status_code == 200, endpoint["name"]


def test_owner_sees_only_their_own_loans_on_the_bench(bench_info):
    owner = User.objects.get(email=bench_info["partner_owner_email"])
    mine = selectors.loans_for_user(owner)
    assert mine.exists()
    assert {loan.partner.organization_id for loan in mine} == {owner.memberships.get().organization_id}


def _queries(endpoint: dict) -> int:
    client = _client_for(endpoint)
    client.get(endpoint["path"])  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(endpoint["path"]).status_code == 200
    return len(captured)


def test_finance_list_pages_run_the_same_number_of_queries_when_the_data_doubles(bench_info):
    endpoints = bench_endpoints(bench_info)
    extra = [
        {"name": "review queue", "path": "/finance/review/", "login": PM_EMAIL, "bearer": False},
        {"name": "API applications", "path": "/api/v1/finance/applications", "login": None, "bearer": True},
        {"name": "loans export", "path": "/finance/loans.xlsx", "login": PM_EMAIL, "bearer": False},
    ]
    before = {e["name"]: _queries(e) for e in [*endpoints, *extra]}
    generate_bench_data(seed=4, log=lambda message: None, loans=150, open_applications=40)
    after = {e["name"]: _queries(e) for e in [*endpoints, *extra]}
    assert after == before
    assert Loan.objects.count() == 300
