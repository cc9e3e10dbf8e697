"""Overseas exhibitions API: set-up, applications, scoring and selection within the budget, support
agreements, expense claims (payment with an Idempotency-Key), outcomes, export amounts, exchange rates."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sangsaeng.core.idempotency import idempotent
from sangsaeng.core.pagination import LimitOffset
from sangsaeng.core.schemas import Id
from sangsaeng.overseas import selectors, services
from sangsaeng.overseas.models import (
    ExchangeRate,
    Exhibition,
    ExhibitionApplication,
    ExpenseClaim,
    ExportRecord,
)
from sangsaeng.overseas.schemas import (
    ApplicationScoreIn,
    ExchangeRateIn,
    ExchangeRateOut,
    ExhibitionApplicationOut,
    ExhibitionApplyIn,
    ExhibitionIn,
    ExhibitionMoveIn,
    ExhibitionOut,
    ExhibitionOutcomeIn,
    ExhibitionOutcomeOut,
    ExhibitionSelectionOut,
    ExpenseClaimOut,
    OverseasExportIn,
    OverseasExportOut,
    OverseasReasonIn,
)

router = Router(tags=["overseas"])
# Optional so that an unknown application answers 404 before a missing file answers 422.
_OPTIONAL_FILE = File(None)


@router.get("/exhibitions", response=list[ExhibitionOut], summary="List overseas exhibitions")
@paginate(LimitOffset)
def list_exhibitions(request: HttpRequest) -> Any:
    """Every exhibition (host); those taking applications and those applied to (partners)."""
    return selectors.exhibitions_for_user(request.user).prefetch_related("support_items")


@router.post("/exhibitions", response={201: ExhibitionOut}, summary="Set up an exhibition (global unit)")
def create_exhibition(request: HttpRequest, payload: ExhibitionIn) -> Status[Exhibition]:
    data = payload.dict()
    data["caps"] = {str(kind): cap for kind, cap in data["caps"].items()}
    exhibition = services.create_exhibition(actor=request.user, **data)
    return Status(201, selectors.get_exhibition_for_user(request.user, exhibition.pk))


@router.get("/exhibitions/{exhibition_id}", response=ExhibitionOut, summary="One exhibition")
def get_exhibition(request: HttpRequest, exhibition_id: Id) -> Exhibition:
    return selectors.get_exhibition_for_user(request.user, exhibition_id)


@router.post(
    "/exhibitions/{exhibition_id}/move", response=ExhibitionOut, summary="Change an exhibition's status"
)
def move_exhibition(request: HttpRequest, exhibition_id: Id, payload: ExhibitionMoveIn) -> Exhibition:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    return services.move_exhibition(
        actor=request.user, exhibition=exhibition, to=payload.to, reason=payload.reason
    )


@router.get(
    "/exhibitions/{exhibition_id}/applications",
    response=list[ExhibitionApplicationOut],
    summary="Applications to an exhibition",
)
@paginate(LimitOffset)
def list_applications(request: HttpRequest, exhibition_id: Id) -> Any:
    """Every application (host), the company's own (partners)."""
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    return selectors.applications_for_user(request.user, exhibition)


@router.post(
    "/exhibitions/{exhibition_id}/applications",
    response={201: ExhibitionApplicationOut},
    summary="Apply for exhibition support",
)
def apply(
    request: HttpRequest, exhibition_id: Id, payload: ExhibitionApplyIn
) -> Status[ExhibitionApplication]:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    application = services.apply_to_exhibition(
        actor=request.user,
        exhibition=exhibition,
        exhibits=payload.exhibits,
        amounts={str(kind): amount for kind, amount in payload.amounts.items()},
    )
    return Status(201, selectors.get_application_for_user(request.user, application.pk))


@router.post(
    "/exhibitions/{exhibition_id}/select",
    response=ExhibitionSelectionOut,
    summary="Select by score within the budget",
)
def select(request: HttpRequest, exhibition_id: Id) -> dict[str, Any]:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    result = services.select_by_score(actor=request.user, exhibition=exhibition)
    return {
        "approved_ids": [a.pk for a in result.approved],
        "not_fitting": [{"application_id": a.pk, "reason": reason} for a, reason in result.not_fitting],
    }


@router.get("/applications/{application_id}", response=ExhibitionApplicationOut, summary="One application")
def get_application(request: HttpRequest, application_id: Id) -> ExhibitionApplication:
    return selectors.get_application_for_user(request.user, application_id)


@router.post("/applications/{application_id}/score", response=ExhibitionApplicationOut, summary="Score")
def score(request: HttpRequest, application_id: Id, payload: ApplicationScoreIn) -> ExhibitionApplication:
    application = selectors.get_application_for_user(request.user, application_id)
    return services.score_application(
        actor=request.user, application=application, score=payload.score, note=payload.note
    )


