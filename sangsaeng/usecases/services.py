"""Writes of the use-case pipeline (유스케이스 발굴): intake with an NDA, sponsors, stage gates.

Every function checks a permission (PermissionDenied), validates (ValidationError with field
errors), changes, records one AuditEvent in the same transaction and notifies after the change.
"""

from __future__ import annotations

import calendar
import datetime
import os
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.accounts.models import OrganizationKind, User
from sangsaeng.core import audit, dates, workflow
from sangsaeng.core.services import notify
from sangsaeng.core.uploads import DOCUMENT_KINDS, FileKind, validate_upload
from sangsaeng.partners.selectors import own_partner_for_user
from sangsaeng.usecases import permissions
from sangsaeng.usecases.models import (
    PIPELINE,
    DecisionType,
    Feature,
    GateDecision,
    Industry,
    OutcomeType,
    Stage,
    UseCase,
    UseCaseAttachment,
)

# The host's confidentiality pledge (비밀유지 서약), recorded verbatim with each submission.
# Settings USECASE_NDA_VERSION / USECASE_NDA_TEXT replace it when the legal team revises it.
DEFAULT_NDA_VERSION = "2026-01"
DEFAULT_NDA_TEXT = (
    "호스트는 제안된 유스케이스의 아이디어와 자료를 심사·PoC·사업화 검토 목적으로만 사용하며, "
    "제안사의 서면 동의 없이 제3자에게 공개하거나 무단으로 사용하지 않습니다. "
    "The host uses the proposed idea and documents only to screen, test and assess it, and neither "
    "discloses nor uses them otherwise without the proposer's written consent."
)

# Criteria a sponsor scores at each gate, 1 (weak) to 5 (strong).
GATE_CRITERIA: dict[str, Any] = {
    "fit": gettext_lazy("Fit with 5G"),
    "feasibility": gettext_lazy("Technical feasibility"),
    "market": gettext_lazy("Market potential"),
    "capability": gettext_lazy("Partner capability"),
}
SCORE_MIN, SCORE_MAX = 1, 5
# Sentinel target of resume: the stage the use case left for the shelf.
_RESUME = "__resume__"

TEXT_FIELDS = ("title", "description", "expected_customers")


def nda_version() -> str:
    return str(getattr(settings, "USECASE_NDA_VERSION", DEFAULT_NDA_VERSION))


def nda_text() -> str:
    return str(getattr(settings, "USECASE_NDA_TEXT", DEFAULT_NDA_TEXT))


def screening_months() -> int:
    """Screening must be decided within this many months of submission (2 by default)."""
    return int(getattr(settings, "USECASE_SCREENING_MONTHS", 2))


def support_cap_krw() -> int:
    """The largest joint-business support amount (5,000만원 by default)."""
    return int(getattr(settings, "USECASE_SUPPORT_CAP_KRW", 50_000_000))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (31 Dec + 2 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _partner_people(use_case: UseCase) -> list[User]:
    """Active owners and members of the proposing partner: they follow every decision."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization_id=use_case.partner.organization_id,
            memberships__role__in=permissions.PROPOSING_ROLES,
        ).distinct()
    )


def _pipeline_managers() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__is_active=True,
            memberships__organization__kind=OrganizationKind.HOST,
            memberships__role__in=permissions.MANAGING_ROLES,
        ).distinct()
    )


def _notify(recipients: Iterable[User], message: Callable[[], tuple[str, str]], url: str) -> None:
    """One notification per recipient, worded in the recipient's language."""
    by_language: dict[str, list[User]] = {}
    for user in recipients:
        by_language.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user)
    for language, users in sorted(by_language.items()):
        with translation.override(language):
            title, body = message()
            notify(recipients=users, title=title, body=body, url=url)


def openlab_booking_path(use_case: UseCase) -> str:
    """The Open Lab booking page (openlab app), prefilled for this use case's PoC."""
    return f"/openlab/bookings/new/?use_case={use_case.pk}"


def use_case_url(use_case: UseCase) -> str:
    return reverse("usecases:detail", kwargs={"use_case_id": use_case.pk})


def _check_upload(upload: UploadedFile) -> FileKind:
    """Type, size and content of one attachment; errors under the field "attachments"."""
    try:
        return validate_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=settings.MAX_DOCUMENT_BYTES)
    except ValidationError as error:
        raise ValidationError({"attachments": error.error_list}) from error


