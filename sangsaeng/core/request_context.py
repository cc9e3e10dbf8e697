"""Who is asking and from where, for audit records written deep inside services."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    ip_address: str | None = None
    path: str = ""


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar(
    "sangsaeng_request", default=None
)


def current_request() -> RequestInfo:
    return _current.get() or RequestInfo()


def set_current_request(info: RequestInfo) -> contextvars.Token[RequestInfo | None]:
    return _current.set(info)


def reset_current_request(token: contextvars.Token[RequestInfo | None]) -> None:
    _current.reset(token)
