"""Registers every loan fund route with the tenancy harness (core/tests/test_tenancy.py).

Each `make` receives the owner of partner A and creates, for A, an application (or loan) whose use
of funds is a secret; the harness proves that the owner of partner B gets 404 and never sees it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sangsaeng.core.tests import tenancy


def _secret() -> str:
    return f"secret-{uuid.uuid4().hex[:12]}"


def _application_of(owner: Any, status: str = "applied") -> tuple[Any, str]:
    from sangsaeng.accounts.models import Organization, OrganizationKind
    from sangsaeng.finance.models import FundBank, LoanApplication, LoanFund
    from sangsaeng.partners.models import Partner

    partner = Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )
    fund = LoanFund.objects.create(
        name=_secret(),
        total_krw=10**11,
        valid_from=dt.date(2026, 1, 1),
        eligible_tiers=[1, 2, 3],
        limits_by_tier={"1": 10**9, "2": 5 * 10**8, "3": 5 * 10**8},
    )
    bank = Organization.objects.create(kind=OrganizationKind.BANK, name=_secret())
    pool = FundBank.objects.create(
        fund=fund,
        bank=bank,
        deposit_krw=10**10,
        pool_krw=3 * 10**10,
        base_rate=Decimal("4"),
        reduction=Decimal("1.5"),
    )
    secret = _secret()
    application = LoanApplication.objects.create(
        fund=fund,
        partner=partner,
        pool=pool,
        amount_krw=10**8,
        purpose="working",
        use_of_funds=secret,
        term_months=12,
        method="equal_payment",
        status=status,
        created_by=owner,
    )
    return application, secret


def _application(owner: Any) -> tenancy.Owned:
    application, secret = _application_of(owner)
    return tenancy.Owned({"application_id": application.pk}, secret)


def _recommended(owner: Any) -> tenancy.Owned:
    from sangsaeng.finance.models import Recommendation

    application, secret = _application_of(owner, status="recommended")
    Recommendation.objects.create(
        application=application,
        serial=secret,
        amount_krw=application.amount_krw,
        issued_by=owner,
        issued_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2026, 3, 5),
    )
    return tenancy.Owned({"application_id": application.pk}, secret)


def _loan(owner: Any) -> tenancy.Owned:
    from sangsaeng.finance.models import Instalment, Loan

    application, secret = _application_of(owner, status="disbursed")
    loan = Loan.objects.create(
        application=application,
        pool=application.pool,
        partner=application.partner,
        principal_krw=application.amount_krw,
        balance_krw=application.amount_krw,
        annual_rate=Decimal("2.5"),
        rate_without_fund=Decimal("4"),
        method="bullet",
        term_months=12,
        disbursed_on=dt.date(2026, 1, 5),
        maturity_on=dt.date(2027, 1, 5),
        saving_accrued_until=dt.date(2026, 1, 5),
        disbursed_by=owner,
    )
    Instalment.objects.create(
        loan=loan,
        number=1,
        due_on=dt.date(2027, 1, 5),
        principal_krw=10**8,
        interest_krw=2_500_000,
        balance_after_krw=0,
    )
    return tenancy.Owned({"loan_id": loan.pk}, secret)


_AMOUNT = {"amount_krw": 10**8, "note": ""}
_REASON = {"reason": "tenancy check"}

for route in ("finance:application",):
    tenancy.register_object(route, make=_application)
tenancy.register_object("finance:letter", make=_recommended)
tenancy.register_object("finance:letter_pdf", make=_recommended)
tenancy.register_object("finance:recommend", make=_application, method="post", data=_AMOUNT)
tenancy.register_object("finance:reject", make=_application, method="post", data=_REASON)
tenancy.register_object("finance:bank_approve", make=_recommended, method="post", data=_AMOUNT)
tenancy.register_object("finance:bank_reject", make=_recommended, method="post", data=_REASON)
tenancy.register_object(
    "finance:disburse", make=_recommended, method="post", data={"disbursed_on": "2026-01-05"}
)
tenancy.register_object("finance:loan", make=_loan)
tenancy.register_object(
    "finance:repay",
    make=_loan,
    method="post",
    data={"paid_on": "2026-02-05", "principal_krw": 1, "interest_krw": 0},
)

tenancy.register_object("GET /api/v1/finance/applications/{application_id}", make=_application)
tenancy.register_object(
    "POST /api/v1/finance/applications/{application_id}/recommend", make=_application, data=_AMOUNT
)
tenancy.register_object(
    "POST /api/v1/finance/applications/{application_id}/reject", make=_application, data=_REASON
)
tenancy.register_object(
    "POST /api/v1/finance/applications/{application_id}/approve", make=_recommended, data=_AMOUNT
)
tenancy.register_object(
    "POST /api/v1/finance/applications/{application_id}/decline", make=_recommended, data=_REASON
)
tenancy.register_object(
    "POST /api/v1/finance/applications/{application_id}/disburse",
    make=_recommended,
    data={"amount_krw": 10**8},
)
tenancy.register_object("GET /api/v1/finance/loans/{loan_id}", make=_loan)
tenancy.register_object(
    "POST /api/v1/finance/loans/{loan_id}/repayments",
    make=_loan,
    data={"paid_on": "2026-02-05", "principal_krw": 1, "interest_krw": 0},
)

tenancy.register_list("finance:applications", make=_application)
tenancy.register_list("finance:review_queue", make=_application)
tenancy.register_list("finance:bank_queue", make=_recommended)
tenancy.register_list("finance:dashboard", make=_loan)
tenancy.register_list("finance:bank_export", make=_recommended)
tenancy.register_list("finance:bank_import", make=_recommended)
tenancy.register_list("GET /api/v1/finance/bank-file", make=_recommended)
tenancy.register_list("GET /api/v1/finance/applications", make=_application)
tenancy.register_list("GET /api/v1/finance/applications", make=_application, query={"status": "applied"})
tenancy.register_list("GET /api/v1/finance/loans", make=_loan)
tenancy.register_list("GET /api/v1/finance/funds", make=_application)


# Benefit sharing: a task of partner A whose goal is the secret.
def _task_of(owner: Any, status: str = "registered") -> tuple[Any, str]:
    from sangsaeng.finance.models import SharingTask
    from sangsaeng.partners.models import Partner

    partner = Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )
    secret = _secret()
    task = SharingTask.objects.create(
        partner=partner,
        title=secret,
        task_type="cost_reduction",
        goal=secret,
        kpi_name="unit cost",
        kpi_baseline=Decimal("100"),
        kpi_target=Decimal("90"),
        methods=["cash"],
        cash_ratio_percent=Decimal("50"),
        status=status,
        created_by=owner,
    )
    return task, secret


def _task(owner: Any) -> tenancy.Owned:
    task, secret = _task_of(owner)
    return tenancy.Owned({"task_id": task.pk}, secret)


def _task_in_progress(owner: Any) -> tenancy.Owned:
    task, secret = _task_of(owner, status="in_progress")
    return tenancy.Owned({"task_id": task.pk}, secret)


def _amendment(owner: Any) -> tenancy.Owned:
    from sangsaeng.finance.models import SharingAmendment

    task, secret = _task_of(owner)
    amendment = SharingAmendment.objects.create(
        task=task,
        proposed_by=owner,
        by_host=True,
        reason=secret,
        before=task.contract(),
        after=task.contract(),
    )
    return tenancy.Owned({"amendment_id": amendment.pk}, secret)


def _payout(owner: Any) -> tenancy.Owned:
    from sangsaeng.finance.models import SharingMeasurement, SharingPayout

    task, secret = _task_of(owner, status="in_progress")
    measurement = SharingMeasurement.objects.create(
        task=task,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        kpi_value=Decimal("95"),
        saving_krw=10**7,
        evidence=secret,
        recorded_by=owner,
    )
    payout = SharingPayout.objects.create(task=task, measurement=measurement, amount_krw=5 * 10**6)
    return tenancy.Owned({"payout_id": payout.pk}, secret)


_SHARING = "/api/v1/finance/sharing"
tenancy.register_object(f"GET {_SHARING}/tasks/{{task_id}}", make=_task)
tenancy.register_object(
    f"POST {_SHARING}/tasks/{{task_id}}/status", make=_task, data={"status": "in_progress"}
)
tenancy.register_object(
    f"POST {_SHARING}/tasks/{{task_id}}/amendments",
    make=_task,
    data={"reason": "x", "changes": {"measurement_months": 24}},
)
tenancy.register_object(
    f"POST {_SHARING}/tasks/{{task_id}}/measurements",
    make=_task_in_progress,
    data={
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "kpi_value": "1",
        "saving_krw": 1,
        "evidence": "x",
    },
)
tenancy.register_object(f"POST {_SHARING}/amendments/{{amendment_id}}/accept", make=_amendment)
tenancy.register_object(f"POST {_SHARING}/amendments/{{amendment_id}}/decline", make=_amendment)
tenancy.register_object(
    f"POST {_SHARING}/payouts/{{payout_id}}/settle", make=_payout, data={"settled_on": "2026-04-01"}
)
tenancy.register_list(f"GET {_SHARING}/tasks", make=_task)


def _points(owner: Any) -> tenancy.Owned:
    from sangsaeng.finance.models import IncentivePoint

    task, secret = _task_of(owner, status="confirmed")
    IncentivePoint.objects.create(partner=task.partner, task=task, points=10, reason=secret)
    return tenancy.Owned({}, secret)


tenancy.register_list(f"GET {_SHARING}/points", make=_points)

tenancy.register_object("finance:sharing_task", make=_task)
tenancy.register_object("finance:sharing_status", make=_task, method="post", data={"status": "in_progress"})
tenancy.register_object(
    "finance:sharing_propose", make=_task, method="post", data={"measurement_months": 24, "reason": "x"}
)
tenancy.register_object(
    "finance:sharing_measure",
    make=_task_in_progress,
    method="post",
    data={
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "kpi_value": "1",
        "saving_krw": 1,
        "evidence": "x",
    },
)
tenancy.register_object("finance:sharing_answer", make=_amendment, method="post", data={"answer": "accept"})
tenancy.register_object(
    "finance:sharing_settle", make=_payout, method="post", data={"settled_on": "2026-04-01"}
)
tenancy.register_list("finance:sharing_tasks", make=_task)
tenancy.register_list("finance:sharing_points", make=_points)

_SETUP = "fund set-up holds no partner data; host administrators only (everyone else gets 403)"
for _route in (
    "PATCH /api/v1/finance/funds/{fund_id}",
    "POST /api/v1/finance/funds/{fund_id}/banks",
    "PATCH /api/v1/finance/pools/{pool_id}",
    "finance:fund_edit",
    "finance:pool_add",
    "finance:pool_edit",
):
    tenancy.exempt(_route, reason=_SETUP)
tenancy.register_object("finance:sharing_evidence", make=_task)
tenancy.register_list(f"GET {_SHARING}/programme", make=_task)


def _document(owner: Any) -> tenancy.Owned:
    from django.core.files.base import ContentFile

    from sangsaeng.finance.models import ApplicationDocument

    application, secret = _application_of(owner)
    document = ApplicationDocument(
        application=application,
        original_name=f"{secret}.pdf",
        content_type="application/pdf",
        size_bytes=20,
        uploaded_by=owner,
    )
    document.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(f"%PDF-1.4 {secret}".encode()), save=False)
    document.save()
    return tenancy.Owned({"application_id": application.pk, "document_id": document.pk}, secret)


tenancy.register_object("finance:add_document", make=_application, method="post")
tenancy.register_object("finance:document", make=_document)
tenancy.register_list("finance:loans_export", make=_loan)


def _listed_loan(owner: Any) -> tenancy.Owned:
    """A loan whose bank's name is the secret: the loan list shows it in the bank column."""
    from sangsaeng.finance.models import Loan

    owned = _loan(owner)
    loan = Loan.objects.select_related("pool__bank").get(pk=owned.kwargs["loan_id"])
    return tenancy.Owned({}, loan.pool.bank.name)


