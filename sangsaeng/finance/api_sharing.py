"""Benefit-sharing API (성과공유제), added to the finance router under /sharing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sangsaeng.accounts.access import HostArea, require_area
from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import kind_of
from sangsaeng.core.idempotency import idempotent
from sangsaeng.core.pagination import PageIn, page_slice
from sangsaeng.core.schemas import Id, PatchIn
from sangsaeng.finance import permissions, selectors, services
from sangsaeng.finance.models import IncentiveRule, SharingAmendment, SharingProgramme, SharingTask
from sangsaeng.finance.schemas import (
    AmendmentIn,
    AmendmentOut,
    ContractIn,
    FinancePageIn,
    MeasurementIn,
    MeasurementOut,
    PayoutOut,
    PointOut,
    ProgrammeIn,
    ProgrammeOut,
    SettleIn,
    TaskDetailOut,
    TaskIn,
    TaskOut,
    TaskPageOut,
    TaskStatusIn,
)
from sangsaeng.finance.selectors import sharing_setup
from sangsaeng.finance.services import sharing_drafts, sharing_rules
from sangsaeng.finance.services.sharing_rules import MAX_POINTS
from sangsaeng.partners.selectors import get_partner_for_user

router = Router(tags=["benefit sharing"])


def _detail(task: SharingTask) -> dict[str, Any]:
    body = TaskOut.from_orm(task).model_dump()
    body["amendments"] = list(selectors.amendments_of(task))
    body["measurements"] = list(selectors.measurements_of(task))
    body["payouts"] = list(selectors.payouts_of(task))
    return body


@router.get("/tasks", response=TaskPageOut, summary="List benefit-sharing tasks")
def list_tasks(request: HttpRequest, page: Query[FinancePageIn]) -> dict[str, Any]:
    require_area(request.user, HostArea.SHARING)
    queryset = selectors.tasks_for_user(request.user)
    if page.status:
        queryset = queryset.filter(status=page.status)
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": list(queryset[page.offset : page.offset + page.limit]),
    }


@router.post("/tasks", response={201: TaskOut}, summary="Draft a task (host)")
def create_task(request: HttpRequest, payload: TaskIn) -> Status[SharingTask]:
    if not permissions.can_manage_sharing(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers set up sharing tasks."))
    task = services.create_task(
        actor=request.user,  # type: ignore[arg-type]
        partner=get_partner_for_user(request.user, payload.partner_id),
        participants=[get_partner_for_user(request.user, pk) for pk in payload.participant_ids],
        title=payload.title,
        task_type=payload.task_type,
        kpi_name=payload.kpi_name,
        kpi_baseline=payload.kpi_baseline,
        contract=payload.contract.terms(),
    )
    return Status(201, task)


@router.get(
    "/tasks/{task_id}", response=TaskDetailOut, summary="A task with amendments, measurements and payouts"
)
def get_task(request: HttpRequest, task_id: Id) -> dict[str, Any]:
    return _detail(selectors.get_task_for_user(request.user, task_id))


@router.post("/tasks/{task_id}/status", response=TaskOut, summary="Move a task to another state (host)")
def change_status(request: HttpRequest, task_id: Id, payload: TaskStatusIn) -> SharingTask:
    task = selectors.get_task_for_user(request.user, task_id)
    return services.change_task_status(
        actor=request.user,  # type: ignore[arg-type]
        task=task,
        target=payload.status,
        reason=payload.reason,
        certificate_number=payload.certificate_number,
    )


@router.post("/tasks/{task_id}/amendments", response={201: AmendmentOut}, summary="Propose an amendment")
def propose(request: HttpRequest, task_id: Id, payload: AmendmentIn) -> Status[SharingAmendment]:
    task = selectors.get_task_for_user(request.user, task_id)
    amendment = services.propose_amendment(
        actor=request.user,  # type: ignore[arg-type]
        task=task,
        changes=payload.changes.terms(),
        reason=payload.reason,
    )
    return Status(201, amendment)


@router.post("/amendments/{amendment_id}/accept", response=AmendmentOut, summary="Accept an amendment")
def accept(request: HttpRequest, amendment_id: Id) -> SharingAmendment:
    amendment = selectors.get_amendment_for_user(request.user, amendment_id)
    return services.answer_amendment(actor=request.user, amendment=amendment, accept=True)  # type: ignore[arg-type]


@router.post("/amendments/{amendment_id}/decline", response=AmendmentOut, summary="Decline an amendment")
def decline(request: HttpRequest, amendment_id: Id) -> SharingAmendment:
    amendment = selectors.get_amendment_for_user(request.user, amendment_id)
    return services.answer_amendment(actor=request.user, amendment=amendment, accept=False)  # type: ignore[arg-type]


@router.post(
    "/tasks/{task_id}/measurements",
    response={201: MeasurementOut},
    summary="Record an outcome and its payout (host; idempotent)",
)
@idempotent("finance.sharing_measure")
def measure(request: HttpRequest, task_id: Id, payload: MeasurementIn) -> Status[Any]:
    task = selectors.get_task_for_user(request.user, task_id)
    measurement = services.record_measurement(
        actor=request.user,  # type: ignore[arg-type]
        task=task,
        **payload.dict(),
    )
    return Status(201, measurement)


@router.post(
    "/payouts/{payout_id}/settle", response=PayoutOut, summary="Record a payout as paid (host; idempotent)"
)
@idempotent("finance.sharing_settle")
def settle(request: HttpRequest, payout_id: Id, payload: SettleIn) -> Any:
    payout = selectors.get_payout_for_user(request.user, payout_id)
    return services.settle_payout(actor=request.user, payout=payout, settled_on=payload.settled_on)  # type: ignore[arg-type]


@router.get("/points", response=list[PointOut], summary="Incentive points, each with its task")
def points(request: HttpRequest) -> Any:
    require_area(request.user, HostArea.SHARING)
    return selectors.points_for_user(request.user)[:500]


@router.get("/programme", response=ProgrammeOut, summary="The host's benefit-sharing set-up")
def programme(request: HttpRequest) -> SharingProgramme:
    """Plan, internal rules and dedicated staff (host people and the agency read it)."""
    if kind_of(request.user) not in (OrganizationKind.HOST, OrganizationKind.AGENCY):
        raise PermissionDenied(_("Only the host and the agency read the benefit-sharing set-up."))
    found = SharingProgramme.objects.order_by("pk").first()
    if found is None:
        raise Http404
    return found


@router.put(
    "/programme", response=ProgrammeOut, summary="Record the benefit-sharing set-up (host administrators)"
)
def save_programme(request: HttpRequest, payload: ProgrammeIn) -> SharingProgramme:
    return services.save_programme(actor=request.user, values=payload.dict())  # type: ignore[arg-type]


# --- Set-up: incentive rules and changing a draft (host managers) --------------------------------
# A retired or used rule answers 409 `conflict`; field messages under `fields`.


# Ids bounded like the other API ids (a 64-bit primary key; `true` is not an id in a body).
MAX_ID = 2**63 - 1
PathId = Annotated[int, Field(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]


class IncentiveRuleIn(Schema):
    valid_from: dt.date = Field(..., description="First day the rule applies (Asia/Seoul)")
    points_per_task: int = Field(..., ge=0, le=MAX_POINTS, strict=True)
    points_per_eok_shared: int = Field(
        ..., ge=0, le=MAX_POINTS, strict=True, description="Points per 100,000,000 won actually paid"
    )


class IncentiveRulePatchIn(PatchIn):
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


def _require_rules(request: HttpRequest) -> None:
    if not sharing_rules.can_manage_rules(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers set incentive rules."))


def _bodies(rules: list[IncentiveRule]) -> list[dict[str, Any]]:
    in_force = sharing_setup.rule_in_force()
    counts = sharing_setup.award_counts(rules)
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
    _require_rules(request)
    queryset = sharing_setup.incentive_rules()
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
    _require_rules(request)
    rule = sharing_rules.create_rule(actor=request.user, values=payload.dict())  # type: ignore[arg-type]
    return Status(201, _bodies([rule])[0])


@router.get("/incentive-rules/{rule_id}", response=IncentiveRuleOut, summary="One incentive rule (host)")
def get_rule(request: HttpRequest, rule_id: PathId) -> dict[str, Any]:
    _require_rules(request)
    return _bodies([sharing_setup.get_incentive_rule(rule_id)])[0]


@router.patch(
    "/incentive-rules/{rule_id}", response=IncentiveRuleOut, summary="Change an incentive rule (host)"
)
def update_rule(request: HttpRequest, rule_id: PathId, payload: IncentiveRulePatchIn) -> dict[str, Any]:
    """Only a rule that is not retired and has awarded no points (else 409 `conflict`: retire it and
    create a new one)."""
    _require_rules(request)
    rule = sharing_setup.get_incentive_rule(rule_id)
    values = payload.dict(exclude_unset=True)
    rule = sharing_rules.update_rule(actor=request.user, rule=rule, values=values)  # type: ignore[arg-type]
    return _bodies([rule])[0]


@router.post(
    "/incentive-rules/{rule_id}/retire", response=IncentiveRuleOut, summary="Retire an incentive rule (host)"
)
def retire_rule(request: HttpRequest, rule_id: PathId) -> dict[str, Any]:
    """A retired rule awards no more points; the points it gave stay (409 `conflict` if already retired)."""
    _require_rules(request)
    rule = sharing_setup.get_incentive_rule(rule_id)
    rule = sharing_rules.retire_rule(actor=request.user, rule=rule)  # type: ignore[arg-type]
    return _bodies([rule])[0]


class DraftPatchIn(ContractIn, PatchIn):
    """Only the fields sent change; `participant_ids` replaces the participants (the 1차 partner stays)."""

    title: str | None = Field(None, max_length=200)
    task_type: str | None = Field(None, max_length=24)
    kpi_name: str | None = Field(None, max_length=200)
    kpi_baseline: Decimal | None = Field(None, max_digits=18, decimal_places=4)
    participant_ids: list[BodyId] | None = Field(None, max_length=100)


@router.patch("/tasks/{task_id}/draft", response=TaskOut, summary="Change a draft task (host)")
def update_draft_task(request: HttpRequest, task_id: PathId, payload: DraftPatchIn) -> SharingTask:
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
