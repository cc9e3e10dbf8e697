"""Reads of benefit sharing (성과공유제), scoped to the acting user.

Host people see every task; a partner's people see the tasks of their company (as the 1차 partner
or as a participant) with every figure; nobody else sees any.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from sangsaeng.accounts.access import HostArea, host_may
from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import is_host, kind_of, organization_id_of
from sangsaeng.finance.models import (
    IncentivePoint,
    SharingAmendment,
    SharingMeasurement,
    SharingPayout,
    SharingTask,
    TaskStatus,
)


def tasks_for_user(user: Any) -> QuerySet[SharingTask]:
    queryset = SharingTask.objects.select_related("partner").order_by("-created_at", "-pk")
    if is_host(user):
        if host_may(user, HostArea.SHARING):
            return queryset
        # A use case's sponsor (any host role) links its outcome to the partner's tasks at the gate.
        sponsored = Q(partner__use_cases__sponsor_id=user.pk) | Q(participants__use_cases__sponsor_id=user.pk)
        return queryset.filter(pk__in=SharingTask.objects.filter(sponsored).values("pk"))
    organization_id = organization_id_of(user)
    if kind_of(user) == OrganizationKind.PARTNER and organization_id is not None:
        return queryset.filter(
            Q(partner__organization_id=organization_id) | Q(participants__organization_id=organization_id)
        ).distinct()
    return queryset.none()


def get_task_for_user(user: Any, task_id: int) -> SharingTask:
    task = tasks_for_user(user).filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


def get_amendment_for_user(user: Any, amendment_id: int) -> SharingAmendment:
    amendment = (
        SharingAmendment.objects.select_related("task__partner")
        .filter(pk=amendment_id, task__in=tasks_for_user(user).values("pk"))
        .first()
    )
    if amendment is None:
        raise Http404
    return amendment


def get_payout_for_user(user: Any, payout_id: int) -> SharingPayout:
    payout = (
        SharingPayout.objects.select_related("task__partner")
        .filter(pk=payout_id, task__in=tasks_for_user(user).values("pk"))
        .first()
    )
    if payout is None:
        raise Http404
    return payout


def amendments_of(task: SharingTask) -> QuerySet[SharingAmendment]:
    return task.amendments.select_related("proposed_by", "decided_by").order_by("created_at", "pk")


def measurements_of(task: SharingTask) -> QuerySet[SharingMeasurement]:
    return task.measurements.select_related("payout").order_by("period_start", "pk")


def payouts_of(task: SharingTask) -> QuerySet[SharingPayout]:
    return task.payouts.select_related("measurement").order_by("pk")


def points_for_user(user: Any) -> QuerySet[IncentivePoint]:
    """Incentive points with their tasks: a partner's own, or all for the host."""
    queryset = IncentivePoint.objects.select_related("partner", "task").order_by("-awarded_at", "-pk")
    if is_host(user):
        return queryset if host_may(user, HostArea.SHARING) else queryset.none()
    organization_id = organization_id_of(user)
    if kind_of(user) == OrganizationKind.PARTNER and organization_id is not None:
        return queryset.filter(partner__organization_id=organization_id)
    return queryset.none()


def total_points(partner_id: int) -> int:
    """A partner's incentive points (e.g. for R&D reviewers), each traceable to a task."""
    return int(
        IncentivePoint.objects.filter(partner_id=partner_id).aggregate(total=Sum("points"))["total"] or 0
    )


def evidence_sheets(task: SharingTask) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The evidence pack for the Foundation's confirmation: contract, amendments (both versions),
    measurements, payouts and points, one sheet each as (file name, headers, rows)."""
    contract_rows: list[list[Any]] = [
        ["title", task.title],
        ["partner", task.partner.name_ko],
        ["partner_brn", task.partner.brn],
        ["participants", ", ".join(p.name_ko for p in task.participants.all())],
        ["type", task.task_type],
        ["kpi", task.kpi_name],
        ["kpi_baseline", str(task.kpi_baseline)],
        ["status", task.status],
        ["version", task.version],
        ["certificate_number", task.certificate_number],
        *[[name, str(value)] for name, value in task.contract().items()],
    ]
    amendments = [
        [
            a.created_at.date().isoformat(),
            "host" if a.by_host else "partner",
            a.reason,
            str(a.before),
            str(a.after),
            a.status,
        ]
        for a in amendments_of(task)
    ]
    measurements = [
        [m.period_start.isoformat(), m.period_end.isoformat(), str(m.kpi_value), m.saving_krw, m.evidence]
        for m in measurements_of(task)
    ]
    payouts = [
        [
            p.measurement.period_start.isoformat(),
            p.measurement.period_end.isoformat(),
            p.amount_krw,
            p.settled_on.isoformat() if p.settled_on else "",
        ]
        for p in payouts_of(task)
    ]
    points = [
        [p.points, p.reason, p.awarded_at.date().isoformat()] for p in task.incentive_points.order_by("pk")
    ]
    return [
        ("contract.xlsx", ["field", "value"], contract_rows),
        ("amendments.xlsx", ["proposed", "by", "reason", "before", "after", "status"], amendments),
        ("measurements.xlsx", ["from", "to", "kpi_value", "saving_krw", "evidence"], measurements),
        ("payouts.xlsx", ["from", "to", "amount_krw", "paid_on"], payouts),
        ("incentive_points.xlsx", ["points", "reason", "awarded"], points),
    ]


def sharing_statistics(user: Any) -> dict[str, Any]:
    """Tasks by state and the total actually shared (paid payouts), for the host's dashboard (2 queries)."""
    if not host_may(user, HostArea.SHARING):
        raise Http404
    by_status = dict(SharingTask.objects.values_list("status").annotate(n=Count("pk")).order_by())
    shared = SharingPayout.objects.filter(settled_on__isnull=False).aggregate(total=Sum("amount_krw"))[
        "total"
    ]
    return {
        "tasks_by_status": [(label, by_status.get(value, 0)) for value, label in TaskStatus.choices],
        "total_shared_krw": int(shared or 0),
    }
