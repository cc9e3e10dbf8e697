"""Loan fund API, mounted at /api/v1/finance. Same selectors and services as the pages; money-moving
calls (recommend, approve, disburse, repay) take an Idempotency-Key header."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from sangsaeng.accounts.access import HostArea, require_area
from sangsaeng.core.api_errors import ApiErrorOut
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.idempotency import idempotent
from sangsaeng.core.pagination import page_slice
from sangsaeng.core.schemas import Id
from sangsaeng.core.spreadsheets import XLSX_CONTENT_TYPE, build_xlsx
from sangsaeng.finance import permissions, selectors, services
from sangsaeng.finance.api_sharing import router as sharing_router
from sangsaeng.finance.models import FundBank, LoanApplication, LoanFund
from sangsaeng.finance.schemas import (
    AmountIn,
    ApplicationIn,
    ApplicationOut,
    ApplicationPageOut,
    BankImportOut,
    DisburseIn,
    FinanceGradeIn,
    FinanceGradeOut,
    FinanceGradePageOut,
    FinancePageIn,
    FinanceReasonIn,
    FundPatchIn,
    LoanDetailOut,
    LoanFundIn,
    LoanFundOut,
    LoanOut,
    LoanPageOut,
    PoolIn,
    PoolOut,
    PoolPatchIn,
    RepaymentCorrectionIn,
    RepaymentCorrectionOut,
    RepaymentIn,
    RepaymentOut,
    SimulateIn,
    SimulationOut,
)
from sangsaeng.finance.services.bank_files import apply_bank_file, read_bank_file
from sangsaeng.finance.services.setup import can_set_up_funds

router = Router(tags=["finance"])
router.add_router("/sharing", sharing_router)


def _application_body(application: LoanApplication) -> dict[str, Any]:
    return ApplicationOut.from_orm(application).model_dump(mode="json")


def _reloaded(request: AuthenticatedHttpRequest, application: LoanApplication) -> dict[str, Any]:
    return _application_body(selectors.get_application_for_user(request.user, application.pk))


@router.get("/funds", response=list[LoanFundOut], summary="Open funds and their banks")
def list_funds(request: AuthenticatedHttpRequest) -> Any:
    """Funds open for applications, with each participating bank's pool and rates (no partner data)."""
    if not permissions.can_simulate(request.user):
        raise PermissionDenied(_("Sign in with an organisation to see the funds."))
    return selectors.open_funds_with_banks()


@router.post("/simulate", response=SimulationOut, summary="Simulate a loan")
def simulate(request: AuthenticatedHttpRequest, payload: SimulateIn) -> dict[str, Any]:
    """Amount, term and method → schedule, total interest and the saving against the bank's own rate."""
    if not permissions.can_simulate(request.user):
        raise PermissionDenied(_("Sign in with an organisation to use the simulator."))
    fund = selectors.get_open_fund(payload.fund_id)
    pool = selectors.get_open_pool(fund, payload.pool_id)
    if payload.grace_months >= payload.term_months:
        raise ValidationError({"grace_months": _("The grace period must be shorter than the term.")})
    if payload.method not in ("equal_payment", "equal_principal", "bullet"):
        raise ValidationError({"method": _("Choose a repayment method.")})
    result = selectors.simulate(
        pool,
        amount_krw=payload.amount_krw,
        term_months=payload.term_months,
        method=payload.method,
        grace_months=payload.grace_months,
        partner=selectors.simulation_partner(request.user),
    )
    return {
        "rate_breakdown": result.breakdown.as_dict(),
        "personal": result.personal,
        "annual_rate": result.annual_rate,
        "rate_without_fund": result.rate_without_fund,
        "total_interest_krw": result.total_interest_krw,
        "interest_without_fund_krw": result.interest_without_fund_krw,
        "saving_krw": result.saving_krw,
        "rows": [row.__dict__ for row in result.rows],
    }


