"""Rate limits (per client address and per account or token), shared by every app server.

Counting is django-ratelimit's, over Django's cache API: Redis when REDIS_URL is set, so every app
server and worker process adds to the same counter; local memory otherwise (the embedded default, one
counter per process). Each limit is a fixed window named by its setting (`RATE_LIMIT_*`, e.g.
"10/h"); a request over it raises RateLimited, which the page middleware below and the API's error
handler (core.api_errors) answer with 429, a Retry-After header and a message in the person's language.

What is limited (README, configuration): sign-up, log-in and password reset (per address and per
e-mail), bearer tokens (failed guesses per address, use per token) and API writes (per account and
per address). If the cache cannot be reached the request goes through and a warning is logged: a
cache outage must not lock everyone out (readiness reports it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from ninja.errors import Throttled
from redis.exceptions import RedisError

from sangsaeng.core.middleware import client_ip

logger = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RateLimited(Throttled):
    """Too many requests; `retry_after` is the number of seconds until the window ends.

    Ninja's Throttled (HttpError 429 with `wait`), so the API's error handler answers it with the
    error body (code rate_limited) and Retry-After; pages get rate_limited_page below."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(self.retry_after)


def client_address(request: HttpRequest) -> str:
    """The address that per-IP limits count (RATELIMIT_IP_META_KEY): the one the audit trail records."""
    return client_ip(request) or "0.0.0.0"  # noqa: S104 (a key for requests without an address, not a bind)


def _key(value: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: value


def count(request: HttpRequest, limit: str, value: str | None = None) -> None:
    """Count one request against the limit named by the setting `limit` (e.g. "RATE_LIMIT_LOGIN_PER_IP"),
    keyed on the client address, or on `value` (an account, a token) when given.

    Raises RateLimited when the request is over the limit."""
    _check(request, limit, value, increment=True)


def peek(request: HttpRequest, limit: str, value: str | None = None) -> None:
    """Raise RateLimited if the limit is already spent, without counting this request."""
    _check(request, limit, value, increment=False)


def _check(request: HttpRequest, limit: str, value: str | None, *, increment: bool) -> None:
    rate = getattr(settings, limit)
    key: Any = "ip" if value is None else _key(value.strip().lower())
    try:
        usage = get_usage(request, group=limit, key=key, rate=rate, increment=increment)
    except (OSError, RedisError) as error:
        logger.warning("Rate limit %s not checked: the cache is unreachable (%s)", limit, error)
        return
    if usage is None:  # RATELIMIT_ENABLE is off
        return
    if (increment and usage["should_limit"]) or (not increment and usage["count"] >= usage["limit"]):
        raise RateLimited(usage["time_left"])


def rate_limited_page(request: HttpRequest, error: RateLimited) -> HttpResponse:
    """The 429 page in the site's layout and the person's language."""
    minutes = -(-error.retry_after // 60)
    response = render(request, "core/rate_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


class RateLimitMiddleware:
    """Answers RateLimited raised by a page view with the 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return rate_limited_page(request, exception)
        return None
