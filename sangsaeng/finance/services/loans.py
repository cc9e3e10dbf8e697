"""The three-party loan workflow: the partner applies, the host recommends (추천) or rejects, the
bank approves or rejects, disburses, and records repayments; unused reservations expire.

Every function: permission first (PermissionDenied), then validation (ValidationError with field
errors), then the change with its capacity moves (services.capacity) and exactly one audit event,
all in one transaction; notifications are created in it and mailed after commit.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import OrganizationKind, Role, User
from sangsaeng.accounts.selectors import organization_id_of
from sangsaeng.core import audit, dates, workflow
from sangsaeng.core.uploads import DOCUMENT_KINDS, validate_upload
from sangsaeng.finance import permissions
from sangsaeng.finance.models import (
    ApplicationDocument,
    ApplicationStatus,
    FundBank,
    Instalment,
    Loan,
    LoanApplication,
    LoanFund,
    LoanPurpose,
    LoanStatus,
    PoolSnapshot,
    Recommendation,
    Repayment,
    RepaymentKind,
    RepaymentMethod,
)
from sangsaeng.finance.schedule import add_months, build_schedule, interest_between
from sangsaeng.finance.selectors.loans import rate_breakdown, rate_breakdown_of
from sangsaeng.finance.services import capacity
from sangsaeng.partners.models import Partner, PartnerStatus
from sangsaeng.partners.selectors import own_partner_for_user
from sangsaeng.partners.services.common import notify_in_their_language, partner_owners


def _clean_text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _locked(application: LoanApplication) -> LoanApplication:
    return (
        LoanApplication.objects.select_for_update(of=("self",))
        .select_related("fund", "partner", "pool__bank")
        .get(pk=application.pk)
    )


def _transition(
    actor: User | None,
    action: str,
    application: LoanApplication,
    target: str,
    reason: str = "",
    **updates: object,
) -> None:
    """The application's status change (core.workflow: declared transition, guarded write, one audit
    event with the status and the changed `updates`)."""
    workflow.transition(
        application,
        target,
        actor=actor,
        reason=reason,
        action=action,
        updates=updates,
        partner_organization_id=application.partner.organization_id,
    )


def application_url(application: LoanApplication) -> str:
    return reverse("finance:application", kwargs={"application_id": application.pk})


def _tell_partner(application: LoanApplication) -> None:
    def message() -> tuple[str, str]:
        status = application.get_status_display()
        body = _("Loan application #%(id)s: %(status)s.") % {"id": application.pk, "status": status}
        if application.status_reason:
            body += "\n" + _("Reason: %(reason)s") % {"reason": application.status_reason}
        return _("Loan application: %(status)s") % {"status": status}, body

    notify_in_their_language(partner_owners(application.partner), message, application_url(application))


def _bank_officers(pool: FundBank) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization_id=pool.bank_id,
            memberships__organization__kind=OrganizationKind.BANK,
            memberships__role=Role.LOAN_OFFICER,
        ).distinct()
    )


def apply_for_loan(
    *,
    actor: User,
    fund: LoanFund,
    pool: FundBank,
    amount_krw: int,
    purpose: str,
    term_months: int,
    method: str,
    grace_months: int = 0,
    use_of_funds: str = "",
) -> LoanApplication:
    """A partner's owner or member applies for a fund loan for their own company at a preferred bank.

    The fund must be open, the bank must take part in it, the purpose and term must be offered and
    the amount must fit the company's limit for its tier. Eligibility (approval, tier, fair trade,
    headroom) is checked again by the host when recommending. Raises PermissionDenied or ValidationError.
    """
    with transaction.atomic():
        partner: Partner | None = own_partner_for_user(actor)
        if not permissions.can_apply_for_loan(actor) or partner is None:
            raise PermissionDenied(_("Only a partner's people apply for fund loans."))
        errors: dict[str, list[ValidationError]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(ValidationError(message))

        if not fund.is_active:
            add("fund", _("This fund is not open for applications."))
        if pool.fund_id != fund.pk:
            add("pool", _("This bank does not take part in this fund."))
        if purpose not in LoanPurpose.values or (fund.purposes and purpose not in fund.purposes):
            add("purpose", _("Choose a purpose this fund offers."))
        if method not in RepaymentMethod.values:
            add("method", _("Choose a repayment method."))
        if fund.terms_months and term_months not in fund.terms_months:
            add("term_months", _("Choose a term this fund offers."))
        if term_months <= 0:
            add("term_months", _("The term must be at least one month."))
        if grace_months < 0 or grace_months >= max(term_months, 1):
            add("grace_months", _("The grace period must be shorter than the term."))
        limit = fund.limit_for_tier(partner.tier)
        if amount_krw <= 0:
            add("amount_krw", _("Enter an amount above zero."))
        elif amount_krw > limit:
            add("amount_krw", _("The limit for your tier is %(limit)s원.") % {"limit": f"{limit:,}"})
        if errors:
            raise ValidationError(errors)
        application = LoanApplication.objects.create(
            fund=fund,
            partner=partner,
            pool=pool,
            amount_krw=amount_krw,
            purpose=purpose,
            term_months=term_months,
            grace_months=grace_months,
            method=method,
            use_of_funds=_clean_text(use_of_funds),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="finance.apply_for_loan",
            target=application,
            changes={
                "amount_krw": [None, amount_krw],
                "pool": [None, pool.pk],
                "purpose": [None, purpose],
                "term_months": [None, term_months],
                "method": [None, method],
            },
            partner_organization_id=partner.organization_id,
        )
    return application


def upload_application_document(
    *, actor: User, application: LoanApplication, upload: UploadedFile
) -> ApplicationDocument:
    """The partner's people attach a document (PDF, PNG or JPEG) until the bank has decided.

    The content is checked, not only the name; the stored name is random. Raises PermissionDenied
    or ValidationError (field "file").
    """
    # Checked before the transaction: reading a file never holds the write lock.
    try:
        kind = validate_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=settings.MAX_DOCUMENT_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error
    with transaction.atomic():
        application = _locked(application)
        if not (
            permissions.can_apply_for_loan(actor)
            and organization_id_of(actor) == application.partner.organization_id
        ):
            raise PermissionDenied(_("Only the company's people add documents to its application."))
        if application.status not in (ApplicationStatus.APPLIED, ApplicationStatus.RECOMMENDED):
            raise ValidationError({"file": _("Documents can be added until the bank decides.")})
        original_name = unicodedata.normalize("NFC", os.path.basename(upload.name or ""))[:255]
        upload.name = f"{uuid.uuid4().hex}{os.path.splitext(original_name)[1].lower()}"
        document = ApplicationDocument.objects.create(
            application=application,
            file=upload,
            original_name=original_name,
            content_type=kind.content_type,
            size_bytes=upload.size or 0,
            uploaded_by=actor,
        )
        audit.record(
            actor=actor,
            action="finance.upload_application_document",
            target=application,
            changes={"document": [None, document.pk], "name": [None, original_name]},
            partner_organization_id=application.partner.organization_id,
        )
    return document


def eligibility_problems(application: LoanApplication) -> list[str]:
    """Why the host may not recommend this company (empty when it may): approval, tier, fair trade."""
    partner, fund = application.partner, application.fund
    problems = []
    if partner.status != PartnerStatus.APPROVED:
        problems.append(_("The company is not an approved partner."))
    if fund.eligible_tiers and partner.tier not in fund.eligible_tiers:
        problems.append(_("The company's tier is not eligible for this fund."))
    if fund.requires_fair_trade and not partner.fair_trade_agreement:
        problems.append(_("The fund requires a fair-trade agreement."))
    if not fund.is_active:
        problems.append(_("This fund is not open."))
    return problems


def recommend_application(
    *, actor: User, application: LoanApplication, amount_krw: int | None = None, note: str = ""
) -> LoanApplication:
    """The host recommends (추천) an application to the bank, possibly for a lower amount.

    Checks eligibility (approved partner, tier, fair-trade flag) and reserves the amount against the
    company's limit, the bank's pool and the fund with guarded updates; issues the letter with a
    serial number, valid for the fund's configured days. Raises PermissionDenied or ValidationError.
    """
    with transaction.atomic():
        application = _locked(application)
        if not permissions.can_review_application(actor, application):
            raise PermissionDenied(_("Only host administrators and programme managers recommend loans."))
        workflow.check_transition(application, ApplicationStatus.RECOMMENDED)
        problems = eligibility_problems(application)
        if problems:
            raise ValidationError(problems, code="eligibility")
        amount = application.amount_krw if amount_krw is None else amount_krw
        if not 0 < amount <= application.amount_krw:
            raise ValidationError(
                {"amount_krw": _("Recommend an amount above zero and at most the amount applied for.")}
            )
        capacity.reserve(application, amount)
        today = dates.today()
        expires_on = today + dt.timedelta(days=application.fund.recommendation_valid_days)
        breakdown = rate_breakdown(application.pool, application.partner, today)
        Recommendation.objects.create(
            application=application,
            serial=f"SS-{today.year}-{application.pk:06d}",
            amount_krw=amount,
            issued_by=actor,
            issued_on=today,
            expires_on=expires_on,
            rate_without_fund=breakdown.rate_without_fund,
            base_reduction=breakdown.base_reduction,
            partner_grade=breakdown.grade,
            grade_reduction=breakdown.grade_reduction,
            incentive_points=breakdown.points,
            points_reduction=breakdown.points_reduction,
            expected_rate=breakdown.rate,
        )
        workflow.transition(
            application,
            ApplicationStatus.RECOMMENDED,
            actor=actor,
            action="finance.recommend_application",
            updates={"status_reason": _clean_text(note), "reserved_krw": amount, "expires_on": expires_on},
            partner_organization_id=application.partner.organization_id,
            extra_changes={"expected_rate": [None, str(breakdown.rate)]},
        )
        _tell_partner(application)
        notify_in_their_language(
            _bank_officers(application.pool),
            lambda: (
                _("New fund loan recommendation"),
                _("%(company)s was recommended for %(amount)s원.")
                % {"company": application.partner.name_ko, "amount": f"{amount:,}"},
            ),
            application_url(application),
        )
    return application


def reject_application(*, actor: User, application: LoanApplication, reason: str) -> LoanApplication:
    """The host rejects an application with a reason the partner sees. Raises PermissionDenied or ValidationError."""
    with transaction.atomic():
        application = _locked(application)
        if not permissions.can_review_application(actor, application):
            raise PermissionDenied(_("Only host administrators and programme managers reject loans."))
        workflow.check_transition(application, ApplicationStatus.REJECTED)
        reason = _clean_text(reason)
        if not reason:
            raise ValidationError({"reason": _("Give a reason; the partner will see it.")})
        _transition(
            actor,
            "finance.reject_application",
            application,
            ApplicationStatus.REJECTED,
            reason=reason,
            status_reason=reason,
        )
        _tell_partner(application)
    return application


def _require_bank(actor: User, application: LoanApplication) -> None:
    if not permissions.can_decide_as_bank(actor, application):
        raise PermissionDenied(_("Only loan officers of the bank this was sent to decide on it."))


def bank_approve(
    *, actor: User, application: LoanApplication, amount_krw: int | None = None
) -> LoanApplication:
    """The bank approves a recommendation, possibly for less; the difference is released at once.

    Raises PermissionDenied (not an officer of this bank) or ValidationError.
    """
    with transaction.atomic():
        application = _locked(application)
        _require_bank(actor, application)
        workflow.check_transition(application, ApplicationStatus.BANK_APPROVED)
        amount = application.reserved_krw if amount_krw is None else amount_krw
        if not 0 < amount <= application.reserved_krw:
            raise ValidationError(
                {"amount_krw": _("Approve an amount above zero and at most the recommended amount.")}
            )
        capacity.release(application, application.reserved_krw - amount)
        _transition(
            actor,
            "finance.bank_approve",
            application,
            ApplicationStatus.BANK_APPROVED,
            approved_krw=amount,
            reserved_krw=amount,
        )
        _tell_partner(application)
    return application


def bank_reject(*, actor: User, application: LoanApplication, reason: str) -> LoanApplication:
    """The bank declines a recommendation (credit review); the reservation is released."""
    with transaction.atomic():
        application = _locked(application)
        _require_bank(actor, application)
        workflow.check_transition(application, ApplicationStatus.BANK_REJECTED)
        reason = _clean_text(reason)
        if not reason:
            raise ValidationError({"reason": _("Give a reason; the partner will see it.")})
        capacity.release(application, application.reserved_krw)
        _transition(
            actor,
            "finance.bank_reject",
            application,
            ApplicationStatus.BANK_REJECTED,
            reason=reason,
            status_reason=reason,
            reserved_krw=0,
        )
        _tell_partner(application)
    return application


def next_due_on(loan: Loan) -> dt.date | None:
    """The due date of the first instalment whose principal the repayments so far do not cover."""
    repaid = loan.principal_krw - loan.balance_krw
    scheduled = 0
    for due_on, principal in loan.instalments.order_by("number").values_list("due_on", "principal_krw"):
        scheduled += principal
        if principal and scheduled > repaid:
            return due_on
    return None


def preferential_rate(application: LoanApplication) -> Decimal:
    """The rate the fund gives this application: as recommended (base, grade and incentive-point cuts,
    kept on the letter), or, for a letter without a kept breakdown, the partner's cuts today."""
    return rate_breakdown_of(application).rate