@router.get("/applications", response=ApplicationPageOut, summary="List loan applications")
def list_applications(request: AuthenticatedHttpRequest, page: Query[FinancePageIn]) -> dict[str, Any]:
    """Own company's (partner), own bank's recommendations (loan officer), or all (host)."""
    require_area(request.user, HostArea.LOANS)
    queryset = selectors.for_application_list(selectors.applications_for_user(request.user))
    if page.status:
        queryset = queryset.filter(status=page.status)
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": page_slice(queryset, page),
    }


@router.post("/applications", response={201: ApplicationOut}, summary="Apply for a loan")
def apply(request: AuthenticatedHttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    if not permissions.can_apply_for_loan(request.user):
        raise PermissionDenied(_("Only a partner's people apply for fund loans."))
    fund = selectors.get_open_fund(payload.fund_id)
    application = services.apply_for_loan(
        actor=request.user,
        fund=fund,
        pool=selectors.get_open_pool(fund, payload.pool_id),
        amount_krw=payload.amount_krw,
        purpose=payload.purpose,
        term_months=payload.term_months,
        method=payload.method,
        grace_months=payload.grace_months,
        use_of_funds=payload.use_of_funds,
    )
    return Status(201, _reloaded(request, application))


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One loan application")
def get_application(request: AuthenticatedHttpRequest, application_id: Id) -> LoanApplication:
    return selectors.get_application_for_user(request.user, application_id)


@router.post(
    "/applications/{application_id}/recommend",
    response=ApplicationOut,
    summary="Recommend (host; idempotent)",
)
@idempotent("finance.recommend")
def recommend(request: AuthenticatedHttpRequest, application_id: Id, payload: AmountIn) -> dict[str, Any]:
    application = selectors.get_application_for_user(request.user, application_id)
    done = services.recommend_application(
        actor=request.user,
        application=application,
        amount_krw=payload.amount_krw,
        note=payload.note,
    )
    return _reloaded(request, done)


@router.post("/applications/{application_id}/reject", response=ApplicationOut, summary="Reject (host)")
def reject(request: AuthenticatedHttpRequest, application_id: Id, payload: FinanceReasonIn) -> dict[str, Any]:
    application = selectors.get_application_for_user(request.user, application_id)
    done = services.reject_application(
        actor=request.user,
        application=application,
        reason=payload.reason,
    )
    return _reloaded(request, done)


@router.post(
    "/applications/{application_id}/approve", response=ApplicationOut, summary="Approve (bank; idempotent)"
)
@idempotent("finance.approve")
def approve(request: AuthenticatedHttpRequest, application_id: Id, payload: AmountIn) -> dict[str, Any]:
    application = selectors.get_application_for_user(request.user, application_id)
    done = services.bank_approve(
        actor=request.user,
        application=application,
        amount_krw=payload.amount_krw,
    )
    return _reloaded(request, done)


@router.post("/applications/{application_id}/decline", response=ApplicationOut, summary="Decline (bank)")
def decline(
    request: AuthenticatedHttpRequest, application_id: Id, payload: FinanceReasonIn
) -> dict[str, Any]:
    application = selectors.get_application_for_user(request.user, application_id)
    done = services.bank_reject(
        actor=request.user,
        application=application,
        reason=payload.reason,
    )
    return _reloaded(request, done)


@router.post(
    "/applications/{application_id}/disburse",
    response={201: LoanOut},
    summary="Record the disbursement (bank; idempotent)",
)
@idempotent("finance.disburse")
def disburse(request: AuthenticatedHttpRequest, application_id: Id, payload: DisburseIn) -> Status[Any]:
    application = selectors.get_application_for_user(request.user, application_id)
    loan = services.disburse_loan(
        actor=request.user,
        application=application,
        disbursed_on=payload.disbursed_on,
        amount_krw=payload.amount_krw,
        annual_rate=payload.annual_rate,
    )
    return Status(201, loan)


@router.get("/loans", response=LoanPageOut, summary="List loans")
def list_loans(request: AuthenticatedHttpRequest, page: Query[FinancePageIn]) -> dict[str, Any]:
    require_area(request.user, HostArea.LOANS)
    queryset = selectors.loan_list_for_user(request.user)
    if page.status:
        queryset = queryset.filter(status=page.status)
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": page_slice(queryset, page),
    }


