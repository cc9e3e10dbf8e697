"""Error codes of the API's one error body, as enums per domain (Saleor's `error_codes.py`).

`{"error": {"code": …, "message": …, "fields": {…}}}`: `code` is stable for machines, `message` is
translated for people. The core codes are `ErrorCode`; an app adds its own in
`sangsaeng/<app>/error_codes.py` (found automatically, like admin.py), registered under its name:

    # sangsaeng/finance/error_codes.py
    from django.db import models
    from django.utils.translation import gettext_lazy as _

    from sangsaeng.core.error_codes import register_error_codes

    @register_error_codes("finance", statuses={"pool_exhausted": 409})
    class FinanceErrorCode(models.TextChoices):
        POOL_EXHAUSTED = "pool_exhausted", _("The bank's pool has not enough left for this loan.")

A service raises `ValidationError(message, code=FinanceErrorCode.POOL_EXHAUSTED)` (also inside a field
dict); the API's error handler answers with that code when it is registered, else with `invalid`, and
with the status registered for it (422 by default). The API description lists every registered code.
Codes are one flat namespace: registering a code twice is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ErrorCode(models.TextChoices):
    """The codes every part of the API may answer with."""

    INVALID = "invalid", _("Some input is not valid; `fields` names each field with its messages.")
    BAD_REQUEST = "bad_request", _("The request could not be read (for example a body that is not JSON).")
    UNAUTHENTICATED = "unauthenticated", _("Log in (session) or send a valid API token.")
    FORBIDDEN = "forbidden", _("You may not do this (or the CSRF token of the session is missing).")
    NOT_FOUND = "not_found", _("No such object, or not one you may see.")
    CONFLICT = "conflict", _("The request conflicts with the current state of the object.")
    INVALID_TRANSITION = "invalid_transition", _("The object's state does not allow this change now.")
    STATE_CHANGED = "state_changed", _("The object changed meanwhile: reload it and try again.")
    RATE_LIMITED = "rate_limited", _("Too many requests: wait for the time in Retry-After.")
    OUT_OF_RANGE = "out_of_range", _("A number or date is outside the range that can be stored.")
    UNAVAILABLE = "unavailable", _("The service is unavailable for a moment (database or cache).")
    SERVER_ERROR = "server_error", _("Something went wrong on our side; it has been logged.")
    IDEMPOTENCY_IN_PROGRESS = (
        "idempotency_in_progress",
        _("A request with this Idempotency-Key is still being processed: retry later."),
    )
    IDEMPOTENCY_MISMATCH = (
        "idempotency_mismatch",
        _("This Idempotency-Key was used with a different request."),
    )


@dataclass(frozen=True)
class RegisteredCode:
    code: str
    domain: str
    description: str | Promise
    status: int


_CODES: dict[str, RegisteredCode] = {}
_discovered = False

TChoices = TypeVar("TChoices", bound=type[models.TextChoices])

DEFAULT_STATUS = 422


def register_error_codes(
    domain: str, statuses: Mapping[str, int] | None = None
) -> Callable[[TChoices], TChoices]:
    """Class decorator: register an app's enum of codes under `domain` (its app label).

    `statuses` gives the HTTP status of a code raised as a ValidationError when it is not 422
    (e.g. 409 for a conflict with the object's current state)."""

    def decorator(enum: TChoices) -> TChoices:
        for member in enum:
            code = str(member.value)
            known = _CODES.get(code)
            if known is not None and known.domain != domain:
                raise ImproperlyConfigured(
                    f"Error code {code!r} of {domain!r} is already registered by {known.domain!r}."
                )
            _CODES[code] = RegisteredCode(
                code=code,
                domain=domain,
                description=member.label,
                status=(statuses or {}).get(code, DEFAULT_STATUS),
            )
        return enum

    return decorator


register_error_codes(
    "core",
    statuses={
        ErrorCode.BAD_REQUEST: 400,
        ErrorCode.UNAUTHENTICATED: 401,
        ErrorCode.FORBIDDEN: 403,
        ErrorCode.NOT_FOUND: 404,
        ErrorCode.CONFLICT: 409,
        ErrorCode.STATE_CHANGED: 409,
        ErrorCode.IDEMPOTENCY_IN_PROGRESS: 409,
        ErrorCode.RATE_LIMITED: 429,
        ErrorCode.SERVER_ERROR: 500,
        ErrorCode.UNAVAILABLE: 503,
    },
)(ErrorCode)


def _discover() -> None:
    """Import every installed app's `error_codes` module once (they register on import)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("error_codes")
        _discovered = True


def registered_codes() -> list[RegisteredCode]:
    """Every registered code: the core's first, then each domain's, in declaration order."""
    _discover()
    codes = list(_CODES.values())
    return sorted(codes, key=lambda item: item.domain != "core")


def lookup(code: str | None) -> RegisteredCode | None:
    if not code:
        return None
    _discover()
    return _CODES.get(str(code))


def is_registered(code: str | None) -> bool:
    return lookup(code) is not None


def http_status(code: str | None, default: int = DEFAULT_STATUS) -> int:
    found = lookup(code)
    return found.status if found is not None else default