def _disbursement_follows(application: LoanApplication) -> dt.date:
    """The earliest day a loan can be disbursed: the day of its recommendation letter (or of the
    application, for an application without a letter)."""
    applied_on = timezone.localdate(application.created_at)
    letter = (
        Recommendation.objects.filter(application=application).values_list("issued_on", flat=True).first()
    )
    return max(applied_on, letter) if letter else applied_on


def disburse_loan(
    *,
    actor: User,
    application: LoanApplication,
    disbursed_on: dt.date | None = None,
    amount_krw: int | None = None,
    annual_rate: Decimal | None = None,
) -> Loan:
    """The bank records the disbursement: the reservation becomes outstanding (any rest is released)
    and the repayment schedule is generated. The rate defaults to the pool's fund rate less the
    partner's incentive-point cut (preferential_rate).

    Raises PermissionDenied or ValidationError (amount above the approval, a future date, a rate
    not below the rate without the fund).
    """
    with transaction.atomic():
        application = _locked(application)
        _require_bank(actor, application)
        workflow.check_transition(application, ApplicationStatus.DISBURSED)
        pool = application.pool
        approved = application.reserved_krw
        amount = approved if amount_krw is None else amount_krw
        breakdown = rate_breakdown_of(application)
        rate = breakdown.rate if annual_rate is None else Decimal(annual_rate)
        day = disbursed_on or dates.today()
        errors: dict[str, list[ValidationError]] = {}
        if not 0 < amount <= approved:
            errors["amount_krw"] = [ValidationError(_("Disburse at most the approved amount."))]
        if rate < 0 or rate > pool.rate_without_fund:
            errors["annual_rate"] = [
                ValidationError(_("The rate must be between zero and the rate without the fund."))
            ]
        if day > dates.today():
            errors["disbursed_on"] = [ValidationError(_("The disbursement date cannot be in the future."))]
        elif day < (follows := _disbursement_follows(application)):
            # recommendation (추천) → approval (승인) → disbursement (실행) → repayments (상환):
            # a loan disbursed before it was recommended would be overdue on its first day.
            errors["disbursed_on"] = [
                ValidationError(
                    _("The disbursement date cannot be before the recommendation of %(date)s.")
                    % {"date": follows.isoformat()},
                    code="date_order",
                )
            ]
        if errors:
            raise ValidationError(errors)
        capacity.release(application, approved - amount)
        capacity.draw(application, amount)
        loan = Loan.objects.create(
            application=application,
            pool=pool,
            partner=application.partner,
            principal_krw=amount,
            balance_krw=amount,
            annual_rate=rate,
            rate_without_fund=pool.rate_without_fund,
            base_reduction=breakdown.base_reduction,
            partner_grade=breakdown.grade,
            grade_reduction=breakdown.grade_reduction,
            points_reduction=breakdown.points_reduction,
            method=application.method,
            term_months=application.term_months,
            grace_months=application.grace_months,
            disbursed_on=day,
            maturity_on=add_months(day, application.term_months),
            saving_accrued_until=day,
            disbursed_by=actor,
        )
        rows = build_schedule(
            principal_krw=amount,
            annual_rate=rate,
            start=day,
            term_months=application.term_months,
            method=application.method,
            grace_months=application.grace_months,
        )
        Instalment.objects.bulk_create(
            Instalment(
                loan=loan,
                number=row.number,
                due_on=row.due_on,
                principal_krw=row.principal_krw,
                interest_krw=row.interest_krw,
                balance_after_krw=row.balance_after_krw,
            )
            for row in rows
        )
        loan.maturity_on = rows[-1].due_on
        loan.next_due_on = next(row.due_on for row in rows if row.principal_krw)
        loan.save(update_fields=["maturity_on", "next_due_on"])
        workflow.transition(
            application,
            ApplicationStatus.DISBURSED,
            actor=actor,
            action="finance.disburse_loan",
            updates={"reserved_krw": 0},
            partner_organization_id=application.partner.organization_id,
            extra_changes={
                "loan": [None, loan.pk],
                "principal_krw": [None, amount],
                "annual_rate": [None, str(rate)],
                "disbursed_on": [None, day],
            },
        )
        _tell_partner(application)
    return loan


