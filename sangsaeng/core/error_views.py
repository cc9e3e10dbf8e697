"""Error pages (400, 403, 404, 500 and a failed CSRF check) in the site's layout and language, with a
way back; under /api/ the same failures answer the API's JSON error body instead.

Wired in config/urls.py (`handler404 = "sangsaeng.core.error_views.page_not_found"`, …) and
settings.CSRF_FAILURE_VIEW. The 500 page renders without context processors or the database (the
failure may be the database): a self-contained template that still uses the site's Bootstrap.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from sangsaeng.core.api_errors import error_response, server_error_message
from sangsaeng.core.availability import RETRY_AFTER_SECONDS, is_database_unavailable
from sangsaeng.core.error_codes import ErrorCode

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _back_url(request: HttpRequest) -> str:
    """The page the person came from, when it is on this site and not this very page."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page of a bad Host header: no way back then
        return ""
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}):
        if not referer.endswith(request.get_full_path()):
            return referer
    return ""


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"status": status, "title": title, "message": message, "back_url": _back_url(request)}
    return render(request, "core/errors/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return error_response(ErrorCode.BAD_REQUEST, _("The request could not be read."), 400)
    return _page(request, 400, _("Bad request"), _("The request could not be read. Go back and try again."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A PermissionDenied from a service says what is missing, in the user's language; show it.
    message = str(exception) if exception is not None and str(exception) else ""
    if _is_api(request):
        return error_response(
            ErrorCode.FORBIDDEN, message or _("You do not have permission to do this."), 403
        )
    return _page(
        request, 403, _("Not allowed"), message or _("You do not have permission to open this page.")
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The same answer for "does not exist" and "not yours" (DESIGN.md rule 1): never the exception's
    # text, which may name the model or the query.
    if _is_api(request):
        return error_response(ErrorCode.NOT_FOUND, _("Not found."), 404)
    return _page(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or it is not one you may see. Check the address or go back."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (usually a page left open past the session)."""
    if _is_api(request):
        return error_response(
            ErrorCode.FORBIDDEN, _("The CSRF token is missing or wrong: reload the page and try again."), 403
        )
    return _page(
        request,
        403,
        _("The form has expired"),
        _("The form was open too long or the session ended. Reload the page and send it again."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """500: no context processors, no database, no URL lookups (any of them may be what failed).

    A database that is down or read-only (core.availability) answers 503 with Retry-After instead.
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    if _is_api(request):
        return error_response(ErrorCode.SERVER_ERROR, server_error_message(request), 500)
    context: dict[str, Any] = {
        "request_id": getattr(request, "request_id", ""),
        "back_url": _back_url(request),
    }
    return HttpResponse(loader.get_template("core/errors/500.html").render(context), status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database is down or read-only: the same self-contained page (or the API's body)."""
    response: HttpResponse
    if _is_api(request):
        response = error_response(
            ErrorCode.UNAVAILABLE, _("The service is briefly unavailable. Try again in a moment."), 503
        )
    else:
        context: dict[str, Any] = {
            "request_id": getattr(request, "request_id", ""),
            "back_url": _back_url(request),
        }
        response = HttpResponse(loader.get_template("core/errors/503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
