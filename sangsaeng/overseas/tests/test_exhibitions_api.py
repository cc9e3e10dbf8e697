"""The exhibitions API end to end: set-up, apply, approve within budget, agreement, claim with a
receipt, payment with an Idempotency-Key (replayed, never paid twice), outcome, rate and export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sangsaeng.overseas.models import ApplicationItem, ExpenseClaim
from sangsaeng.overseas.tests.factories import make_application, make_exhibition


def _json(client, method, url, data=None, **headers):
    return client.generic(
        method, url, data=__import__("json").dumps(data or {}), content_type="application/json", **headers
    )


@pytest.mark.django_db
def test_exhibition_flow_through_the_api(client, login, cast):
    today = timezone.localdate()
    login(cast.program_manager)
    response = _json(
        client,
        "POST",
        "/api/v1/overseas/exhibitions",
        {
            "name": "MWC",
            "city": "Barcelona",
            "country": "Spain",
            "starts_on": (today + dt.timedelta(days=60)).isoformat(),
            "ends_on": (today + dt.timedelta(days=63)).isoformat(),
            "booths": 5,
            "budget_krw": 30_000_000,
            "application_deadline": (today + dt.timedelta(days=30)).isoformat(),
            "caps": {"booth_rental": 10_000_000, "lodging": 2_000_000},
        },
    )
    assert response.status_code == 201, response.content
    exhibition_id = response.json()["id"]

    login(cast.partner_owner)
    response = _json(
        client,
        "POST",
        f"/api/v1/overseas/exhibitions/{exhibition_id}/applications",
        {"exhibits": "Routers", "amounts": {"booth_rental": 12_000_000}},
    )
    assert response.status_code == 422 and "booth_rental" in response.json()["error"]["fields"]
    response = _json(
        client,
        "POST",
        f"/api/v1/overseas/exhibitions/{exhibition_id}/applications",
        {"exhibits": "Routers", "amounts": {"booth_rental": 9_000_000, "lodging": 1_000_000}},
    )
    assert response.status_code == 201, response.content
    application_id = response.json()["id"]

    login(cast.program_manager)
    response = _json(client, "POST", f"/api/v1/overseas/applications/{application_id}/approve")
    assert response.status_code == 200 and response.json()["approved_krw"] == 10_000_000
    login(cast.partner_owner)
    assert (
        _json(client, "POST", f"/api/v1/overseas/applications/{application_id}/agreement").status_code == 200
    )

    response = client.post(
        f"/api/v1/overseas/applications/{application_id}/claims",
        {
            "kind": "booth_rental",
            "amount_krw": 9_500_000,
            "receipt": SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        },
    )
    assert response.status_code == 422
    response = client.post(
        f"/api/v1/overseas/applications/{application_id}/claims",
        {
            "kind": "booth_rental",
            "amount_krw": 9_000_000,
            "receipt": SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    claim_id = response.json()["id"]

    login(cast.program_manager)
    assert _json(client, "POST", f"/api/v1/overseas/claims/{claim_id}/pay").status_code == 422  # no key
    first = _json(client, "POST", f"/api/v1/overseas/claims/{claim_id}/pay", HTTP_IDEMPOTENCY_KEY="k-1")
    again = _json(client, "POST", f"/api/v1/overseas/claims/{claim_id}/pay", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert first.json()["paid_krw"] == 9_000_000
    assert (
        ApplicationItem.objects.get(application_id=application_id, kind="booth_rental").paid_krw == 9_000_000
    )

    response = _json(
        client,
        "POST",
        "/api/v1/overseas/exchange-rates",
        {"currency": "EUR", "rate_date": today.isoformat(), "krw_per_unit": "1500"},
    )
    assert response.status_code == 201, response.content
    login(cast.partner_owner)
    response = _json(
        client,
        "PUT",
        f"/api/v1/overseas/applications/{application_id}/outcome",
        {"meetings_held": 10, "mous": 1, "contracts": 1},
    )
    assert response.status_code == 200
    response = _json(
        client,
        "POST",
        f"/api/v1/overseas/applications/{application_id}/exports",
        {"year": today.year, "country": "Spain", "currency": "EUR", "amount": "2000"},
    )
    assert response.status_code == 201 and response.json()["amount_krw"] == 3_000_000


@pytest.mark.django_db
def test_auditor_reads_but_cannot_approve_or_pay(client, login, cast):
    exhibition = make_exhibition(cast.program_manager)
    application = make_application(exhibition, cast.partner, cast.partner_owner)
    login(cast.auditor)
    assert client.get(f"/api/v1/overseas/exhibitions/{exhibition.pk}/applications").json()["count"] == 1
    assert _json(client, "POST", f"/api/v1/overseas/applications/{application.pk}/approve").status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.django_db
def test_pages_apply_select_sign_claim(client, login, cast, django_assert_max_num_queries):
    exhibition = make_exhibition(cast.program_manager)
    login(cast.partner_owner)
    url = reverse("overseas:exhibition_apply", args=[exhibition.pk])
    assert client.post(url, {"exhibits": "x", "booth_rental": "99999999999"}).status_code == 400
    assert client.post(url, {"exhibits": "Routers", "booth_rental": "5000000"}).status_code == 302
    application = exhibition.applications.get()
    login(cast.program_manager)
    client.post(reverse("overseas:application_score", args=[application.pk]), {"score": "80"})
    assert client.post(reverse("overseas:exhibition_select", args=[exhibition.pk])).status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    login(cast.partner_owner)
    client.post(reverse("overseas:application_sign", args=[application.pk]))
    receipt = SimpleUploadedFile("r.png", b"\x89PNG\r\n\x1a\nxx", content_type="image/png")
    response = client.post(
        reverse("overseas:application_claim", args=[application.pk]),
        {"kind": "booth_rental", "amount_krw": "1000", "receipt": receipt},
    )
    assert response.status_code == 302
    claim = ExpenseClaim.objects.get()
    assert client.get(reverse("overseas:claim_receipt", args=[claim.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("overseas:application_detail", args=[application.pk])).status_code == 200


@pytest.mark.django_db
def test_exhibition_lists_query_counts(client, login, cast, django_assert_max_num_queries):
    from sangsaeng.partners.tests.factories import make_partner_owner

    exhibition = make_exhibition(cast.program_manager)
    for index in range(20):
        make_exhibition(cast.program_manager, name=f"e{index}")
        partner, owner = make_partner_owner()
        make_application(exhibition, partner, owner)
    for who in (cast.program_manager, cast.partner_owner):
        login(who)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("overseas:exhibitions")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get("/api/v1/overseas/exhibitions").status_code == 200
    login(cast.program_manager)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("overseas:exhibition_detail", args=[exhibition.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/api/v1/overseas/exhibitions/{exhibition.pk}/applications").status_code == 200