def record_repayment(
    *, actor: User, loan: Loan, paid_on: dt.date, principal_krw: int, interest_krw: int = 0
) -> Repayment:
    """The bank records a repayment (in date order): the balance falls, the headroom returns, and the
    interest saved thanks to the fund accrues on the balance up to that day. A zero balance repays the
    loan. Raises PermissionDenied or ValidationError.
    """
    with transaction.atomic():
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("application__fund", "application__partner", "application__pool", "pool")
            .get(pk=loan.pk)
        )
        application = loan.application
        _require_bank(actor, application)
        errors: dict[str, list[ValidationError]] = {}
        if loan.status != LoanStatus.ACTIVE:
            errors["__all__"] = [ValidationError(_("This loan is already repaid."))]
        if principal_krw < 0 or interest_krw < 0 or principal_krw + interest_krw == 0:
            errors["principal_krw"] = [ValidationError(_("Enter the principal and interest paid."))]
        elif principal_krw > loan.balance_krw:
            errors["principal_krw"] = [
                ValidationError(
                    _("At most the balance of %(balance)s원.") % {"balance": f"{loan.balance_krw:,}"}
                )
            ]
        if paid_on < loan.saving_accrued_until or paid_on > dates.today():
            errors["paid_on"] = [
                ValidationError(_("Record repayments in date order, from the last one up to today."))
            ]
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(loan, ("balance_krw", "status", "saving_krw"))
        end = min(paid_on, loan.maturity_on)
        if end > loan.saving_accrued_until:
            loan.saving_krw += interest_between(
                loan.balance_krw, loan.rate_without_fund - loan.annual_rate, loan.saving_accrued_until, end
            )
        loan.saving_accrued_until = max(loan.saving_accrued_until, paid_on)
        loan.balance_krw -= principal_krw
        capacity.restore(application, principal_krw)
        if loan.balance_krw == 0:
            before["application_status"] = application.status
            workflow.transition(
                application,
                ApplicationStatus.REPAID,
                actor=actor,
                action="finance.application_repaid",
                partner_organization_id=application.partner.organization_id,
                extra_changes={"loan": [None, loan.pk]},
            )
        loan.next_due_on = next_due_on(loan) if loan.balance_krw else None
        loan.save(update_fields=["balance_krw", "saving_krw", "saving_accrued_until", "next_due_on"])
        if loan.balance_krw == 0:
            workflow.transition(
                loan,
                LoanStatus.REPAID,
                actor=actor,
                action="finance.loan_repaid",
                partner_organization_id=application.partner.organization_id,
            )
        repayment = Repayment.objects.create(
            loan=loan,
            paid_on=paid_on,
            principal_krw=principal_krw,
            interest_krw=interest_krw,
            balance_after_krw=loan.balance_krw,
            recorded_by=actor,
        )
        after = audit.snapshot(loan, ("balance_krw", "status", "saving_krw"))
        if "application_status" in before:
            after["application_status"] = application.status
        audit.record(
            actor=actor,
            action="finance.record_repayment",
            target=loan,
            changes={
                **audit.diff(before, after),
                "repayment": [None, repayment.pk],
                "principal_krw": [None, principal_krw],
                "interest_krw": [None, interest_krw],
                "paid_on": [None, paid_on],
            },
            partner_organization_id=application.partner.organization_id,
        )
    return repayment


