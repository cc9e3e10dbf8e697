"""Exact idempotency for the API calls that move money (issue 12 §3): one mechanism for every app.

    @router.post("/loans/{loan_id}/repayments", response={201: RepaymentOut})
    @idempotent("finance.repay")
    def repay(request, loan_id: Id, payload: RepaymentIn): ...

The caller sends an `Idempotency-Key` header (1..200 printable characters, e.g. a UUID), unique per
caller (the key is scoped to the authenticated user):

- first request with the key: runs; its answer (status, content type, body bytes) is stored in the
  same database transaction as the change it made, so either both commit or neither does;
- the same key while that first request still runs: 409 `idempotency_in_progress` (retry later);
- the same key later: the first answer, byte for byte (and the header `Idempotent-Replayed: true`);
- the same key with a different request (method, path, operation or body): 422 `idempotency_mismatch`;
- no key: 422 with a field error on `Idempotency-Key`.

Answers below 500 are kept (a refusal is an answer: it changed nothing, and replaying it is exact),
except 409 (the object changed meanwhile). A 409 or a server error or an unavailable database (5xx)
changed nothing either, but says nothing final about the request, so the claim is released and a
retry with the same key runs again. The view sees the record's id as `request.idempotent_request_id`. A claim left by a process
that died is taken over after IDEMPOTENCY_STALE_SECONDS (default 300); the old attempt, if it still
runs, can no longer commit (its answer is written only where its attempt id still holds).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_args

from sangsaeng.core.error_codes import ErrorCode
from sangsaeng.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
_OPERATION = "_sangsaeng_ninja_operation"
_KEY_ARGUMENT = "idempotency_key_header"

KeyHeader = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=r"^[!-~]([ -~]*[!-~])?$",
        description="Unique per request you mean (e.g. a UUID); a retry sends the same key.",
    ),
]

TView = TypeVar("TView", bound=Callable[..., Any])


class _Superseded(Exception):
    """Our claim was taken over meanwhile: roll back the effect."""


def idempotent(operation: str, *, prepare: Callable[..., Any] | None = None) -> Callable[[TView], TView]:
    """Decorator of a Ninja view, placed under `@router.post(...)`: run the view once per
    (caller, Idempotency-Key) as the module docstring says. `operation` names the call in the record
    (e.g. "finance.recommend").

    `prepare(request, *args, **kwargs)`, if given, runs after the key is claimed and before the
    transaction opens — the place to read and check an uploaded file without holding the write lock
    (it leaves what it read on the request for the view). What it raises is the answer, like the
    view's own refusals."""

    def decorator(view: TView) -> TView:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            kwargs.pop(_KEY_ARGUMENT, None)  # read from the request itself
            ninja_operation = getattr(request, _OPERATION)
            return run_once(
                request,
                operation=operation,
                to_response=functools.partial(_to_response, ninja_operation, request),
                on_error=functools.partial(ninja_operation.api.on_exception, request),
                call=lambda: view(request, *args, **kwargs),
                prepare=(lambda: prepare(request, *args, **kwargs)) if prepare else None,
            )

        # Ninja reads the view's parameters from the wrapper: give it the view's, resolved in the
        # view's module (its annotations are strings under `from __future__ import annotations`).
        wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        # The Ninja operation (bound to the API) renders the view's result and the errors.
        decorate_view(_remember_operation)(wrapper)
        # The header is a documented, required parameter of the operation (validated by Ninja too).
        contribute_operation_args(wrapper, _KEY_ARGUMENT, KeyHeader, Header(..., alias=HEADER))
        return wrapper  # type: ignore[return-value]

    return decorator


def _remember_operation(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    ninja_operation = getattr(run, "__self__", None)

    @functools.wraps(run)
    def remembered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        setattr(request, _OPERATION, ninja_operation)
        return run(request, *args, **kwargs)

    return remembered


def _to_response(ninja_operation: Any, request: HttpRequest, result: Any) -> HttpResponseBase:
    if isinstance(result, HttpResponseBase):
        return result
    temporal = ninja_operation.api.create_temporal_response(request)
    return ninja_operation._result_to_response(request, result, temporal)


# --- the mechanism --------------------------------------------------------------------------------------


def request_key(request: HttpRequest) -> str:
    key = (request.headers.get(HEADER) or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError(
            {
                HEADER: _(
                    "Send an Idempotency-Key header of 1 to %(max)s printable characters (e.g. a UUID)."
                )
                % {"max": MAX_KEY_LENGTH}
            }
        )
    return key


def request_fingerprint(request: HttpRequest, operation: str) -> str:
    """What makes two requests "the same": operation, method, path and body (JSON compared by value,
    a form by its fields and the content of its files)."""
    digest = hashlib.sha256()
    for part in (operation, request.method or "", request.path):
        digest.update(part.encode() + b"\0")
    try:
        body = request.body
    except RawPostDataException:
        # A form already read as a stream (file uploads): its fields and its files' content.
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}".encode() + b"\0")
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                upload.seek(0)
                digest.update(f"{name}:{upload.name}:".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                digest.update(b"\0")
        return digest.hexdigest()
    try:
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        pass
    digest.update(body)
    return digest.hexdigest()


def _stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "IDEMPOTENCY_STALE_SECONDS", 300)))