tenancy.register_list("finance:loans", make=_listed_loan)


def _grade(owner: Any) -> tenancy.Owned:
    """A grade of the owner's company whose reason is the secret (the grade list shows reasons)."""
    from sangsaeng.finance.models import PartnerGrade
    from sangsaeng.partners.models import Partner

    partner = Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )
    secret = _secret()
    PartnerGrade.objects.create(
        partner=partner, grade="A", valid_from=dt.date(2026, 1, 1), reason=secret, assigned_by=owner
    )
    return tenancy.Owned({}, secret)


tenancy.register_list("finance:grades", make=_grade)
tenancy.register_list("GET /api/v1/finance/grades", make=_grade)


def _repayment(owner: Any) -> tenancy.Owned:
    """A repayment of the owner's company's loan; the correction's reason would carry no secret, so
    the loan's use of funds (on the application) is the secret as for the loan itself."""
    from sangsaeng.finance.models import Loan, Repayment

    owned = _loan(owner)
    loan = Loan.objects.get(pk=owned.kwargs["loan_id"])
    repayment = Repayment.objects.create(
        loan=loan,
        paid_on=dt.date(2026, 1, 20),
        principal_krw=10**7,
        interest_krw=0,
        balance_after_krw=loan.principal_krw - 10**7,
        recorded_by=owner,
    )
    return tenancy.Owned({"loan_id": loan.pk, "repayment_id": repayment.pk}, owned.secret)


