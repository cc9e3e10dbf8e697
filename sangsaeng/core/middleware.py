"""Request id and client address for audit records (the id is echoed in the X-Request-ID header), and
`HX-Redirect` to the login page for htmx requests."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from sangsaeng.core.request_context import RequestInfo, reset_current_request, set_current_request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request: HttpRequest) -> str | None:
    # Behind a load balancer the deployment sets USE_X_FORWARDED_FOR-like handling at the proxy;
    # we trust REMOTE_ADDR only, so a client cannot forge its address in the audit trail.
    raw = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_current_request(
            RequestInfo(request_id=request_id, ip_address=client_ip(request), path=request.path)
        )
        try:
            response = self.get_response(request)
        finally:
            reset_current_request(token)
        response["X-Request-ID"] = request_id
        return response


class HtmxLoginRedirectMiddleware:
    """An htmx request that would be redirected to the login page gets `HX-Redirect` instead.

    The browser follows a 302 inside the XMLHttpRequest, and htmx would swap the whole login page into
    the spot of the fragment (a menu badge, a table body). With `HX-Redirect` htmx loads the login page
    as a page; its `next` is the page the person was on (HX-Current-URL), not the fragment's URL.
    The status is 401: htmx follows HX-Redirect before it looks at the status, and nothing caches it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302, 303, 307):
            return response
        location = response.get("Location", "")
        login_path = resolve_url(settings.LOGIN_URL)
        if urlsplit(location).path != login_path:
            return response
        redirect = HttpResponse(status=401)
        redirect["HX-Redirect"] = redirect_to_login(_current_page(request), login_path)["Location"]
        patch_vary_headers(redirect, ("HX-Request",))
        return redirect


def _current_page(request: HttpRequest) -> str:
    """The path of the page the person is on (HX-Current-URL, same site only), else the request's."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.path and url_has_allowed_host_and_scheme(
        request.headers.get("HX-Current-URL", ""),
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return current.path + (f"?{current.query}" if current.query else "")
    return request.get_full_path()
