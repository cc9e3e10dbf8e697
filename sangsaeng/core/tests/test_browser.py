"""In Chromium with the real htmx: a fragment request of a person whose session ended loads the login
page as a page (HX-Redirect), instead of swapping the login page into the fragment's spot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_an_htmx_request_after_the_session_ended_goes_to_the_login_page(new_page, log_in_page):
    host = OrganizationFactory(kind=OrganizationKind.HOST, name="호스트텔레콤")
    make_member(OrganizationKind.HOST, Role.AUDITOR, host, email="auditor@host.example")
    page = new_page("ko")
    log_in_page(page, "auditor@host.example")
    page.goto("/audit/?action=partners.*")
    expect(page.locator("#unread-badge")).to_have_count(1)

    page.context.clear_cookies()  # the session is gone (logged out elsewhere, expired)
    page.evaluate("htmx.trigger(document.body, 'notifications-read')")  # the badge refreshes itself

    page.wait_for_url(re.compile(r".*/accounts/login/\?next=.*"))
    assert page.url.endswith("/accounts/login/?next=/audit/%3Faction%3Dpartners.%2A")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#id_username")).to_have_count(1)
    expect(page.locator("#unread-badge #id_username")).to_have_count(0)  # nothing swapped into the badge
