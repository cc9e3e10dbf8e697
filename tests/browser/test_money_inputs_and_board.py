"""In Chromium (issue 11 §4): a money input groups digits while typing and the form still saves the
amount; the use-case board at 1280 px says that it scrolls and does scroll."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.finance.models import LoanFund

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_money_is_grouped_while_typing_and_saved_as_digits(new_page, log_in_page):
    host = OrganizationFactory(kind=OrganizationKind.HOST, name="상생텔레콤")
    make_member(OrganizationKind.HOST, Role.ADMIN, host, email="admin@host.example")
    page = new_page("ko")
    log_in_page(page, "admin@host.example")
    page.goto("/finance/setup/funds/new/")

    total = page.locator("#id_total_krw")
    total.click()
    total.press_sequentially("250000000000")
    expect(total).to_have_value("250,000,000,000")
    assert total.get_attribute("inputmode") == "numeric"

    page.fill("#id_name", "2027 상생펀드")
    page.fill("#id_valid_from", "2027-01-01")
    page.locator("input[name=eligible_tiers][value='1']").check()
    page.fill("#id_limit_1", "500000000")
    page.locator("input[name=purposes]").first.check()
    page.fill("#id_terms_months", "12, 24")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/finance/setup/$"))
    assert LoanFund.objects.get(name="2027 상생펀드").total_krw == 250_000_000_000


def test_the_use_case_board_at_1280_px_shows_that_it_scrolls(new_page, log_in_page):
    host = OrganizationFactory(kind=OrganizationKind.HOST, name="상생텔레콤")
    make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host, email="pm@host.example")
    page = new_page("ko")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, "pm@host.example")
    page.goto("/usecases/board/")

    expect(page.locator("#board-scroll-hint")).to_be_visible()
    board = page.locator(".board-scroll")
    assert board.evaluate("el => el.scrollWidth > el.clientWidth")
    assert board.evaluate("el => getComputedStyle(el).overflowX") == "scroll"
