"""API schemas of the shared kernel: separate XxxIn (what clients send) and XxxOut (what they get)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import model_validator

from sangsaeng.core.selectors import AuditEventFilter


class AuditEventFilterIn(Schema):
    """Query filters of GET /audit-events (all optional, combined with AND)."""

    action: str = Field("", max_length=80, description='Exact, or a prefix ending in "*" (partners.*)')
    object_type: str = Field("", max_length=80, description='e.g. "partners.partner"')
    object_id: str = Field("", max_length=64)
    actor_email: str = Field("", max_length=254, description='Exact when it holds "@", else a part')
    partner: str = Field("", max_length=200, description="Partner organisation id, or part of its name")
    date_from: dt.date | None = Field(None, description="First day (Asia/Seoul), inclusive")
    date_to: dt.date | None = Field(None, description="Last day (Asia/Seoul), inclusive")

    @model_validator(mode="after")
    def _dates_in_order(self) -> AuditEventFilterIn:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_to is before date_from")
        return self

    def to_filter(self) -> AuditEventFilter:
        return AuditEventFilter(
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            actor_email=self.actor_email,
            partner=self.partner,
            date_from=self.date_from,
            date_to=self.date_to,
        )


class AuditEventOut(Schema):
    """One hash-chained audit event, as recorded."""

    seq: int
    created_at: dt.datetime
    actor_id: int | None
    actor_label: str
    organization_id_at_time: int | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    partner_organization_id: int | None
    partner_name: str | None = None
    changes: dict[str, Any] | list[Any] | str | int | float | bool | None
    request_id: str
    ip_address: str | None
    prev_hash: str
    hash: str


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationsReadIn(Schema):
    """Mark the given notifications read, or all of them with {"all": true}."""

    ids: list[int] | None = Field(None, max_length=1000)
    all: bool = False

    @model_validator(mode="after")
    def _ids_or_all(self) -> NotificationsReadIn:
        if self.all == bool(self.ids):
            raise ValueError('give either "ids" or "all": true')
        return self


class NotificationsReadOut(Schema):
    marked: int
    unread: int


class JobOut(Schema):
    """Progress of a long task (import, export, report build)."""

    id: uuid.UUID
    kind: str
    status: str
    percent: int
    progress_done: int
    progress_total: int
    message: str
    result: dict[str, Any]
    is_finished: bool
    created_at: dt.datetime
    finished_at: dt.datetime | None
