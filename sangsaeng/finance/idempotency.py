"""Idempotency-Key for money-moving API calls: the same key from the same caller replays the first
answer instead of moving money twice; the same key with a different request is a conflict (409).

The record is written in the same transaction as the change, so a failed call leaves no record and
may be retried with the same key; two concurrent calls with one key cannot both commit (unique key).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from sangsaeng.finance.models import IdempotencyRecord

HEADER = "Idempotency-Key"


def run_once(
    request: HttpRequest,
    *,
    operation: str,
    payload: dict[str, Any],
    call: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """Run `call` once per (caller, key); returns (status, body), replayed on a repeat.

    Raises ValidationError without a key, HttpError(409) when the key was used for another request.
    """
    key = (request.headers.get(HEADER) or "").strip()
    if not key or len(key) > 100:
        raise ValidationError({HEADER: _("Send an Idempotency-Key header (at most 100 characters).")})
    digest = hashlib.sha256(
        json.dumps({"operation": operation, "payload": payload}, sort_keys=True, default=str).encode()
    ).hexdigest()
    user_id = int(request.user.pk or 0)  # the API authenticated the caller
    with transaction.atomic():
        existing = IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()
        if existing is not None:
            if existing.request_digest != digest:
                raise HttpError(409, _("This Idempotency-Key was used for a different request."))
            return existing.status_code, existing.response
        status, body = call()
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    user_id=user_id,
                    key=key,
                    operation=operation,
                    request_digest=digest,
                    status_code=status,
                    response=body,
                )
        except IntegrityError:
            # Another call with the same key committed first: undo ours, the caller retries and replays.
            raise HttpError(
                409, _("A request with this Idempotency-Key is already being processed.")
            ) from None
    return status, body
