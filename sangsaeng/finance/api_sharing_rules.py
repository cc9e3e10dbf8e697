"""Benefit-sharing set-up API (성과공유제), added to the finance router under /sharing: incentive rules
(list, create, read, change, retire) and changing a draft task.

Host administrators and programme managers only (403 for everyone else, nothing changed). Errors
answer the one error body (core.api_errors): field messages under `fields`, a retired or used rule
`conflict` (409).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sangsaeng.core.pagination import PageIn, page_slice
from sangsaeng.finance import selectors
from sangsaeng.finance.models import IncentivePoint, IncentiveRule, SharingTask
from sangsaeng.finance.schemas import ContractIn, TaskOut
from sangsaeng.finance.services import sharing_drafts, sharing_rules
from sangsaeng.finance.services.sharing_rules import MAX_POINTS
from sangsaeng.partners.selectors import get_partner_for_user

router = Router(tags=["benefit sharing"])


class IncentiveRuleIn(Schema):
    valid_from: dt.date = Field(..., description="First day the rule applies (Asia/Seoul)")
    points_per_task: int = Field(..., ge=0, le=MAX_POINTS, strict=True)
    points_per_eok_shared: int = Field(
        ..., ge=0, le=MAX_POINTS, strict=True, description="Points per 100,000,000 won actually paid"
    )


class IncentiveRulePatchIn(Schema):
    valid_from: dt.date | None = None
    points_per_task: int | None = Field(None, ge=0, le=MAX_POINTS, strict=True)
    points_per_eok_shared: int | None = Field(None, ge=0, le=MAX_POINTS, strict=True)


class IncentiveRuleOut(Schema):
    id: int
    valid_from: dt.date
    points_per_task: int
    points_per_eok_shared: int
    retired_at: dt.datetime | None
    in_force: bool = Field(description="The rule a task confirmed today is awarded by")
    awards: int = Field(description="Points awarded under this rule so far (then it is not changed)")


class IncentiveRulePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[IncentiveRuleOut]


def _require(request: HttpRequest) -> None:
    if not sharing_rules.can_manage_rules(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers set incentive rules."))


def _bodies(rules: list[IncentiveRule]) -> list[dict[str, Any]]:
    in_force = sharing_rules.rule_in_force()
    counts: dict[int, int] = {}
    for rule_id in IncentivePoint.objects.filter(rule_id__in=[r.pk for r in rules]).values_list(
        "rule_id", flat=True
    ):
        counts[rule_id] = counts.get(rule_id, 0) + 1
    return [
        {
            "id": rule.pk,
            "valid_from": rule.valid_from,
            "points_per_task": rule.points_per_task,
            "points_per_eok_shared": rule.points_per_eok_shared,
            "retired_at": rule.retired_at,
            "in_force": in_force is not None and in_force.pk == rule.pk,
            "awards": counts.get(rule.pk, 0),
        }
        for rule in rules
    ]


@router.get("/incentive-rules", response=IncentiveRulePageOut, summary="List incentive rules (host)")
def list_rules(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    """Every rule, retired ones too, newest first."""
    _require(request)
    queryset = IncentiveRule.objects.order_by("-valid_from", "-pk")
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": _bodies(page_slice(queryset, page)),
    }


@router.post("/incentive-rules", response={201: IncentiveRuleOut}, summary="Create an incentive rule (host)")
def create_rule(request: HttpRequest, payload: IncentiveRuleIn) -> Status[dict[str, Any]]:
    """The newest rule in force (valid_from on or before today, not retired) awards the points of a
    task confirmed that day. One rule in force per start date; a rule awards something."""
    _require(request)
    rule = sharing_rules.create_rule(actor=request.user, values=payload.dict())  # type: ignore[arg-type]
    return Status(201, _bodies([rule])[0])


@router.get("/incentive-rules/{rule_id}", response=IncentiveRuleOut, summary="One incentive rule (host)")
def get_rule(request: HttpRequest, rule_id: int) -> dict[str, Any]:
    _require(request)
    return _bodies([get_object_or_404(IncentiveRule, pk=rule_id)])[0]


@router.patch(
    "/incentive-rules/{rule_id}", response=IncentiveRuleOut, summary="Change an incentive rule (host)"
)
def update_rule(request: HttpRequest, rule_id: int, payload: IncentiveRulePatchIn) -> dict[str, Any]:
    """Only a rule that is not retired and has awarded no points (else 409 `conflict`: retire it and
    create a new one)."""
    _require(request)
    rule = get_object_or_404(IncentiveRule, pk=rule_id)
    values = payload.dict(exclude_unset=True)
    rule = sharing_rules.update_rule(actor=request.user, rule=rule, values=values)  # type: ignore[arg-type]
    return _bodies([rule])[0]


@router.post(
    "/incentive-rules/{rule_id}/retire", response=IncentiveRuleOut, summary="Retire an incentive rule (host)"
)
def retire_rule(request: HttpRequest, rule_id: int) -> dict[str, Any]:
    """A retired rule awards no more points; the points it gave stay (409 `conflict` if already retired)."""
    _require(request)
    rule = get_object_or_404(IncentiveRule, pk=rule_id)
    rule = sharing_rules.retire_rule(actor=request.user, rule=rule)  # type: ignore[arg-type]
    return _bodies([rule])[0]


class DraftPatchIn(ContractIn):
    """Only the fields sent change; `participant_ids` replaces the participants (the 1차 partner stays)."""

    title: str | None = Field(None, max_length=200)
    task_type: str | None = Field(None, max_length=24)
    kpi_name: str | None = Field(None, max_length=200)
    kpi_baseline: Decimal | None = Field(None, max_digits=18, decimal_places=4)
    participant_ids: list[int] | None = Field(None, max_length=100)


@router.patch("/tasks/{task_id}/draft", response=TaskOut, summary="Change a draft task (host)")
def update_draft(request: HttpRequest, task_id: int, payload: DraftPatchIn) -> SharingTask:
    """Title, type, KPI, participants and contract terms while the task is a draft; after registration
    only an amendment both parties accept changes the contract (422 with the message)."""
    task = selectors.get_task_for_user(request.user, task_id)
    values: dict[str, Any] = {
        name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None
    }
    if "participant_ids" in values:
        values["participants"] = [
            get_partner_for_user(request.user, pk) for pk in values.pop("participant_ids")
        ]
    return sharing_drafts.update_draft_task(actor=request.user, task=task, values=values)  # type: ignore[arg-type]
