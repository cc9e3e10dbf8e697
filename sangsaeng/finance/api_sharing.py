"""Benefit-sharing API (성과공유제), added to the finance router under /sharing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import kind_of
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.pagination import page_slice
from sangsaeng.finance import permissions, selectors, services
from sangsaeng.finance.models import SharingAmendment, SharingProgramme, SharingTask
from sangsaeng.finance.schemas import (
    AmendmentIn,
    AmendmentOut,
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
from sangsaeng.partners.selectors import get_partner_for_user

router = Router(tags=["benefit sharing"])


def _detail(task: SharingTask) -> dict[str, Any]:
    body = TaskOut.from_orm(task).model_dump()
    body["amendments"] = list(selectors.amendments_of(task))
    body["measurements"] = list(selectors.measurements_of(task))
    body["payouts"] = list(selectors.payouts_of(task))
    return body


@router.get("/tasks", response=TaskPageOut, summary="List benefit-sharing tasks")
def list_tasks(request: AuthenticatedHttpRequest, page: Query[FinancePageIn]) -> dict[str, Any]:
    queryset = selectors.tasks_for_user(request.user)
    if page.status:
        queryset = queryset.filter(status=page.status)
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": page_slice(queryset, page),
    }


@router.post("/tasks", response={201: TaskOut}, summary="Draft a task (host)")
def create_task(request: AuthenticatedHttpRequest, payload: TaskIn) -> Status[SharingTask]:
    if not permissions.can_manage_sharing(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers set up sharing tasks."))
    task = services.create_task(
        actor=request.user,
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
def get_task(request: AuthenticatedHttpRequest, task_id: int) -> dict[str, Any]:
    return _detail(selectors.get_task_for_user(request.user, task_id))


@router.post("/tasks/{task_id}/status", response=TaskOut, summary="Move a task to another state (host)")
def change_status(request: AuthenticatedHttpRequest, task_id: int, payload: TaskStatusIn) -> SharingTask:
    task = selectors.get_task_for_user(request.user, task_id)
    return services.change_task_status(
        actor=request.user,
        task=task,
        target=payload.status,
        reason=payload.reason,
        certificate_number=payload.certificate_number,
    )


@router.post("/tasks/{task_id}/amendments", response={201: AmendmentOut}, summary="Propose an amendment")
def propose(
    request: AuthenticatedHttpRequest, task_id: int, payload: AmendmentIn
) -> Status[SharingAmendment]:
    task = selectors.get_task_for_user(request.user, task_id)
    amendment = services.propose_amendment(
        actor=request.user,
        task=task,
        changes=payload.changes.terms(),
        reason=payload.reason,
    )
    return Status(201, amendment)


@router.post("/amendments/{amendment_id}/accept", response=AmendmentOut, summary="Accept an amendment")
def accept(request: AuthenticatedHttpRequest, amendment_id: int) -> SharingAmendment:
    amendment = selectors.get_amendment_for_user(request.user, amendment_id)
    return services.answer_amendment(actor=request.user, amendment=amendment, accept=True)


@router.post("/amendments/{amendment_id}/decline", response=AmendmentOut, summary="Decline an amendment")
def decline(request: AuthenticatedHttpRequest, amendment_id: int) -> SharingAmendment:
    amendment = selectors.get_amendment_for_user(request.user, amendment_id)
    return services.answer_amendment(actor=request.user, amendment=amendment, accept=False)


@router.post(
    "/tasks/{task_id}/measurements", response={201: MeasurementOut}, summary="Record an outcome (host)"
)
def measure(request: AuthenticatedHttpRequest, task_id: int, payload: MeasurementIn) -> Status[Any]:
    task = selectors.get_task_for_user(request.user, task_id)
    measurement = services.record_measurement(
        actor=request.user,
        task=task,
        **payload.dict(),
    )
    return Status(201, measurement)


@router.post("/payouts/{payout_id}/settle", response=PayoutOut, summary="Record a payout as paid (host)")
def settle(request: AuthenticatedHttpRequest, payout_id: int, payload: SettleIn) -> Any:
    payout = selectors.get_payout_for_user(request.user, payout_id)
    return services.settle_payout(actor=request.user, payout=payout, settled_on=payload.settled_on)


@router.get("/points", response=list[PointOut], summary="Incentive points, each with its task")
def points(request: AuthenticatedHttpRequest) -> Any:
    return selectors.points_for_user(request.user)[:500]


@router.get("/programme", response=ProgrammeOut, summary="The host's benefit-sharing set-up")
def programme(request: AuthenticatedHttpRequest) -> SharingProgramme:
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
def save_programme(request: AuthenticatedHttpRequest, payload: ProgrammeIn) -> SharingProgramme:
    return services.save_programme(actor=request.user, values=payload.dict())
