"""/readyz, and what the site does when the database is down or read-only: reads still answer (even
with the session's and the token's bookkeeping writes failing), writes get 503 with Retry-After — the
API's error body under /api/, the site's page elsewhere — never an HTML 500."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client

from sangsaeng.accounts import services as account_services
from sangsaeng.accounts.middleware import LAST_SEEN_KEY
from sangsaeng.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_only_database() -> Iterator[Callable[[], None]]:
    """Call it and the database refuses writes from then on, as a hot standby or a read-only disk."""

    savepoints = []

    def make_read_only() -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = ON")
        else:
            # Inside a savepoint, so that rolling back to it makes the test's transaction writable again.
            savepoints.append(transaction.savepoint())
            with connection.cursor() as cursor:
                cursor.execute("SET transaction_read_only = on")

    yield make_read_only
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    for savepoint in savepoints:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def unreachable_database(monkeypatch) -> Callable[[], None]:
    """Call it and every query fails as when the database server is gone."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def make_unreachable() -> None:
        monkeypatch.setattr(connection, "cursor", refuse)

    return make_unreachable


def test_healthz_stays_bare_and_readyz_reports_the_database(client):
    assert client.get("/healthz").content == b"ok"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_answers_503_naming_the_database_when_it_is_down(client, unreachable_database):
    unreachable_database()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("OperationalError: connection to server")


def test_readyz_checks_redis_when_it_is_configured(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert "ConnectionError" in response.json()["checks"]["cache"]


def test_readyz_with_a_working_redis(client, settings):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def _stale_session(client: Client, user) -> None:
    """Logged in a while ago, so this request's middleware wants to save the idle clock."""
    client.force_login(user)
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 600
    session.save()


@pytest.mark.parametrize("path", ["/", "/partners/me/", "/notifications/", "/accounts/tokens/"])
def test_pages_that_only_read_answer_on_a_read_only_database(client, cast, path, read_only_database):
    _stale_session(client, cast.partner_owner)
    read_only_database()
    response = client.get(path, follow=True)
    assert response.status_code == 200, path


def test_api_reads_answer_with_a_token_on_a_read_only_database(client, cast, read_only_database):
    issued = account_services.create_api_token(actor=cast.partner_owner, name="ERP")
    read_only_database()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}")
    assert response.status_code == 200
    assert response.json()["email"] == cast.partner_owner.email
    write = client.post(
        "/api/v1/tokens",
        {"name": "another"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )
    assert write.status_code == 503
    assert write["Retry-After"]
    assert write.json()["error"]["code"] == "unavailable"
    assert ApiToken.objects.filter(name="another").count() == 0


def test_a_page_write_on_a_read_only_database_is_a_503_page(cast, read_only_database):
    client = Client(raise_request_exception=False)
    _stale_session(client, cast.partner_owner)
    read_only_database()
    response = client.post("/accounts/tokens/", {"name": "another"})
    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"<html" in response.content


def test_the_api_answers_503_with_its_error_body_when_the_database_is_unreachable(cast, unreachable_database):
    client = Client(raise_request_exception=False)
    client.force_login(cast.partner_owner)
    unreachable_database()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ss_whatever")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "unavailable"
    page = client.get("/notifications/")
    assert page.status_code == 503
    assert b"<html" in page.content
