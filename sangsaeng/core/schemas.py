"""API schemas of the shared kernel: separate XxxIn (what clients send) and XxxOut (what they get).

Bounded input types, declared once and used by every app's In schemas and path/query parameters, so
no input reaches the database or date arithmetic out of range (issue 12): a value outside the bounds,
or `true`/`1.5` where a whole number is expected, is a 422 with the error body.

| type          | range                                  | for                                  |
|---------------|----------------------------------------|--------------------------------------|
| Id            | 1 .. 2^63-1                            | primary keys (path, query, body, lists) |
| KRW           | 0 .. MAX_KRW (10^15)                   | amounts in won (also "1,234,567",    |
|               |                                        | "1,000원", "1억 2천만" as text)      |
| Count         | 0 .. MAX_COUNT                         | counts, minutes, days, hours …       |
| PositiveCount | 1 .. MAX_COUNT                         | counts that cannot be zero           |
| Year          | MIN_YEAR .. MAX_YEAR (1900..2100)      | calendar years                       |
| Date          | 1900-01-01 .. 2100-12-31               | dates                                |
| DateTime      | years 1900..2100                       | instants                             |

PATCH bodies subclass `PatchIn`: a field left out is unchanged, and `null` is a 422 unless the field
is listed in `nullable` (null clears it); the OpenAPI schema says so.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sangsaeng.core.money import parse_krw
from sangsaeng.core.selectors import AuditEventFilter

MAX_ID = 2**63 - 1  # a 64-bit signed primary key
MAX_KRW = 10**15  # 1,000조 won: beyond any budget here, far below 2^63
MAX_COUNT = 1_000_000_000
MIN_YEAR, MAX_YEAR = 1900, 2100
MIN_DATE, MAX_DATE = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)


def _whole_number(value: Any) -> Any:
    """`true` and `1.0` are not whole numbers here (pydantic's lax mode takes both as ints); digits in
    a string stay accepted, as query and path parameters arrive as strings."""
    if isinstance(value, bool | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _datetime_in_range(value: dt.datetime) -> dt.datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "less_than_equal" if value.year > MAX_YEAR else "greater_than_equal",
            "Input should be within the years {min_year}..{max_year}",
            {
                "le": f"{MAX_YEAR}-12-31",
                "ge": f"{MIN_YEAR}-01-01",
                "min_year": MIN_YEAR,
                "max_year": MAX_YEAR,
            },
        )
    return value


def _amount(value: Any) -> Any:
    """An amount as a whole number, or as text typed the Korean way ("1,234,567", "1,000원",
    "1억 2천만") read by core.money.parse_krw — the one parser of the web forms and the imports, so the
    API accepts what they accept. `true`, `1.5` and "1,23" are refused."""
    value = _whole_number(value)
    if isinstance(value, str) and not value.strip().isdigit():
        try:
            return parse_krw(value)
        except DjangoValidationError as error:
            raise ValueError(str(error.messages[0])) from None  # a translated value_error
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_whole_number)]
KRW = Annotated[int, Field(ge=0, le=MAX_KRW), BeforeValidator(_amount)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT), BeforeValidator(_whole_number)]
PositiveCount = Annotated[int, Field(ge=1, le=MAX_COUNT), BeforeValidator(_whole_number)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR), BeforeValidator(_whole_number)]
Date = Annotated[dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]
DateTime = Annotated[dt.datetime, AfterValidator(_datetime_in_range)]


class PatchIn(Schema):
    """Base of every PATCH body: absent = unchanged; `null` only for the fields named in `nullable`.

    Declare fields as `X | None = None` (so they may be left out) and read them with
    `payload.dict(exclude_unset=True)`; a `null` sent for a field not in `nullable` is a 422.
    """

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise PydanticCustomError("null_not_allowed", "This field cannot be null")
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """The OpenAPI schema without `null` for the fields that refuse it."""
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for name, prop in target.get("properties", {}).items():
            if name in cls.nullable or "anyOf" not in prop:
                continue
            options = [option for option in prop["anyOf"] if option.get("type") != "null"]
            if len(options) == 1:
                rest = {key: value for key, value in prop.items() if key not in ("anyOf", "default")}
                target["properties"][name] = {**options[0], **rest}
        return schema


class AuditEventFilterIn(Schema):
    """Query filters of GET /audit-events (all optional, combined with AND)."""

    action: str = Field("", max_length=80, description='Exact, or a prefix ending in "*" (partners.*)')
    object_type: str = Field("", max_length=80, description='e.g. "partners.partner"')
    object_id: str = Field("", max_length=64)
    actor_email: str = Field("", max_length=254, description='Exact when it holds "@", else a part')
    partner: str = Field("", max_length=200, description="Partner organisation id, or part of its name")
    date_from: Date | None = Field(None, description="First day (Asia/Seoul), inclusive")
    date_to: Date | None = Field(None, description="Last day (Asia/Seoul), inclusive")

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

    ids: list[Id] | None = Field(None, max_length=1000)
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


_JSON_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def tighten_numeric_bounds(node: Any) -> Any:
    """OpenAPI: a field's own bounds on a shared type (`Annotated[Count, Field(le=120)]`) come out of
    pydantic as raw `le`/`ge` keys beside the type's `maximum`/`minimum` (the type's validator sits in
    between); fold them into the JSON Schema keywords, keeping the tighter. Changes `node` in place."""
    if isinstance(node, list):
        for item in node:
            tighten_numeric_bounds(item)
    elif isinstance(node, dict):
        if node.get("type") in ("integer", "number"):
            for raw, keyword in _JSON_BOUNDS.items():
                if raw not in node or isinstance(node[raw], dict):
                    continue
                value = node.pop(raw)
                if keyword in node:
                    tighter = max if keyword in ("minimum", "exclusiveMinimum") else min
                    value = tighter(node[keyword], value)
                node[keyword] = value
        for value in node.values():
            tighten_numeric_bounds(value)
    return node
