"""Fixtures of the accounts tests: English pages, audit counting, JSON API calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sangsaeng.core.models import AuditEvent


@pytest.fixture
def audit_count() -> Callable[[], int]:
    return lambda: AuditEvent.objects.count()


class Api:
    """JSON calls to /api/v1 with the session of a forced login or a bearer token."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def as_user(self, user: Any) -> Api:
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return self

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, **query: Any):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        url = f"/api/v1{path}"
        if method == "GET":
            return self.client.get(url, query, **headers)
        return self.client.generic(
            method, url, data=json.dumps(body or {}), content_type="application/json", **headers
        )

    def get(self, path: str, token: str | None = None, **query: Any):
        return self.call("GET", path, token=token, **query)

    def post(self, path: str, body: Any = None, token: str | None = None):
        return self.call("POST", path, body, token=token)


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


@pytest.fixture
def count_queries() -> Callable[..., int]:
    """How many queries a call makes (to compare a list with 5 rows and with 50)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def _count(call: Callable[[], Any], expected_status: int = 200) -> int:
        with CaptureQueriesContext(connection) as context:
            response = call()
        assert response.status_code == expected_status, response.content[:500]
        return len(context.captured_queries)

    return _count