def expire_recommendations(*, today: dt.date | None = None) -> int:
    """Release the reservations of recommendations the bank did not use in time (system action).

    Recommended or approved-but-not-disbursed applications past `expires_on` become expired, one
    transaction and one audit event each. Returns how many expired.
    """
    today = today or dates.today()
    candidates = list(
        LoanApplication.objects.filter(
            status__in=(ApplicationStatus.RECOMMENDED, ApplicationStatus.BANK_APPROVED), expires_on__lt=today
        ).values_list("pk", flat=True)
    )
    expired = 0
    for pk in candidates:
        with transaction.atomic():
            application = _locked(LoanApplication(pk=pk))
            # Re-checked under the lock: the bank may have acted in the meantime.
            if application.status not in (ApplicationStatus.RECOMMENDED, ApplicationStatus.BANK_APPROVED):
                continue
            if application.expires_on is None or application.expires_on >= today:
                continue
            capacity.release(application, application.reserved_krw)
            _transition(
                None, "finance.expire_recommendation", application, ApplicationStatus.EXPIRED, reserved_krw=0
            )
            _tell_partner(application)
            expired += 1
    return expired


def notify_overdue_loans(*, today: dt.date | None = None) -> int:
    """Daily: remind the partner's owners and the bank's officers of each overdue loan (연체).

    A loan is overdue when the first instalment not covered by its repayments fell due before today
    (selectors.overdue_loans). Notifications only; no state changes. Returns how many loans.
    """
    from sangsaeng.finance.selectors import overdue_loans

    today = today or dates.today()
    count = 0
    loans = overdue_loans(None, today).select_related("partner", "pool__bank", "application")
    for loan in loans.iterator(chunk_size=500):
        with transaction.atomic():

            def message(loan: Loan = loan) -> tuple[str, str]:
                return (
                    _("Overdue fund loan"),
                    _("A repayment of loan %(loan)s (%(company)s) is overdue.")
                    % {"loan": str(loan), "company": loan.partner.name_ko},
                )

            url = reverse("finance:loan", kwargs={"loan_id": loan.pk})
            notify_in_their_language(
                [*partner_owners(loan.partner), *_bank_officers(loan.pool)], message, url
            )
        count += 1
    return count


