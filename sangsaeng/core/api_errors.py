"""The API's one error body and the safety nets behind it (DESIGN.md rule 5, issue 12).

Every error under /api/ answers `{"error": {"code": …, "message": …, "fields": {…}}}`:

| raised                                  | status | code                                   |
|-----------------------------------------|--------|----------------------------------------|
| django ValidationError                  | 422*   | its `code` when registered, else invalid |
| schema (pydantic) validation            | 422    | invalid, messages translated by type   |
| PermissionDenied / CSRF of a session    | 403    | forbidden                              |
| Http404                                 | 404    | not_found                              |
| no session and no valid token           | 401    | unauthenticated                        |
| ninja HttpError                         | its    | bad_request, conflict, rate_limited, … |
| OverflowError, database DataError       | 422    | out_of_range                           |
| database OperationalError, read-only    | 503    | unavailable                            |
| anything else (logged)                  | 500    | server_error                           |

(*) or the status registered with the code (core.error_codes). `install_error_handlers(api)` wires
them into a NinjaAPI; `document_error_responses(schema)` adds every error status the API can answer to
each operation of the OpenAPI schema, and `api_description(intro)` lists every registered code.
Pages outside the API that fail on an /api/ path (an unknown URL) answer the same body
(core.error_views).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from sangsaeng.core import error_codes
from sangsaeng.core.error_codes import ErrorCode

logger = logging.getLogger("sangsaeng.api")


class ApiErrorDetailOut(Schema):
    code: str = Field(description="Stable code for machines; the API description lists every code.")
    message: str = Field(description="For people, in the language of the request.")
    fields: dict[str, list[str]] = Field(description="Messages per input field (dotted path), if any.")


class ApiErrorOut(Schema):
    """The one error body of every endpoint."""

    error: ApiErrorDetailOut


def error_body(code: str, message: str, fields: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    """The stable error body of every endpoint: {"error": {"code", "message", "fields"}}."""
    return {"error": {"code": str(code), "message": str(message), "fields": dict(fields or {})}}


def error_response(
    code: str, message: str, status: int, fields: Mapping[str, list[str]] | None = None
) -> JsonResponse:
    """The error body as a response, for code outside a NinjaAPI (error pages of /api/ paths)."""
    return JsonResponse(
        error_body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False}
    )


# --- Pydantic messages in the user's language ------------------------------------------------------------


def _number(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _limit_message(kind: str, ctx: Mapping[str, Any]) -> str:
    value = _number(ctx.get(kind, ""))
    return {
        "gt": _("Enter a value greater than %(limit)s."),
        "ge": _("Enter a value of at least %(limit)s."),
        "lt": _("Enter a value less than %(limit)s."),
        "le": _("Enter a value of at most %(limit)s."),
    }[kind] % {"limit": value}


def schema_error_message(error: Mapping[str, Any]) -> str:
    """A pydantic error (`type`, `ctx`) as a message in the active language.

    Pydantic writes English ("Field required", "Input should be a valid integer"); these are the
    types our schemas produce, with their limits. A type not listed gets a generic message, and a
    validator's own ValueError (type "value_error") keeps its text, which our validators translate.
    """
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind == "int_parsing_size":
        return _("This number is too large.")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "number_type"):
        return _("Enter a number.")
    if kind == "finite_number":
        return _("Enter a finite number.")
    if kind == "decimal_max_digits":
        count = int(ctx.get("max_digits", 0))
        return ngettext(
            "Enter a number with at most %(count)s digit.",
            "Enter a number with at most %(count)s digits.",
            count,
        ) % {"count": count}
    if kind == "decimal_max_places":
        count = int(ctx.get("decimal_places", 0))
        return ngettext(
            "Enter at most %(count)s decimal place.", "Enter at most %(count)s decimal places.", count
        ) % {"count": count}
    if kind == "decimal_whole_digits":
        count = int(ctx.get("whole_digits", 0))
        return ngettext(
            "Enter at most %(count)s digit before the decimal point.",
            "Enter at most %(count)s digits before the decimal point.",
            count,
        ) % {"count": count}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        key = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}[
            kind
        ]
        return _limit_message(key, ctx)
    if kind == "multiple_of":
        return _("Enter a multiple of %(step)s.") % {"step": _number(ctx.get("multiple_of", ""))}
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("string_type", "string_sub_type", "string_unicode"):
        return _("Enter text.")
    if kind == "string_too_short":
        count = int(ctx.get("min_length", 0))
        return ngettext(
            "Enter at least %(count)s character.", "Enter at least %(count)s characters.", count
        ) % {"count": count}
    if kind == "string_too_long":
        count = int(ctx.get("max_length", 0))
        return ngettext(
            "Enter at most %(count)s character.", "Enter at most %(count)s characters.", count
        ) % {"count": count}
    if kind == "string_pattern_mismatch":
        return _("This value does not have the expected format.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind in ("datetime_parsing", "datetime_type", "datetime_from_date_parsing", "datetime_object_invalid"):
        return _("Enter a valid date and time (e.g. 2026-03-02T09:00:00+09:00).")
    if kind in ("time_parsing", "time_type"):
        return _("Enter a valid time (HH:MM).")
    if kind in ("time_delta_parsing", "time_delta_type"):
        return _("Enter a valid duration.")
    if kind in ("date_past", "datetime_past"):
        return _("Enter a date in the past.")
    if kind in ("date_future", "datetime_future"):
        return _("Enter a date in the future.")
    if kind == "timezone_aware":
        return _("Give the time zone (e.g. +09:00).")
    if kind == "timezone_naive":
        return _("Give the time without a time zone.")
    if kind in ("uuid_parsing", "uuid_type", "uuid_version"):
        return _("Enter a valid UUID.")
    if kind in ("url_parsing", "url_type", "url_scheme", "url_syntax_violation", "url_too_long"):
        return _("Enter a valid URL.")
    if kind in ("list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type"):
        return _("Send a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type", "mapping_type"):
        return _("Send an object.")
    if kind == "too_short":
        count = int(ctx.get("min_length", 0))
        return ngettext("Send at least %(count)s item.", "Send at least %(count)s items.", count) % {
            "count": count
        }
    if kind == "too_long":
        count = int(ctx.get("max_length", 0))
        return ngettext("Send at most %(count)s item.", "Send at most %(count)s items.", count) % {
            "count": count
        }
    if kind == "extra_forbidden":
        return _("This field is not expected.")
    if kind in ("json_invalid", "json_type"):
        return _("This is not valid JSON.")
    if kind == "null_not_allowed":
        return _("This field cannot be null: leave it out to keep the current value.")
    if kind in ("none_required",):
        return _("Leave this field empty.")
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])
    return _("This value is not valid.")


def schema_error_fields(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """{dotted field path: [messages]} of Ninja's validation errors (the location prefix dropped)."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload", "form", "header", "cookie", "file")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(schema_error_message(error))
    return fields


