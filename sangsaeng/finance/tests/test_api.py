"""The loan fund API: scoping per party, permission matrices, idempotent money moves, query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import services
from sangsaeng.finance.models import FundBank, LoanApplication, Repayment
from sangsaeng.finance.tests.factories import EOK, backdate, make_application
from sangsaeng.partners.tests.factories import make_partner_owner

pytestmark = pytest.mark.django_db

BASE = "/api/v1/finance"


def _post(client, url, data, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def _recommended(cast, pool, amount=3 * EOK):
    application = make_application(cast.partner, pool, cast.partner_owner, amount_krw=amount)
    return services.recommend_application(actor=cast.program_manager, application=application)


def test_partner_applies_through_the_api(cast, fund, pool, login):
    client = login(cast.partner_owner)

    response = _post(
        client,
        f"{BASE}/applications",
        {
            "fund_id": fund.pk,
            "pool_id": pool.pk,
            "amount_krw": 2 * EOK,
            "purpose": "working",
            "term_months": 12,
            "method": "equal_principal",
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["partner_id"] == cast.partner.pk
    assert LoanApplication.objects.filter(partner=cast.partner).count() == 1


def test_invalid_application_answers_422_with_field_errors(cast, fund, pool, login):
    client = login(cast.partner_owner)

    response = _post(
        client,
        f"{BASE}/applications",
        {
            "fund_id": fund.pk,
            "pool_id": pool.pk,
            "amount_krw": 99 * EOK,
            "purpose": "x",
            "term_months": 7,
            "method": "bullet",
        },
    )

    assert response.status_code == 422
    assert {"amount_krw", "purpose", "term_months"} <= set(response.json()["error"]["fields"])


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("partner_owner", {"mine"}),
        ("other_partner_owner", {"theirs"}),
        ("partner_member", {"mine"}),
        ("loan_officer", {"mine"}),
        ("other_loan_officer", {"theirs"}),
        ("auditor", {"mine", "theirs"}),
        ("observer", set()),
    ],
)
def test_each_party_lists_only_what_it_may_see(cast, pool, other_pool, login, who, sees):
    mine = _recommended(cast, pool)
    theirs = make_application(cast.other_partner, other_pool, cast.other_partner_owner)
    services.recommend_application(actor=cast.program_manager, application=theirs)
    labels = {mine.pk: "mine", theirs.pk: "theirs"}

    response = login(getattr(cast, who)).get(f"{BASE}/applications")

    assert response.status_code == 200
    assert {labels[item["id"]] for item in response.json()["items"]} == sees


def test_bank_never_sees_another_banks_application(cast, pool, login):
    application = _recommended(cast, pool)

    response = login(cast.other_loan_officer).get(f"{BASE}/applications/{application.pk}")

    assert response.status_code == 404


def test_bank_does_not_see_applications_before_the_recommendation(cast, pool, login):
    application = make_application(cast.partner, pool, cast.partner_owner)

    assert login(cast.loan_officer).get(f"{BASE}/applications/{application.pk}").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("program_manager", 200),
        ("host_admin", 200),
        ("reviewer", 404),  # a reviewer's role does not include loans (accounts/access.py)
        ("auditor", 403),
        ("partner_owner", 403),
    ],
)
def test_recommend_permission_matrix(cast, pool, login, who, status):
    application = make_application(cast.partner, pool, cast.partner_owner)
    events = AuditEvent.objects.count()

    response = _post(
        login(getattr(cast, who)), f"{BASE}/applications/{application.pk}/recommend", {}, key="k1"
    )

    assert response.status_code == status, response.content
    application.refresh_from_db()
    if status == 200:
        assert application.status == "recommended"
    else:
        assert application.status == "applied"
        assert AuditEvent.objects.count() == events
        assert FundBank.objects.get(pk=pool.pk).reserved_krw == 0


def test_anonymous_gets_401(cast, pool, client):
    application = make_application(cast.partner, pool, cast.partner_owner)

    assert _post(client, f"{BASE}/applications/{application.pk}/recommend", {}, key="k").status_code == 401


def test_money_moving_call_without_idempotency_key_is_refused(cast, pool, login):
    application = make_application(cast.partner, pool, cast.partner_owner)

    response = _post(login(cast.program_manager), f"{BASE}/applications/{application.pk}/recommend", {})

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    application.refresh_from_db()
    assert application.status == "applied"


def test_repeated_repayment_with_the_same_key_moves_money_once(cast, pool, login):
    application = _recommended(cast, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dt.date(2025, 1, 6))
    loan = services.disburse_loan(
        actor=cast.loan_officer, application=application, disbursed_on=dt.date(2025, 1, 6)
    )
    client = login(cast.loan_officer)
    body = {"paid_on": "2025-02-06", "principal_krw": EOK, "interest_krw": 100}

    first = _post(client, f"{BASE}/loans/{loan.pk}/repayments", body, key="pay-1")
    second = _post(client, f"{BASE}/loans/{loan.pk}/repayments", body, key="pay-1")
    other = _post(client, f"{BASE}/loans/{loan.pk}/repayments", {**body, "principal_krw": 2}, key="pay-1")

    assert (first.status_code, second.status_code, other.status_code) == (201, 201, 422)
    assert second.content == first.content
    assert other.json()["error"]["code"] == "idempotency_mismatch"
    assert Repayment.objects.filter(loan=loan).count() == 1
    loan.refresh_from_db()
    assert loan.balance_krw == 2 * EOK


def test_full_flow_through_the_api(cast, fund, pool, login):
    application = make_application(
        cast.partner, pool, cast.partner_owner, amount_krw=4 * EOK, method="bullet"
    )
    response = _post(
        login(cast.program_manager),
        f"{BASE}/applications/{application.pk}/recommend",
        {"amount_krw": 3 * EOK},
        key="r",
    )
    assert response.json()["recommendation_serial"]
    officer = login(cast.loan_officer)
    assert _post(officer, f"{BASE}/applications/{application.pk}/approve", {}, key="a").status_code == 200
    backdate(application, dt.date(2025, 1, 6))  # applied and recommended back then
    response = _post(
        officer, f"{BASE}/applications/{application.pk}/disburse", {"disbursed_on": "2025-01-06"}, key="d"
    )
    assert response.status_code == 201, response.content
    loan_id = response.json()["id"]

    detail = officer.get(f"{BASE}/loans/{loan_id}").json()

    assert len(detail["instalments"]) == 12
    assert sum(row["principal_krw"] for row in detail["instalments"]) == 3 * EOK
    assert detail["interest_saved_krw"] > 0


def test_simulator_answers_schedule_interest_and_saving(cast, fund, pool, login):
    response = _post(
        login(cast.partner_owner),
        f"{BASE}/simulate",
        {
            "fund_id": fund.pk,
            "pool_id": pool.pk,
            "amount_krw": EOK,
            "term_months": 24,
            "method": "equal_payment",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert len(body["rows"]) == 24
    assert body["saving_krw"] == body["interest_without_fund_krw"] - body["total_interest_krw"] > 0


def test_funds_list_shows_banks_and_rates(cast, fund, pool, login):
    response = login(cast.partner_owner).get(f"{BASE}/funds")

    assert response.status_code == 200
    assert response.json()[0]["banks"][0]["fund_rate"] == "3.500"


@pytest.mark.parametrize("rows", [5, 50])
def test_application_list_runs_a_constant_number_of_queries(
    cast, pool, login, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        partner, owner = make_partner_owner()
        make_application(partner, pool, owner, amount_krw=EOK)
    client = login(cast.auditor)

    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/applications?limit=200")

    assert len(response.json()["items"]) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_loan_list_runs_a_constant_number_of_queries(cast, pool, login, django_assert_max_num_queries, rows):
    for _ in range(rows):
        partner, owner = make_partner_owner()
        application = make_application(partner, pool, owner, amount_krw=EOK)
        services.recommend_application(actor=cast.program_manager, application=application)
        services.bank_approve(actor=cast.loan_officer, application=application)
        services.disburse_loan(actor=cast.loan_officer, application=application)
    client = login(cast.loan_officer)

    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/loans?limit=200")

    assert response.json()["count"] == rows


def test_the_api_refuses_a_disbursement_dated_before_the_recommendation_on_its_field(cast, pool, login):
    from sangsaeng.finance.models import Loan

    application = _recommended(cast, pool)
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dt.date(2025, 3, 4))

    response = _post(
        login(cast.loan_officer),
        f"{BASE}/applications/{application.pk}/disburse",
        {"disbursed_on": "2025-03-03"},
        key="early",
    )

    assert response.status_code == 422
    assert "disbursed_on" in response.json()["error"]["fields"]
    assert not Loan.objects.exists()
