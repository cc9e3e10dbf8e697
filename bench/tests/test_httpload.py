"""The closed-loop client and login helper against a live test server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from bench import httpload
from sangsaeng.accounts.tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def port(live_server) -> int:
    return urlsplit(live_server.url).port


def test_closed_loop_counts_answers_and_errors(port):
    # The live server's first answers are slow (URLconf, templates): get them out of the window.
    for path in ("/healthz", "/no-such-page/"):
        httpload.request(port, "GET", path)
    ok = httpload.build_request("GET", "/healthz", port=port)
    missing = httpload.build_request("GET", "/no-such-page/", port=port)

    healthz = httpload.closed_loop("healthz", port, ok, connections=2, seconds=1.0, warmup=0.05)
    not_found = httpload.closed_loop("missing", port, missing, connections=1, seconds=1.0, warmup=0)

    assert healthz.count > 0 and healthz.errors == 0 and set(healthz.statuses) == {"200"}
    assert healthz.percentile(50) <= healthz.percentile(99)
    assert not_found.count > 0 and not_found.errors == not_found.count
    assert set(not_found.statuses) == {"404"}


def test_log_in_returns_a_session_that_the_site_accepts(port, transactional_db):
    user = UserFactory(email="bench-login@example.com")

    cookies = httpload.log_in(port, user.email, TEST_PASSWORD)

    assert "sessionid" in cookies
    profile = httpload.request(
        port, "GET", "/accounts/profile/", headers={"Cookie": httpload.cookie_header(cookies)}
    )
    assert profile.status == 200
    with pytest.raises(RuntimeError):
        httpload.log_in(port, user.email, "wrong-password-123")