def snapshot_pools(*, today: dt.date | None = None) -> int:
    """Daily: record each bank pool's counters for the utilisation chart (re-running a day overwrites it).

    Derived statistics, not a business state change, so no audit event. Returns the pools recorded.
    """
    day = today or dates.today()
    count = 0
    with transaction.atomic():
        for pool in FundBank.objects.all().iterator():
            PoolSnapshot.objects.update_or_create(
                pool=pool,
                taken_on=day,
                defaults={
                    "pool_krw": pool.pool_krw,
                    "outstanding_krw": pool.outstanding_krw,
                    "reserved_krw": pool.reserved_krw,
                },
            )
            count += 1
    return count


def _replay(loan: Loan, payments: list[tuple[dt.date, int]]) -> tuple[int, int, dt.date]:
    """Balance, interest saved and the day it is accrued to, from the disbursement and the effective
    payments (paid_on, principal) in date order, by the same rule as record_repayment."""
    balance, saving, accrued = loan.principal_krw, 0, loan.disbursed_on
    difference = loan.rate_without_fund - loan.annual_rate
    for paid_on, principal in sorted(payments, key=lambda item: item[0]):
        end = min(paid_on, loan.maturity_on)
        if end > accrued:
            saving += interest_between(balance, difference, accrued, end)
        accrued = max(accrued, paid_on)
        balance -= principal
    return balance, saving, accrued


