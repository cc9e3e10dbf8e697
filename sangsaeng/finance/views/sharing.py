"""Benefit-sharing pages: the task list, a task with both parties' amendments, outcomes and payouts,
and the partner's incentive points."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.access import HostArea, require_area
from sangsaeng.core import dates, workflow
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.pagination import page_of
from sangsaeng.core.spreadsheets import build_xlsx
from sangsaeng.finance import permissions, selectors, services
from sangsaeng.finance.documents import evidence_pdfs
from sangsaeng.finance.forms import (
    AmendmentForm,
    MeasurementForm,
    SettleForm,
    TaskStatusForm,
)
from sangsaeng.finance.models import AmendmentStatus, SharingTask, TaskStatus
from sangsaeng.finance.services.sharing import AMENDABLE_STATUSES


def _targets(task: SharingTask) -> list[tuple[str, str]]:
    return [(target, str(TaskStatus(target).label)) for target in workflow.allowed_targets(task)]


@login_required
def tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_area(request.user, HostArea.SHARING)
    page = page_of(request, selectors.tasks_for_user(request.user), selectors.PAGE_SIZE)
    return render(
        request,
        "finance/sharing_tasks.html",
        {"page": page, "can_manage": permissions.can_manage_sharing(request.user)},
    )


def _task_context(request: AuthenticatedHttpRequest, task: SharingTask, **forms: Any) -> dict[str, Any]:
    user = request.user
    amendments = list(selectors.amendments_of(task))
    pending = next((a for a in amendments if a.status == AmendmentStatus.PENDING), None)
    return {
        "task": task,
        "amendments": amendments,
        "pending": pending,
        "can_answer": pending is not None and permissions.can_answer_amendment(user, pending),
        "can_manage": permissions.can_manage_sharing(user),
        "can_propose": permissions.can_propose_amendment(user, task)
        and pending is None
        and task.status in AMENDABLE_STATUSES,
        "measurements": selectors.measurements_of(task),
        "status_form": forms.get("status_form") or TaskStatusForm(targets=_targets(task)),
        "amendment_form": forms.get("amendment_form") or AmendmentForm(),
        "measurement_form": forms.get("measurement_form") or MeasurementForm(),
        "today": dates.today(),
    }


@login_required
def task(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    item = selectors.get_task_for_user(request.user, task_id)
    return render(request, "finance/sharing_task.html", _task_context(request, item))


@login_required
@require_POST
def task_status(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    item = selectors.get_task_for_user(request.user, task_id)
    if not permissions.can_manage_sharing(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers change sharing tasks."))
    form = TaskStatusForm(request.POST, targets=_targets(item))
    if form.is_valid():
        try:
            services.change_task_status(
                actor=request.user,
                task=item,
                target=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                certificate_number=form.cleaned_data["certificate_number"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The task's status changed."))
            return redirect("finance:sharing_task", task_id=item.pk)
    return render(
        request, "finance/sharing_task.html", _task_context(request, item, status_form=form), status=422
    )


@login_required
@require_POST
def propose_amendment(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    item = selectors.get_task_for_user(request.user, task_id)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.propose_amendment(
                actor=request.user, task=item, changes=form.changes(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The amendment was sent to the other party."))
            return redirect("finance:sharing_task", task_id=item.pk)
    return render(
        request, "finance/sharing_task.html", _task_context(request, item, amendment_form=form), status=422
    )


@login_required
@require_POST
def answer_amendment(request: AuthenticatedHttpRequest, amendment_id: int) -> HttpResponse:
    amendment = selectors.get_amendment_for_user(request.user, amendment_id)
    try:
        services.answer_amendment(
            actor=request.user, amendment=amendment, accept=request.POST.get("answer") == "accept"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer was recorded."))
    return redirect("finance:sharing_task", task_id=amendment.task_id)


@login_required
@require_POST
def record_measurement(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    item = selectors.get_task_for_user(request.user, task_id)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            services.record_measurement(actor=request.user, task=item, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Outcome recorded; the payout is computed."))
            return redirect("finance:sharing_task", task_id=item.pk)
    return render(
        request, "finance/sharing_task.html", _task_context(request, item, measurement_form=form), status=422
    )


@login_required
@require_POST
def settle_payout(request: AuthenticatedHttpRequest, payout_id: int) -> HttpResponse:
    payout = selectors.get_payout_for_user(request.user, payout_id)
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the payout was paid."))
    else:
        try:
            services.settle_payout(
                actor=request.user, payout=payout, settled_on=form.cleaned_data["settled_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Payout recorded as paid."))
    return redirect("finance:sharing_task", task_id=payout.task_id)


@login_required
def points(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_area(request.user, HostArea.SHARING)
    page = page_of(request, selectors.points_for_user(request.user), selectors.PAGE_SIZE)
    return render(request, "finance/sharing_points.html", {"page": page})


@login_required
def evidence_pack(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    """The evidence pack for the Foundation (협력재단), for the task's parties and the host: a zip of
    PDFs (contract, plan, measurements, payouts, proof of sharing) and the same figures as .xlsx."""
    item = selectors.get_task_for_user(request.user, task_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in evidence_pdfs(item):
            archive.writestr(name, content)
        for name, headers, rows in selectors.evidence_sheets(item):
            archive.writestr(name, build_xlsx(name.removesuffix(".xlsx"), headers, rows))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="sharing-task-{item.pk}-evidence.zip"'
    return response
