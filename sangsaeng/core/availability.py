"""When the database is down or read-only: readiness, 503 instead of 500, and reads that go on.

- `readyz`: the readiness check of load balancers and orchestrators (`/healthz` stays the bare liveness
  check). It asks the database (`SELECT 1`) and, when REDIS_URL is set, the cache; 200 with what it
  checked, or 503 naming what is down and why.
- `is_database_unavailable(error)`: an error that means "the database cannot take this now" rather than
  a bug: unreachable, locked, out of disk (OperationalError) or read-only (PostgreSQL SQLSTATE 25006 in
  a hot standby or with default_transaction_read_only; SQLite "attempt to write a readonly database").
  The 500 handlers (core.error_views, core.api_errors) answer those with 503 and Retry-After.
- `ReadTolerantSessionMiddleware`: Django's session middleware, except that a GET or HEAD whose only
  write is the session's bookkeeping (the idle-timeout clock) is still answered when that write fails
  because the database is read-only or unavailable: the page only read.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DatabaseError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("sangsaeng.availability")

READ_ONLY_SQLSTATE = "25006"  # read_only_sql_transaction
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
RETRY_AFTER_SECONDS = 5


def is_database_unavailable(error: BaseException | None) -> bool:
    """True for a database that is unreachable, overloaded or read-only (not for a bug in a query)."""
    if error is None or not isinstance(error, DatabaseError):
        return False
    if isinstance(error, OperationalError):
        return True
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == READ_ONLY_SQLSTATE:
        return True
    return "readonly database" in str(error) or "read-only transaction" in str(error)


def _database_error_in(error: BaseException) -> BaseException | None:
    seen: BaseException | None = error
    for _depth in range(5):
        if seen is None or isinstance(seen, DatabaseError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class ReadTolerantSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return super().process_response(request, response)
        try:
            return super().process_response(request, response)
        except (DatabaseError, SessionInterrupted) as raised:
            # The database session backend turns a failed UPDATE into UpdateError, then SessionInterrupted
            # (a 400): the database error is further down the chain.
            error = _database_error_in(raised)
            if not is_database_unavailable(error):
                raise
            # The page was read and rendered; only the session's bookkeeping could not be saved (it is
            # saved again on the next request that can write).
            logger.warning("Session not saved on %s %s: %s", request.method, request.path, error)
            return response


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"[:300]


def _check_database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        connections["default"].close_if_unusable_or_obsolete()
        return _reason(error)
    return None


def _check_cache() -> str | None:
    from django.core.cache import cache
    from redis.exceptions import RedisError

    try:
        cache.set("sangsaeng:readyz", "1", 10)
        if cache.get("sangsaeng:readyz") != "1":
            return "the cache did not return what was written"
    except (RedisError, OSError) as error:
        return _reason(error)
    return None


def redis_configured() -> bool:
    backend = str(settings.CACHES["default"]["BACKEND"])
    return backend.endswith("RedisCache")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """200 {"status": "ok", "checks": {...}} when the database (and Redis, when configured) answer;
    503 {"status": "unavailable", "checks": {name: reason}} otherwise."""
    checks: dict[str, Any] = {"database": _check_database() or "ok"}
    if redis_configured():
        checks["cache"] = _check_cache() or "ok"
    ready = all(value == "ok" for value in checks.values())
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    if not ready:
        logger.warning("Not ready: %s", checks)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