@router.get("/loans/{loan_id}", response=LoanDetailOut, summary="One loan with its schedule and repayments")
def get_loan(request: AuthenticatedHttpRequest, loan_id: Id) -> dict[str, Any]:
    loan = selectors.get_loan_for_user(request.user, loan_id)
    body = LoanOut.from_orm(loan).model_dump()
    body["instalments"] = list(selectors.instalments_of(loan))
    body["repayments"] = list(selectors.repayments_of(loan))
    return body


@router.post(
    "/loans/{loan_id}/repayments",
    response={201: RepaymentOut},
    summary="Record a repayment (bank; idempotent)",
)
@idempotent("finance.repay")
def repay(request: AuthenticatedHttpRequest, loan_id: Id, payload: RepaymentIn) -> Status[Any]:
    loan = selectors.get_loan_for_user(request.user, loan_id)
    repayment = services.record_repayment(
        actor=request.user,
        loan=loan,
        paid_on=payload.paid_on,
        principal_krw=payload.principal_krw,
        interest_krw=payload.interest_krw,
    )
    return Status(201, repayment)


@router.post(
    "/loans/{loan_id}/repayments/{repayment_id}/corrections",
    response={201: RepaymentCorrectionOut},
    summary="Correct a repayment entry by reversal and a new entry (bank; idempotent)",
)
@idempotent("finance.correct_repayment")
def correct_repayment(
    request: AuthenticatedHttpRequest, loan_id: Id, repayment_id: Id, payload: RepaymentCorrectionIn
) -> Status[dict[str, Any]]:
    """The wrong entry stays; a reversal line cancels it and a new line (unless `void`) records the
    right date and amounts. Balance, headroom and overdue status follow. Takes an Idempotency-Key."""
    repayment = selectors.get_repayment_for_user(request.user, loan_id, repayment_id)
    reversal, replacement = services.correct_repayment(
        actor=request.user,
        repayment=repayment,
        reason=payload.reason,
        paid_on=payload.paid_on,
        principal_krw=payload.principal_krw,
        interest_krw=payload.interest_krw,
        void=payload.void,
    )
    loan = selectors.get_loan_for_user(request.user, loan_id)
    body = {
        "reversal": reversal,
        "replacement": replacement,
        "loan_balance_krw": loan.balance_krw,
        "loan_status": loan.status,
        "next_due_on": loan.next_due_on,
    }
    return Status(201, body)


@router.get("/bank-file", summary="The bank's working file (.xlsx; loan officers)")
def bank_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Recommendations waiting for the caller's bank and its active loans, in the import's columns."""
    if not permissions.is_loan_officer(request.user):
        raise PermissionDenied(_("Only loan officers download the bank file."))
    headers, rows = selectors.bank_file_rows_for_user(request.user)
    response = HttpResponse(build_xlsx(_("Bank file"), headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="fund-bank-file.xlsx"'
    return response


def _read_bank_file(request: AuthenticatedHttpRequest, file: UploadedFile) -> None:
    """Read and check the file (archive, macros, encoding, formulas, every row) outside any
    transaction, so a large or hostile file never holds the database's write lock."""
    if not permissions.is_loan_officer(request.user):
        raise PermissionDenied(_("Only loan officers import bank files."))
    request.bank_file = read_bank_file(actor=request.user, upload=file)  # type: ignore[attr-defined]


