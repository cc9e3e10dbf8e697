"""Exact idempotency (core.idempotency): one effect per key, the first answer byte for byte, 409 while
the first runs, 422 for another request with the same key; 50 concurrent requests on both databases."""

from __future__ import annotations

import datetime as dt
import json
import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from sangsaeng.accounts import services as account_services
from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.core.models import AuditEvent, IdempotentRequest
from sangsaeng.finance import services
from sangsaeng.finance.models import FundBank, LoanApplication
from sangsaeng.finance.tests.factories import EOK, make_application, make_fund, make_pool
from sangsaeng.partners.tests.factories import make_partner_owner

BASE = "/api/v1/finance"


def _token(user) -> str:
    return account_services.create_api_token(actor=user, name="test").raw_token


def _recommend(client: Client, token: str, application_id: int, key: str | None, body: dict | None = None):
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(
        f"{BASE}/applications/{application_id}/recommend",
        json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def _setting_up():
    host = OrganizationFactory(kind=OrganizationKind.HOST)
    manager = make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host)
    pool = make_pool(make_fund())
    partner, owner = make_partner_owner()
    application = make_application(partner, pool, owner, amount_krw=3 * EOK)
    return manager, pool, application


def _recommendations() -> int:
    return AuditEvent.objects.filter(action__contains="recommend").count()


@pytest.mark.django_db
def test_the_same_key_later_answers_the_first_answer_byte_for_byte_and_changes_nothing(client):
    manager, pool, application = _setting_up()
    token = _token(manager)

    first = _recommend(client, token, application.pk, "key-1")
    events = AuditEvent.objects.count()
    again = _recommend(client, token, application.pk, "key-1")

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert AuditEvent.objects.count() == events
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == 3 * EOK


@pytest.mark.django_db
def test_the_same_key_with_a_different_body_is_a_422_and_changes_nothing(client):
    manager, pool, application = _setting_up()
    token = _token(manager)
    _recommend(client, token, application.pk, "key-1")
    events = AuditEvent.objects.count()

    other = _recommend(client, token, application.pk, "key-1", {"amount_krw": 2 * EOK})

    assert other.status_code == 422
    error = other.json()["error"]
    assert error["code"] == "idempotency_mismatch"
    assert error["fields"]["Idempotency-Key"] == [
        "This Idempotency-Key was used for a different request: send a new key for a new request."
    ]
    assert AuditEvent.objects.count() == events
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == 3 * EOK


@pytest.mark.django_db
def test_keys_belong_to_their_caller(client):
    manager, _pool, application = _setting_up()
    other_manager = make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER)
    _recommend(client, _token(manager), application.pk, "shared-key")

    other = _recommend(client, _token(other_manager), application.pk, "shared-key")

    # Not the first caller's answer: the second caller's own request ran (and was refused).
    assert other.status_code == 422 and other.json()["error"]["code"] != "idempotency_mismatch"
    assert "Idempotent-Replayed" not in other


@pytest.mark.django_db
def test_the_same_key_while_the_first_still_runs_is_a_409_with_the_error_body(client):
    manager, _pool, application = _setting_up()
    token = _token(manager)
    answers = []
    real = services.recommend_application

    def slow_recommendation(**kwargs):
        # The retry arrives while the first request is still inside its transaction.
        answers.append(_recommend(Client(), token, application.pk, "key-1"))
        return real(**kwargs)

    with mock.patch.object(services, "recommend_application", side_effect=slow_recommendation):
        first = _recommend(client, token, application.pk, "key-1")

    assert first.status_code == 200
    (during,) = answers
    assert during.status_code == 409
    assert during.json()["error"]["code"] == "idempotency_in_progress"
    assert set(during.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_a_refusal_is_an_answer_too_and_is_replayed(client):
    manager, _pool, application = _setting_up()
    LoanApplication.objects.filter(pk=application.pk).update(status="rejected")
    token = _token(manager)

    first = _recommend(client, token, application.pk, "key-1")
    LoanApplication.objects.filter(pk=application.pk).update(status="applied")
    again = _recommend(client, token, application.pk, "key-1")

    assert first.status_code == again.status_code == 422
    assert again.content == first.content
    assert LoanApplication.objects.get(pk=application.pk).status == "applied"


@pytest.mark.django_db
def test_a_server_error_releases_the_key_so_a_retry_runs(client):
    manager, pool, application = _setting_up()
    token = _token(manager)

    with mock.patch.object(services, "recommend_application", side_effect=RuntimeError("boom")):
        failed = _recommend(client, token, application.pk, "key-1")
    retried = _recommend(client, token, application.pk, "key-1")

    assert failed.status_code == 500 and failed.json()["error"]["code"] == "server_error"
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == 3 * EOK


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_process_is_taken_over_after_a_while(client, settings):
    settings.IDEMPOTENCY_STALE_SECONDS = 60
    manager, pool, application = _setting_up()
    token = _token(manager)
    with mock.patch.object(services, "recommend_application", side_effect=SystemExit):
        with pytest.raises(SystemExit):  # the worker dies mid-request: the claim stays
            _recommend(client, token, application.pk, "key-1")
    assert _recommend(client, token, application.pk, "key-1").status_code == 409
    IdempotentRequest.objects.update(claimed_at=timezone.now() - dt.timedelta(seconds=61))

    taken_over = _recommend(client, token, application.pk, "key-1")

    assert taken_over.status_code == 200
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == 3 * EOK


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "", " ", "x" * 201, "tab\tkey"])
def test_a_money_move_without_a_usable_key_is_a_422_and_changes_nothing(client, key):
    manager, pool, application = _setting_up()

    response = _recommend(client, _token(manager), application.pk, key)

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == 0
    assert not IdempotentRequest.objects.exists()


# --- 50 concurrent requests with one key, on both databases (the suite runs on each) ---------------------

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_requests_with_one_key_make_one_effect_and_agree():
    manager, pool, application = _setting_up()
    token = _token(manager)
    start = threading.Barrier(THREADS)
    answers: list[tuple[int, bytes]] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            start.wait(timeout=30)
            response = _recommend(Client(), token, application.pk, "same-key", {"note": "once"})
            answers.append((response.status_code, response.content))
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert len(answers) == THREADS
    successes = {content for status, content in answers if status == 200}
    assert len(successes) == 1, {status for status, _ in answers}
    for status, content in answers:
        assert status in (200, 409), (status, content[:200])
        if status == 409:
            assert json.loads(content)["error"]["code"] == "idempotency_in_progress"
    assert FundBank.objects.get(pk=pool.pk).reserved_krw == 3 * EOK
    assert LoanApplication.objects.get(pk=application.pk).status == "recommended"
    assert _recommendations() == 1
    # A retry afterwards gets the one answer.
    status, content = answers[[s for s, _ in answers].index(200)]
    assert _recommend(Client(), token, application.pk, "same-key", {"note": "once"}).content == content
