"""Every role's main pages run under the Content-Security-Policy with no violation, in Chromium.

The demo is loaded (it has data on every programme page: charts, progress bars, calendars, the
board), each demo login opens its menu and a few detail pages, and the test fails on any CSP
violation the page reports (the `securitypolicyviolation` event and the console)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sangsaeng.accounts.models import User
from sangsaeng.core.navigation import entries_for
from sangsaeng.demo.programmes import usecases as demo_usecases
from sangsaeng.demo.scenario import DEMO_PASSWORD, load_demo
from sangsaeng.finance.models import LoanApplication
from sangsaeng.openlab.models import Booking
from sangsaeng.usecases.models import UseCase

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

ROLES = (
    "admin@sangsaeng-telecom.example.com",
    "pm@sangsaeng-telecom.example.com",
    "reviewer@sangsaeng-telecom.example.com",
    "lab@sangsaeng-telecom.example.com",
    "auditor@sangsaeng-telecom.example.com",
    "owner@daol-ict.example.com",
    "member@daol-ict.example.com",
    "officer@sangsaeng-bank.example.com",
    "observer@winwin.example.com",
)

# Recorded before any page script runs; Playwright's init scripts are not subject to the page's CSP.
_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _watched_page(context):
    page = context.new_page()
    page.add_init_script(_WATCH)
    page.console_texts = []
    page.on("console", lambda message: page.console_texts.append(message.text))
    return page


def _open(page, path: str, problems: list[str]) -> None:
    seen = len(page.console_texts)
    response = page.goto(path)
    assert response is not None and response.status < 500, f"{path}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    assert response.headers.get("content-security-policy"), f"{path}: no CSP header"
    reported = page.evaluate("window.__cspViolations || []")
    reported += [text for text in page.console_texts[seen:] if "Content Security Policy" in text]
    problems.extend(f"{path}: {text}" for text in reported)


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/$"))


def test_the_main_pages_of_every_role_run_without_a_csp_violation(browser, live_server):
    load_demo()
    use_case = UseCase.objects.get(title=demo_usecases.POC_TITLE)
    application = LoanApplication.objects.filter(recommendation__isnull=False).order_by("pk").first()
    extra = {
        "owner@daol-ict.example.com": [
            reverse("usecases:detail", kwargs={"use_case_id": use_case.pk}),
            reverse("openlab:booking_detail", args=[Booking.objects.filter(use_case=use_case).first().pk]),
            reverse("accounts:tokens"),
        ],
        "pm@sangsaeng-telecom.example.com": [reverse("partners:directory")],
        "officer@sangsaeng-bank.example.com": [
            reverse("finance:letter", args=[application.pk]),
        ],
    }
    problems: list[str] = []

    anonymous = browser.new_context(base_url=live_server.url, locale="ko")
    page = _watched_page(anonymous)
    for path in ("/", "/accounts/login/", reverse("partners:signup"), "/api/v1/docs"):
        _open(page, path, problems)
    anonymous.close()

    visited: set[str] = set()
    for email in ROLES:
        User.objects.filter(email=email).update(language="ko")
        context = browser.new_context(base_url=live_server.url, locale="ko")
        context.set_default_timeout(20_000)
        page = _watched_page(context)
        _log_in(page, email)
        user = User.objects.get(email=email)
        # Each role's home; the other pages once (the templates are the same for the next role).
        paths = [entry["url"] for entry in entries_for(user)] + extra.get(email, [])
        for path in ["/", *(path for path in dict.fromkeys(paths) if path not in visited)]:
            _open(page, path, problems)
            visited.add(path)
        context.close()

    assert problems == []
