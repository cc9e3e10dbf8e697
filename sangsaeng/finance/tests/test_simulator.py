"""The loan simulator: a signed-in partner sees its own rate (grade and incentive points counted),
with the breakdown and the saving; host and bank people see the fund's general rate."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from sangsaeng.core import dates
from sangsaeng.finance import selectors, services
from sangsaeng.finance.models import IncentivePoint, SharingTask
from sangsaeng.finance.tests.factories import EOK, make_fund, make_pool
from sangsaeng.finance.tests.test_sharing import _task

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(cast):
    fund = make_fund(points_reductions=[[10, "0.2"]])
    pool = make_pool(fund, cast.bank, grade_reductions={"A": "0.3"})
    services.assign_partner_grade(
        actor=cast.program_manager, partner=cast.partner, grade="A", valid_from=dates.today(), reason="우수"
    )
    task = _task(cast)
    SharingTask.objects.filter(pk=task.pk).update(status="confirmed")
    IncentivePoint.objects.create(partner=cast.partner, task=task, points=15, reason="test")
    return fund, pool


def _query(fund, pool):
    return {
        "fund": fund.pk,
        "pool": pool.pk,
        "amount_krw": EOK,
        "term_months": 12,
        "grace_months": 0,
        "method": "equal_payment",
    }


def test_partner_sees_its_own_rate_breakdown_and_larger_saving(cast, login, graded):
    fund, pool = graded
    own = login(cast.partner_owner).get(
        reverse("finance:simulate"), _query(fund, pool), HTTP_HX_REQUEST="true"
    )
    simulation = own.context["simulation"]

    assert simulation.personal
    assert simulation.annual_rate == Decimal("5.500") - Decimal("2.000") - Decimal("0.3") - Decimal("0.2")
    assert (simulation.breakdown.grade, simulation.breakdown.points) == ("A", 15)
    generic = selectors.simulate(pool, amount_krw=EOK, term_months=12, method="equal_payment")
    assert simulation.saving_krw > generic.saving_krw > 0
    page = own.content.decode()
    assert "0.3%p" in page and "0.2%p" in page and f"{simulation.saving_krw:,}" in page


@pytest.mark.parametrize("who", ["program_manager", "loan_officer"])
def test_host_and_bank_see_the_general_rate(cast, login, graded, who):
    fund, pool = graded
    response = login(getattr(cast, who)).get(reverse("finance:simulate"), _query(fund, pool))
    simulation = response.context["simulation"]
    assert not simulation.personal
    assert simulation.annual_rate == pool.fund_rate
    assert simulation.breakdown.grade == "" and simulation.breakdown.points == 0


def test_api_simulation_uses_the_partner_grade_and_points(cast, login, graded):
    fund, pool = graded
    payload = {
        "fund_id": fund.pk,
        "pool_id": pool.pk,
        "amount_krw": EOK,
        "term_months": 12,
        "method": "bullet",
    }
    mine = login(cast.partner_owner).post(
        "/api/v1/finance/simulate", data=json.dumps(payload), content_type="application/json"
    )
    assert mine.status_code == 200
    body = mine.json()
    assert body["personal"] is True
    assert body["rate_breakdown"]["grade"] == "A" and body["rate_breakdown"]["points"] == 15
    assert Decimal(body["annual_rate"]) == Decimal("3.0")
    host = (
        login(cast.program_manager)
        .post("/api/v1/finance/simulate", data=json.dumps(payload), content_type="application/json")
        .json()
    )
    assert host["personal"] is False and Decimal(host["annual_rate"]) == Decimal("3.5")
    assert body["saving_krw"] > host["saving_krw"]