def _store_attachment(
    *, actor: User, use_case: UseCase, upload: UploadedFile, file_kind: FileKind
) -> UseCaseAttachment:
    """Save a checked upload under a random name (the original name is kept for downloads)."""
    original_name = unicodedata.normalize("NFC", os.path.basename(upload.name or ""))[:255]
    upload.name = f"{uuid.uuid4().hex}{os.path.splitext(original_name)[1].lower()}"
    attachment = UseCaseAttachment(
        use_case=use_case,
        file=upload,
        original_name=original_name,
        content_type=file_kind.content_type,
        size_bytes=upload.size or 0,
        uploaded_by=actor,
    )
    attachment.save()
    return attachment


def submit_use_case(
    *,
    actor: User,
    title: str,
    industry: str,
    features: Sequence[str],
    description: str,
    expected_customers: str,
    nda_accepted: bool,
    attachments: Sequence[UploadedFile] = (),
) -> UseCase:
    """A partner's owner or member proposes a 5G use case (one intake channel).

    The partner must be approved (a startup signs up as a partner first) and the NDA accepted; the
    host's confidentiality pledge and its version are recorded with the submission. The screening
    deadline is set `screening_months()` after today. Attachments: PDF, PNG or JPEG. Raises
    PermissionDenied or ValidationError (fields title, industry, features, description,
    expected_customers, nda_accepted, attachments).
    """
    with transaction.atomic():
        if not permissions.can_propose_use_case(actor):
            raise PermissionDenied(_("Only people of an approved partner may propose use cases."))
        partner = own_partner_for_user(actor)
        if partner is None:  # can_propose_use_case guarantees one; keeps the type checker honest
            raise PermissionDenied(_("Only people of an approved partner may propose use cases."))
        errors: dict[str, list[ValidationError]] = {}
        chosen = list(dict.fromkeys(features))
        if not chosen:
            errors.setdefault("features", []).append(ValidationError(_("Choose at least one 5G feature.")))
        elif any(code not in Feature.values for code in chosen):
            errors.setdefault("features", []).append(ValidationError(_("Choose valid 5G features.")))
        if not nda_accepted:
            errors.setdefault("nda_accepted", []).append(
                ValidationError(_("Accept the confidentiality terms to submit."))
            )
        now = timezone.now()
        use_case = UseCase(
            partner=partner,
            proposed_by=actor,
            title=_clean(title),
            industry=industry,
            features=[code for code in Feature.values if code in chosen],
            description=_clean(description),
            expected_customers=_clean(expected_customers),
            nda_accepted_at=now,
            nda_version=nda_version(),
            nda_text=nda_text(),
            stage=Stage.SUBMITTED,
            stage_entered_at=now,
            screening_due_on=add_months(dates.today(), screening_months()),
        )
        try:
            use_case.full_clean(exclude=["partner", "proposed_by", "sponsor", "features"])
        except ValidationError as error:
            error.update_error_dict(errors)  # type: ignore[arg-type]
        if industry not in Industry.values:
            errors.setdefault("industry", [ValidationError(_("Choose an industry."))])
        # Every file is checked before anything is stored, so a bad one leaves no stray files.
        kinds = []
        for upload in attachments:
            try:
                kinds.append(_check_upload(upload))
            except ValidationError as error:
                error.update_error_dict(errors)  # type: ignore[arg-type]
        if errors:
            raise ValidationError(errors)
        use_case.save()
        GateDecision.objects.create(
            use_case=use_case,
            from_stage="",
            to_stage=Stage.SUBMITTED,
            reason="",
            decided_by=actor,
            decided_at=now,
        )
        stored = [
            _store_attachment(actor=actor, use_case=use_case, upload=upload, file_kind=kind)
            for upload, kind in zip(attachments, kinds, strict=True)
        ]
        audit.record(
            actor=actor,
            action="usecases.submit_use_case",
            target=use_case,
            changes={
                "title": use_case.title,
                "industry": use_case.industry,
                "features": use_case.features,
                "nda_version": use_case.nda_version,
                "attachments": [attachment.original_name for attachment in stored],
            },
            partner_organization_id=partner.organization_id,
        )
        _notify(
            _pipeline_managers(),
            lambda: (
                _("New use case: %(title)s") % {"title": use_case.title},
                _("%(partner)s proposed a 5G use case.") % {"partner": partner.name_ko},
            ),
            use_case_url(use_case),
        )
    return use_case


