"""Request id and client address for audit records; the id is echoed in the X-Request-ID header."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