def _in_progress() -> ValidationError:
    return ValidationError(
        _("A request with this Idempotency-Key is still being processed: retry in a moment."),
        code=ErrorCode.IDEMPOTENCY_IN_PROGRESS,
    )


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code or 200, content_type=record.content_type or None
    )
    response[REPLAY_HEADER] = "true"
    return response


def _claim(actor_id: int, key: str, operation: str, fingerprint: str) -> tuple[int, uuid.UUID] | HttpResponse:
    """(record id, attempt) when this request is the one to run; the stored answer to replay; or
    raises (in progress, different request)."""
    for _try in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    actor_id=actor_id, key=key, operation=operation, fingerprint=fingerprint, claimed_at=now
                )
            return record.pk, record.attempt
        except IntegrityError:
            pass
        existing = IdempotentRequest.objects.filter(actor_id=actor_id, key=key).first()
        if existing is None:
            continue  # released by a failed first request meanwhile: claim again
        if existing.fingerprint != fingerprint:
            message = _(
                "This Idempotency-Key was used for a different request: send a new key for a new request."
            )
            raise ValidationError({HEADER: ValidationError(message, code=ErrorCode.IDEMPOTENCY_MISMATCH)})
        if existing.answered_at is not None:
            return _replay(existing)
        if existing.claimed_at < now - _stale_after():
            attempt = uuid.uuid4()
            taken = IdempotentRequest.objects.filter(
                pk=existing.pk, attempt=existing.attempt, answered_at__isnull=True
            ).update(attempt=attempt, claimed_at=now)
            if taken:
                return existing.pk, attempt
        raise _in_progress()
    raise _in_progress()


def _store(record_id: int, attempt: uuid.UUID, response: HttpResponseBase) -> int:
    return IdempotentRequest.objects.filter(pk=record_id, attempt=attempt, answered_at__isnull=True).update(
        answered_at=timezone.now(),
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=bytes(getattr(response, "content", b"")),
    )


def run_once(
    request: HttpRequest,
    *,
    operation: str,
    call: Callable[[], Any],
    to_response: Callable[[Any], HttpResponseBase],
    on_error: Callable[[Exception], HttpResponseBase],
    prepare: Callable[[], Any] | None = None,
) -> HttpResponseBase:
    """Run `call` once per (authenticated caller, Idempotency-Key); see the module docstring.

    `to_response` turns the call's result into the response, `on_error` an exception into the error
    response (the API's handlers); `prepare` runs first, outside the transaction."""
    key = request_key(request)
    actor_id = int(getattr(request.user, "pk", 0) or 0)
    claimed = _claim(actor_id, key, operation, request_fingerprint(request, operation))
    if isinstance(claimed, HttpResponse):
        return claimed
    record_id, attempt = claimed
    request.idempotent_request_id = record_id  # type: ignore[attr-defined]
    try:
        if prepare is not None:
            prepare()
        with transaction.atomic():
            response = to_response(call())
            if response.status_code >= 500:
                raise _ServerAnswer(response)
            if not _store(record_id, attempt, response):
                raise _Superseded
        return response
    except _ServerAnswer as answer:
        _release(record_id, attempt)
        return answer.response
    except _Superseded:
        return on_error(_in_progress())
    except Exception as error:  # noqa: BLE001 (answered by the API's handlers, as without a key)
        response = on_error(error)
        if response.status_code >= 500 or response.status_code == 409:
            _release(record_id, attempt)  # says nothing final about the request: a retry runs again
        else:
            _store(record_id, attempt, response)  # a refusal changed nothing: it is the answer
        return response


class _ServerAnswer(Exception):  # carries a response out of the transaction
    def __init__(self, response: HttpResponseBase) -> None:
        super().__init__(response.status_code)
        self.response = response


def _release(record_id: int, attempt: uuid.UUID) -> None:
    IdempotentRequest.objects.filter(pk=record_id, attempt=attempt, answered_at__isnull=True).delete()
