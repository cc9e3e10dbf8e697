"""The one NinjaAPI at /api/v1: session auth for the browser, bearer tokens for machines."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sangsaeng.accounts.api_auth import BearerTokenAuth, SessionAuth
from sangsaeng.core.ratelimits import RateLimited

api = NinjaAPI(
    title="Sangsaeng API",
    version="1",
    description="상생 동반성장 플랫폼 API. Session cookie (browser) or `Authorization: Bearer <token>` (machines).",
    auth=[BearerTokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The stable error body of every endpoint: {"error": {"code", "message", "fields"}}."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {
            name: [str(m) for e in errors for m in e.messages] for name, errors in exc.error_dict.items()
        }
        non_field = fields.pop("__all__", [])
        message = non_field[0] if non_field else _("Some fields are not valid.")
        return api.create_response(request, error_body("invalid", message, fields), status=422)
    return api.create_response(request, error_body("invalid", " ".join(exc.messages)), status=422)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload", "form")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return api.create_response(
        request, error_body("invalid", _("Some fields are not valid."), fields), status=422
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or _("You do not have permission to do this.")
    return api.create_response(request, error_body("forbidden", message), status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, error_body("unauthenticated", _("Log in or send a valid API token.")), status=401
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}
    return api.create_response(
        request, error_body(codes.get(exc.status_code, "error"), str(exc)), status=exc.status_code
    )


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    minutes = -(-exc.retry_after // 60)
    message = ngettext(
        "Too many requests. Try again in %(minutes)d minute.",
        "Too many requests. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = api.create_response(request, error_body("rate_limited", message), status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _mount_routers() -> None:
    from sangsaeng.accounts.api import router as accounts_router
    from sangsaeng.core.api import router as core_router
    from sangsaeng.finance.api import router as finance_router
    from sangsaeng.openlab.api import router as openlab_router
    from sangsaeng.partners.api import router as partners_router
    from sangsaeng.rnd.api import router as rnd_router
    from sangsaeng.usecases.api import router as usecases_router

    api.add_router("/", accounts_router)
    api.add_router("/partners", partners_router)
    api.add_router("/", core_router)
    api.add_router("/rnd", rnd_router)
    api.add_router("/finance", finance_router)
    api.add_router("/usecases", usecases_router)
    api.add_router("/openlab", openlab_router)


_mount_routers()
