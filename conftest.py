"""Shared fixtures: a fixed cast of users, one per role, and two partner companies."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass

import pytest
from django.utils import translation

from sangsaeng.accounts.models import Organization, OrganizationKind, Role, User


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly by a test (services, forms) speaks English, so that tests can read its
    messages. Pages and API calls still negotiate their language per request (Korean by default);
    tests/test_translations.py checks the Korean side."""
    with translation.override("en"):
        yield


@pytest.fixture
def english(client):
    """Pages in English too: the client asks for English, and code outside requests uses it."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield client


@pytest.fixture(autouse=True)
def _reset_axes_cache():
    from django.core.cache import cache

    cache.clear()


@dataclass
class Cast:
    host: Organization
    host_admin: User
    program_manager: User
    reviewer: User
    lab_operator: User
    auditor: User
    partner: object  # partners.Partner
    partner_owner: User
    partner_member: User
    other_partner: object
    other_partner_owner: User
    bank: Organization
    loan_officer: User
    other_bank: Organization
    other_loan_officer: User
    agency: Organization
    observer: User


@pytest.fixture
def cast(db) -> Cast:
    from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
    from sangsaeng.partners.tests.factories import make_partner_owner

    host = OrganizationFactory(kind=OrganizationKind.HOST, name="호스트텔레콤")
    partner, owner = make_partner_owner(name_ko="가나다테크")
    other_partner, other_owner = make_partner_owner(name_ko="라마바솔루션")
    bank = OrganizationFactory(kind=OrganizationKind.BANK, name="상생은행")
    other_bank = OrganizationFactory(kind=OrganizationKind.BANK, name="동반은행")
    agency = OrganizationFactory(kind=OrganizationKind.AGENCY, name="동반성장위원회")
    return Cast(
        host=host,
        host_admin=make_member(OrganizationKind.HOST, Role.ADMIN, host, email="admin@host.example"),
        program_manager=make_member(
            OrganizationKind.HOST, Role.PROGRAM_MANAGER, host, email="pm@host.example"
        ),
        reviewer=make_member(OrganizationKind.HOST, Role.REVIEWER, host, email="reviewer@host.example"),
        lab_operator=make_member(OrganizationKind.HOST, Role.LAB_OPERATOR, host, email="lab@host.example"),
        auditor=make_member(OrganizationKind.HOST, Role.AUDITOR, host, email="auditor@host.example"),
        partner=partner,
        partner_owner=owner,
        partner_member=make_member(
            OrganizationKind.PARTNER, Role.MEMBER, partner.organization, email="member@partner.example"
        ),
        other_partner=other_partner,
        other_partner_owner=other_owner,
        bank=bank,
        loan_officer=make_member(
            OrganizationKind.BANK, Role.LOAN_OFFICER, bank, email="officer@bank.example"
        ),
        other_bank=other_bank,
        other_loan_officer=make_member(
            OrganizationKind.BANK, Role.LOAN_OFFICER, other_bank, email="officer@bank2.example"
        ),
        agency=agency,
        observer=make_member(OrganizationKind.AGENCY, Role.OBSERVER, agency, email="observer@agency.example"),
    )


@pytest.fixture
def login(client):
    """Log a user in on the test client (skips axes by forcing the session)."""

    def _login(user: User):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


# --- Browser tests ---------------------------------------------------------------------------------
# One Chromium for the whole run, defined once here: a second sync Playwright in the same process
# (a copy of these fixtures imported by another module) fails inside the first one's event loop.

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    # Module scope: while sync Playwright runs, its event loop is the thread's running loop, and a
    # later test in this process that calls asyncio.run() (the bench's HTTP client) would fail.
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install -y chromium)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests themselves
    # make are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def _new_page(language: str = "ko"):
        context = browser.new_context(base_url=live_server.url, locale=language)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.sangsaeng_language = language  # log_in_page makes it the person's preferred language
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def log_in_page():
    """Log a page in through the real login form (the factories' TEST_PASSWORD), in the page's language."""
    from sangsaeng.accounts.tests.factories import TEST_PASSWORD

    def _log_in(page, email: str) -> None:
        # Logging in switches to the person's preferred language: make it the page's language.
        User.objects.filter(email=email).update(language=getattr(page, "sangsaeng_language", "ko"))
        page.goto("/accounts/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", TEST_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/$"))

    return _log_in