_CORRECTION = {"reason": "tenancy check", "principal_krw": 5 * 10**6}
tenancy.register_object("finance:correct_repayment", make=_repayment, method="post", data=_CORRECTION)
tenancy.register_object(
    "POST /api/v1/finance/loans/{loan_id}/repayments/{repayment_id}/corrections",
    make=_repayment,
    data=_CORRECTION,
)


# Benefit-sharing set-up: editing a draft is an object route of partner A's task (its goal is the
# secret); incentive rules hold no partner data and are for host managers only (others get 403).
def _draft(owner: Any) -> tenancy.Owned:
    from sangsaeng.finance.models import SharingTask
    from sangsaeng.partners.models import Partner

    partner = Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )
    secret = f"secret-{uuid.uuid4().hex[:12]}"
    task = SharingTask.objects.create(
        partner=partner,
        title=secret,
        task_type="cost_reduction",
        goal=secret,
        kpi_name="unit cost",
        kpi_baseline=Decimal("100"),
        kpi_target=Decimal("90"),
        methods=["cash"],
        cash_ratio_percent=Decimal("50"),
        created_by=owner,
    )
    return tenancy.Owned({"task_id": task.pk}, secret)


tenancy.register_object("finance:sharing_task_edit", make=_draft)
tenancy.register_object(
    "PATCH /api/v1/finance/sharing/tasks/{task_id}/draft", make=_draft, data={"measurement_months": 24}
)

_RULES = "incentive rules hold no partner data; host administrators and programme managers only (403)"
for _route in (
    "finance:sharing_rule_edit",
    "finance:sharing_rule_retire",
    "GET /api/v1/finance/sharing/incentive-rules/{rule_id}",
    "PATCH /api/v1/finance/sharing/incentive-rules/{rule_id}",
    "POST /api/v1/finance/sharing/incentive-rules/{rule_id}/retire",
):
    tenancy.exempt(_route, reason=_RULES)
