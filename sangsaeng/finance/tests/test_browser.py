"""End to end in Chromium: the partner applies, the host recommends, the bank approves, disburses
and records the repayment, and the partner sees the loan repaid."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.finance.models import Loan, LoanApplication
from sangsaeng.finance.tests.factories import EOK, backdate, make_fund, make_pool
from sangsaeng.partners.tests.factories import make_partner_owner

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def _submit(page, action: str) -> None:
    page.locator(f"form[action='{action}'] button[type=submit]").click()


def test_apply_recommend_approve_disburse_and_repay(new_page, log_in_page):
    host = OrganizationFactory(kind=OrganizationKind.HOST)
    make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host, email="pm@host.example")
    bank = OrganizationFactory(kind=OrganizationKind.BANK, name="상생은행")
    make_member(OrganizationKind.BANK, Role.LOAN_OFFICER, bank, email="officer@bank.example")
    _partner, owner = make_partner_owner(name_ko="가나다테크")
    owner.email = "owner@partner.example"
    owner.save()
    fund = make_fund()
    pool = make_pool(fund, bank)

    partner_page = new_page("en")
    log_in_page(partner_page, "owner@partner.example")
    partner_page.goto("/finance/apply/")
    partner_page.select_option("#id_pool", str(pool.pk))
    partner_page.fill("#id_amount_krw", str(EOK))
    partner_page.fill("#id_term_months", "12")
    partner_page.select_option("#id_method", "bullet")
    partner_page.select_option("#id_purpose", "working")
    partner_page.locator("main form button[type=submit]").click()
    partner_page.wait_for_url(re.compile(r".*/finance/applications/\d+/$"))
    application = LoanApplication.objects.get()

    host_page = new_page("en")
    log_in_page(host_page, "pm@host.example")
    host_page.goto(f"/finance/applications/{application.pk}/")
    _submit(host_page, f"/finance/applications/{application.pk}/recommend/")
    expect(host_page.get_by_role("link", name=re.compile(r"^SS-"))).to_be_visible()

    backdate(application, dt.date(2025, 3, 4))  # applied and recommended back then
    bank_page = new_page("en")
    log_in_page(bank_page, "officer@bank.example")
    bank_page.goto(f"/finance/applications/{application.pk}/")
    _submit(bank_page, f"/finance/applications/{application.pk}/approve/")
    bank_page.wait_for_url(re.compile(rf".*/finance/applications/{application.pk}/$"))
    bank_page.fill("#id_disbursed_on", "2025-03-04")
    _submit(bank_page, f"/finance/applications/{application.pk}/disburse/")
    bank_page.wait_for_url(re.compile(r".*/finance/loans/\d+/$"))
    loan = Loan.objects.get()
    bank_page.fill("#id_paid_on", "2025-04-04")
    bank_page.fill("#id_principal_krw", str(EOK))
    _submit(bank_page, f"/finance/loans/{loan.pk}/repay/")
    bank_page.wait_for_url(re.compile(rf".*/finance/loans/{loan.pk}/$"))

    partner_page.goto(f"/finance/applications/{application.pk}/")
    expect(partner_page.locator("main")).to_contain_text("Repaid")
    loan.refresh_from_db()
    assert loan.status == "repaid"
