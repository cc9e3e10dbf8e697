"""API authentication: a personal bearer token (machines) or the browser session (with CSRF)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from sangsaeng.accounts.models import ApiToken, hash_token
from sangsaeng.accounts.selectors import organization_id_of
from sangsaeng.core import ratelimits

# last_used_at is written at most once a minute per token so that busy clients do not write per call.
_LAST_USED_RESOLUTION = timedelta(minutes=1)
logger = logging.getLogger(__name__)


def count_api_write(request: HttpRequest, user: Any) -> None:
    """API writes are limited per account and per address (RateLimited past either)."""
    if request.method in ratelimits.UNSAFE_METHODS:
        ratelimits.count(request, "RATE_LIMIT_API_WRITES_PER_ACCOUNT", f"user:{user.pk}")
        ratelimits.count(request, "RATE_LIMIT_API_WRITES_PER_IP")


def _touch(token_pk: int, now: Any, request: HttpRequest) -> None:
    """Bookkeeping only: a read must not fail because the database is read-only (core.availability);
    a write fails later with its own 503."""
    from django.db import DatabaseError, transaction

    from sangsaeng.core.availability import is_database_unavailable

    try:
        with transaction.atomic():
            ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)
    except DatabaseError as error:
        if not is_database_unavailable(error):
            raise
        logger.warning("API token #%s: last use not recorded (%s)", token_pk, error)


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # An address that has guessed too many tokens is refused before any lookup.
        ratelimits.peek(request, "RATE_LIMIT_TOKEN_FAILURES_PER_IP")
        found = self._valid_token(token)
        if found is None:
            ratelimits.count(request, "RATE_LIMIT_TOKEN_FAILURES_PER_IP")
            return None
        ratelimits.count(request, "RATE_LIMIT_TOKEN_PER_TOKEN", f"token:{found.pk}")
        count_api_write(request, found.user)
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > _LAST_USED_RESOLUTION:
            _touch(found.pk, now, request)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user

    def _valid_token(self, token: str) -> ApiToken | None:
        found = (
            ApiToken.objects.select_related("user", "organization")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        # A token is scoped to the organisation it was made in: it stops when the person leaves it.
        if organization_id_of(found.user) != found.organization_id:
            return None
        return found


class SessionAuth(NinjaSessionAuth):
    """Django session with CSRF on unsafe methods (Ninja's own), active users only.

    Without a signed-in session there is nothing to protect: the call fails authentication (401 with
    the error body), not the CSRF check. A signed-in session without the token gets a 403 error body.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise PermissionDenied(_("The CSRF token is missing or wrong: reload the page and try again."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not user.is_active:
            return None
        if user is not None:
            count_api_write(request, user)
        return user