@router.post(
    "/bank-files",
    # 422: the row report when a row is refused, or the error body when the request itself is not valid.
    response={200: BankImportOut, 422: BankImportOut | ApiErrorOut},
    summary="Import a bank file (idempotent)",
)
@idempotent("finance.bank_file", prepare=_read_bank_file)
def import_file(request: AuthenticatedHttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Decisions, disbursements and repayments from a .xlsx/.csv: all rows or none (422 with the row report)."""
    # Read and checked by _read_bank_file before this transaction opened; applied here in one.
    report = apply_bank_file(actor=request.user, bank_file=request.bank_file)  # type: ignore[attr-defined]
    body = {
        "applied": report.ok,
        "rows": report.rows,
        "done": report.done,
        "errors": [{"row": row, "message": message} for row, message in report.errors],
    }
    return Status(200 if report.ok else 422, body)


@router.get("/grades", response=FinanceGradePageOut, summary="Partner grades (host: all; partner: own)")
def list_grades(request: AuthenticatedHttpRequest, page: Query[FinancePageIn]) -> dict[str, Any]:
    """Grade assignments, newest first, each dated and with its reason."""
    require_area(request.user, HostArea.FUND_DASHBOARD)
    queryset = selectors.grades_for_user(request.user)
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": page_slice(queryset, page),
    }


@router.post("/grades", response={201: FinanceGradeOut}, summary="Grade a partner (host fund managers)")
def assign_grade(request: AuthenticatedHttpRequest, payload: FinanceGradeIn) -> Status[Any]:
    """The grade applies from `valid_from` to recommendations made from then on (extra rate cut per bank)."""
    if not permissions.can_grade_partners(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers grade partners."))
    partner = selectors.partner_to_grade(payload.partner_id)
    if partner is None:
        raise ValidationError({"partner_id": _("No such partner.")})
    grade = services.assign_partner_grade(
        actor=request.user,
        partner=partner,
        grade=payload.grade,
        valid_from=payload.valid_from,
        reason=payload.reason,
    )
    return Status(201, grade)


def _fund_for_setup(request: AuthenticatedHttpRequest, fund_id: Id) -> LoanFund:
    """Funds hold no partner data; set-up is for host administrators (others get 403)."""
    if not can_set_up_funds(request.user):
        raise PermissionDenied(_("Only host administrators set up the loan fund."))
    return selectors.get_fund_for_setup(fund_id)


@router.post("/funds", response={201: LoanFundOut}, summary="Create a fund (host administrators)")
def create_fund(request: AuthenticatedHttpRequest, payload: LoanFundIn) -> Status[LoanFund]:
    fund = services.create_fund(actor=request.user, values=payload.dict())
    return Status(201, fund)


@router.patch("/funds/{fund_id}", response=LoanFundOut, summary="Change a fund's rules (host administrators)")
def update_fund(request: AuthenticatedHttpRequest, fund_id: Id, payload: FundPatchIn) -> LoanFund:
    fund = _fund_for_setup(request, fund_id)
    values = payload.dict(exclude_unset=True)
    return services.update_fund(actor=request.user, fund=fund, values=values)


@router.post("/funds/{fund_id}/banks", response={201: PoolOut}, summary="Add a participating bank")
def add_bank(request: AuthenticatedHttpRequest, fund_id: Id, payload: PoolIn) -> Status[FundBank]:
    fund = _fund_for_setup(request, fund_id)
    values = payload.dict()
    bank = selectors.bank_by_id(values.pop("bank_id"))
    if bank is None:
        raise ValidationError({"bank_id": _("Choose a bank.")})
    pool = services.add_bank(actor=request.user, fund=fund, bank=bank, values=values)
    return Status(201, pool)


@router.patch("/pools/{pool_id}", response=PoolOut, summary="Change a bank's deposit, pool or rates")
def update_bank(request: AuthenticatedHttpRequest, pool_id: Id, payload: PoolPatchIn) -> FundBank:
    if not can_set_up_funds(request.user):
        raise PermissionDenied(_("Only host administrators set up the loan fund."))
    pool = selectors.get_pool_for_setup(pool_id)
    values = payload.dict(exclude_unset=True)
    return services.update_bank(actor=request.user, pool=pool, values=values)
