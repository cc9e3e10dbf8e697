"""Rate limits: per address and per account or token, 429 with Retry-After (page and API), and one
counter for every app server through the shared cache (local memory and the real Redis)."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from sangsaeng.accounts.models import ApiToken
from sangsaeng.accounts.services import create_api_token
from sangsaeng.accounts.tests.factories import TEST_PASSWORD
from sangsaeng.core import ratelimits

API = "/api/v1"


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _assert_api_429(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "rate_limited"
    assert body["error"]["fields"] == {}
    assert body["error"]["message"]


# --- Pages -------------------------------------------------------------------------------------------


def test_log_in_attempts_are_limited_per_address(cast, settings):
    settings.RATE_LIMIT_LOGIN_PER_IP = "3/h"
    client = _from("203.0.113.7")
    for number in range(3):
        response = client.post(
            reverse("accounts:login"), {"username": f"nobody{number}@x.example", "password": "x"}
        )
        assert response.status_code == 200

    refused = client.post(
        reverse("accounts:login"), {"username": cast.partner_owner.email, "password": TEST_PASSWORD}
    )

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "_auth_user_id" not in refused.client.session  # not logged in
    # Another address still logs in.
    other = _from("203.0.113.8").post(
        reverse("accounts:login"), {"username": cast.partner_owner.email, "password": TEST_PASSWORD}
    )
    assert other.status_code == 302


def test_log_in_attempts_on_one_account_are_limited_across_addresses(cast, settings):
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = "2/h"
    email = cast.partner_owner.email
    for number in range(2):
        _from(f"198.51.100.{number + 1}").post(
            reverse("accounts:login"), {"username": email, "password": "wrong"}
        )

    refused = _from("198.51.100.9").post(
        reverse("accounts:login"), {"username": email.upper(), "password": TEST_PASSWORD}
    )

    assert refused.status_code == 429


def test_the_429_page_is_in_the_site_layout_and_the_persons_language(db, settings):
    settings.RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT = "1/h"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("accounts:password_reset"), {"email": "someone@x.example"})

    english = client.post(reverse("accounts:password_reset"), {"email": "Someone@x.example"})
    korean = Client().post(reverse("accounts:password_reset"), {"email": "someone@x.example"})

    assert english.status_code == korean.status_code == 429
    assert "Too many requests" in english.content.decode() and "<nav" in english.content.decode()
    with translation.override("ko"):
        assert translation.gettext("Too many requests") in korean.content.decode()


def test_password_reset_requests_are_limited_per_address_and_send_no_more_mail(db, settings, mailoutbox):
    settings.RATE_LIMIT_PASSWORD_RESET_PER_IP = "2/h"
    client = _from("192.0.2.10")
    for number in range(2):
        client.post(reverse("accounts:password_reset"), {"email": f"p{number}@x.example"})

    refused = client.post(reverse("accounts:password_reset"), {"email": "p9@x.example"})

    assert refused.status_code == 429
    assert mailoutbox == []


# --- Bearer tokens -----------------------------------------------------------------------------------


def test_guessed_bearer_tokens_are_refused_with_429_after_the_limit(cast, settings):
    settings.RATE_LIMIT_TOKEN_FAILURES_PER_IP = "5/h"
    issued = create_api_token(actor=cast.partner_owner, name="machine")
    guesser = _from("203.0.113.50")
    statuses = [
        guesser.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer ss_guess{number}").status_code
        for number in range(5)
    ]

    blocked = guesser.get(f"{API}/me", HTTP_AUTHORIZATION="Bearer ss_guess-more")
    # Even a right token is refused from that address until the window ends ...
    right_but_blocked = guesser.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}")
    # ... while its owner elsewhere goes on.
    elsewhere = _from("203.0.113.51").get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}")

    assert statuses == [401] * 5
    _assert_api_429(blocked)
    _assert_api_429(right_but_blocked)
    assert elsewhere.status_code == 200


def test_one_token_is_limited_however_many_addresses_use_it(cast, settings):
    settings.RATE_LIMIT_TOKEN_PER_TOKEN = "3/h"
    issued = create_api_token(actor=cast.partner_owner, name="machine")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.raw_token}"}
    ok = [_from(f"192.0.2.{n}").get(f"{API}/me", **headers).status_code for n in range(1, 4)]

    _assert_api_429(_from("192.0.2.99").get(f"{API}/me", **headers))
    assert ok == [200] * 3


@pytest.mark.parametrize("by", ["token", "session"])
def test_api_writes_are_limited_per_account_and_the_refused_write_changes_nothing(cast, settings, login, by):
    settings.RATE_LIMIT_API_WRITES_PER_ACCOUNT = "2/h"
    if by == "token":
        client = Client(
            HTTP_AUTHORIZATION=f"Bearer {create_api_token(actor=cast.partner_owner, name='m').raw_token}"
        )
    else:
        client = login(cast.partner_owner)
    before = ApiToken.objects.count()
    created = [
        client.post(f"{API}/tokens", {"name": f"t{n}"}, content_type="application/json").status_code
        for n in range(2)
    ]
    reads = client.get(f"{API}/me").status_code  # reads do not count as writes

    refused = client.post(f"{API}/tokens", {"name": "t3"}, content_type="application/json")

    assert created == [201, 201] and reads == 200
    _assert_api_429(refused)
    assert ApiToken.objects.count() == before + 2


def test_api_writes_are_limited_per_address(cast, settings):
    settings.RATE_LIMIT_API_WRITES_PER_IP = "1/h"
    first = create_api_token(actor=cast.partner_owner, name="a").raw_token
    second = create_api_token(actor=cast.host_admin, name="b").raw_token
    address = "198.51.100.77"

    body = {"all": True}
    ok = Client(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Bearer {first}").post(
        f"{API}/notifications/read", body, content_type="application/json"
    )
    refused = Client(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Bearer {second}").post(
        f"{API}/notifications/read", body, content_type="application/json"
    )

    assert ok.status_code == 200
    _assert_api_429(refused)


def test_anonymous_api_sign_ups_are_limited_per_address(db, settings):
    from sangsaeng.partners.models import Partner
    from sangsaeng.partners.tests.test_api import _signup_payload

    settings.RATE_LIMIT_SIGNUP_PER_IP = "1/h"
    client = _from("203.0.113.99")
    first = client.post(
        f"{API}/partners/signup", _signup_payload(form_token="bad"), content_type="application/json"
    )

    refused = client.post(
        f"{API}/partners/signup", _signup_payload(email="b@company.example"), content_type="application/json"
    )

    assert first.status_code == 422
    _assert_api_429(refused)
    assert not Partner.objects.exists()


def test_a_malformed_rate_stops_the_start_with_the_variable_name(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_rate

    monkeypatch.setenv("RATE_LIMIT_LOGIN_PER_IP", "lots")
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_LOGIN_PER_IP"):
        env_rate("RATE_LIMIT_LOGIN_PER_IP", "60/10m")
    monkeypatch.setenv("RATE_LIMIT_LOGIN_PER_IP", "30/10m")
    assert env_rate("RATE_LIMIT_LOGIN_PER_IP", "60/10m") == "30/10m"


# --- One counter for every app server ----------------------------------------------------------------


def _two_servers_share_the_counter(cache_settings: dict) -> None:
    """Two cache clients, as two app servers have: requests counted through either add up."""
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.200")
    account = f"shared-{uuid.uuid4().hex}@x.example"
    caches_ = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, **cache_settings}
    with override_settings(CACHES=caches_, RATE_LIMIT_LOGIN_PER_ACCOUNT="4/h"):
        assert caches["server_a"] is not caches["server_b"]
        for server in ("server_a", "server_b", "server_a", "server_b"):
            with override_settings(RATELIMIT_USE_CACHE=server):
                ratelimits.count(request, "RATE_LIMIT_LOGIN_PER_ACCOUNT", account)
        with override_settings(RATELIMIT_USE_CACHE="server_b"), pytest.raises(ratelimits.RateLimited):
            ratelimits.count(request, "RATE_LIMIT_LOGIN_PER_ACCOUNT", account)
        with override_settings(RATELIMIT_USE_CACHE="server_a"), pytest.raises(ratelimits.RateLimited):
            ratelimits.count(request, "RATE_LIMIT_LOGIN_PER_ACCOUNT", account)


def test_two_app_servers_share_the_counter_in_local_memory_of_one_process():
    location = f"rl-{uuid.uuid4().hex}"
    backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}
    _two_servers_share_the_counter({"server_a": backend, "server_b": dict(backend)})


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_two_app_servers_share_the_counter_through_redis():
    prefix = f"sangsaeng-test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": prefix,
    }
    try:
        _two_servers_share_the_counter({"server_a": backend, "server_b": dict(backend)})
    finally:
        import redis

        connection = redis.Redis.from_url("redis://127.0.0.1:6379/0")
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)


def test_an_unreachable_cache_lets_requests_through():
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.201")
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "down": unreachable},
        RATELIMIT_USE_CACHE="down",
        RATE_LIMIT_LOGIN_PER_IP="1/h",
    ):
        for _ in range(3):
            ratelimits.count(request, "RATE_LIMIT_LOGIN_PER_IP")