def add_attachment(*, actor: User, use_case: UseCase, upload: UploadedFile) -> UseCaseAttachment:
    """The proposing partner adds a document (PDF, PNG, JPEG). Raises PermissionDenied or ValidationError."""
    file_kind = _check_upload(upload)  # before the transaction: reading never holds the write lock
    with transaction.atomic():
        use_case = UseCase.objects.select_for_update().select_related("partner").get(pk=use_case.pk)
        if not permissions.can_attach_to_use_case(actor, use_case):
            raise PermissionDenied(_("You may not add documents to this use case."))
        attachment = _store_attachment(actor=actor, use_case=use_case, upload=upload, file_kind=file_kind)
        audit.record(
            actor=actor,
            action="usecases.add_attachment",
            target=attachment,
            changes={
                "use_case": use_case.pk,
                "name": attachment.original_name,
                "size_bytes": attachment.size_bytes,
            },
            partner_organization_id=use_case.partner.organization_id,
        )
    return attachment


def assign_sponsor(*, actor: User, use_case: UseCase, sponsor: User) -> UseCase:
    """A programme manager or administrator assigns the host sponsor who decides the gates.

    The sponsor must be an active host administrator, programme manager or reviewer. Notifies the
    sponsor. Raises PermissionDenied or ValidationError (field "sponsor").
    """
    with transaction.atomic():
        use_case = UseCase.objects.select_for_update().select_related("partner").get(pk=use_case.pk)
        if not permissions.can_assign_sponsor(actor, use_case):
            raise PermissionDenied(_("Only host administrators and programme managers assign sponsors."))
        if not permissions.can_be_sponsor(sponsor):
            raise ValidationError(
                {"sponsor": _("The sponsor must be a host administrator, programme manager or reviewer.")}
            )
        before = {"sponsor": use_case.sponsor_id}
        use_case.sponsor = sponsor
        use_case.save(update_fields=["sponsor", "updated_at"])
        audit.record(
            actor=actor,
            action="usecases.assign_sponsor",
            target=use_case,
            changes=audit.diff(before, {"sponsor": sponsor.pk}),
            partner_organization_id=use_case.partner.organization_id,
        )
        _notify(
            [sponsor],
            lambda: (
                _("You sponsor the use case %(title)s") % {"title": use_case.title},
                _("Screen it and decide its gates."),
            ),
            use_case_url(use_case),
        )
    return use_case


def allowed_targets(use_case: UseCase) -> list[str]:
    """The stages this use case may move to now (UseCase.TRANSITIONS; on hold resumes where it left)."""
    return list(workflow.allowed_targets(use_case))