def correct_repayment(
    *,
    actor: User,
    repayment: Repayment,
    reason: str,
    paid_on: dt.date | None = None,
    principal_krw: int | None = None,
    interest_krw: int | None = None,
    void: bool = False,
) -> tuple[Repayment, Repayment | None]:
    """The bank corrects a wrong repayment entry: a reversal line cancels it and, unless `void` (the
    payment never happened), a new payment line records the right date and amounts (each defaults to
    the original's). Nothing already written changes. The balance, the interest saved, the next due
    date (overdue), the status and the headroom (company, pool, fund) follow the corrected ledger;
    principal put back on the loan must fit the limits again.

    Only loan officers of the loan's bank correct, as they record repayments. Raises
    PermissionDenied or ValidationError (reason, paid_on, principal_krw, interest_krw, __all__).
    Returns (reversal, replacement or None).
    """
    with transaction.atomic():
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("application__fund", "application__partner", "application__pool", "pool")
            .get(pk=repayment.loan_id)
        )
        application = loan.application
        _require_bank(actor, application)
        original = Repayment.objects.select_related("reversal").get(pk=repayment.pk)
        reason = _clean_text(reason)
        new_paid_on = original.paid_on if paid_on is None else paid_on
        new_principal = original.principal_krw if principal_krw is None else principal_krw
        new_interest = original.interest_krw if interest_krw is None else interest_krw
        errors: dict[str, list[ValidationError]] = {}

        def add(name: str, message: str) -> None:
            errors.setdefault(name, []).append(ValidationError(message))

        if original.kind != RepaymentKind.PAYMENT:
            add("__all__", _("A reversal is not corrected; correct the payment it belongs to."))
        elif hasattr(original, "reversal"):
            add("__all__", _("This entry was already corrected."))
        if not reason:
            add("reason", _("Give the reason for the correction."))
        if not void:
            if new_principal < 0 or new_interest < 0 or new_principal + new_interest == 0:
                add("principal_krw", _("Enter the principal and interest paid."))
            if new_paid_on < loan.disbursed_on or new_paid_on > dates.today():
                add("paid_on", _("The date must be between the disbursement and today."))
            if (new_paid_on, new_principal, new_interest) == (
                original.paid_on,
                original.principal_krw,
                original.interest_krw,
            ):
                add("__all__", _("The corrected entry is the same as the original."))
        if errors:
            raise ValidationError(errors)
        effective = [
            (row.paid_on, row.principal_krw)
            for row in loan.repayments.filter(kind=RepaymentKind.PAYMENT, reversal__isnull=True).exclude(
                pk=original.pk
            )
        ]
        if not void:
            effective.append((new_paid_on, new_principal))
        balance, saving, accrued = _replay(loan, effective)
        if balance < 0:
            raise ValidationError(
                {"principal_krw": _("The corrected payments would repay more than the loan's principal.")}
            )
        before = audit.snapshot(loan, ("balance_krw", "status", "saving_krw", "next_due_on"))
        before["application_status"] = application.status
        change = balance - loan.balance_krw
        if change > 0:
            capacity.reopen(application, change)
        elif change < 0:
            capacity.restore(application, -change)
        reversal_balance = loan.balance_krw + original.principal_krw
        reversal = Repayment.objects.create(
            loan=loan,
            kind=RepaymentKind.REVERSAL,
            paid_on=original.paid_on,
            principal_krw=original.principal_krw,
            interest_krw=original.interest_krw,
            balance_after_krw=reversal_balance,
            reverses=original,
            reason=reason,
            recorded_by=actor,
        )
        replacement = None
        if not void:
            replacement = Repayment.objects.create(
                loan=loan,
                paid_on=new_paid_on,
                principal_krw=new_principal,
                interest_krw=new_interest,
                balance_after_krw=balance,
                replaces=original,
                reason=reason,
                recorded_by=actor,
            )
        loan.balance_krw = balance
        loan.saving_krw = saving
        loan.saving_accrued_until = accrued
        loan.next_due_on = next_due_on(loan) if balance else None
        loan.save(update_fields=["balance_krw", "saving_krw", "saving_accrued_until", "next_due_on"])
        loan_status = LoanStatus.ACTIVE if balance else LoanStatus.REPAID
        if loan.status != loan_status:
            workflow.transition(
                loan,
                loan_status,
                actor=actor,
                reason=reason,
                action="finance.correct_loan_status",
                partner_organization_id=application.partner.organization_id,
            )
        # A correction may reopen a repaid loan or repay an active one: the application follows
        # (REPAID → DISBURSED is declared for this, with its note, in LoanApplication.TRANSITIONS).
        target = ApplicationStatus.DISBURSED if balance else ApplicationStatus.REPAID
        if application.status != target:
            workflow.transition(
                application,
                target,
                actor=actor,
                reason=reason,
                action="finance.correct_repayment_status",
                partner_organization_id=application.partner.organization_id,
                extra_changes={"loan": [None, loan.pk]},
            )
        after = audit.snapshot(loan, ("balance_krw", "status", "saving_krw", "next_due_on"))
        after["application_status"] = application.status
        audit.record(
            actor=actor,
            action="finance.correct_repayment",
            target=loan,
            changes={
                **audit.diff(before, after),
                "corrected": [None, original.pk],
                "reversal": [None, reversal.pk],
                "replacement": [None, replacement.pk if replacement else None],
                "paid_on": [original.paid_on, None if void else new_paid_on],
                "principal_krw": [original.principal_krw, None if void else new_principal],
                "interest_krw": [original.interest_krw, None if void else new_interest],
                "reason": [None, reason],
            },
            partner_organization_id=application.partner.organization_id,
        )
    return reversal, replacement
