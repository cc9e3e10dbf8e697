"""Session limits (idle timeout, absolute lifetime) and deactivation ending every session at once."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from sangsaeng.accounts import services
from sangsaeng.accounts.middleware import LOGIN_AT_KEY
from sangsaeng.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
MINUTE = 60


class Clock:
    """Controls time.time() for the session middleware (no sleeping in tests)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def test_the_login_time_is_kept_in_the_session(client, cast, clock):
    client.post("/accounts/login/", {"username": cast.partner_member.email, "password": TEST_PASSWORD})

    assert client.session[LOGIN_AT_KEY] == int(clock.now)


def test_a_session_idle_for_longer_than_the_timeout_ends(english, login, cast, clock, settings):
    client = login(cast.partner_member)
    assert client.get(PROFILE).status_code == 200

    clock.advance(settings.SESSION_IDLE_TIMEOUT_SECONDS + 1)
    response = client.get(PROFILE)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"])
    assert "You were logged out after 30 minutes of inactivity" in page.content.decode()


def test_activity_within_the_timeout_keeps_the_session(login, cast, clock, settings):
    client = login(cast.partner_member)

    for _ in range(4):
        clock.advance(settings.SESSION_IDLE_TIMEOUT_SECONDS - MINUTE)
        assert client.get(PROFILE).status_code == 200


def test_a_session_ends_at_its_absolute_lifetime_however_active(english, login, cast, clock, settings):
    client = login(cast.partner_member)
    step = 20 * MINUTE
    elapsed = 0
    while elapsed + step <= settings.SESSION_COOKIE_AGE:
        clock.advance(step)
        elapsed += step
        assert client.get(PROFILE).status_code == 200

    clock.advance(settings.SESSION_COOKIE_AGE - elapsed + 1)
    response = client.get(PROFILE)

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Your session reached its maximum length of 12 hours" in page.content.decode()


def test_an_htmx_request_after_the_timeout_is_sent_to_the_login_page(login, cast, clock, settings):
    client = login(cast.partner_member)
    clock.advance(settings.SESSION_IDLE_TIMEOUT_SECONDS + 1)

    response = client.get(reverse("accounts:tokens"), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/"


def test_deactivating_a_member_ends_their_open_sessions_and_api_tokens_at_once(cast):
    member = cast.partner_member
    browser = Client()
    browser.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    second_browser = Client()
    second_browser.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    issued = services.create_api_token(actor=member, name="ERP")
    machine = Client(HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}")
    assert browser.get(PROFILE).status_code == 200
    assert machine.get("/api/v1/me").status_code == 200

    services.deactivate_member(actor=cast.partner_owner, membership=member.memberships.get())

    for session in (browser, second_browser):
        response = session.get(PROFILE)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert session.get("/api/v1/me").status_code == 401
    assert machine.get("/api/v1/me").status_code == 401
    assert (
        browser.post("/accounts/login/", {"username": member.email, "password": TEST_PASSWORD}).status_code
        == 200
    )
