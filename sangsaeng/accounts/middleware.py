"""Session limits (PIPA): an idle timeout and an absolute lifetime counted from login.

A session unused for SESSION_IDLE_TIMEOUT_SECONDS, or older than SESSION_COOKIE_AGE seconds since
login, is ended. Django's own expiry cannot do the second: the session is saved on activity, which
pushes its expiry forward, so the login time is kept in the session and checked here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

LAST_SEEN_KEY = "sangsaeng_last_seen"
LOGIN_AT_KEY = "sangsaeng_login_at"
# Why the last session ended; the login page shows it (the messages framework is not yet set up
# when this middleware runs, and the session is the one thing that survives the logout).
LOGOUT_REASON_KEY = "sangsaeng_logout_reason"
REASON_IDLE = "idle"
REASON_LIFETIME = "lifetime"
# Write the timestamp at most every 60 s so that reads do not each save the session.
_WRITE_RESOLUTION = 60


def remember_login_time(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: start both clocks (auth bookkeeping, not business logic)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT_KEY] = now
        request.session[LAST_SEEN_KEY] = now


def session_end_reason(session: Any, now: int) -> str | None:
    """REASON_IDLE or REASON_LIFETIME when the session must end now, else None."""
    login_at = session.get(LOGIN_AT_KEY)
    if login_at is not None and now - int(login_at) > settings.SESSION_COOKIE_AGE:
        return REASON_LIFETIME
    last_seen = session.get(LAST_SEEN_KEY)
    if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return REASON_IDLE
    return None


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            reason = session_end_reason(request.session, now)
            if reason is not None:
                logout(request)
                request.session[LOGOUT_REASON_KEY] = reason
                if request.headers.get("HX-Request") == "true":
                    # An htmx fragment must not swap the login page into the current page.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                    return response
            else:
                if request.session.get(LOGIN_AT_KEY) is None:
                    # A session from before the lifetime rule: its clock starts now.
                    request.session[LOGIN_AT_KEY] = now
                last_seen = request.session.get(LAST_SEEN_KEY)
                if last_seen is None or now - int(last_seen) >= _WRITE_RESOLUTION:
                    request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
