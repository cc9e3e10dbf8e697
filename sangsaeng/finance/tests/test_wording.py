"""Korean wording and numbers on the loan fund's pages (issue 11 §4)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from sangsaeng.finance import services
from sangsaeng.finance.models import LoanStatus
from sangsaeng.finance.tests.factories import EOK, backdate, make_application

pytestmark = pytest.mark.django_db


def _disbursed(cast, pool, amount=EOK):
    application = make_application(cast.partner, pool, cast.partner_owner, amount_krw=amount)
    services.recommend_application(actor=cast.program_manager, application=application)
    services.bank_approve(actor=cast.loan_officer, application=application)
    backdate(application, dt.date(2025, 1, 6))  # recommended before it was disbursed
    services.disburse_loan(actor=cast.loan_officer, application=application, disbursed_on=dt.date(2025, 1, 6))
    return application


def test_an_active_loan_reads_as_being_repaid_in_korean():
    with translation.override("ko"):
        assert str(LoanStatus.ACTIVE.label) == "상환 중"


def test_the_letter_title_is_not_doubled_and_the_term_has_months(cast, pool, login):
    application = make_application(cast.partner, pool, cast.partner_owner, term_months=24)
    services.recommend_application(actor=cast.program_manager, application=application)
    client = login(cast.partner_owner)
    with translation.override("ko"):
        html = client.get(reverse("finance:letter", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="ko").content
    text = html.decode()
    assert "<h1>추천서</h1>" in text
    assert "추천서 (추천서)" not in text
    assert "24개월" in text


def test_the_letter_pdf_term_has_months(cast, pool, login):
    from sangsaeng.finance.tests.pdfcheck import pdf_text

    application = make_application(cast.partner, pool, cast.partner_owner, term_months=36)
    services.recommend_application(actor=cast.program_manager, application=application)
    text = pdf_text(
        login(cast.partner_owner).get(reverse("finance:letter_pdf", args=[application.pk])).content
    )
    assert "36개월" in text
    assert "(추천서)" not in text


def test_the_fund_dashboard_uses_one_money_format_and_shows_percentages(cast, fund, pool, login):
    _disbursed(cast, pool, amount=EOK + 23_456_789)

    html = login(cast.program_manager).get(reverse("finance:dashboard")).content.decode()

    # Amounts in 억/만 everywhere; no full-won figure like "13,919,534원" next to them.
    assert not re.search(r"\d{1,3}(,\d{3}){2,}원", html)
    assert "억" in html
    # The usage bar's percentage stands next to the bar, readable even for a thin bar.
    assert re.search(r'class="small text-nowrap usage-percent">\d+%<', html)
