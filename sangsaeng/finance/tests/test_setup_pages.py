"""Fund set-up pages: host administrators create and change funds and bank pools through the same
services as the API; bad input shows field errors, other roles are refused, and nothing changes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from sangsaeng.core.models import AuditEvent
from sangsaeng.finance.models import FundBank, LoanFund
from sangsaeng.finance.tests.factories import EOK, make_fund, make_pool

pytestmark = pytest.mark.django_db

FUND_FORM = {
    "name": "2027 펀드",
    "total_krw": str(1000 * EOK),
    "valid_from": "2027-01-01",
    "is_active": "on",
    "eligible_tiers": ["1", "2"],
    "limit_1": str(10 * EOK),
    "limit_2": str(5 * EOK),
    "purposes": ["working"],
    "terms_months": "12, 24",
    "recommendation_valid_days": "45",
    "points_reductions": "100, 0.2\n50, 0.1",
}
POOL_FORM = {
    "deposit_krw": str(100 * EOK),
    "pool_multiple": "3",
    "base_rate": "4.2",
    "spread": "0",
    "reduction": "1.8",
    "grade_S": "0.5",
    "grade_A": "0.3",
}


def _state():
    funds = list(LoanFund.objects.order_by("pk").values())
    pools = list(FundBank.objects.order_by("pk").values())
    return funds, pools, AuditEvent.objects.count()


def test_host_admin_creates_and_edits_a_fund_and_its_pool_like_the_api(cast, login):
    client = login(cast.host_admin)
    assert client.get(reverse("finance:fund_create")).status_code == 200

    response = client.post(reverse("finance:fund_create"), FUND_FORM)

    assert response.status_code == 302, response.content
    fund = LoanFund.objects.get(name="2027 펀드")
    # The same fund as the API makes from the same rules.
    api = login(cast.host_admin).post(
        "/api/v1/finance/funds",
        data=json.dumps(
            {
                "name": "API 펀드",
                "total_krw": 1000 * EOK,
                "valid_from": "2027-01-01",
                "eligible_tiers": [1, 2],
                "limits_by_tier": {"1": 10 * EOK, "2": 5 * EOK},
                "purposes": ["working"],
                "terms_months": [12, 24],
                "recommendation_valid_days": 45,
                "points_reductions": [[100, "0.2"], [50, "0.1"]],
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    twin = LoanFund.objects.get(pk=api.json()["id"])
    for name in (
        "total_krw",
        "eligible_tiers",
        "limits_by_tier",
        "purposes",
        "terms_months",
        "recommendation_valid_days",
        "points_reductions",
        "requires_fair_trade",
        "is_active",
    ):
        assert getattr(fund, name) == getattr(twin, name), name
    assert AuditEvent.objects.filter(action="finance.create_fund", object_id=str(fund.pk)).exists()

    edit = client.get(reverse("finance:fund_edit", args=[fund.pk]))
    assert edit.status_code == 200 and "2027 펀드" in edit.content.decode()
    response = client.post(
        reverse("finance:fund_edit", args=[fund.pk]),
        {**FUND_FORM, "total_krw": str(800 * EOK), "requires_fair_trade": "on", "valid_from": "2030-01-01"},
    )
    assert response.status_code == 302, response.content
    fund.refresh_from_db()
    assert fund.total_krw == 800 * EOK and fund.requires_fair_trade
    assert str(fund.valid_from) == "2027-01-01"  # the start is not changed, as in the API
    assert AuditEvent.objects.filter(action="finance.update_fund", object_id=str(fund.pk)).exists()

    response = client.post(reverse("finance:pool_add", args=[fund.pk]), {**POOL_FORM, "bank": cast.bank.pk})
    assert response.status_code == 302, response.content
    pool = FundBank.objects.get(fund=fund, bank=cast.bank)
    assert pool.pool_krw == 300 * EOK
    assert pool.fund_rate == Decimal("2.400")
    assert pool.grade_reductions == {"S": "0.5", "A": "0.3"}
    assert AuditEvent.objects.filter(action="finance.add_fund_bank").count() == 1

    response = client.post(
        reverse("finance:pool_edit", args=[pool.pk]),
        {**POOL_FORM, "pool_krw": str(250 * EOK), "grade_S": "1", "grade_A": "", "grade_C": "0.2"},
    )
    assert response.status_code == 302, response.content
    pool.refresh_from_db()
    assert pool.pool_krw == 250 * EOK
    assert pool.grade_reductions == {"S": "1", "C": "0.2"}
    assert AuditEvent.objects.filter(action="finance.update_fund_bank", object_id=str(pool.pk)).exists()

    page = client.get(reverse("finance:fund_setup"))
    assert page.status_code == 200
    assert cast.bank.name in page.content.decode()


def test_bad_fund_input_shows_field_errors_and_changes_nothing(cast, login, english):
    fund = make_fund()
    client = login(cast.host_admin)
    before = _state()

    created = client.post(
        reverse("finance:fund_create"), {**FUND_FORM, "total_krw": "0", "terms_months": "12, 500"}
    )
    edited = client.post(
        reverse("finance:fund_edit", args=[fund.pk]),
        {**FUND_FORM, "limit_1": "-5", "points_reductions": "x, y"},
    )

    assert created.status_code == 422
    form = created.context["form"]
    assert form.errors["total_krw"] == ["Enter an amount above zero."]
    assert form.errors["terms_months"] == ["Terms are 1 to 120 months."]
    assert edited.status_code == 422
    assert edited.context["form"].errors["limit_1"] == ["Limits per tier 1–4, zero or more."]
    assert edited.context["form"].errors["points_reductions"] == ["Steps of [minimum points, extra %p]."]
    assert _state() == before


def test_bad_pool_input_shows_field_errors_and_changes_nothing(cast, login, english):
    fund = make_fund()
    pool = make_pool(fund, cast.bank, outstanding_krw=200 * EOK)
    client = login(cast.host_admin)
    before = _state()

    added = client.post(
        reverse("finance:pool_add", args=[fund.pk]),
        {**POOL_FORM, "bank": cast.other_bank.pk, "base_rate": "45", "grade_B": "9"},
    )
    no_pool = client.post(
        reverse("finance:pool_add", args=[fund.pk]),
        {**POOL_FORM, "bank": cast.other_bank.pk, "pool_multiple": ""},
    )
    edited = client.post(reverse("finance:pool_edit", args=[pool.pk]), {**POOL_FORM, "pool_krw": str(EOK)})

    assert added.status_code == 422
    assert added.context["form"].errors["base_rate"] == ["Between 0 and 30 %."]
    assert added.context["form"].errors["grade_S"] == [
        "Grades S, A, B or C, each with an extra reduction from 0 to 5 %p."
    ]
    assert no_pool.status_code == 422 and "pool_krw" in no_pool.context["form"].errors
    assert edited.status_code == 422
    assert edited.context["form"].errors["pool_krw"] == ["Below what is already lent and reserved."]
    assert _state() == before


@pytest.mark.parametrize(
    "who", ["program_manager", "reviewer", "auditor", "partner_owner", "loan_officer", "observer"]
)
def test_other_roles_are_refused_and_nothing_changes(cast, login, who):
    fund = make_fund()
    pool = make_pool(fund, cast.bank)
    client = login(getattr(cast, who))
    before = _state()

    answers = [
        client.get(reverse("finance:fund_setup")),
        client.get(reverse("finance:fund_create")),
        client.post(reverse("finance:fund_create"), FUND_FORM),
        client.post(reverse("finance:fund_edit", args=[fund.pk]), {**FUND_FORM, "total_krw": "1"}),
        client.post(reverse("finance:pool_add", args=[fund.pk]), {**POOL_FORM, "bank": cast.other_bank.pk}),
        client.post(reverse("finance:pool_edit", args=[pool.pk]), {**POOL_FORM, "pool_krw": "1"}),
    ]

    assert [answer.status_code for answer in answers] == [403] * 6
    assert _state() == before


def test_menu_entry_only_for_host_admins(cast, login):
    url = reverse("finance:fund_setup")
    assert url in login(cast.host_admin).get(reverse("finance:grades")).content.decode()
    assert url not in login(cast.program_manager).get(reverse("finance:grades")).content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("finance:fund_setup"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("funds", [2, 12])
def test_setup_list_runs_a_constant_number_of_queries(cast, login, django_assert_max_num_queries, funds):
    for number in range(funds):
        fund = make_fund(name=f"펀드 {number}")
        make_pool(fund, cast.bank)
        make_pool(fund, cast.other_bank)
    client = login(cast.host_admin)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("finance:fund_setup"))

    assert response.status_code == 200
    assert len(response.context["funds"]) == funds
