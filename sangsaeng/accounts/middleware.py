"""Idle session timeout (PIPA): a session unused for SESSION_IDLE_TIMEOUT_SECONDS is ended."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "sangsaeng_last_seen"
# Write the timestamp at most every 60 s so that reads do not each save the session.
_WRITE_RESOLUTION = 60


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(
                    request, _("You were logged out after a period of inactivity. Please log in again.")
                )
            elif last_seen is None or now - int(last_seen) >= _WRITE_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