def _check_scores(scores: Mapping[str, Any], errors: dict[str, list[ValidationError]]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for key in GATE_CRITERIA:
        value = scores.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            errors.setdefault("scores", []).append(
                ValidationError(
                    _("Score “%(criterion)s” from %(min)s to %(max)s.")
                    % {"criterion": GATE_CRITERIA[key], "min": SCORE_MIN, "max": SCORE_MAX}
                )
            )
        else:
            cleaned[key] = value
    return cleaned


def _move(
    *,
    actor: User,
    use_case: UseCase,
    to_stage: str,
    reason: str,
    action: str,
    scores: Mapping[str, Any] | None = None,
    decision: Mapping[str, Any] | None = None,
    gate_only: bool = False,
) -> GateDecision:
    """The one place a stage changes: permission, TRANSITIONS, reason, gate data, audit, notification."""
    with transaction.atomic():
        use_case = UseCase.objects.select_for_update().select_related("partner").get(pk=use_case.pk)
        if not permissions.can_decide_gate(actor, use_case):
            raise PermissionDenied(
                _("Only the assigned sponsor or a host administrator decides this use case.")
            )
        if gate_only and to_stage in (Stage.ON_HOLD, Stage.STOPPED):
            raise ValidationError({"to_stage": _("Use “put on hold” or “stop” for this.")})
        if to_stage == _RESUME:
            if use_case.stage != Stage.ON_HOLD:
                raise ValidationError(
                    {
                        "to_stage": workflow.TransitionError(
                            _("Only a use case on hold can be resumed."),
                            source=use_case.stage,
                            target=use_case.resume_stage,
                        )
                    }
                )
            to_stage = use_case.resume_stage
        try:
            workflow.check_transition(use_case, to_stage)
        except workflow.TransitionError as error:
            raise ValidationError({"to_stage": error}) from error
        errors: dict[str, list[ValidationError]] = {}
        reason = _clean(reason)
        if not reason:
            errors["reason"] = [ValidationError(_("Give a reason; the partner will see it."))]
        is_gate = to_stage in PIPELINE and use_case.stage != Stage.ON_HOLD
        cleaned_scores = _check_scores(scores or {}, errors) if is_gate else {}
        updates: dict[str, Any] = {}
        if is_gate and use_case.stage == Stage.COMMERCIALISATION:
            _apply_commercialisation(updates, decision or {}, errors)
        if is_gate and use_case.stage == Stage.OUTCOME_SHARING:
            _apply_outcome(actor, use_case, updates, decision or {}, errors)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        from_stage = use_case.stage
        updates["resume_stage"] = from_stage if to_stage == Stage.ON_HOLD else ""
        updates["stage_entered_at"] = now
        workflow.transition(
            use_case,
            to_stage,
            actor=actor,
            reason=reason,
            action=action,
            updates=updates,
            partner_organization_id=use_case.partner.organization_id,
            extra_changes={"scores": [None, cleaned_scores]} if cleaned_scores else None,
        )
        gate = GateDecision.objects.create(
            use_case=use_case,
            from_stage=from_stage,
            to_stage=to_stage,
            scores=cleaned_scores,
            reason=reason,
            decided_by=actor,
            decided_at=now,
        )

        def message() -> tuple[str, str]:
            stage = use_case.get_stage_display()
            body = (
                _("The sponsor decided: %(stage)s.") % {"stage": stage}
                + "\n"
                + _("Reason: %(reason)s") % {"reason": reason}
            )
            if to_stage == Stage.POC:
                # Screening passed: one click from the notification to the prefilled Open Lab booking.
                body += "\n" + _("Book the Open Lab for the PoC: %(url)s") % {
                    "url": openlab_booking_path(use_case)
                }
            return _("%(title)s: %(stage)s") % {"title": use_case.title, "stage": stage}, body

        _notify(_partner_people(use_case), message, use_case_url(use_case))
    return gate


def _amount(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    return int(value)


def _apply_commercialisation(
    updates: dict[str, Any], decision: Mapping[str, Any], errors: dict[str, list[ValidationError]]
) -> None:
    """Leaving the commercialisation gate records the decision: joint business (with support up to
    the cap) or purchase-conditional development."""
    kind = decision.get("decision_type") or ""
    if kind not in DecisionType.values:
        errors["decision_type"] = [ValidationError(_("Choose the commercialisation decision."))]
        return
    updates["decision_type"] = kind
    updates["support_amount_krw"] = None
    if kind == DecisionType.JOINT_BUSINESS:
        try:
            amount = _amount(decision.get("support_amount_krw"))
        except (TypeError, ValueError):
            amount = -1
        cap = support_cap_krw()
        if amount is None or not 0 < amount <= cap:
            errors["support_amount_krw"] = [
                ValidationError(_("Give a support amount from 1 to %(cap)s won.") % {"cap": f"{cap:,}"})
            ]
            return
        updates["support_amount_krw"] = amount


def _apply_outcome(
    actor: User,
    use_case: UseCase,
    updates: dict[str, Any],
    decision: Mapping[str, Any],
    errors: dict[str, list[ValidationError]],
) -> None:
    """Leaving outcome sharing records how: an idea purchase (with its amount) or a benefit-sharing task.

    A benefit-sharing task is linked (a finance task the deciding person may see that involves the
    use case's partner, as the main partner or a participant), named by a text reference (a task run
    outside the platform), or both.
    """
    kind = decision.get("outcome_type") or ""
    if kind not in OutcomeType.values:
        errors["outcome_type"] = [ValidationError(_("Choose how the outcome is shared."))]
        return
    updates["outcome_type"] = kind
    updates["purchase_amount_krw"] = None
    updates["sharing_task"] = None
    updates["benefit_sharing_reference"] = ""
    if kind == OutcomeType.IDEA_PURCHASE:
        try:
            amount = _amount(decision.get("purchase_amount_krw"))
        except (TypeError, ValueError):
            amount = -1
        if amount is None or amount <= 0:
            errors["purchase_amount_krw"] = [ValidationError(_("Give the purchase amount in won."))]
            return
        updates["purchase_amount_krw"] = amount
        return
    reference = _clean(str(decision.get("benefit_sharing_reference") or ""))[:200]
    task_id = decision.get("sharing_task_id")
    if task_id not in (None, ""):
        from sangsaeng.usecases.selectors import sharing_tasks_for_outcome

        task = sharing_tasks_for_outcome(actor, use_case).filter(pk=task_id).first()
        if task is None:
            errors["sharing_task"] = [
                ValidationError(_("Choose a benefit-sharing task of this use case's partner."))
            ]
            return
        updates["sharing_task"] = task
    elif not reference:
        errors["benefit_sharing_reference"] = [
            ValidationError(_("Link the benefit-sharing task or name it."))
        ]
        return
    updates["benefit_sharing_reference"] = reference


def decide_gate(
    *,
    actor: User,
    use_case: UseCase,
    to_stage: str,
    scores: Mapping[str, Any],
    reason: str,
    decision_type: str = "",
    support_amount_krw: int | None = None,
    outcome_type: str = "",
    purchase_amount_krw: int | None = None,
    benefit_sharing_reference: str = "",
    sharing_task_id: int | None = None,
) -> GateDecision:
    """The sponsor's gate decision: move along the pipeline with criteria scores (1–5) and a reason.

    Only the assigned sponsor or a host administrator decides; the move must be in
    UseCase.TRANSITIONS (else a ValidationError on "to_stage" naming the allowed moves, and nothing
    changes). Leaving commercialisation needs the decision type (joint business: support amount
    ≤ support_cap_krw()); leaving outcome sharing needs the outcome (idea purchase amount, or the
    benefit-sharing task: linked by `sharing_task_id` and/or named by `benefit_sharing_reference`).
    The partner is notified. Raises PermissionDenied or ValidationError.
    """
    return _move(
        gate_only=True,
        actor=actor,
        use_case=use_case,
        to_stage=to_stage,
        reason=reason,
        action="usecases.decide_gate",
        scores=scores,
        decision={
            "decision_type": decision_type,
            "support_amount_krw": support_amount_krw,
            "outcome_type": outcome_type,
            "purchase_amount_krw": purchase_amount_krw,
            "benefit_sharing_reference": benefit_sharing_reference,
            "sharing_task_id": sharing_task_id,
        },
    )


def put_on_hold(*, actor: User, use_case: UseCase, reason: str) -> GateDecision:
    """Put the use case on the shelf (보류), remembering its stage. Raises PermissionDenied or ValidationError."""
    return _move(
        actor=actor, use_case=use_case, to_stage=Stage.ON_HOLD, reason=reason, action="usecases.hold_use_case"
    )


def resume_use_case(*, actor: User, use_case: UseCase, reason: str) -> GateDecision:
    """Take the use case off the shelf, back to the stage it left. Raises PermissionDenied or ValidationError."""
    return _move(
        actor=actor, use_case=use_case, to_stage=_RESUME, reason=reason, action="usecases.resume_use_case"
    )


def stop_use_case(*, actor: User, use_case: UseCase, reason: str) -> GateDecision:
    """Stop the use case for good (중단). Raises PermissionDenied or ValidationError."""
    return _move(
        actor=actor, use_case=use_case, to_stage=Stage.STOPPED, reason=reason, action="usecases.stop_use_case"
    )


def remind_overdue_screenings(*, today: datetime.date | None = None) -> int:
    """Remind the sponsor (or, while none is assigned, the programme managers) of each use case whose
    screening is past its deadline. Meant to run once a day (`manage.py remind_overdue_screenings`);
    it changes no use case, so it writes notifications only. Returns the number of use cases.
    """
    from sangsaeng.usecases.selectors import overdue_use_cases

    today = today or dates.today()
    overdue = list(overdue_use_cases(today))
    managers: list[User] | None = None
    with transaction.atomic():
        for use_case in overdue:
            if use_case.sponsor is not None:
                recipients = [use_case.sponsor]
            else:
                managers = managers if managers is not None else _pipeline_managers()
                recipients = managers

            def message(use_case: UseCase = use_case) -> tuple[str, str]:
                return (
                    _("Screening overdue: %(title)s") % {"title": use_case.title},
                    _("The screening was due on %(date)s. Decide it or put it on hold.")
                    % {"date": use_case.screening_due_on.isoformat()},
                )

            _notify(recipients, message, use_case_url(use_case))
    return len(overdue)


__all__ = [
    "GATE_CRITERIA",
    "add_attachment",
    "add_months",
    "allowed_targets",
    "assign_sponsor",
    "decide_gate",
    "nda_text",
    "nda_version",
    "put_on_hold",
    "remind_overdue_screenings",
    "resume_use_case",
    "screening_months",
    "stop_use_case",
    "submit_use_case",
    "support_cap_krw",
]