# --- Django ValidationError ---------------------------------------------------------------------------


def _codes(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        items = [item for name in error.error_dict for item in error.error_dict[name]]
        # Errors on the whole object first: they say what happened, the field ones where.
        items = [*error.error_dict.get("__all__", []), *items]
    else:
        items = error.error_list
    return [str(item.code) for item in items if getattr(item, "code", None)]


def validation_error_code(error: ValidationError) -> str:
    """The first registered code the error carries (e.g. invalid_transition), else `invalid`."""
    for code in _codes(error):
        if code != ErrorCode.INVALID and error_codes.is_registered(code):
            return code
    return ErrorCode.INVALID


def validation_error_body(error: ValidationError) -> tuple[dict[str, Any], int]:
    code = validation_error_code(error)
    status = error_codes.http_status(code)
    if hasattr(error, "error_dict"):
        fields = {
            name: [str(m) for e in errors for m in e.messages] for name, errors in error.error_dict.items()
        }
        non_field = fields.pop("__all__", [])
        message = non_field[0] if non_field else _("Some fields are not valid.")
        return error_body(code, message, fields), status
    return error_body(code, " ".join(error.messages)), status


# --- Ninja's own English messages ---------------------------------------------------------------------


def _http_error_message(error: HttpError) -> str:
    message = str(error)
    if error.status_code == 400 and message.startswith("Cannot parse request body"):
        return _("The request body is not valid JSON.")
    if error.status_code == 429:
        return _("Too many requests: wait a moment and try again.")
    if message in ("Unauthorized", ""):
        return _("Log in or send a valid API token.")
    if message == "Forbidden":
        return _("You do not have permission to do this.")
    return message


_HTTP_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    409: ErrorCode.CONFLICT,
    422: ErrorCode.INVALID,
    429: ErrorCode.RATE_LIMITED,
    503: ErrorCode.UNAVAILABLE,
}


def request_id_of(request: HttpRequest) -> str:
    return str(getattr(request, "request_id", "") or "")


