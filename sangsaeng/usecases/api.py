"""Use-case pipeline API, mounted at /api/v1/usecases. Same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from sangsaeng.accounts.selectors import find_user
from sangsaeng.core.schemas import Id, Year
from sangsaeng.usecases import selectors, services
from sangsaeng.usecases.models import GateDecision, UseCase
from sangsaeng.usecases.schemas import (
    AttachmentOut,
    BoardOut,
    FunnelRowOut,
    GateDecisionIn,
    GateDecisionOut,
    ShowcaseFilterIn,
    ShowcasePageOut,
    SponsorIn,
    UseCaseFilterIn,
    UseCaseIn,
    UseCaseOut,
    UseCasePageOut,
    UseCaseReasonIn,
)

router = Router(tags=["usecases"])
# Optional so that an unknown use case answers 404 before a missing file answers 422.
_OPTIONAL_FILE = File(None)


def _list_item(use_case: UseCase) -> dict[str, Any]:
    return {
        "id": use_case.pk,
        "title": use_case.title,
        "partner_id": use_case.partner_id,
        "partner_name": use_case.partner.name_ko,
        "industry": use_case.industry,
        "features": use_case.features,
        "stage": use_case.stage,
        "sponsor_id": use_case.sponsor_id,
        "sponsor_name": use_case.sponsor.name if use_case.sponsor else None,
        "screening_due_on": use_case.screening_due_on,
        "overdue": bool(getattr(use_case, "overdue", False)),
        "submitted_at": use_case.submitted_at,
    }


def _detail(request: HttpRequest, use_case_id: Id) -> dict[str, Any]:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    out = _list_item(use_case)
    for name in (
        "description",
        "expected_customers",
        "nda_accepted_at",
        "nda_version",
        "stage_entered_at",
        "resume_stage",
        "decision_type",
        "support_amount_krw",
        "outcome_type",
        "purchase_amount_krw",
        "benefit_sharing_reference",
    ):
        out[name] = getattr(use_case, name)
    task = selectors.visible_sharing_task(request.user, use_case)
    out["sharing_task"] = {"id": task.pk, "title": task.title, "status": task.status} if task else None
    out["attachments"] = list(use_case.attachments.all())
    return out


def _decision_out(decision: GateDecision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "from_stage": decision.from_stage,
        "to_stage": decision.to_stage,
        "scores": decision.scores,
        "reason": decision.reason,
        "decided_by_name": decision.decided_by.name,
        "decided_at": decision.decided_at,
    }


def _filters(filters: UseCaseFilterIn | ShowcaseFilterIn) -> selectors.UseCaseFilters:
    return selectors.UseCaseFilters(
        q=filters.q,
        stage=getattr(filters, "stage", None) or "",
        industry=filters.industry or "",
        feature=filters.feature or "",
        sponsor=getattr(filters, "sponsor", ""),
        overdue=getattr(filters, "overdue", None),
    )


@router.get("", response=UseCasePageOut, summary="List use cases")
def list_use_cases(request: HttpRequest, filters: Query[UseCaseFilterIn]) -> dict[str, Any]:
    """Own company's use cases (partner people) or all (host), filtered; limit/offset pagination."""
    queryset = selectors.use_case_rows_for_user(request.user, _filters(filters))
    page = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_list_item(use_case) for use_case in page],
    }


@router.post("", response={201: UseCaseOut}, summary="Propose a use case")
def propose(request: HttpRequest, payload: UseCaseIn) -> Status[dict[str, Any]]:
    use_case = services.submit_use_case(actor=request.user, **payload.dict())
    return Status(201, _detail(request, use_case.pk))


@router.get("/board", response=BoardOut, summary="Kanban board by stage (host)")
def board(request: HttpRequest, filters: Query[UseCaseFilterIn]) -> dict[str, Any]:
    the_board = selectors.board_for_user(request.user, _filters(filters))
    return {
        "total": the_board.total,
        "overdue": the_board.overdue,
        "columns": [
            {
                "stage": column.stage,
                "label": column.label,
                "count": column.count,
                "overdue": column.overdue,
                "items": [_list_item(use_case) for use_case in column.cards],
            }
            for column in the_board.columns
        ],
    }


