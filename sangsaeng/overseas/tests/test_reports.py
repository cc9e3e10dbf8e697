"""Reports: a partner's overseas record, the host's report per exhibition and per year, Excel exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from sangsaeng.overseas import selectors, services
from sangsaeng.overseas.tests.factories import make_application, make_exhibition, make_proposal
from sangsaeng.partners.tests.factories import make_partner_owner


def _supported(cast):
    year = timezone.localdate().year
    exhibition = make_exhibition(
        cast.program_manager,
        starts_on=dt.date(year, 1, 10),
        ends_on=dt.date(year, 1, 12),
        application_deadline=dt.date(year, 1, 1),
    )
    application = make_application(exhibition, cast.partner, cast.partner_owner, status="agreed")
    make_application(exhibition, cast.other_partner, cast.other_partner_owner)
    services.report_outcome(
        actor=cast.partner_owner, application=application, meetings_held=7, mous=2, contracts=1
    )
    services.record_exchange_rate(
        actor=cast.program_manager,
        currency="USD",
        rate_date=dt.date(year, 1, 2),
        krw_per_unit=Decimal("1300"),
    )
    for country, amount in (("Spain", "1000"), ("Spain", "500"), ("Vietnam", "100")):
        services.report_export(
            actor=cast.partner_owner,
            partner=cast.partner,
            year=year,
            country=country,
            currency="USD",
            amount=Decimal(amount),
            application=application,
        )
    return exhibition, application, year


@pytest.mark.django_db
def test_partner_record_groups_exports_by_year_and_country(cast):
    _exhibition, _application, year = _supported(cast)
    make_proposal(cast.partner, cast.partner_owner)
    record = selectors.partner_record(cast.partner_owner, cast.partner)
    assert [(r["country"], r["amount_krw"]) for r in record.exports] == [
        ("Spain", 1_950_000),
        ("Vietnam", 130_000),
    ]
    assert record.exports_by_year == [{"year": year, "amount_krw": 2_080_000}]
    assert len(record.applications) == 1 and len(record.proposals) == 1


@pytest.mark.django_db
def test_exhibition_and_year_reports_total_the_money_and_outcomes(cast):
    exhibition, _application, year = _supported(cast)
    report = selectors.exhibition_report(cast.auditor, exhibition)
    assert report.totals["applications"] == 2 and report.totals["supported"] == 1
    assert (report.totals["meetings_held"], report.totals["contracts"]) == (7, 1)
    assert report.totals["exports_krw"] == 2_080_000
    yearly = selectors.year_report(cast.auditor, year)
    assert yearly.exhibitions[0]["supported_count"] == 1 and yearly.exhibitions[0]["contracts"] == 1
    assert yearly.totals["exports_krw"] == 2_080_000


@pytest.mark.django_db
def test_report_pages_excel_and_permissions(client, login, cast, django_assert_max_num_queries):
    exhibition, _application, year = _supported(cast)
    for _ in range(10):
        partner, owner = make_partner_owner()
        make_application(exhibition, partner, owner)
    login(cast.auditor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("overseas:exhibition_report", args=[exhibition.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("overseas:year_report"), {"year": year})
    assert response.status_code == 200 and "overseas-chart-data" in response.content.decode()
    response = client.get(reverse("overseas:exhibition_report_export", args=[exhibition.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 13
    response = client.get(reverse("overseas:year_report_export"), {"year": year})
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert client.get(f"/api/v1/overseas/reports/{year}").json()["totals"]["exports_krw"] == 2_080_000
    login(cast.partner_owner)
    assert client.get(reverse("overseas:year_report")).status_code == 403
    assert client.get(reverse("overseas:exhibition_report", args=[exhibition.pk])).status_code in (403, 404)
    response = client.get(reverse("overseas:my_record"))
    assert response.status_code == 302
    with django_assert_max_num_queries(14):
        assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("overseas:partner_record", args=[cast.other_partner.pk])).status_code == 404
    response = client.get(f"/api/v1/overseas/partners/{cast.partner.pk}/record")
    assert response.status_code == 200 and len(response.json()["exports"]) == 2


@pytest.mark.django_db
def test_exchange_rate_page(client, login, cast):
    login(cast.program_manager)
    url = reverse("overseas:exchange_rates")
    assert (
        client.post(url, {"currency": "US", "rate_date": "2026-01-02", "krw_per_unit": "1"}).status_code
        == 400
    )
    assert (
        client.post(url, {"currency": "USD", "rate_date": "2026-01-02", "krw_per_unit": "1300"}).status_code
        == 302
    )
    login(cast.auditor)
    assert (
        client.post(url, {"currency": "EUR", "rate_date": "2026-01-02", "krw_per_unit": "1"}).status_code
        == 403
    )
    assert "1300" in client.get(url).content.decode()