@router.post(
    "/applications/{application_id}/approve",
    response=ExhibitionApplicationOut,
    summary="Select an application (commits the budget)",
)
def approve(request: HttpRequest, application_id: Id) -> ExhibitionApplication:
    application = selectors.get_application_for_user(request.user, application_id)
    services.approve_application(actor=request.user, application=application)
    return selectors.get_application_for_user(request.user, application_id)


@router.post(
    "/applications/{application_id}/reject", response=ExhibitionApplicationOut, summary="Do not select"
)
def reject(request: HttpRequest, application_id: Id, payload: OverseasReasonIn) -> ExhibitionApplication:
    application = selectors.get_application_for_user(request.user, application_id)
    return services.reject_application(actor=request.user, application=application, reason=payload.reason)


@router.post(
    "/applications/{application_id}/withdraw",
    response=ExhibitionApplicationOut,
    summary="Withdraw an application",
)
def withdraw(request: HttpRequest, application_id: Id) -> ExhibitionApplication:
    """The applying partner's people, while the application awaits selection."""
    application = selectors.get_application_for_user(request.user, application_id)
    return services.withdraw_application(actor=request.user, application=application)


@router.post(
    "/applications/{application_id}/agreement",
    response=ExhibitionApplicationOut,
    summary="Sign the agreement",
)
def sign(request: HttpRequest, application_id: Id) -> ExhibitionApplication:
    """The selected partner's owner signs the support agreement."""
    application = selectors.get_application_for_user(request.user, application_id)
    return services.sign_agreement(actor=request.user, application=application)


@router.get("/applications/{application_id}/claims", response=list[ExpenseClaimOut], summary="Expense claims")
@paginate(LimitOffset)
def list_claims(request: HttpRequest, application_id: Id) -> Any:
    application = selectors.get_application_for_user(request.user, application_id)
    return selectors.claims_for_user(request.user, application)


@router.post(
    "/applications/{application_id}/claims",
    response={201: ExpenseClaimOut},
    summary="Claim an expense with its receipt (multipart)",
)
def claim(
    request: HttpRequest,
    application_id: Id,
    kind: str = Form(""),
    amount_krw: int = Form(0, ge=0, le=10**12),
    receipt: UploadedFile | None = _OPTIONAL_FILE,
) -> Status[ExpenseClaim]:
    application = selectors.get_application_for_user(request.user, application_id)
    done = services.submit_claim(
        actor=request.user, application=application, kind=kind[:24], amount_krw=amount_krw, receipt=receipt
    )
    return Status(201, selectors.get_claim_for_user(request.user, done.pk))


@router.post(
    "/claims/{claim_id}/pay",
    response=ExpenseClaimOut,
    summary="Pay a claim up to the approved cap (Idempotency-Key required)",
)
@idempotent("overseas.pay_claim")
def pay(request: HttpRequest, claim_id: Id) -> ExpenseClaim:
    """Send an `Idempotency-Key` header: a repeat with the same key replays the first answer."""
    claim = selectors.get_claim_for_user(request.user, claim_id)
    services.pay_claim(actor=request.user, claim=claim)
    return selectors.get_claim_for_user(request.user, claim_id)


@router.post("/claims/{claim_id}/reject", response=ExpenseClaimOut, summary="Reject a claim")
def reject_claim(request: HttpRequest, claim_id: Id, payload: OverseasReasonIn) -> ExpenseClaim:
    claim = selectors.get_claim_for_user(request.user, claim_id)
    return services.reject_claim(actor=request.user, claim=claim, reason=payload.reason)


@router.put(
    "/applications/{application_id}/outcome", response=ExhibitionOutcomeOut, summary="Report the outcome"
)
def outcome(request: HttpRequest, application_id: Id, payload: ExhibitionOutcomeIn) -> Any:
    application = selectors.get_application_for_user(request.user, application_id)
    return services.report_outcome(actor=request.user, application=application, **payload.dict())


@router.post(
    "/applications/{application_id}/exports",
    response={201: OverseasExportOut},
    summary="Record an export amount",
)
def export(request: HttpRequest, application_id: Id, payload: OverseasExportIn) -> Status[ExportRecord]:
    application = selectors.get_application_for_user(request.user, application_id)
    record = services.report_export(
        actor=request.user, partner=application.partner, application=application, **payload.dict()
    )
    return Status(201, record)


@router.get("/exchange-rates", response=list[ExchangeRateOut], summary="Recorded exchange rates")
@paginate(LimitOffset)
def list_rates(request: HttpRequest) -> Any:
    return selectors.exchange_rates(request.user)


@router.post("/exchange-rates", response={201: ExchangeRateOut}, summary="Record an exchange rate (host)")
def record_rate(request: HttpRequest, payload: ExchangeRateIn) -> Status[ExchangeRate]:
    return Status(201, services.record_exchange_rate(actor=request.user, **payload.dict()))