@router.get("/showcase", response=ShowcasePageOut, summary="Showcase of approved use cases (partners)")
def showcase(request: HttpRequest, filters: Query[ShowcaseFilterIn]) -> dict[str, Any]:
    queryset = selectors.showcase_for_user(request.user, _filters(filters))
    page = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [
            {
                "id": use_case.pk,
                "title": use_case.title,
                "partner_name": use_case.partner.name_ko,
                "industry": use_case.industry,
                "features": use_case.features,
                "stage": use_case.stage,
            }
            for use_case in page
        ],
    }


@router.get("/report/funnel", response=list[FunnelRowOut], summary="Funnel and time in stage (host)")
def funnel(request: HttpRequest, year: Year | None = None) -> Any:
    return selectors.funnel_for_user(request.user, year=year)


@router.get("/{use_case_id}", response=UseCaseOut, summary="One use case")
def get_use_case(request: HttpRequest, use_case_id: Id) -> dict[str, Any]:
    return _detail(request, use_case_id)


@router.get("/{use_case_id}/decisions", response=list[GateDecisionOut], summary="Timeline of decisions")
def list_decisions(request: HttpRequest, use_case_id: Id) -> Any:
    return [_decision_out(d) for d in selectors.decisions_for_user(request.user, use_case_id)]


@router.post("/{use_case_id}/decisions", response={201: GateDecisionOut}, summary="Gate decision (sponsor)")
def decide(request: HttpRequest, use_case_id: Id, payload: GateDecisionIn) -> Status[dict[str, Any]]:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    decision = services.decide_gate(actor=request.user, use_case=use_case, **payload.dict())
    return Status(201, _decision_out(decision))


@router.post("/{use_case_id}/sponsor", response=UseCaseOut, summary="Assign the sponsor (manager)")
def assign_sponsor(request: HttpRequest, use_case_id: Id, payload: SponsorIn) -> dict[str, Any]:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    sponsor = find_user(payload.sponsor_id)
    if sponsor is None:
        raise ValidationError(
            {"sponsor_id": _("The sponsor must be a host administrator, programme manager or reviewer.")}
        )
    services.assign_sponsor(actor=request.user, use_case=use_case, sponsor=sponsor)
    return _detail(request, use_case_id)


@router.post("/{use_case_id}/hold", response={201: GateDecisionOut}, summary="Put on hold (shelf)")
def hold(request: HttpRequest, use_case_id: Id, payload: UseCaseReasonIn) -> Status[dict[str, Any]]:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    return Status(
        201, _decision_out(services.put_on_hold(actor=request.user, use_case=use_case, reason=payload.reason))
    )


@router.post("/{use_case_id}/resume", response={201: GateDecisionOut}, summary="Resume from the shelf")
def resume(request: HttpRequest, use_case_id: Id, payload: UseCaseReasonIn) -> Status[dict[str, Any]]:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    return Status(
        201,
        _decision_out(services.resume_use_case(actor=request.user, use_case=use_case, reason=payload.reason)),
    )


@router.post("/{use_case_id}/stop", response={201: GateDecisionOut}, summary="Stop the use case")
def stop(request: HttpRequest, use_case_id: Id, payload: UseCaseReasonIn) -> Status[dict[str, Any]]:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    return Status(
        201,
        _decision_out(services.stop_use_case(actor=request.user, use_case=use_case, reason=payload.reason)),
    )


@router.post(
    "/{use_case_id}/attachments", response={201: AttachmentOut}, summary="Attach a document (partner)"
)
def attach(request: HttpRequest, use_case_id: Id, file: UploadedFile | None = _OPTIONAL_FILE) -> Status[Any]:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    return Status(201, services.add_attachment(actor=request.user, use_case=use_case, upload=file))