def server_error_message(request: HttpRequest) -> str:
    request_id = request_id_of(request)
    if request_id:
        return _(
            "Something went wrong on our side. It has been logged; quote %(request_id)s if you ask us."
        ) % {"request_id": request_id}
    return _("Something went wrong on our side. It has been logged.")


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers of the table in the module docstring on `api`."""

    def respond(
        request: HttpRequest, code: str, message: str, status: int, fields: Any = None
    ) -> HttpResponse:
        return api.create_response(request, error_body(code, message, fields), status=status)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body, status = validation_error_body(exc)
        return api.create_response(request, body, status=status)

    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return respond(
            request, ErrorCode.INVALID, _("Some fields are not valid."), 422, schema_error_fields(exc.errors)
        )

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(
            request, ErrorCode.FORBIDDEN, str(exc) or _("You do not have permission to do this."), 403
        )

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, ErrorCode.NOT_FOUND, _("Not found."), 404)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, ErrorCode.UNAUTHENTICATED, _("Log in or send a valid API token."), 401)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = _HTTP_CODES.get(
            exc.status_code, ErrorCode.INVALID if exc.status_code < 500 else ErrorCode.SERVER_ERROR
        )
        response = respond(request, code, _http_error_message(exc), exc.status_code)
        wait = getattr(exc, "wait", None)
        if exc.status_code == 429 and wait:
            response["Retry-After"] = str(int(wait + 0.999))
        return response

    def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A safety net: the schemas bound their integers and dates, so reaching this is a missing bound.
        logger.warning("Out-of-range input on %s %s: %s", request.method, request.path, exc)
        return respond(
            request, ErrorCode.OUT_OF_RANGE, _("A number or date in the request is out of range."), 422
        )

    def on_unavailable(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, exc)
        response = respond(
            request,
            ErrorCode.UNAVAILABLE,
            _("The service is briefly unavailable. Try again in a moment."),
            503,
        )
        response["Retry-After"] = "5"
        return response

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        from sangsaeng.core.availability import is_database_unavailable

        if is_database_unavailable(exc):  # e.g. PostgreSQL read-only (an InternalError, SQLSTATE 25006)
            return on_unavailable(request, exc)  # type: ignore[arg-type]
        # The last net under /api/: a JSON body instead of Django's HTML page, and the traceback logged
        # (Ninja's default re-raises outside DEBUG and answers a plain-text traceback in DEBUG).
        logger.exception("Unhandled error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, ErrorCode.SERVER_ERROR, server_error_message(request), 500)

    api.exception_handler(ValidationError)(on_validation_error)
    api.exception_handler(NinjaValidationError)(on_schema_error)
    api.exception_handler(PermissionDenied)(on_permission_denied)
    api.exception_handler(Http404)(on_not_found)
    api.exception_handler(AuthenticationError)(on_unauthenticated)
    api.exception_handler(HttpError)(on_http_error)
    api.exception_handler(OverflowError)(on_out_of_range)
    api.exception_handler(DataError)(on_out_of_range)
    api.exception_handler(OperationalError)(on_unavailable)
    api.exception_handler(Exception)(on_unexpected)


# --- OpenAPI: every error status documented, every code described ---------------------------------------

ERROR_SCHEMA_REF = "#/components/schemas/ApiErrorOut"
_UNSAFE = {"post", "put", "patch", "delete"}

# Each error status, documented once under components/responses and referenced by every operation.
ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Bad Request: the body could not be read (code bad_request)"),
    401: ("Unauthenticated", "Unauthorized: no valid session or API token (code unauthenticated)"),
    403: (
        "Forbidden",
        "Forbidden: not allowed for you, or the session's CSRF token is missing (code forbidden)",
    ),
    404: ("NotFound", "Not Found: no such object, or not one you may see (code not_found)"),
    409: ("Conflict", "Conflict: the object changed meanwhile, or the Idempotency-Key is in use"),
    422: ("Unprocessable", "Unprocessable Entity: input not valid, or a state or rule does not allow it"),
    429: ("RateLimited", "Too Many Requests: see Retry-After (code rate_limited)"),
    500: (
        "ServerError",
        "Internal Server Error: logged; the message holds the request id (code server_error)",
    ),
    503: ("Unavailable", "Service Unavailable: try again in a moment (code unavailable)"),
}


def _error_statuses(method: str, operation: Mapping[str, Any]) -> list[int]:
    statuses = [400, 404, 422, 429, 500, 503]
    if operation.get("security"):
        statuses += [401, 403]
    if method in _UNSAFE:
        statuses.append(409)
    return sorted(statuses)


def document_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error statuses the API can answer (with the error body) to each operation, keeping any
    that an operation documents itself. Returns the schema, changed in place."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    definitions = ApiErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in definitions.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas.setdefault("ApiErrorOut", definitions)
    shared = components.setdefault("responses", {})
    for name, description in ERROR_RESPONSES.values():
        shared[name] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": ERROR_SCHEMA_REF}}},
        }
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in _error_statuses(method, operation):
                # Integer keys, as Ninja writes the success statuses (mixed keys cannot be sorted).
                if status not in responses and str(status) not in responses:
                    responses[status] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    return schema


def api_description(intro: str) -> str:
    """The API description: `intro`, then every registered error code with its description (in the
    active language; the snapshot test reads it in English)."""
    lines = [
        intro,
        "",
        "## " + _("Errors"),
        "",
        _(
            'Every error answers {"error": {"code", "message", "fields"}}: `code` is one of the codes '
            "below, `message` is for people (in the language of the request), `fields` holds the "
            "messages of each input field."
        ),
        "",
        "| code | " + _("meaning") + " |",
        "|---|---|",
    ]
    lines += [f"| `{item.code}` | {item.description} |" for item in error_codes.registered_codes()]
    return "\n".join(lines)
